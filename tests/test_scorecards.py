"""drugstats.verdicts.scorecards and the export of scorecards, repeated figures and ClaimReview appearances (inline claims)."""

from __future__ import annotations

import pandas as pd
import pytest

from drugstats.pages import claim_scores
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
    assert (ann["wrong"], ann["wrong_share"]) == (1, 0.5)  # overstated + understated + wrong measure, of checkable
    assert (cards.loc[("claimant", "Bob"), "wrong"], cards.loc[("claimant", "Bob"), "wrong_share"]) == (1, 0.5)
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


def test_scorecards_for_readers_keep_news_apart_from_agencies_and_lead_with_the_most_wrong():
    claims = _claims()
    claims.loc[claims["id"] == "e", ["source_id", "source_publisher", "claimant"]] = ["s-dea", "DEA", "DEA"]
    cards = scorecards.scorecards(claims)
    kinds = {"s-a": "news", "s-b": "news", "s-c": "news", "s-dea": "official_statement"}
    outlets, speakers = claim_scores.news_names(claims, tuple(kinds.items()))
    assert outlets == {"Outlet A", "Outlet B", "Outlet C"} and "DEA" not in speakers
    rows = claim_scores.section_rows(cards, "outlets", outlets, speakers, "wrong")
    # one wrong each for A (of 2 checkable) and B (of 1): the larger share breaks the tie; C has none
    assert list(rows["name"]) == ["Outlet B", "Outlet A", "Outlet C"]
    assert rows.loc[1, "wrong_link"] == "claims?source=s-a&verdict=overstated,understated,wrong_measure"
    assert pd.isna(rows.loc[2, "wrong_link"])  # nothing wrong: no link to an empty list
    by_claims = claim_scores.section_rows(cards, "outlets", outlets, speakers, "claims")
    assert by_claims["name"].iloc[0] == "Outlet A"
    agencies = claim_scores.section_rows(cards, "agencies", outlets, speakers, "name")
    assert "DEA" in set(agencies["name"]) and "CDC (cited)" in set(agencies["name"])
    assert "Outlet A" not in set(agencies["name"])


def test_repeated_figures_are_filtered_by_verdict_and_paged_with_groups_whole():
    repeated = scorecards.repeats(_claims())
    everything = claim_scores.repeats_page(repeated, (), 1)
    assert everything.matching == repeated["figure_id"].nunique() and everything.pages == 1
    wrong = claim_scores.repeats_page(repeated, ("wrong_measure",), 1)
    assert wrong.matching == 1 and "wrong_measure" in set(wrong.groups[0]["verdict"])
    assert len(wrong.groups[0]) == len(repeated[repeated["figure_id"] == wrong.groups[0]["figure_id"].iloc[0]])
    assert claim_scores.repeats_page(repeated, ("understated",), 1).matching == 0
    paged = claim_scores.repeats_page(
        pd.concat([repeated.assign(figure_id=repeated["figure_id"] + str(n)) for n in range(3)]), (), 9, 2
    )
    assert (paged.page, paged.pages, len(paged.groups)) == (2, 2, 1)  # held to the last page
