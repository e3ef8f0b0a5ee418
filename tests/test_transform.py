"""Transforms: canonical units, qualifier bounds and periods, on tiny inline records."""

from __future__ import annotations

import pandas as pd
import pytest

from drugstats import vocab
from drugstats.claims.models import Claim, Source
from drugstats.verdicts.transform import claims_frame

SOURCE = Source(
    id="s", kind="news", publisher="P", title="T", url="https://example.org/", published="2023-04", accessed="2026-11-22"
)


def claim(**over) -> Claim:
    base = dict(
        id="c",
        quote="q",
        metric="drug_seized",
        substance="fentanyl",
        value=11_000,
        unit="lb",
        qualifier="more_than",
        period_start="2022-10-01",
        period_end="2023-02-28",
        geography="US",
        claimant="X",
        attributed_to="CBP",
        seized_by="CBP",
        source="s",
    )
    return Claim.model_validate(base | over)


@pytest.mark.parametrize(
    ("qualifier", "low", "high"),
    [
        ("exact", 100.0, 100.0),
        ("about", 95.0, 105.0),
        ("more_than", 100.0, None),
        ("at_least", 100.0, None),
        ("nearly", 90.0, 100.0),
        ("less_than", None, 100.0),
        ("up_to", None, 100.0),
    ],
)
def test_bounds_follow_the_documented_rule_for_each_qualifier(qualifier, low, high):
    got_low, got_high = vocab.bounds(100.0, qualifier)
    assert got_low == pytest.approx(low) if low is not None else got_low is None
    assert got_high == pytest.approx(high) if high is not None else got_high is None


def test_pounds_become_kilograms_by_the_exact_definition():
    frame = claims_frame([claim()], {"s": SOURCE})
    row = frame.iloc[0]
    assert row["unit_canonical"] == "kg"
    assert row["value_canonical"] == pytest.approx(11_000 * 0.45359237)
    assert row["value_low"] == pytest.approx(11_000 * 0.45359237)
    assert pd.isna(row["value_high"])


def test_lethal_dose_in_grams_becomes_milligrams():
    row = claims_frame(
        [
            claim(
                metric="lethal_dose", unit="g", value=0.002, qualifier="exact", period_start=None, period_end=None, seized_by=None
            )
        ],
        {"s": SOURCE},
    ).iloc[0]
    assert (row["value_canonical"], row["unit_canonical"]) == (pytest.approx(2.0), "mg")


def test_deaths_per_gram_is_expressed_per_kilogram():
    row = claims_frame(
        [
            claim(
                metric="deaths_per_mass",
                unit="people",
                value=500,
                qualifier="about",
                per="g",
                period_start=None,
                period_end=None,
                seized_by=None,
            )
        ],
        {"s": SOURCE},
    ).iloc[0]
    assert row["unit_canonical"] == "deaths_per_kg"
    assert row["value_canonical"] == pytest.approx(500_000)
    assert row["value_low"] == pytest.approx(475_000)


def test_frame_has_declared_columns_types_and_citation():
    frame = claims_frame([claim()], {"s": SOURCE})
    assert frame["period_start"].dtype.kind == "M"
    assert frame.loc[0, "period_end"] == pd.Timestamp("2023-02-28")
    assert frame.loc[0, "source_url"] == "https://example.org/"
    assert frame.loc[0, "source_published"] == "2023-04"


def test_pill_counts_keep_their_unit_instead_of_becoming_a_weight():
    row = claims_frame([claim(unit="pills", value=57_500_000, seized_by="DEA")], {"s": SOURCE}).iloc[0]
    assert (row["value_canonical"], row["unit_canonical"]) == (57_500_000, "pills")
