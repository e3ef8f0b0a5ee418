"""drugstats export: cleaned CSVs and a datapackage.json that frictionless accepts."""

from __future__ import annotations

import csv
import decimal
import io
import json
import shutil
import zipfile

import frictionless
import pandas as pd
import pytest

from drugstats import DATA_DIR, cli
from drugstats.claims import load
from drugstats.official import fields
from drugstats.publish import export
from drugstats.verdicts import pipeline, transform

from .conftest import MINIMAL, ROOT


@pytest.fixture(scope="module")
def shipped_bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle")
    assert cli.main(["export", "--out", str(out), "--zip", str(out / "bundle.zip")]) == 0
    return out


@pytest.mark.slow  # frictionless reads every row of every table (~85,000, 14 MB of deaths by release): ~6 s
def test_shipped_bundle_passes_frictionless_validate(shipped_bundle):
    report = frictionless.validate(shipped_bundle / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.stats["tasks"] >= 3


def test_claims_csv_has_required_columns_and_rows(shipped_bundle):
    with open(shipped_bundle / "claims.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    required = (
        "id quote metric substance value unit qualifier value_low value_high value_canonical unit_canonical "
        "period_start period_end geography claimant attributed_to source_id source_title source_publisher "
        "source_url source_published"
    ).split()
    assert set(required) <= set(rows[0])
    assert len(rows) >= 20
    assert all(row["source_url"].startswith(("https://", "http://")) for row in rows)


def test_every_declared_table_is_a_resource_with_its_declared_fields(shipped_bundle):
    descriptor = json.loads((shipped_bundle / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        declared = [f.name for f in fields.TABLES[resource["name"]]["fields"]]
        assert [f["name"] for f in resource["schema"]["fields"]] == declared
        header = (shipped_bundle / resource["path"]).read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == declared


def test_overdose_deaths_csv_holds_each_key_once_the_newest_release_and_the_releases_csv_every_row(shipped_bundle):
    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(shipped_bundle / f"{name}.csv", dtype=str, keep_default_na=False)

    deaths, releases = read("overdose_deaths"), read("overdose_deaths_releases")
    key = fields.TABLES["overdose_deaths"]["primary_key"]
    assert not deaths.duplicated(key).any()
    assert releases.duplicated(key).sum() > 250  # the same key in several releases: summed naively, counted twice
    newest = releases.sort_values("release", kind="stable").drop_duplicates(key, keep="last")
    pd.testing.assert_frame_equal(
        deaths.sort_values(key, ignore_index=True), newest.sort_values(key, ignore_index=True), check_exact=True
    )
    build = pipeline.build(ROOT / "data")
    assert len(releases) == len(build.official.overdose_deaths)
    for name, dataset in (("overdose_deaths_releases", "cdc-vsrr"), ("seizures", "cbp-seizures")):
        urls = {build.official.datasets[dataset].file_url(raw) for raw in build.official.datasets[dataset].files}
        assert set(read(name)["source_url"]) <= urls and "" not in urls, name


def _decimals(text: str) -> int:
    return max(0, -decimal.Decimal(text).as_tuple().exponent)


def test_no_number_in_the_bundle_has_more_decimals_than_its_column_declares(shipped_bundle):
    checked = 0
    for name in fields.TABLES:
        frame = pd.read_csv(shipped_bundle / f"{name}.csv", dtype=str, keep_default_na=False)
        for column, places in fields.decimals(name).items():
            cells = frame.loc[frame[column] != "", column]
            assert cells.map(_decimals).max() <= places, (name, column, cells[cells.map(_decimals) > places].iloc[0])
            checked += len(cells)
    assert checked > 30_000  # seized_lb and seized_kg of every CBP row, the claims' and verdicts' values


def test_a_column_declares_one_precision_in_every_table():
    declared: dict[str, set[int]] = {}
    for name in fields.TABLES:
        for column, places in fields.decimals(name).items():
            declared.setdefault(column, set()).add(places)
    assert {c: p for c, p in declared.items() if len(p) > 1} == {}
    assert fields.decimals_by_column()["official_value"] == 2


def test_a_pages_download_of_joined_rows_is_rounded_as_the_bundle_is():
    from drugstats.pages import claims as claims_page

    built = pipeline.build(DATA_DIR)
    joined = built.claims.merge(built.verdicts, on="id", how="left")  # claims with their verdicts, as the Claims page
    frame = pd.read_csv(io.BytesIO(export.to_csv_bytes(claims_page.claims_download(joined.assign(said_on="")))), dtype=str)
    for column in ("official_value", "ratio", "value_canonical"):
        cells = frame[column].dropna()
        assert len(cells) > 100 and cells.map(_decimals).max() <= fields.decimals_by_column()[column], column


def test_zip_holds_the_same_files_as_the_directory(shipped_bundle):
    with zipfile.ZipFile(shipped_bundle / "bundle.zip") as archive:
        for name in archive.namelist():
            assert archive.read(name) == (shipped_bundle / name.removeprefix("drugstats/")).read_bytes()
        assert "drugstats/datapackage.json" in archive.namelist()


def test_zip_is_byte_for_byte_reproducible(shipped_bundle):
    files = export.bundle_files(pipeline.build(ROOT / "data"))
    assert export.zip_bytes(files) == (shipped_bundle / "bundle.zip").read_bytes()


def test_formula_like_text_is_neutralized_and_numbers_stay_numbers():
    dataset = load.load_dataset(MINIMAL)
    claims = pd.read_csv(io.BytesIO(export.to_csv_bytes(transform.claims_frame(dataset.claims, dataset.sources))))
    notes = claims.set_index("id").loc["example-seizure", "notes"]
    assert notes.startswith("'=HYPERLINK(")
    assert claims["value"].dtype.kind in "if"
    frame = pd.DataFrame({"text": ["=1+1", "+x", "-y", "@z", "\tt", "ok"], "n": [-1.5, 2, 3, 4, 5, 6]})
    out = export.neutralize(frame.astype({"text": "string"}))
    assert out["text"].tolist() == ["'=1+1", "'+x", "'-y", "'@z", "'\tt", "ok"]
    assert out["n"].tolist() == [-1.5, 2, 3, 4, 5, 6]


def test_export_never_writes_into_the_data_directory(tmp_path):
    before = sorted(p.relative_to(ROOT / "data") for p in (ROOT / "data").rglob("*"))
    export.export_bundle(ROOT / "data", tmp_path)
    assert sorted(p.relative_to(ROOT / "data") for p in (ROOT / "data").rglob("*")) == before


def test_bundle_readme_says_what_each_file_holds_how_to_cite_and_each_release(shipped_bundle):
    readme = (shipped_bundle / "README.md").read_text(encoding="utf-8")
    for name in (
        "claims.csv",
        "verdicts.csv",
        "overdose_deaths.csv",
        "overdose_deaths_releases.csv",
        "seizures.csv",
        "datapackage.json",
        "claimreview.json",
    ):
        assert f"| {name} |" in readme
    assert "release 2026-02-14" in readme  # the CDC VSRR release file
    assert "@misc{drugstats" in readme and "## License" in readme
    sources = list(csv.DictReader(open(shipped_bundle / "sources.csv", encoding="utf-8")))
    assert all(row["url"] in readme for row in sources)


def test_bibtex_escapes_special_characters():
    from drugstats.publish import cite

    bib = cite.document("A & B {C}", "100% of 50_50 #1", "2024-01-02", "https://example.org/a_b?x=1&y=%20").bibtex
    assert r"A \& B \{C\}" in bib and r"100\% of 50\_50 \#1" in bib
    assert "url = {https://example.org/a_b?x=1&y=%20}," in bib  # URLs stay verbatim for biblatex


def test_markup_from_the_data_is_escaped_in_the_readme_and_claimreview(tmp_path):
    # Issue 13, finding 9: the bundle's README embedded data markup, and claimreview.json could close a <script>.
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    sources = data / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(
        text.replace(
            "title: Biden Admin Collaborates With Mexico",
            "title: <img src=x onerror=alert(1)> [click](javascript:alert(2)) Biden Admin Collaborates With Mexico",
            1,
        ),
        encoding="utf-8",
    )
    meta = data / "raw" / "cbp-seizures" / "metadata.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("producer: ", "producer: <script>alert(3)</script> ", 1))
    claims = data / "claims" / "news-2024-02-01-dailycaller.yaml"
    hostile = "</script><script>alert(4)</script><!-- Fentanyl killed over 105,000 people"
    text = claims.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("  quote: Fentanyl killed over 105,000 people"))
    claims.write_text(text.replace(line, f"  quote: '{hostile}'", 1), encoding="utf-8")
    files = export.bundle_files(pipeline.build(data))
    readme = files["README.md"].decode("utf-8")
    for markup in ("<img", "<script", "](javascript:"):
        assert markup not in readme.replace("\\]", ""), markup  # a link needs an unescaped ](
    assert "&lt;img src=x onerror=alert(1)&gt; \\[click\\](javascript:alert(2))" in readme
    raw = files["claimreview.json"].decode("utf-8")
    assert "</" not in raw and "<!--" not in raw
    quotes = [review["claimReviewed"] for review in json.loads(raw)["@graph"]]
    assert any(quote.startswith(hostile) for quote in quotes)  # the same text to a JSON reader
