"""Death rates NCHS published in text (Data Brief 522): traced to figures.csv, and used only where its tables hold no rate
of the claim's drug, place, year and basis, never for a crude claim."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from drugstats import DATA_DIR
from drugstats.claims.models import Claim, Source
from drugstats.official import nchs_final, reference, series
from drugstats.verdicts import checks
from drugstats.verdicts.checks import OfficialRecord
from drugstats.verdicts.transform import claims_frame

FIGURES = DATA_DIR / "raw" / "figures-from-text" / "figures.csv"
SOURCE = Source(
    id="s", kind="news", publisher="P", title="T", url="https://example.org/", published="2025-02-01", accessed="2026-11-22"
)


@pytest.fixture(scope="module")
def shipped_reference() -> pd.DataFrame:
    figures, problems = reference.parse_figures(FIGURES.read_bytes(), str(FIGURES))
    assert problems == []
    ref_path = DATA_DIR / "reference_values.yaml"
    frame, problems = reference.parse_reference_values(ref_path, str(ref_path), figures, str(FIGURES))
    assert problems == []
    return frame


def test_the_data_briefs_rates_are_shipped_as_age_adjusted_reference_values(shipped_reference):
    rates = shipped_reference[shipped_reference["metric"] == "death_rate"].set_index("id")
    assert len(rates) == 9
    assert set(rates["unit"]) == {"per_100k"} and set(rates["rate_basis"]) == {"age_adjusted"}
    assert set(rates["geography"]) == {"US"}
    got = {(r.substance, r.period): r.value for r in rates.itertuples()}
    assert got == {
        ("all_drugs", "2003"): 8.9,
        ("all_drugs", "2020"): 28.3,  # Data Brief 457
        ("all_drugs", "2021"): 32.4,
        ("all_drugs", "2022"): 32.6,
        ("all_drugs", "2023"): 31.3,
        ("cocaine", "2023"): 8.6,
        ("methamphetamine", "2023"): 10.6,
        ("fentanyl", "2022"): 22.7,
        ("fentanyl", "2023"): 22.2,
    }
    # read in HMP Global Learning Network's summary of the brief, and marked so
    assert set(rates.loc[rates["substance"] == "fentanyl", "primary_or_secondary"]) == {"secondary"}
    assert set(rates.loc[rates["substance"] != "fentanyl", "primary_or_secondary"]) == {"primary"}
    # no other reference value carries a rate basis
    assert shipped_reference.loc[shipped_reference["metric"] != "death_rate", "rate_basis"].isna().all()


def _parse(tmp_path: Path, text: str) -> list[tuple[str | None, str | None, str]]:
    figures, _ = reference.parse_figures(FIGURES.read_bytes(), str(FIGURES))
    path = tmp_path / "reference_values.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = reference.parse_reference_values(path, "reference_values.yaml", figures, "figures.csv")
    return [(p.record, p.field, p.message) for p in problems]


def _one_rate() -> str:
    text = (DATA_DIR / "reference_values.yaml").read_text(encoding="utf-8")
    start = text.index("- id: nchs-db522-overdose-death-rate-2023\n")
    return text[start : text.index("- id: ", start + 1)]


def test_a_rate_whose_basis_differs_from_its_figures_line_is_refused_naming_record_and_field(tmp_path):
    problems = _parse(tmp_path, _one_rate().replace("rate_basis: age_adjusted", "rate_basis: crude"))
    assert problems == [
        (
            "nchs-db522-overdose-death-rate-2023",
            "rate_basis",
            "'crude' does not match 'deaths per 100,000 standard population' in figures.csv:3: expected 'age_adjusted'",
        )
    ]


def test_a_rate_without_a_basis_is_refused(tmp_path):
    problems = _parse(tmp_path, _one_rate().replace("  rate_basis: age_adjusted\n", ""))
    assert ("nchs-db522-overdose-death-rate-2023", "rate_basis") in [(r, f) for r, f, _ in problems]


# ---------------------------------------------------------------- checks


def claim(**over) -> pd.Series:
    base = dict(
        id="c", quote="q", metric="death_rate", substance="all_drugs", value=31.3, unit="per_100k", qualifier="exact",
        period_start="2023-01-01", period_end="2023-12-31", geography="US", claimant="X", attributed_to="CDC",
        source="s", claimed_on="2025-02-01",
    )  # fmt: skip
    return claims_frame([Claim.model_validate(base | over)], {"s": SOURCE}).iloc[0]


@pytest.fixture(scope="module")
def record(shipped_reference) -> OfficialRecord:
    # NCHS's tables hold a 2016 US rate of each basis and nothing for 2023: the published rates are the only ones then
    final = pd.DataFrame(
        [{"dataset": nchs_final.STATE, "substance": "all_drugs", "geography": "US", "year": 2016, "deaths": 63632,
          "rate_crude": 19.7, "rate_age_adjusted": 19.8}]
    )  # fmt: skip
    deaths = pd.DataFrame(
        {
            "period_end": pd.to_datetime(["2023-12-31"]),
            "geography": ["US"],
            "substance": ["all_drugs"],
            "window_months": 12,
            "deaths_reported": pd.array([105000], dtype="Int64"),
            "release": pd.Timestamp("2026-02-14"),
        }
    )
    return OfficialRecord(deaths, pd.DataFrame(), shipped_reference, final=final)


def test_a_2023_us_rate_is_consistent_with_the_data_brief(record):
    v = checks.check_claim(claim(rate_basis="age_adjusted"), record)
    assert v.verdict == "consistent" and v.measure.value == 31.3 and v.measure.series == series.FIGURES
    assert "published by CDC National Center for Health Statistics (NCHS)" in v.measure.label
    assert "age-adjusted rate" in v.measure.label and "db522" in v.measure.citation


def test_an_unstated_basis_that_fits_is_read_as_age_adjusted(record):
    v = checks.check_claim(claim(), record)
    assert v.verdict == "consistent" and v.measure.value == 31.3 and "read as age-adjusted" in v.explanation


def test_a_wrong_rate_is_judged_against_the_data_brief(record):
    v = checks.check_claim(claim(value=45, rate_basis="age_adjusted"), record)
    assert v.verdict == "overstated" and v.measure.value == 31.3
    v = checks.check_claim(claim(value=20, rate_basis="age_adjusted", period_start="2022-01-01", period_end="2022-12-31",
                                 substance="fentanyl"), record)  # fmt: skip
    assert v.verdict == "understated" and v.measure.value == 22.7 and "read in a secondary summary" in v.measure.label
    # a rate of unstated basis that misses it may be crude: not judged, as for NCHS's table rates
    v = checks.check_claim(claim(value=45), record)
    assert v.verdict == "unverifiable" and "does not say whether its rate is age-adjusted or crude" in v.explanation
    assert "31.3" in v.explanation


def test_a_crude_claim_is_never_judged_against_a_published_age_adjusted_rate(record):
    for value in (31.3, 45):
        v = checks.check_claim(claim(value=value, rate_basis="crude"), record)
        assert v.verdict == "unverifiable" and v.measure is None
        assert "crude rate, which is never judged against an age-adjusted one" in v.explanation


def test_a_state_rate_of_2023_stays_unverifiable(record):
    v = checks.check_claim(claim(geography="US-TX", rate_basis="age_adjusted"), record)
    assert v.verdict == "unverifiable" and v.measure is None


def test_a_rate_of_another_drug_or_year_is_never_set_against_a_published_one(record):
    v = checks.check_claim(claim(substance="heroin", rate_basis="age_adjusted"), record)
    assert v.verdict == "unverifiable" and v.measure is None
    v = checks.check_claim(claim(period_start="2019-01-01", period_end="2019-12-31", rate_basis="age_adjusted"), record)
    assert v.verdict == "unverifiable" and v.measure is None


def test_nchs_tables_come_before_a_rate_published_in_text(record, shipped_reference):
    extra = shipped_reference.iloc[[0]].assign(
        id="x", metric="death_rate", unit="per_100k", rate_basis="age_adjusted", value=99.0,
        period_start=pd.Timestamp("2016-01-01"), period_end=pd.Timestamp("2016-12-31"),
    )  # fmt: skip
    both = OfficialRecord(record.deaths, record.seizures, pd.concat([shipped_reference, extra]), final=record.final)
    v = checks.check_claim(claim(value=19.8, period_start="2016-01-01", period_end="2016-12-31"), both)
    assert v.verdict == "consistent" and v.measure.series == nchs_final.STATE
