"""Command line: the same core as the dashboard, with exit codes (0 ok, 1 bad data, 2 usage or I/O)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from drugstats import DATA_DIR
from drugstats.errors import DataError, FetchError


def _print_problems(err: DataError) -> None:
    for problem in err.problems:
        print(problem, file=sys.stderr)
    print(f"{len(err.problems)} problem(s) found", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    from drugstats import load

    dataset = load.load_dataset(args.data, extra_claim_files=args.paths)
    if args.paths:
        print(
            f"{len(dataset.extra_claims)} claims in {len(args.paths)} file(s), checked against {len(dataset.sources)} sources: OK"
        )
    else:
        print(f"{len(dataset.claims)} claims, {len(dataset.statements)} statements, {len(dataset.sources)} sources: OK")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from drugstats import export

    written = export.export_bundle(args.data, args.out, zip_path=args.zip)
    for path in written:
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="drugstats", description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="data directory (default: the shipped data/)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="validate the shipped data, or claims files against the shipped sources")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="a claims YAML file to check")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("export", help="write cleaned CSVs and datapackage.json")
    p.add_argument("--out", type=Path, default=Path("out"), help="output directory (default: out/)")
    p.add_argument("--zip", type=Path, default=None, help="also write the bundle as this zip file")
    p.set_defaults(run=cmd_export)

    # --- subcommands of later stages register here (refresh, check, figures) ---
    for register in _registrars():
        register(sub)
    return parser


def _registrars():
    """Subcommands owned by other modules; each exposes add_subcommand(subparsers)."""
    import importlib

    for name in ("drugstats.refresh", "drugstats.checks_cli", "drugstats.figures"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name == name:
                continue
            raise
        yield module.add_subcommand


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except DataError as err:
        _print_problems(err)
        return 1
    except FetchError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
