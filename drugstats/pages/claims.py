"""Claims page: every claim with its verdict, found by facets (with counts) and search, sorted; one claim's detail is drawn
by drugstats.publish.claimplot."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pandas as pd

from drugstats.claims import query
from drugstats.extract import textsearch
from drugstats.extract.numbers import find_numbers
from drugstats.official import periods
from drugstats.verdicts import checks, transform

CLAIM_FACETS = ("metric", "substance", "claimant", "attributed_to", "source_id", "verdict")


# facet column -> query parameter; free-text facets are written as slugs
FACET_PARAMS = {
    "metric": "metric",
    "substance": "substance",
    "claimant": "claimant",
    "attributed_to": "attributed",
    "source_id": "source",
    "verdict": "verdict",
}


_SLUGGED = {"claimant", "attributed_to"}


def claims_table(claims: pd.DataFrame, verdicts: pd.DataFrame) -> pd.DataFrame:
    """Claims joined with their verdicts, one row per claim, newest first (drugstats.verdicts.transform.claims_with_verdicts)."""
    return transform.claims_with_verdicts(claims, verdicts)


def facet_options(table: pd.DataFrame) -> dict[str, list[str]]:
    """The values each facet can take in the data, sorted."""
    return {facet: sorted(table[facet].dropna().astype(str).unique()) for facet in CLAIM_FACETS}


# sort key -> (label, columns, ascending); newest first is the default
SORTS = {
    "newest": ("Newest first", ["said_on", "id"], [False, True]),
    "oldest": ("Oldest first", ["said_on", "id"], [True, True]),
    "verdict": ("By verdict", ["_verdict_order", "said_on", "id"], [True, False, True]),
    "claimant": ("By who said it", ["claimant", "said_on", "id"], [True, False, True]),
    "value": ("Largest number first", ["value", "id"], [False, True]),
}
DEFAULT_SORT = "newest"


@dataclass(frozen=True)
class ClaimsView:
    claim: str | None
    facets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # facet column -> selected values
    q: str = ""
    checkable: bool = False  # hide the claims no official series can settle
    sort: str = DEFAULT_SORT

    def query(self, options: Mapping[str, Sequence[str]]) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.claim:
            out["claim"] = self.claim
        for facet, values in self.facets.items():
            if values:
                items = [query.slug(v) for v in values] if facet in _SLUGGED else list(values)
                out[FACET_PARAMS[facet]] = query.LIST_SEPARATOR.join(dict.fromkeys(items))
        if self.q:
            out["q"] = self.q
        if self.checkable:
            out["checkable"] = "1"
        if self.sort != DEFAULT_SORT:
            out["sort"] = self.sort
        return out


def parse_claims(params: Mapping[str, Any], claim_ids: Iterable[str], options: Mapping[str, Sequence[str]]) -> ClaimsView:
    """The claims view: a known claim id for the detail view, facet selections, and search text."""
    claim = query.parse_choice(params.get("claim"), claim_ids, None)
    facets: dict[str, tuple[str, ...]] = {}
    for facet, param in FACET_PARAMS.items():
        allowed = options.get(facet, [])
        if facet in _SLUGGED:
            by_slug: dict[str, list[str]] = {}
            for value in allowed:
                by_slug.setdefault(query.slug(value), []).append(value)
            picked = query.parse_multi(params.get(param), by_slug, ())
            facets[facet] = tuple(v for s in picked for v in by_slug[s])
        else:
            facets[facet] = query.parse_multi(params.get(param), allowed, ())
    return ClaimsView(
        claim=claim,
        facets=facets,
        q=query.parse_text(params.get("q")),
        checkable=query.parse_choice(params.get("checkable"), ("1",), None) == "1",
        sort=query.parse_choice(params.get("sort"), SORTS, DEFAULT_SORT),
    )


SEARCH_COLUMNS = ("quote", "claimant", "attributed_to", "source_title", "source_publisher", "notes", "explanation", "id")


def search_index(table: pd.DataFrame) -> textsearch.Index:
    """The claims' searchable text (quote, names, titles, notes, explanation, id) and numbers, row by row."""
    texts = table[list(SEARCH_COLUMNS)].astype("string").fillna("").agg(" ".join, axis=1)
    return textsearch.index(texts.tolist(), table["value"].tolist())


def _mask(table: pd.DataFrame, idx: textsearch.Index, facets: Mapping[str, Sequence[str]], q: str, checkable: bool) -> pd.Series:
    mask = pd.Series(True, index=table.index)
    for facet, values in facets.items():
        if values:
            mask &= table[facet].astype("string").isin(list(values)).fillna(False)
    parsed = textsearch.parse(q)
    if parsed:
        mask &= pd.Series(textsearch.matches(idx, parsed), index=table.index)
    if checkable:
        mask &= table["verdict"] != "unverifiable"
    return mask


