"""How the app keeps its data: one build per version of the files, results derived from it, nothing a client can clear."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from drugstats import display
from drugstats.pages import deaths as deaths_page
from drugstats.verdicts import pipeline
from views import _ui

from .conftest import ROOT

APP = str(ROOT / "streamlit_app.py")
WHITE_HOUSE = "claims/official-whitehouse-2023-04-11-fact-sheet.yaml"


@pytest.fixture
def data(tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    return copy


def test_the_data_version_follows_every_file_and_skips_hidden_ones(data):
    before = pipeline.data_version(data)
    assert len(before) == sum(1 for p in data.rglob("*") if p.is_file() and not p.name.startswith("."))  # none missed
    (data / "raw" / "cdc-vsrr" / ".metadata.yaml.x.part").write_bytes(b"half a refresh")
    assert pipeline.data_version(data) == before
    claims = data / "claims" / "news-2023-04-13-dailycaller.yaml"
    claims.write_text(claims.read_text() + "\n# a comment\n")
    edited = pipeline.data_version(data)
    assert edited != before
    replacement = data / "claims" / "replacement.tmp"
    shutil.copyfile(claims, replacement)
    os.replace(replacement, claims)  # same bytes, a new file: what a refresh does
    assert pipeline.data_version(data) != edited


def test_the_build_is_kept_until_a_file_changes_then_rebuilt(data):
    first = _ui.load(data)
    shipped = len(first.build.dataset.claims)
    assert first.build is not None and shipped > 9
    assert _ui.load(data) is first
    (data / WHITE_HOUSE).unlink()
    second = _ui.load(data)
    assert second is not first
    assert len(second.build.dataset.claims) == shipped - 9  # the White House fact sheet's nine


def test_broken_data_is_remembered_until_fixed(data):
    broken = data / "claims" / "zz-broken.yaml"
    broken.write_text("- id: x\n  quote: [unclosed\n")
    failed = _ui.load(data)
    assert failed.build is None and failed.error is not None
    assert any("zz-broken.yaml" in str(p) for p in failed.error.problems)
    assert _ui.load(data) is failed  # not re-read on every page view while nothing changes
    broken.unlink()
    fixed = _ui.load(data)
    assert fixed.error is None and fixed.build is not None


def test_a_clients_clear_cache_does_not_rebuild_the_data(data):
    loaded = _ui.load(data)
    st.cache_resource.clear()  # what Streamlit does on a client's clear_cache message
    st.cache_data.clear()
    assert _ui.load(data) is loaded


def test_derived_results_are_shared_per_arguments_and_dropped_when_the_data_change(data):
    build = _ui.load(data).build
    view = deaths_page.parse_deaths({}, build.official.overdose_deaths)
    chart = _ui.derived(deaths_page.figure, build, view)
    assert _ui.derived(deaths_page.figure, build, view) is chart
    other = deaths_page.DeathsView(place=view.place, substance=view.substance, counts=view.counts, scale="log")
    assert _ui.derived(deaths_page.figure, build, other) is not chart
    (data / WHITE_HOUSE).unlink()
    rebuilt = _ui.load(data).build
    assert _ui.derived(deaths_page.figure, build, view) is not chart  # the old build's results were forgotten
    assert _ui.derived(deaths_page.figure, rebuilt, view).rows.equals(chart.rows)


def test_a_result_computed_while_the_data_changed_is_not_kept():
    def label_during_a_rebuild(verdict: str) -> str:
        _ui._forget_derived()  # what load() does when the files change while this value is computed
        return verdict.upper()

    label_during_a_rebuild.__module__, label_during_a_rebuild.__qualname__ = "drugstats.display", "verdict_label"
    assert _ui.derived(label_during_a_rebuild, "consistent") == "CONSISTENT"  # the run that asked still gets it
    assert not _ui._DERIVED  # but it would hold the old build: not kept


def _slow_value(fail: bool, started: threading.Event, release: threading.Event, calls: list) -> object:
    calls.append(threading.get_ident())
    started.set()
    assert release.wait(10)
    if fail and len(calls) == 1:
        raise RuntimeError("the first computation failed")
    return object()


_slow_value.__module__ = "drugstats.display"  # derived() takes drugstats functions only; the key is what matters here


@pytest.mark.parametrize("fail", [False, True])
def test_a_value_being_computed_is_waited_for_not_computed_twice(fail):
    _ui._forget_derived()
    started, release, calls, got = threading.Event(), threading.Event(), [], {}

    def ask(name: str) -> None:
        try:
            got[name] = _ui.derived(_slow_value, fail, started, release, calls)
        except RuntimeError as err:
            got[name] = err

    first = threading.Thread(target=ask, args=("first",))
    first.start()
    assert started.wait(10)  # the first caller is computing
    second = threading.Thread(target=ask, args=("second",))
    second.start()
    second.join(0.3)
    assert second.is_alive() and len(calls) == 1  # the second waits for that result instead of computing beside it
    release.set()
    first.join(10)
    second.join(10)
    if fail:  # the first failed: the second computed its own, and the first caller got its error
        assert len(calls) == 2 and isinstance(got["first"], RuntimeError) and not isinstance(got["second"], Exception)
    else:
        assert len(calls) == 1 and got["first"] is got["second"]
    assert not _ui._COMPUTING


def test_derived_takes_only_functions_it_can_find_again():
    with pytest.raises(TypeError, match="module-level function of drugstats"):
        _ui.derived(lambda: 1)
    with pytest.raises(TypeError, match="module-level function of drugstats"):
        _ui.derived(len, "abc")


def test_derived_keeps_a_bounded_number_of_results():
    for i in range(_ui._MAX_DERIVED * 2):
        assert _ui.derived(display.verdict_label, f"verdict-{i}") == f"verdict-{i}"
    assert len(_ui._DERIVED) == _ui._MAX_DERIVED


def claims_line(at: AppTest) -> str:
    """The sidebar's line counting the claims checked."""
    (line,) = [c.value for c in at.caption if "claims checked" in c.value]
    return line


