"""No regional or local seizure figure meets the nation's total, on any path: /api/check, Check a figure, Check an
article, the Seizures page. Each expected figure is summed here from the shipped CBP rows, never typed."""

from __future__ import annotations

from datetime import date

import pytest

from drugstats import DATA_DIR
from drugstats.extract.check import check_candidates
from drugstats.extract.reader import extract
from drugstats.official import cbp_places, queries
from drugstats.pages import article as article_page
from drugstats.pages import check as check_page
from drugstats.pages import seizures as seizures_page
from drugstats.site import apicheck
from drugstats.verdicts import lookup, pipeline

FY2022 = (date(2021, 10, 1), date(2022, 9, 30))


@pytest.fixture(scope="module")
def build() -> pipeline.Build:
    return pipeline.build(DATA_DIR)


def total(build, **filters) -> float:
    return float(queries.seizures_in_months(build.official.seizures, *FY2022, drug="fentanyl", **filters)["seized_lb"])


def tucson(build) -> float:
    return total(build, area="TUCSON FIELD OFFICE")


def test_api_check_reads_area_and_checks_that_areas_rows(build):
    params = {
        "metric": ["drug_seized"],
        "value": [f"{tucson(build):.0f}"],
        "unit": ["lb"],
        "qualifier": ["exact"],
        "substance": ["fentanyl"],
        "period": ["fy2022"],
        "by": ["CBP"],
        "area": ["tucson-field-office"],
    }
    status, document = apicheck.check(build, params, ["US", "AZ"], "https://x.example")
    assert status == 200, document
    assert document["verdict"] == "consistent"
    assert document["official_value"] == pytest.approx(tucson(build)) and "Tucson Field Office" in document["official_measure"]
    assert document["query"]["area"] == "tucson-field-office" and "area=tucson-field-office" in document["dashboard"]
    # the same number as a state's figure: Arizona is not a sum of CBP's areas, so no verdict, and not the nation's
    state = {k: v for k, v in params.items() if k != "area"} | {"place": ["AZ"]}
    status, document = apicheck.check(build, state, ["US", "AZ"], "https://x.example")
    assert (status, document["verdict"], document["official_value"]) == (200, "unverifiable", None)
    assert "place=AZ" in document["dashboard"]


def test_api_check_refuses_an_area_it_does_not_know_or_a_metric_without_one(build):
    base = {"metric": ["drug_seized"], "value": ["5"], "qualifier": ["exact"], "substance": ["fentanyl"]}
    base |= {"period": ["fy2022"], "by": ["CBP"]}
    status, document = apicheck.check(build, base | {"area": ["tucson-feld-office"]}, ["US"], "https://x.example")
    assert (status, document["field"]) == (400, "area")
    deaths = {"metric": ["overdose_deaths"], "value": ["5"], "qualifier": ["exact"], "substance": ["fentanyl"]}
    status, document = apicheck.check(build, deaths | {"period": ["2022"], "area": ["tucson-sector"]}, ["US"], "https://x")
    assert (status, document["field"]) == (400, "area")


def test_check_a_figure_checks_a_sector_against_the_sector(build):
    choices = cbp_places.choices(build.official.seizures)
    sector = total(build, area="TUCSON SECTOR")
    params = {"metric": "drug_seized", "value": f"{sector:.1f}", "unit": "lb", "qualifier": "exact", "period": "fy2022"}
    view = check_page.parse_check(params | {"area": "tucson-sector", "by": "CBP"}, ["US", "AZ"], choices)
    assert view.area == "tucson-sector" and view.query()["area"] == "tucson-sector"
    result = check_page.reader_check(build, view, draw=False)
    assert result.verdict.verdict == "consistent" and result.verdict.measure.value == pytest.approx(sector)
    # the place alone (a state) is refused, where it used to be checked against the nation
    state = check_page.reader_check(build, check_page.parse_check(params | {"place": "AZ", "by": "CBP"}, ["US", "AZ"]))
    assert state.verdict.verdict == "unverifiable" and state.verdict.measure is None


def test_check_an_article_checks_a_field_office_figure_against_the_field_office(build):
    text = (
        "CBP data for the Tucson Field Office showed that "
        f"{tucson(build):,.0f} pounds of fentanyl were seized in fiscal year 2022, CBP said."
    )
    (checked,) = check_candidates(extract(text, date(2023, 1, 9)), build, source="https://example.org/a")
    assert checked.candidate.cbp_area == "TUCSON FIELD OFFICE"
    assert checked.verdict.verdict == "consistent" and checked.verdict.measure.value == pytest.approx(tucson(build))


