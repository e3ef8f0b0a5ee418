"""Death rates NCHS published in text (Data Brief 522): traced to figures.csv, basis included."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from drugstats import DATA_DIR
from drugstats.official import reference

FIGURES = DATA_DIR / "raw" / "figures-from-text" / "figures.csv"


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
    assert len(rates) == 7
    assert set(rates["unit"]) == {"per_100k"} and set(rates["rate_basis"]) == {"age_adjusted"}
    assert set(rates["geography"]) == {"US"}
    got = {(r.substance, r.period): r.value for r in rates.itertuples()}
    assert got == {
        ("all_drugs", "2003"): 8.9,
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
