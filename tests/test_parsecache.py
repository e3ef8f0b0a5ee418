"""Parsed raw files kept between runs: what is read back is what parsing gives, and anything amiss means parsing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from drugstats import DATA_DIR
from drugstats.official import parsecache, provenance, series
from drugstats.verdicts import pipeline


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DRUGSTATS_CACHE", str(folder))
    return folder


def _held(dataset: str):
    meta, contents, problems = series.read_dataset(Path(DATA_DIR), dataset)
    assert not problems
    return [(raw, contents[raw.name]) for raw in meta.files]


@pytest.mark.parametrize("dataset", ["cdc-vsrr", "cbp-seizures", "census-population"])
def test_what_is_read_back_is_what_parsing_gives(cache, dataset):
    for raw, data in _held(dataset):
        parsed, problems = series.parse_file(dataset, data, "p", raw.release, whole=True)
        assert not problems
        sha = provenance.sha256_hex(data)
        parsecache.save(dataset, sha, raw.release, parsed)
        pd.testing.assert_frame_equal(parsecache.load(dataset, sha, raw.release), parsed)  # dtypes and units too


def test_a_second_start_reads_the_series_from_the_cache_without_parsing(cache, monkeypatch):
    first = series.load_series(DATA_DIR)
    assert len(list(cache.glob("*.parquet"))) == sum(len(m.files) for d, m in first.datasets.items() if d in series.READERS)

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed although the cache holds the file")

    monkeypatch.setattr(series, "parse_file", no_parsing)
    second = series.load_series(DATA_DIR)
    pd.testing.assert_frame_equal(first.overdose_deaths, second.overdose_deaths)
    pd.testing.assert_frame_equal(first.seizures, second.seizures)
    pd.testing.assert_frame_equal(first.population, second.population)


def test_a_damaged_cache_file_is_parsed_again_and_replaced(cache, monkeypatch):
    raw, data = _held("cbp-seizures")[0]
    sha = provenance.sha256_hex(data)
    parsed, _ = series.parse_file("cbp-seizures", data, "p", raw.release, whole=True)
    parsecache.save("cbp-seizures", sha, raw.release, parsed)
    (kept,) = cache.glob("cbp-seizures-*.parquet")
    kept.write_bytes(b"PAR1 not a parquet file")
    assert parsecache.load("cbp-seizures", sha, raw.release) is None
    frame, problems = series._parse_held("cbp-seizures", data, "p", raw.release)
    assert not problems
    pd.testing.assert_frame_equal(frame, parsed)
    pd.testing.assert_frame_equal(parsecache.load("cbp-seizures", sha, raw.release), parsed)  # written anew


def test_other_bytes_or_other_parsing_code_never_find_a_kept_file(cache, monkeypatch):
    raw, data = _held("cbp-seizures")[0]
    sha = provenance.sha256_hex(data)
    parsed, _ = series.parse_file("cbp-seizures", data, "p", raw.release, whole=True)
    parsecache.save("cbp-seizures", sha, raw.release, parsed)
    assert parsecache.load("cbp-seizures", "0" * 64, raw.release) is None
    monkeypatch.setattr(parsecache, "fingerprint", lambda: "changed-parser")
    assert parsecache.load("cbp-seizures", sha, raw.release) is None
    parsecache.save("cbp-seizures", sha, raw.release, parsed)
    assert [p.name.endswith("-changed-parser.parquet") for p in cache.glob("*.parquet")] == [True]  # the old one gone


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("DRUGSTATS_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    series.load_series(DATA_DIR)
    assert parsecache.folder() is None and not list(tmp_path.rglob("*.parquet"))


def test_a_rebuild_after_a_claim_edit_reads_the_parse_cache_not_the_csv(cache, tmp_path, monkeypatch):
    first = series.load_series(DATA_DIR)  # fills the parse cache (pipeline.build of the shipped data is kept per test run)
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    claims_file = sorted((data / "claims").glob("*.yaml"))[0]
    claims_file.write_text(claims_file.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")

    def no_parsing(*args, **kwargs):
        raise AssertionError("a held file parsed again although the parse cache holds it")

    read_back = []
    load = parsecache.load
    monkeypatch.setattr(series, "parse_file", no_parsing)
    monkeypatch.setattr(parsecache, "load", lambda *key: read_back.append(key) or load(*key))
    second = pipeline.build(data)
    # every held file read back from disk: no second copy of the parsed rows is kept in memory to be read instead
    assert len(read_back) == sum(len(m.files) for d, m in second.official.datasets.items() if d in series.READERS) > 0
    pd.testing.assert_frame_equal(first.overdose_deaths, second.official.overdose_deaths)
    pd.testing.assert_frame_equal(first.county_deaths, second.official.county_deaths)
    pd.testing.assert_frame_equal(pipeline.build(DATA_DIR).verdicts, second.verdicts)
    # this build's paths, not those of the build that wrote the cache
    assert second.official.population["_path"].str.startswith(str(data)).all()
