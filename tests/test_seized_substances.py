"""Every drug type CBP counts apart (marijuana, khat, LSD, ...) is a substance a seizure claim can name and be checked
with, on every path (claims, Check a figure, /api/check, Check an article); a death figure naming one is never compared
with anything. Each expected figure is summed here from the shipped CBP rows, never typed."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pydantic
import pytest

from drugstats import DATA_DIR, vocab
from drugstats.claims import models
from drugstats.extract.check import check_candidates
from drugstats.extract.reader import extract
from drugstats.official import cbp_places, queries
from drugstats.pages import check as check_page
from drugstats.pages import deaths as deaths_page
from drugstats.site import apicheck
from drugstats.verdicts import checks, pipeline, transform

FY2019 = (date(2018, 10, 1), date(2019, 9, 30))
FY2020 = (date(2019, 10, 1), date(2020, 9, 30))
TUCSON_SENTENCE = "Border Patrol agents in the Tucson sector seized {lb} pounds of marijuana in fiscal year 2019."


@pytest.fixture(scope="module")
def build() -> pipeline.Build:
    return pipeline.build(DATA_DIR)


def marijuana_lb(build, months=FY2019, **place) -> float:
    """CBP's marijuana seized in the months, summed from the parsed frame (nationwide, or the place's rows)."""
    rows = build.official.seizures
    rows = rows[(rows["drug"] == "marijuana") & rows["month"].between(pd.Timestamp(months[0]), pd.Timestamp(months[1]))]
    for column, value in place.items():
        rows = rows[rows[column] == value]
    assert len(rows) > 0  # the sum of no rows would be a zero that checks nothing
    return float(rows["seized_lb"].sum())


def claim(**over) -> pd.Series:
    fields = {
        "id": "marijuana-claim",
        "quote": "a figure",
        "metric": "drug_seized",
        "substance": "marijuana",
        "value": 1.0,
        "unit": "lb",
        "qualifier": "exact",
        "period_start": FY2019[0],
        "period_end": FY2019[1],
        "geography": "US",
        "seized_by": "CBP",
        "claimant": "Example News",
        "attributed_to": "CBP",
        "source": "example",
    } | over
    fields = {k: v for k, v in fields.items() if v is not None}  # None: a field the claim does not carry
    return transform.claims_frame([models.Claim(**fields)], {}).iloc[0]


def test_a_marijuana_figure_for_a_sector_is_checked_against_that_sectors_marijuana_rows(build):
    sector = marijuana_lb(build, area="TUCSON SECTOR")
    nation = marijuana_lb(build)
    assert sector < nation * 0.5  # so a check against the nation would fail below
    verdict = checks.check_claim(claim(value=round(sector), cbp_area="Tucson Sector"), build.record)
    assert verdict.verdict == "consistent", verdict.explanation
    assert verdict.measure.value == pytest.approx(sector) and "Tucson Sector" in verdict.measure.label
    assert "marijuana" in verdict.explanation


def test_a_national_marijuana_figure_is_checked_against_cbps_nationwide_marijuana_total(build):
    nation = marijuana_lb(build)
    verdict = checks.check_claim(claim(value=round(nation)), build.record)
    assert verdict.verdict == "consistent", verdict.explanation
    assert verdict.measure.value == pytest.approx(nation) and "nationwide" in verdict.measure.label
    # the same number is no other drug's: fentanyl's total is not marijuana's
    assert checks.check_claim(claim(value=round(nation), substance="fentanyl"), build.record).verdict != "consistent"


def test_a_marijuana_change_at_a_sector_compares_that_sectors_marijuana_years(build):
    before, now = marijuana_lb(build, area="TUCSON SECTOR"), marijuana_lb(build, FY2020, area="TUCSON SECTOR")
    change = (now / before - 1) * 100
    verdict = checks.check_claim(
        claim(
            metric="seizure_change",
            value=round(abs(change), 1),
            unit="percent",
            period_start=FY2020[0],
            period_end=FY2020[1],
            compared_to_start=FY2019[0],
            compared_to_end=FY2019[1],
            direction="up" if change > 0 else "down",
            cbp_area="Tucson Sector",
        ),
        build.record,
    )
    assert verdict.verdict == "consistent", verdict.explanation
    assert verdict.measure.value == pytest.approx(abs(change))


@pytest.mark.parametrize("drug", ["ketamine", "khat", "ecstasy", "lsd"])
def test_each_other_drug_cbp_counts_apart_is_checked_against_its_own_rows(build, drug):
    rows = queries.seizures_in_months(build.official.seizures, *FY2019, drug=drug)
    verdict = checks.check_claim(claim(substance=drug, value=float(rows["seized_lb"]), qualifier="about"), build.record)
    assert verdict.verdict == "consistent" and verdict.measure.value == pytest.approx(float(rows["seized_lb"]))


def test_cbps_other_drugs_is_no_substance_a_claim_can_name():
    with pytest.raises(pydantic.ValidationError, match="substance"):
        claim(substance="other")


@pytest.mark.parametrize(
    ("metric", "unit", "extra"),
    [
        ("overdose_deaths", "deaths", {}),
        ("death_rate", "per_100k", {"period_start": date(2016, 1, 1), "period_end": date(2016, 12, 31)}),
        ("death_share", "percent", {}),
        ("overdose_deaths", "deaths", {"county_fips": "04019", "geography": "US-AZ"}),
    ],
)
def test_a_marijuana_death_figure_is_unverifiable_and_compared_with_nothing(build, metric, unit, extra):
    fields = {"metric": metric, "unit": unit, "value": 1200.0 if unit == "deaths" else 3.0, "seized_by": None}
    fields |= {"period_start": date(2021, 1, 1), "period_end": date(2021, 12, 31)} | extra
    verdict = checks.check_claim(claim(**fields), build.record)
    assert verdict.verdict == "unverifiable" and verdict.measure is None and verdict.alternative is None
    assert "no count or rate of deaths involving marijuana" in verdict.explanation


def test_the_extractor_reads_marijuana_in_a_seizure_sentence_and_checks_it_at_the_sector(build):
    sector = marijuana_lb(build, area="TUCSON SECTOR")
    text = TUCSON_SENTENCE.format(lb=f"{sector:,.0f}")
    (checked,) = check_candidates(extract(text, date(2020, 1, 15)), build, source="https://example.org/a")
    assert (checked.candidate.metric, checked.candidate.substance) == ("drug_seized", "marijuana")
    assert checked.candidate.cbp_area == "TUCSON SECTOR" and checked.candidate.missing == []
    assert checked.verdict.verdict == "consistent" and checked.verdict.measure.value == pytest.approx(sector)


@pytest.mark.parametrize(
    ("words", "substance"),
    [("marijuana", "marijuana"), ("cannabis", "marijuana"), ("marihuana", "marijuana"), ("pot", "marijuana")],
)
def test_the_extractor_reads_each_word_for_marijuana_as_what_was_seized(words, substance):
    (found,) = extract(f"CBP officers seized 3,000 pounds of {words} in fiscal year 2019.", date(2020, 1, 15))
    assert (found.metric, found.substance) == ("drug_seized", substance)


@pytest.mark.parametrize(
    "text",
    [
        "CBP officers seized 3,000 pounds from a melting pot of smugglers in fiscal year 2019.",
        "The pot held 3,000 pounds of cash that CBP officers seized in fiscal year 2019.",
    ],
)
def test_pot_that_is_not_what_was_seized_is_no_drug(text):
    assert all(c.substance != "marijuana" for c in extract(text, date(2020, 1, 15)))


def test_the_extractor_leaves_a_marijuana_death_count_unverifiable(build):
    text = "Marijuana overdose deaths reached 1,200 in 2021, according to the CDC."
    (checked,) = check_candidates(extract(text, date(2022, 6, 1)), build, source="https://example.org/a")
    assert checked.candidate.substance == "marijuana"
    assert checked.verdict.verdict == "unverifiable" and checked.verdict.measure is None


def test_check_a_figure_offers_cbps_drugs_for_seizures_only():
    seized = check_page.drug_choices("drug_seized")
    assert {"marijuana", "ketamine", "khat", "ecstasy", "lsd", "fentanyl"} <= set(seized) and "other" not in seized
    deaths = check_page.drug_choices("overdose_deaths")
    assert not set(vocab.SEIZURE_ONLY_SUBSTANCES) & set(deaths) and "fentanyl" in deaths
    assert not set(vocab.SEIZURE_ONLY_SUBSTANCES) & set(check_page.relative_choices())


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"metric": "overdose_deaths", "substance": "marijuana"}, ["substance"]),
        ({"substance": "khat"}, ["substance"]),  # the default metric counts deaths
        ({"metric": "drug_seized", "substance": "all_drugs"}, ["substance"]),  # no CBP drug type
        ({"metric": "drug_seized", "substance": "marijuana"}, []),
        ({"metric": "potency_ratio", "rel": "lsd"}, ["rel"]),
        ({"metric": "drug_seized", "rel": "lsd"}, []),  # not read for a seizure
    ],
)
def test_the_page_says_when_the_address_names_a_drug_it_does_not_offer_for_the_metric(params, named):
    # the page shows another drug then: never in silence (the API checks the drug named: unverifiable, saying why)
    assert [name for name, _ in check_page.ignored(params, ["US"])] == named


def test_the_deaths_page_offers_no_drug_only_cbp_counts(build):
    offered = deaths_page.death_substances(build.official.overdose_deaths, "US")
    assert "fentanyl" in offered and not set(vocab.SEIZURE_ONLY_SUBSTANCES) & set(offered)


def test_check_a_figure_checks_a_marijuana_seizure_at_a_sector_and_draws_it(build):
    sector = marijuana_lb(build, area="TUCSON SECTOR")
    params = {"metric": "drug_seized", "value": f"{sector:.1f}", "unit": "lb", "qualifier": "exact", "period": "fy2019"}
    params |= {"substance": "marijuana", "area": "tucson-sector", "by": "CBP"}
    view = check_page.parse_check(params, ["US", "AZ"], cbp_places.choices(build.official.seizures))
    assert view.substance == "marijuana" and check_page.ignored(params, ["US", "AZ"], ["tucson-sector"]) == []
    result = check_page.reader_check(build, view)
    assert result.verdict.verdict == "consistent" and result.verdict.measure.value == pytest.approx(sector)
    assert result.figure is not None
    assert check_page.drug_label("drug_seized", "marijuana") == "Marijuana"


def test_api_check_takes_marijuana_for_a_seizure_and_a_death(build):
    nation = marijuana_lb(build)
    params = {"metric": ["drug_seized"], "value": [f"{nation:.0f}"], "unit": ["lb"], "qualifier": ["exact"]}
    params |= {"substance": ["marijuana"], "period": ["fy2019"], "by": ["CBP"]}
    status, document = apicheck.check(build, params, ["US"], "https://x.example")
    assert (status, document["verdict"]) == (200, "consistent"), document
    assert document["official_value"] == pytest.approx(nation)
    deaths = {"metric": ["overdose_deaths"], "value": ["1200"], "qualifier": ["exact"], "substance": ["marijuana"]}
    status, document = apicheck.check(build, deaths | {"period": ["2021"]}, ["US"], "https://x.example")
    assert (status, document["verdict"], document["official_value"]) == (200, "unverifiable", None)
