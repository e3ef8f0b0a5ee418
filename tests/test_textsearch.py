"""drugstats.extract.textsearch and the Claims page's search: numbers however written, words by stem, counted facets."""

from __future__ import annotations

import pandas as pd
import pytest

from drugstats.extract import textsearch
from drugstats.pages import claims as claims_page

QUOTES = [
    "Fentanyl killed over 105,000 people in America between February 2022 and January 2023.",
    "CBP seized more than 11,000 pounds of fentanyl between October and February.",
    "Two milligrams of fentanyl is considered a lethal dose.",
    "Overdose deaths topped half a million over the decade.",
]
VALUES = [105_000, 11_000, 2, 500_000]


@pytest.fixture(scope="module")
def idx() -> textsearch.Index:
    return textsearch.index(QUOTES, VALUES)


def found(idx: textsearch.Index, q: str) -> list[int]:
    return [i for i, ok in enumerate(textsearch.matches(idx, textsearch.parse(q))) if ok]


@pytest.mark.parametrize("q", ["105000", "105,000", "105k", "105 thousand", "105K"])
def test_a_number_is_found_however_it_is_written(idx, q):
    assert found(idx, q) == [0]


@pytest.mark.parametrize(("q", "rows"), [("500000", [3]), ("half a million", [3]), ("two", [2]), ("2 milligrams", [2])])
def test_number_words_and_scales_match_digits(idx, q, rows):
    assert found(idx, q) == rows


@pytest.mark.parametrize(("q", "rows"), [("seizing", [1]), ("kill", [0]), ("death", [3]), ("doses", [2]), ("CBP", [1])])
def test_words_match_by_stem_or_as_typed(idx, q, rows):
    assert found(idx, q) == rows


def test_every_number_and_word_must_match(idx):
    assert found(idx, "fentanyl 2022") == [0]
    assert found(idx, "fentanyl") == [0, 1, 2]
    assert found(idx, "106000") == [] and found(idx, "105000 pounds") == []


def test_text_that_is_neither_word_nor_number_is_literal_never_a_pattern(idx):
    assert found(idx, ".*") == [] and found(idx, "") == [0, 1, 2, 3]


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "said_on": ["2023-04-13", "2019-05-01", "2024-02-01", "2021-12-31"],
            "quote": QUOTES,
            "value": VALUES,
            "verdict": ["wrong_measure", "consistent", "consistent", "unverifiable"],
            "metric": ["overdose_deaths", "drug_seized", "lethal_dose", "overdose_deaths"],
            "substance": ["fentanyl", "fentanyl", "fentanyl", "all_drugs"],
            "claimant": ["X", "Y", "X", "Z"],
            "attributed_to": ["CDC", "CBP", "DEA", "CDC"],
            "source_id": ["s1", "s2", "s1", "s3"],
            "source_title": "T",
            "source_publisher": "P",
            "notes": None,
            "explanation": "",
        }
    )


def test_claims_are_newest_first_and_sort_as_asked():
    table = _table()
    idx = claims_page.search_index(table)
    assert list(claims_page.filter_claims(table, {}, idx=idx)["id"]) == ["c", "a", "d", "b"]
    assert list(claims_page.filter_claims(table, {}, idx=idx, sort="oldest")["id"]) == ["b", "d", "a", "c"]
    assert list(claims_page.filter_claims(table, {}, idx=idx, sort="value")["id"]) == ["d", "a", "b", "c"]
    assert list(claims_page.filter_claims(table, {}, idx=idx, sort="verdict")["id"])[0] == "a"  # wrong measure first


def test_unverifiable_claims_can_be_hidden():
    table = _table()
    shown = claims_page.filter_claims(table, {}, idx=claims_page.search_index(table), checkable=True)
    assert "d" not in set(shown["id"]) and len(shown) == 3


def test_facet_counts_count_what_each_choice_would_list():
    table = _table()
    idx = claims_page.search_index(table)
    counts = claims_page.facet_counts(table, idx, (("claimant", ("X",)),), "fentanyl")
    assert counts["claimant"] == {"X": 2, "Y": 1}  # a facet's own choice does not narrow its counts
    assert counts["verdict"] == {"wrong_measure": 1, "consistent": 1}  # the others' choices and the search do
    assert claims_page.facet_counts(table, idx, (), "", checkable=True)["metric"] == {
        "overdose_deaths": 1,
        "drug_seized": 1,
        "lethal_dose": 1,
    }


def test_the_number_a_claim_states_is_found_in_its_quote():
    assert claims_page.highlighted(QUOTES[0], 105_000) == ("Fentanyl killed over ", "105,000", QUOTES[0][28:])
    assert claims_page.highlighted(QUOTES[2], 2)[1] == "Two"
    assert claims_page.highlighted("No number here.", 5) == ("No number here.", "", "")


def test_the_view_keeps_search_order_and_filter_in_the_url():
    options = {f: [] for f in claims_page.CLAIM_FACETS}
    view = claims_page.parse_claims({"q": "105k", "checkable": "1", "sort": "oldest"}, [], options)
    assert (view.q, view.checkable, view.sort) == ("105k", True, "oldest")
    assert view.query(options) == {"q": "105k", "checkable": "1", "sort": "oldest"}
    junk = claims_page.parse_claims({"checkable": "yes", "sort": "random"}, [], options)
    assert (junk.checkable, junk.sort) == (False, "newest")


def test_the_stem_cache_stays_bounded_and_right(monkeypatch):
    monkeypatch.setattr(textsearch, "_MAX_STEMS", 3)
    textsearch._STEMS.clear()
    assert textsearch.stems("seizures deaths") == {"seizur", "death"}
    assert textsearch.stems("killed pounds overdoses") == {"kill", "pound", "overdos"}  # over the bound: started again
    assert len(textsearch._STEMS) <= 3