def filter_claims(
    table: pd.DataFrame,
    facets: Mapping[str, Sequence[str]],
    q: str = "",
    *,
    idx: textsearch.Index | None = None,
    checkable: bool = False,
    sort: str = DEFAULT_SORT,
) -> pd.DataFrame:
    """Rows matching every non-empty facet and every number and word of q (drugstats.extract.textsearch), sorted."""
    idx = idx if idx is not None else search_index(table)
    rows = table[_mask(table, idx, facets, q, checkable).to_numpy()]
    _, columns, ascending = SORTS.get(sort, SORTS[DEFAULT_SORT])
    order = {v: i for i, v in enumerate(("wrong_measure", "overstated", "understated", "consistent", "unverifiable"))}
    rows = rows.assign(_verdict_order=rows["verdict"].map(order).fillna(len(order)))
    rows = rows.sort_values(columns, ascending=ascending, kind="stable", na_position="last")
    return rows.drop(columns="_verdict_order").reset_index(drop=True)


def facet_counts(
    table: pd.DataFrame,
    idx: textsearch.Index,
    facets: tuple[tuple[str, tuple[str, ...]], ...],
    q: str = "",
    checkable: bool = False,
) -> dict[str, dict[str, int]]:
    """For each facet, how many claims each of its values would list, given the search and the other facets' choices."""
    chosen = dict(facets)
    out = {}
    for facet in CLAIM_FACETS:
        others = {f: v for f, v in chosen.items() if f != facet}
        rows = table[_mask(table, idx, others, q, checkable).to_numpy()]
        out[facet] = {str(k): int(n) for k, n in rows[facet].dropna().astype(str).value_counts().items()}
    return out


def highlighted(quote: str, value: float) -> tuple[str, str, str]:
    """The quote split around the printed number that states the claim's value: (before, number, after).

    The number is left unmarked, ("quote", "", ""), when the quote prints no number of that value.
    """
    for number in find_numbers(quote):
        if abs(number.value - value) <= 1e-9 * max(abs(value), 1.0):
            return quote[: number.number_start], quote[number.number_start : number.end], quote[number.end :]
    return quote, "", ""


def claims_download(listed: pd.DataFrame) -> pd.DataFrame:
    """Listed claims as their CSV download holds them: without said_on, which only the list shows."""
    return listed.drop(columns=["said_on"])


def listed_claims(
    table: pd.DataFrame,
    idx: textsearch.Index,
    facets: tuple[tuple[str, tuple[str, ...]], ...],
    q: str = "",
    checkable: bool = False,
    sort: str = DEFAULT_SORT,
) -> pd.DataFrame:
    """filter_claims with the facets as (facet, values) pairs: hashable, so a page can keep the list per filter."""
    return filter_claims(table, dict(facets), q, idx=idx, checkable=checkable, sort=sort)


def ratio_sentence(ratio: float) -> str:
    """How the claim compares with the official figure, in words: "The claim is 1.39 times the official figure." """
    if f"{ratio:.2f}" == "1.00":
        return "The claim equals the official figure, to two decimals."
    return f"The claim is {ratio:,.2f} times the official figure."


def claim_link(claim_id: str, served_url: str | None, configured: str | None) -> str:
    """The claim's address on the dashboard: at the site's address when the deployment sets one (DRUGSTATS_SITE_URL),
    else at the address this page was served from (st.context.url, which ends in the page's path), never a guess."""
    if configured:
        base = configured.rstrip("/")
    elif served_url:
        base = served_url.split("?")[0].split("#")[0].rstrip("/").removesuffix("/claims")
    else:
        return f"/claims?claim={quote(claim_id, safe='')}"
    return f"{base}/claims?claim={quote(claim_id, safe='')}"


@dataclass(frozen=True)
class Vintage:
    """One of a claim's two checks: today's (the newest release) or at the time (the release of its day)."""

    when: str  # "Today" | "At the time"
    verdict: str
    value: float
    release: str  # as readers see it: "2026-02-14", "about August 2018 (estimated)"


def then_and_now(verdict: checks.Verdict) -> tuple[Vintage, Vintage] | None:
    """The claim's verdict at the time and today, each with its official value and release; None when the claim was
    checked against one release only (no release of its day is held, or it is the newest)."""
    then, now = verdict.measure_at_claim, verdict.measure
    if then is None or now is None or verdict.verdict_at_claim is None or then.release == now.release:
        return None
    return (
        Vintage("At the time", verdict.verdict_at_claim, then.value, then.release_name),
        Vintage("Today", verdict.verdict, now.value, now.release_name),
    )


def revisions_view(claim: pd.Series, verdict: checks.Verdict) -> tuple[str, str, pd.Timestamp] | None:
    """(place, substance, window end) of the death window a claim was checked against, to draw across releases; None
    unless a release of the claim's day is held (verdict.measure_at_claim): without one the chart cannot show how the
    count stood when the claim was made, only later revisions, far from the claim's date."""
    m = verdict.measure
    if m is None or m.series != "cdc-vsrr" or m.window_end is None or m.substance is None:
        return None
    if verdict.measure_at_claim is None:
        return None
    return periods.jurisdiction(claim["geography"]), m.substance, pd.Timestamp(m.window_end)
