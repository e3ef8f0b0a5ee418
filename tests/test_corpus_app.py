"""The bad-input corpus through the loader the app uses and through the app itself (AppTest)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from drugstats.errors import DataError
from drugstats.verdicts import pipeline

from .conftest import ROOT

pytestmark = pytest.mark.slow  # the dashboard (AppTest) on each bad input

CORPUS = ROOT / "tests" / "bad_inputs"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text())
APP = str(ROOT / "streamlit_app.py")


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("corpus") / "data"
    shutil.copytree(ROOT / "data", data)
    return data


@pytest.fixture
def with_bad_file(data_copy, request):
    """The shipped data plus one bad claims file, for the duration of one case."""
    name = request.param
    target = data_copy / "claims" / f"zz-{name}"
    shutil.copyfile(CORPUS / name, target)
    yield name, target
    target.unlink()


def expected_lines(name: str, target: Path) -> list[str]:
    display = f"data/claims/{target.name}"
    return [line.replace("{path}", display) for line in EXPECTED[name]]


@pytest.mark.parametrize("with_bad_file", sorted(EXPECTED), indirect=True)
def test_the_apps_loader_reports_each_bad_input_exactly(with_bad_file, data_copy):
    name, target = with_bad_file
    with pytest.raises(DataError) as caught:
        pipeline.build(data_copy)
    messages = [str(p) for p in caught.value.problems]
    # In the shipped tree a corpus file's source URL is not a source id; those lines differ by design.
    wanted = [m for m in expected_lines(name, target) if ": source: " not in m]
    assert [m for m in messages if ": source: " not in m] == wanted


@pytest.mark.parametrize("with_bad_file", sorted(EXPECTED), indirect=True)
def test_the_app_shows_an_error_panel_for_each_bad_input_and_other_pages_still_run(with_bad_file, data_copy, monkeypatch):
    name, target = with_bad_file
    monkeypatch.setenv("DRUGSTATS_DATA", str(data_copy))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert len(at.error) == 1 and "failed validation" in at.error[0].value
    shown = at.code[0].value
    assert all(line in shown for line in expected_lines(name, target) if ": source: " not in line)
    at.switch_page("views/sources.py").run()  # another page: the same panel, no exception
    assert not at.exception and len(at.error) == 1
