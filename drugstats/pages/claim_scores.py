"""The Claims page's scorecards and repeated figures, as a reader asks of them: which outlets print wrong figures most,
news apart from the agencies they cite, each number's claims one click away; repeated figures filtered and paged."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from drugstats.verdicts import scorecards

# section -> (title, what it holds)
SECTIONS = {
    "outlets": ("News outlets", "Each news outlet, by the claims printed in its articles."),
    "speakers": ("Who said it, in the news", "Each person or body quoted in news articles, by the claims they made."),
    "agencies": (
        "Agencies and officials",
        "Agencies and officials speaking in their own statements and publications, and the agencies claims cite "
        "(a claim citing the CDC is counted for the CDC even where the outlet misquoted it).",
    ),
}
# order key -> (label, columns, ascending)
ORDERS = {
    "wrong": ("Most wrong claims", ["wrong", "wrong_share", "claims", "name"], [False, False, False, True]),
    "wrong_share": ("Largest wrong share", ["wrong_share", "wrong", "name"], [False, False, True]),
    "claims": ("Most claims", ["claims", "wrong", "name"], [False, False, True]),
    "name": ("Name", ["name"], [True]),
}
DEFAULT_ORDER = "wrong"
WRONG_FILTER = "verdict=" + ",".join(scorecards.WRONG)


def news_names(
    table: pd.DataFrame, source_kinds: Mapping[str, str] | Sequence[tuple[str, str]]
) -> tuple[frozenset[str], frozenset[str]]:
    """(outlets, claimants) with at least one claim printed in a news source; the others speak in official documents."""
    kinds = dict(source_kinds)  # a mapping, or (id, kind) pairs: hashable, so a page can keep the answer
    news = table[table["source_id"].map(kinds).eq("news").fillna(False).astype(bool)]
    return frozenset(news["source_publisher"].dropna().astype(str)), frozenset(news["claimant"].dropna().astype(str))


def section_rows(
    cards: pd.DataFrame, section: str, outlets: frozenset[str], speakers: frozenset[str], order: str
) -> pd.DataFrame:
    """One section's scorecards, in the order asked, with a link to the wrong claims beside the link to all of them."""
    if section == "outlets":
        rows = cards[(cards["scope"] == "outlet") & cards["name"].isin(outlets)]
    elif section == "speakers":
        rows = cards[(cards["scope"] == "claimant") & cards["name"].isin(speakers)]
    else:
        official = (cards["scope"] == "claimant") & ~cards["name"].isin(speakers)
        rows = cards[official | (cards["scope"] == "cited")]
        rows = rows.assign(name=rows["name"] + rows["scope"].map({"cited": " (cited)", "claimant": ""}))
    _, columns, ascending = ORDERS.get(order, ORDERS[DEFAULT_ORDER])
    rows = rows.sort_values(columns, ascending=ascending, kind="stable", na_position="last")
    wrong_link = rows["link"] + "&" + WRONG_FILTER
    return rows.assign(wrong_link=wrong_link.where(rows["wrong"] > 0)).drop(columns="scope").reset_index(drop=True)


@dataclass(frozen=True)
class RepeatsPage:
    """One page of repeated figures: the groups on it, in order, and how many there are in all."""

    groups: tuple[pd.DataFrame, ...]
    page: int
    pages: int
    matching: int  # groups that pass the filter


PER_PAGE = 10


def repeats_page(repeated: pd.DataFrame, verdicts: Sequence[str], page: int, per_page: int = PER_PAGE) -> RepeatsPage:
    """The repeated figures with at least one appearance of a chosen verdict (all of them when none is chosen), groups
    kept whole and in order, cut to page `page` (1-based, held to the pages there are)."""
    chosen = set(verdicts)
    groups = [group for _, group in repeated.groupby("figure_id", sort=False) if not chosen or chosen & set(group["verdict"])]
    pages = max(1, math.ceil(len(groups) / per_page))
    page = min(max(1, page), pages)
    return RepeatsPage(tuple(groups[(page - 1) * per_page : page * per_page]), page, pages, len(groups))
