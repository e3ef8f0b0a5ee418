"""Shared test fixtures."""

import importlib
import inspect
import os
from pathlib import Path

import pytest

from tests.stserver import CHROMIUM

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"


@pytest.fixture
def minimal_data() -> Path:
    return MINIMAL


def require_chromium(*modules: str) -> None:
    """Skip unless Debian's chromium and the given modules are there; under DRUGSTATS_REQUIRE_BROWSER=1 (CI), fail."""
    missing = [] if Path(CHROMIUM).exists() else [f"{CHROMIUM} is missing"]
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(f"{module} is not installed")
    if missing:
        message = "; ".join(missing)
        if os.environ.get("DRUGSTATS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"DRUGSTATS_REQUIRE_BROWSER=1 but {message}")
        pytest.skip(message)


# The fast loop, `pytest -m "not slow and not browser"`, leaves out every test that starts the dashboard (AppTest), a
# server or a subprocess. Marked here by what the test does rather than by hand, so a new test of that kind is slow
# without anyone remembering to say so; a file can also say `pytestmark = pytest.mark.slow`.
SLOW_SIGNS = ("AppTest", "app_on(", "Server(", "subprocess", "sys.executable", "_server", "run_app(", "cli_run(")
SLOW_FIXTURES = {"hostile_server", "server", "app", "served"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        function = getattr(item, "function", None)
        try:
            source = inspect.getsource(function) if function else ""
        except (OSError, TypeError):
            source = ""
        if any(sign in source for sign in SLOW_SIGNS) or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
