"""drugstats.vocab: qualifier bounds and unit conversion, the rules every claim is canonicalised by."""

from __future__ import annotations

import pytest

from drugstats import vocab


@pytest.mark.parametrize(
    ("qualifier", "low", "high"),
    [
        ("exact", 100, 100),
        ("about", 95, 105),
        ("more_than", 100, None),
        ("at_least", 100, None),
        ("nearly", 90, 100),
        ("less_than", None, 100),
        ("up_to", None, 100),
    ],
)
def test_bounds_are_the_interval_each_qualifier_asserts(qualifier, low, high):
    assert vocab.bounds(100, qualifier) == (pytest.approx(low), pytest.approx(high))


def test_bounds_reject_an_unknown_qualifier():
    with pytest.raises(ValueError, match="unknown qualifier 'roughly'"):
        vocab.bounds(100, "roughly")


@pytest.mark.parametrize(
    ("metric", "unit", "canonical"),
    [
        ("drug_seized", "lb", "kg"),
        ("drug_seized", "kg", "kg"),
        ("drug_seized", "pills", "pills"),  # a count of pills has no weight: it stays a count
        ("lethal_dose", "g", "mg"),
        ("overdose_deaths", "people", "deaths"),
        ("death_share", "percent", "percent"),
    ],
)
def test_canonical_unit_is_the_metrics_unless_the_unit_is_of_another_kind(metric, unit, canonical):
    assert vocab.canonical_unit(metric, unit) == canonical


@pytest.mark.parametrize(
    ("value", "unit", "target", "expected"),
    [
        (1, "kg", "lb", 2.2046226218),
        (1, "lb", "g", 453.59237),  # the international pound, exactly
        (2, "mg", "g", 0.002),
        (5, "g", "g", 5),
    ],
)
def test_convert_mass_between_units(value, unit, target, expected):
    assert vocab.convert_mass(value, unit, target) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "unit", "metric", "expected"),
    [
        (12_000, "lb", "drug_seized", 5443.10844),
        (5443, "kg", "drug_seized", 5443),
        (0.002, "g", "lethal_dose", 2),
        (105_000, "people", "overdose_deaths", 105_000),  # people and deaths are one count
        (30_000, "pills", "drug_seized", 30_000),
        (70, "percent", "death_share", 70),
    ],
)
def test_to_canonical_expresses_a_value_in_the_canonical_unit(value, unit, metric, expected):
    assert vocab.to_canonical(value, unit, metric) == pytest.approx(expected)


def test_every_drug_type_cbp_counts_apart_is_a_substance_and_its_catch_all_is_not():
    from drugstats.official import cbp, cdc_vsrr

    counted = set(cbp.CBP_DRUG.values())
    assert counted - {"other"} <= set(vocab.SUBSTANCES)
    assert "other" not in vocab.SUBSTANCES  # "Other Drugs" is many drugs: no claim can name it as one
    assert {"marijuana", "ketamine", "khat", "ecstasy", "lsd"} <= set(vocab.SUBSTANCES)
    # the seizure-only substances are exactly CBP's drug types CDC has no death series of
    assert set(vocab.SEIZURE_ONLY_SUBSTANCES) == counted - {"other"} - set(cdc_vsrr.VSRR_SUBSTANCE.values())