def test_check_an_article_checks_a_region_figure_against_the_region_and_a_state_not_at_all(build):
    region = total(build, region="Southwest Border")
    text = f"CBP seized {region:,.0f} pounds of fentanyl at the southwest border in fiscal year 2022."
    (checked,) = check_candidates(extract(text, date(2023, 1, 9)), build, source="https://example.org/a")
    assert checked.candidate.cbp_area == "Southwest Border"
    assert checked.verdict.measure.value == pytest.approx(region) and checked.verdict.verdict == "consistent"
    nation = total(build)
    text = f"CBP seized {nation:,.0f} pounds of fentanyl in Arizona in fiscal year 2022."
    (checked,) = check_candidates(extract(text, date(2023, 1, 9)), build, source="https://example.org/a")
    assert checked.candidate.geography == "US-AZ"  # a state's seizures: left for the reader, or refused; never the nation's
    assert checked.verdict is None or (checked.verdict.verdict == "unverifiable" and checked.verdict.measure is None)


def test_check_an_article_a_sector_figure_stays_placed_after_an_edit(build):
    text = "Agents in the Tucson sector seized 57 pounds of fentanyl in fiscal year 2022, CBP said."
    result = article_page.check_article(text, date(2023, 1, 9), None, "https://example.org/a", build)
    edited = article_page.apply_edits(article_page.table(result), {0: {"value": 58}})
    (item,) = article_page.recheck(result, edited, build).items
    assert item.claim.cbp_area == "TUCSON SECTOR"
    assert item.verdict.measure.value == pytest.approx(total(build, area="TUCSON SECTOR"))


def test_the_seizures_page_draws_one_field_office_with_its_own_claims_only(build):
    areas = seizures_page.area_choices(build.official.seizures)
    assert "tucson-field-office" in areas and "southwest-border" not in areas
    view = seizures_page.parse_seizures({"area": ["tucson-field-office"]}, areas)
    assert not view.nationwide and view.query() == {"area": "tucson-field-office"}
    rows = seizures_page.seizures_fy_rows(build.official.seizures, view)
    assert rows.loc[(rows["drug"] == "fentanyl") & (rows["fiscal_year"] == 2022), "seized_lb"].item() == pytest.approx(
        tucson(build)
    )
    _, _, markers = seizures_page._seizure_parts(build, view)
    tucson_ids = set(build.claims.loc[build.claims["cbp_area"].fillna("") == "Tucson Field Office", "id"])
    assert tucson_ids and set(markers["id"]) <= tucson_ids
    _, _, nationwide = seizures_page._seizure_parts(build, seizures_page.parse_seizures({}))
    assert not set(nationwide["id"]) & tucson_ids


def test_lookup_finds_a_field_offices_total_and_the_deas_published_figures(build):
    figures = lookup.candidates(build.official)
    (match, *_) = lookup.lookup(figures, tucson(build), unit="lb", substance="fentanyl")
    assert (match.place, match.window, match.distance) == ("Tucson Field Office", "FY2022 (12 months)", 0)
    dea_row = build.official.agency_figures.query("in_checks and unit == 'pills'").iloc[0]
    found = lookup.lookup(figures, float(dea_row["value"]), unit="pills")
    assert any(m.series == "dea-figures" and m.window == dea_row["period_as_stated"] for m in found)


def test_api_check_takes_a_lab_share_and_answers_with_the_deas_own_figure(build):
    row = build.official.agency_figures.query("in_checks and metric == 'lethal_pill_share'").iloc[0]
    year = row["period_start"].year
    params = {"metric": ["lethal_pill_share"], "value": [f"{row['value']:g}"], "unit": ["percent"], "qualifier": ["exact"]}
    params |= {"substance": ["fentanyl"], "period": [str(year)]}
    status, document = apicheck.check(build, params, ["US"], "https://x.example")
    assert status == 200 and document["verdict"] == "consistent", document
    assert document["official_kind"] == "statement" and "not against a measured series" in document["explanation"]
    status, document = apicheck.check(build, {k: v for k, v in params.items() if k != "period"}, ["US"], "https://x")
    assert (status, document["field"]) == (400, "period")


def test_check_an_article_leaves_a_figure_of_several_cbp_areas_unchecked(build):
    text = "Agents in the Tucson and Yuma sectors seized 500 pounds of fentanyl in fiscal year 2022, CBP said."
    (checked,) = check_candidates(extract(text, date(2023, 1, 9)), build, source="https://example.org/a")
    assert checked.candidate.cbp_area is None and checked.verdict is None  # neither sector's rows, nor the nation's
    assert any("sector or region" in m for m in checked.candidate.missing)
