"""The package's shape: wings by stage, imports pointing one way, no cycles, modules of a readable size."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "drugstats"

# The stages, lowest first: a wing imports only wings before it in this list (and itself).
WINGS = ("claims", "official", "verdicts", "extract", "publish", "pages", "site")
# Modules at the top that every wing may import: they import no wing above claims.
FOUNDATIONS = {"drugstats", "drugstats.errors", "drugstats.vocab", "drugstats.display"}
# Modules at the top that tie the wings together: no wing imports them.
ORCHESTRATORS = {"drugstats.cli", "drugstats.refresh", "drugstats.__main__"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The drugstats modules a file imports, at any depth (function-level imports count too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("drugstats")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("drugstats"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                exists = (PACKAGE.parent / (candidate.replace(".", "/") + ".py")).exists()
                found.add(candidate if exists else node.module)
    return found


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}
GRAPH = {name: imports(path) & set(MODULES) for name, path in MODULES.items()}


def rank(name: str) -> int:
    """Where a module stands in the flow: foundations lowest, then each wing, orchestrators on top."""
    parts = name.split(".")
    if len(parts) > 1 and parts[1] in WINGS:
        return 1 + WINGS.index(parts[1])
    return len(WINGS) + 1 if name in ORCHESTRATORS else 0


def test_the_graph_read_every_module():
    assert len(MODULES) > 40 and sum(map(len, GRAPH.values())) > 100


def test_each_wing_imports_only_wings_below_it():
    upward = sorted(f"{m} imports {d}" for m, deps in GRAPH.items() for d in deps if rank(d) > rank(m))
    assert upward == []


def test_the_foundations_import_no_wing_and_no_orchestrator():
    assert {d for m in FOUNDATIONS for d in GRAPH[m]} <= FOUNDATIONS


def test_no_import_cycle():
    done: set[str] = set()
    cycles = []

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            cycles.append(" -> ".join(path[path.index(name) :] + [name]))
            return
        if name in done:
            return
        for dep in sorted(GRAPH[name]):
            visit(dep, [*path, name])
        done.add(name)

    for name in sorted(GRAPH):
        visit(name, [])
    assert cycles == []


def test_the_top_holds_few_modules_beside_the_wings():
    top = [p.name for p in PACKAGE.glob("*.py")]
    wings = [p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()]
    assert len(top) <= 12 and len(wings) >= 4, (top, wings)
    assert set(wings) == set(WINGS)


def test_no_module_passes_500_lines():
    long = {name: n for name, p in MODULES.items() if (n := len(p.read_text().splitlines())) > 500}
    assert long == {}
