"""The seed claims' verdicts on the shipped data, the check command, and the ClaimReview export."""

from __future__ import annotations

import csv
import io
import json

import pytest

from drugstats import cli
from drugstats.publish import export
from drugstats.verdicts import pipeline
from tests import golden

from .conftest import ROOT

CORPUS = ROOT / "tests" / "bad_inputs"


@pytest.fixture(scope="module")
def build():
    return pipeline.build(ROOT / "data")


def verdict(build, claim_id):
    return build.verdict_by_id[claim_id]


def test_more_than_100000_deaths_in_2021_is_consistent(build):
    v = verdict(build, "dc-2023-04-13-overdose-deaths-2021")
    expected = golden.row("claim", "dc-2023-04-13-overdose-deaths-2021")
    assert v.verdict == expected["verdict"]
    # calendar 2021: NCHS's final count (Data Brief 457) where held, not the provisional 12 months to December
    assert v.measure.value == float(expected["value"]) == 106699
    assert v.measure.window == "calendar year 2021" == expected["window"]
    assert golden.value("figure", "deaths-us-all-drugs-2021-12") != v.measure.value  # the provisional count differs


def test_more_than_11000_lb_october_to_february_is_consistent(build):
    v = verdict(build, "dc-2023-04-13-cbp-fentanyl-seized-oct-feb")
    expected = golden.row("claim", "dc-2023-04-13-cbp-fentanyl-seized-oct-feb")
    assert v.verdict == expected["verdict"] and expected["window"] == "October 2022 to February 2023"
    assert v.measure.value == pytest.approx(float(expected["value"]))
    assert f"{v.measure.value:,.1f} pounds" in v.explanation


def test_fentanyl_killed_over_105000_is_wrong_measure(build):
    v = verdict(build, "dcnf-2024-02-01-fentanyl-deaths-feb2022-jan2023")
    assert v.verdict == golden.row("claim", v.claim_id)["verdict"]
    fentanyl, all_drugs = (
        golden.value("figure", "deaths-us-fentanyl-2023-01"),
        golden.value("figure", "deaths-us-all-drugs-2023-01"),
    )
    assert (v.measure.value, v.alternative.value) == (fentanyl, all_drugs)
    assert "T40.4" in v.explanation and f"{fentanyl:,.0f}" in v.explanation and f"{all_drugs:,.0f}" in v.explanation


@pytest.mark.parametrize("claim_id", ["dc-2023-04-13-fentanyl-lethal-dose", "dcnf-2024-02-01-fentanyl-potency-morphine"])
def test_dea_reference_claims_are_consistent_and_labelled_reference(build, claim_id):
    v = verdict(build, claim_id)
    assert v.verdict == "consistent" and v.measure.kind == "reference"
    assert "not a measurement" in v.explanation


def test_one_kilogram_nearly_half_a_million_is_consistent_with_2_mg(build):
    v = verdict(build, "dcnf-2024-02-01-fentanyl-deaths-per-kg")
    assert v.verdict == "consistent" and v.measure.kind == "derived"
    assert v.derivation == "1 kg = 1,000,000 mg; 1,000,000 mg / 2 mg = 500,000 potentially lethal doses"


def test_every_claim_gets_exactly_one_known_verdict(build):
    assert len(build.verdicts) == len(build.claims) > 0
    assert set(build.verdicts["verdict"]) <= {"consistent", "overstated", "understated", "wrong_measure", "unverifiable"}
    assert build.verdicts["explanation"].str.len().min() > 20


def test_check_csv_has_the_required_columns(capsys):
    assert cli.main(["check", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    required = "id verdict official_value official_measure official_window official_release ratio explanation".split()
    assert set(required) <= set(rows[0])
    by_id = {r["id"]: r for r in rows}
    assert by_id["dcnf-2024-02-01-fentanyl-deaths-feb2022-jan2023"]["verdict"] == "wrong_measure"
    assert by_id["dcnf-2024-02-01-fentanyl-deaths-feb2022-jan2023"]["official_release"] == "2026-06-27"


def test_check_includes_the_claims_of_a_user_file(tmp_path, capsys):
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "- id: mine-fentanyl-2022\n"
        '  quote: "Fentanyl killed 150,000 Americans in 2022."\n'
        "  metric: overdose_deaths\n  substance: fentanyl\n  value: 150000\n  unit: people\n  qualifier: exact\n"
        "  period_start: 2022-01-01\n  period_end: 2022-12-31\n  geography: US\n  claimant: A blog\n"
        "  attributed_to: CDC\n  source: https://example.org/blog\n"
    )
    assert cli.main(["check", str(mine)]) == 0
    out = capsys.readouterr().out
    assert "OVERSTATED     mine-fentanyl-2022" in out
    assert f"{golden.value('figure', 'deaths-us-fentanyl-2022-12'):,.0f} deaths" in out


def test_check_reports_an_invalid_user_file_as_validate_does(capsys):
    path = CORPUS / "value-with-thousands-separator.yaml"
    assert cli.main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:5: ok-claim: value: expected a number, got the text '11,000'" in err


def test_claimreview_is_json_ld_with_the_required_fields(build):
    files = export.bundle_files(build)
    document = json.loads(files["claimreview.json"])
    assert document["@context"] == "https://schema.org"
    # Each review's url is the claim's own page, the one that carries this markup (/claim/<id>), not the dashboard's view
    prefix = f"{export.SITE_URL}/claim/"
    assert all(r["url"].startswith(prefix) for r in document["@graph"])
    reviews = {r["url"].removeprefix(prefix): r for r in document["@graph"]}
    assert len(reviews) == len(build.tables()["claims"])
    review = reviews["dcnf-2024-02-01-fentanyl-deaths-feb2022-jan2023"]
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"].startswith("Fentanyl killed over 105,000 people")
    assert review["datePublished"] == build.reviewed_on
    item = review["itemReviewed"]
    assert item["@type"] == "Claim" and item["author"]["name"] == "Daily Caller News Foundation"
    assert item["datePublished"] == "2024-02-01"
    assert item["appearance"]["url"].startswith("https://")
    assert review["reviewRating"]["alternateName"] == "wrong_measure"
    assert review["reviewRating"]["ratingValue"] == 1
    unverifiable = next(r for r in reviews.values() if r["reviewRating"]["alternateName"] == "unverifiable")
    assert "ratingValue" not in unverifiable["reviewRating"]
