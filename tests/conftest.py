"""Shared test fixtures."""

import importlib
import os
from pathlib import Path

import pytest

from bench.stserver import CHROMIUM

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