def test_the_dashboard_shows_edited_data_without_a_restart(data, monkeypatch):
    monkeypatch.setenv("DRUGSTATS_DATA", str(data))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    shipped = len(_ui.load(data).build.dataset.claims)
    assert claims_line(at).startswith(f"{shipped} claims")
    (data / WHITE_HOUSE).unlink()
    at.run()  # the next page view
    assert not at.exception
    assert claims_line(at).startswith(f"{shipped - 9} claims")


def test_any_failure_while_building_is_kept_as_the_error_panel_until_a_file_changes(data, monkeypatch, caplog):
    calls = []

    def overflowing(path):
        calls.append(path)
        raise OverflowError(f"cannot convert float infinity to integer in {data}/claims/x.yaml")

    monkeypatch.setattr(pipeline, "build", overflowing)
    failed = _ui.load(data)
    assert failed.build is None
    assert [str(p) for p in failed.error.problems] == [
        "data: -: -: the data could not be built (OverflowError), a fault validation did not catch; "
        "the details are in the server log"
    ]
    assert "cannot convert float infinity to integer" in caplog.text  # the details: in the log, not on the page
    assert _ui.load(data) is failed and len(calls) == 1  # not rebuilt on every page view
    (data / WHITE_HOUSE).unlink()
    assert _ui.load(data) is not failed and len(calls) == 2


def test_the_panel_names_files_inside_the_data_folder_never_the_servers_paths(data):
    raw = data / "raw" / "cdc-vsrr" / "cdc_api_provisional_overdose_counts.csv"
    raw.unlink()
    raw.mkdir()  # a raw file that is a folder: read by the series loader, which names files by their full path
    failed = _ui.load(data)
    shown = "\n".join(str(p) for p in failed.error.problems)
    assert "data/raw/cdc-vsrr/cdc_api_provisional_overdose_counts.csv: -: -: is a folder, not a regular file" in shown
    assert str(data.parent) not in shown


def test_every_page_shows_a_build_failure_in_the_error_panel_without_server_paths(data, monkeypatch):
    meta = data / "raw" / "cbp-seizures" / "metadata.yaml"
    meta.write_bytes(meta.read_bytes().replace(b"name: nationwide-drugs-fy19-fy22.csv", b"name: /etc/passwd"))
    raw = data / "raw" / "cdc-vsrr" / "cdc_api_provisional_overdose_counts.csv"
    raw.unlink()
    raw.mkdir()
    monkeypatch.setenv("DRUGSTATS_DATA", str(data))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert at.error and at.error[0].value.startswith("The data failed validation")
    shown = at.code[0].value
    assert "data/raw/cdc-vsrr/cdc_api_provisional_overdose_counts.csv: -: -: is a folder, not a regular file" in shown
    assert "name: must be a file name in this folder, not a path, got '/etc/passwd'" in shown
    assert "root:" not in shown and str(data.parent) not in shown
