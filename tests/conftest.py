"""Shared test fixtures."""

import contextlib
import functools
import importlib
import inspect
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.stserver import CHROMIUM

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"


@pytest.fixture
def minimal_data() -> Path:
    return MINIMAL


@contextlib.contextmanager
def local_servers_allowed() -> Iterator[None]:
    """Downloads may reach a test server on 127.0.0.1 while this is open: httpget.get's allow_private_addresses,
    which nothing in drugstats sets (drugstats.official.netaddr refuses such addresses everywhere else)."""
    from drugstats.official import httpget

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(httpget, "get", functools.partial(httpget.get, allow_private_addresses=True))
        yield


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


# One build per version of a data folder for the whole run. `pipeline.build` of the shipped data takes ~1.7 s and
# some thirty fixtures and in-process CLI calls ask for it; keyed by `pipeline.data_version` (path, size, mtime and
# inode of every file), so a test that copies or edits a data folder still gets a build of what it wrote. Only
# plain builds are shared (no extra claim files); the frames are shared too, so a test must not edit a build in place.
_BUILDS: dict = {}


@pytest.fixture(autouse=True, scope="session")
def _one_build_per_data_version():
    from drugstats.verdicts import pipeline

    real_build = pipeline.build

    @functools.wraps(real_build)  # its module and name too: views/_ui.derived takes only drugstats functions
    def build(data_dir, extra_claim_files=(), tolerances=pipeline.checks.DEFAULT_TOLERANCES):
        extra = tuple(extra_claim_files)
        if extra:
            return real_build(data_dir, extra, tolerances)
        key = (Path(data_dir).resolve(), pipeline.data_version(Path(data_dir)), tolerances)
        if key not in _BUILDS:
            _BUILDS[key] = real_build(data_dir, extra, tolerances)
        return _BUILDS[key]

    pipeline.build = build
    yield
    pipeline.build = real_build


# The export bundle of a build, once per build: the shipped bundle (~60,000 rows of deaths by release, CSV and JSON)
# takes ~1.3 s to write and six tests ask for it. Keyed by the build object, which the memo above shares.
_BUNDLES: dict = {}


@pytest.fixture(autouse=True, scope="session")
def _one_bundle_per_build():
    from drugstats.publish import export

    real = export.bundle_files

    @functools.wraps(real)  # its module and name too: the Downloads page asks views/_ui.derived for it
    def bundle_files(build):
        hit = _BUNDLES.get(id(build))
        if hit is None or hit[0] is not build:
            hit = _BUNDLES[id(build)] = (build, real(build))
        return dict(hit[1])

    export.bundle_files = bundle_files
    yield
    export.bundle_files = real


# Parsed raw files are kept between runs (drugstats.official.parsecache): in tests, in a folder of this run's own, so no test
# reads what another run or the user's dashboard left. Servers and subprocesses the tests start inherit it.
@pytest.fixture(autouse=True, scope="session")
def _a_parse_cache_of_this_run(tmp_path_factory):
    os.environ["DRUGSTATS_CACHE"] = str(tmp_path_factory.mktemp("parse-cache"))
    yield
    os.environ.pop("DRUGSTATS_CACHE", None)
