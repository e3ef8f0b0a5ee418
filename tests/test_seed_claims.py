"""The shipped dataset holds the six claims the project started from, exactly as curated."""

from __future__ import annotations

from datetime import date

import pytest

from drugstats import DATA_DIR
from drugstats.claims import load

# id -> the fields that must hold; every claim also needs its quote to carry the stated words.
SEEDS = {
    "dc-2023-04-13-overdose-deaths-2021": dict(
        words="more than 100,000 overdose deaths that occurred in 2021",
        metric="overdose_deaths",
        substance="all_drugs",
        value=100000,
        unit="deaths",
        qualifier="more_than",
        period_start=date(2021, 1, 1),
        period_end=date(2021, 12, 31),
        geography="US",
        claimant="The Daily Caller",
        attributed_to="DEA",
        source="dailycaller-2023-04-13-us-mexico-fentanyl",
        claimed_on=date(2023, 4, 13),
    ),
    "dc-2023-04-13-cbp-fentanyl-seized-oct-feb": dict(
        words="seized more than 11,000 pounds of it between October and February",
        metric="drug_seized",
        substance="fentanyl",
        value=11000,
        unit="lb",
        qualifier="more_than",
        period_start=date(2022, 10, 1),
        period_end=date(2023, 2, 28),
        geography="US",
        claimant="The Daily Caller",
        attributed_to="CBP",
        seized_by="CBP",
        source="dailycaller-2023-04-13-us-mexico-fentanyl",
        claimed_on=date(2023, 4, 13),
    ),
    "dc-2023-04-13-fentanyl-lethal-dose": dict(
        words="Two milligrams of fentanyl is considered a lethal dose",
        metric="lethal_dose",
        substance="fentanyl",
        value=2,
        unit="mg",
        qualifier="exact",
        period_start=None,
        period_end=None,
        geography=None,
        claimant="The Daily Caller",
        attributed_to="DEA",
        source="dailycaller-2023-04-13-us-mexico-fentanyl",
        claimed_on=date(2023, 4, 13),
    ),
    "dcnf-2024-02-01-fentanyl-deaths-feb2022-jan2023": dict(
        words="Fentanyl killed over 105,000 people in America between February 2022 and January 2023",
        metric="overdose_deaths",
        substance="fentanyl",
        value=105000,
        unit="people",
        qualifier="more_than",
        period_start=date(2022, 2, 1),
        period_end=date(2023, 1, 31),
        geography="US",
        claimant="Daily Caller News Foundation",
        attributed_to="CDC",
        source="dailycaller-2024-02-01-us-china-working-group",
        claimed_on=date(2024, 2, 1),
    ),
    "dcnf-2024-02-01-fentanyl-potency-morphine": dict(
        words="100 times more potent than morphine",
        metric="potency_ratio",
        substance="fentanyl",
        value=100,
        unit="times",
        qualifier="exact",
        relative_to="morphine",
        period_start=None,
        period_end=None,
        geography=None,
        claimant="Daily Caller News Foundation",
        attributed_to="DEA",
        source="dailycaller-2024-02-01-us-china-working-group",
        claimed_on=date(2024, 2, 1),
    ),
    "dcnf-2024-02-01-fentanyl-deaths-per-kg": dict(
        words="one kilogram of the drug can kill nearly half a million people",
        metric="deaths_per_mass",
        substance="fentanyl",
        value=500000,
        unit="people",
        qualifier="nearly",
        per="kg",
        period_start=None,
        period_end=None,
        geography=None,
        claimant="Daily Caller News Foundation",
        attributed_to="DEA",
        source="dailycaller-2024-02-01-us-china-working-group",
        claimed_on=date(2024, 2, 1),
    ),
}


@pytest.fixture(scope="module")
def dataset() -> load.Dataset:
    return load.load_dataset(DATA_DIR)


def test_shipped_dataset_is_not_empty(dataset):
    assert len(dataset.claims) > 0
    assert len(dataset.statements) > 0
    assert len(dataset.sources) > 0


@pytest.mark.parametrize("claim_id", sorted(SEEDS))
def test_seed_claim_is_present_as_curated(dataset, claim_id):
    claims = {c.id: c for c in dataset.claims}
    assert claim_id in claims, f"seed claim {claim_id} is missing"
    claim = claims[claim_id]
    expected = dict(SEEDS[claim_id])
    assert expected.pop("words") in claim.quote
    assert {name: getattr(claim, name) for name in expected} == expected
    assert claim.source in dataset.sources


def test_seed_articles_cite_the_copies_actually_read(dataset):
    signal = dataset.sources["dailycaller-2024-02-01-us-china-working-group"]
    assert signal.republished_by == "The Daily Signal"
    assert signal.republished_url.startswith("https://www.dailysignal.com/")
    caller = dataset.sources["dailycaller-2023-04-13-us-mexico-fentanyl"]
    assert caller.url_seen is False  # the article's own URL was not recorded
