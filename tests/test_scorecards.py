"""drugstats.verdicts.scorecards and the export of scorecards, repeated figures and ClaimReview appearances (inline claims)."""

from __future__ import annotations

import pandas as pd
import pytest

from drugstats.publish import export
from drugstats.verdicts import scorecards


def _claims() -> pd.DataFrame:
    rows = [
        # id, said_on, outlet, claimant, cited, verdict, metric, value, period_end
        ("a", "2023-04-13", "Outlet A", "Ann", "CDC", "consistent", "overdose_deaths", 105_000, "2023-01-31"),
        ("b", "2023-05-01", "Outlet B", "Bob", "CDC", "wrong_measure", "overdose_deaths", 105_400, "2023-01-31"),
        ("c", "2023-03-01", "Outlet C", "Cy", "CDC", "consistent", "overdose_deaths", 105_000, "2023-01-31"),
        ("d", "2023-06-01", "Outlet A", "Ann", "DEA", "unverifiable", "overdose_deaths", 107_000, "2023-01-31"),
        ("e", "2023-06-02", "Outlet B", "Bob", "CBP", "consistent", "drug_seized", 105_000, "2023-01-31"),
        ("f", "2024-01-01", "Outlet A", "Ann", "CDC", "overstated", "overdose_deaths", 105_000, "2022-12-31"),
    ]
    frame = pd.DataFrame(
        rows,
        columns=["id", "said_on", "source_publisher", "claimant", "attributed_to", "verdict", "metric", "value", "period_end"],
    )
    return frame.assign(
        source_id="s-" + frame["source_publisher"].str[-1].str.lower(),
        substance="fentanyl",
        geography="US",
        period_start=pd.NaT,
        period_end=pd.to_datetime(frame["period_end"]),
        unit="deaths",
        unit_canonical="deaths",
        value_canonical=frame["value"].astype(float),
        quote="q " + frame["id"],
        source_url="https://example.org/" + frame["id"],
        source_title="T " + frame["id"],
        source_published=frame["said_on"],
        claimed_on=pd.to_datetime(frame["said_on"]),
    )


def test_scorecards_count_verdicts_and_say_how_few_claims_they_rest_on():
    cards = scorecards.scorecards(_claims()).set_index(["scope", "name"])
    ann = cards.loc[("claimant", "Ann")]
    assert (ann["claims"], ann["checkable"], ann["consistent"], ann["overstated"], ann["unverifiable"]) == (3, 2, 1, 1, 1)
    assert ann["consistent_share"] == 0.5 and ann["rests_on"] == "only 2 checkable claims: too few to judge"
    assert ann["link"] == "claims?claimant=ann"
    assert cards.loc[("outlet", "Outlet A"), "link"] == "claims?source=s-a"
    assert cards.loc[("cited", "DEA"), "rests_on"] == "no claim an official series can settle"
    assert pd.isna(cards.loc[("cited", "DEA"), "consistent_share"])
    assert cards.loc[("cited", "CDC"), "claims"] == 4


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [(105_000, 105_400, True), (105_000, 107_000, False), (11_000, 11_043.7, True), (2, 2, True), (75_390, 75_000, True)],
)
def test_the_same_figure_is_the_same_within_the_rounding_it_was_written_to(a, b, same):
    assert scorecards.same_figure(a, b) is same


def test_a_figure_repeated_across_outlets_lists_every_appearance_first_one_first():
    repeated = scorecards.repeats(_claims())
    assert list(repeated["id"]) == ["c", "a", "b"]  # d is 107,000; e another metric; f another period
    assert list(repeated["first_appearance"]) == [True, False, False] and list(repeated["appearance"]) == [1, 2, 3]
    assert repeated["figure_id"].nunique() == 1


def test_claimreview_lists_the_appearances_of_a_repeated_figure_and_names_the_first():
    claims = _claims()
    verdicts = claims[["id", "verdict"]].assign(explanation="x")
    doc = export.claimreview(claims.drop(columns="verdict"), verdicts, "2026-11-30", scorecards.repeats(claims))
    items = {r["url"].rsplit("/", 1)[1]: r["itemReviewed"] for r in doc["@graph"]}
    assert [w["url"] for w in items["a"]["appearance"]] == [
        "https://example.org/c",
        "https://example.org/a",
        "https://example.org/b",
    ]
    assert items["a"]["firstAppearance"]["url"] == "https://example.org/c"
    assert items["d"]["appearance"]["url"] == items["d"]["firstAppearance"]["url"] == "https://example.org/d"
