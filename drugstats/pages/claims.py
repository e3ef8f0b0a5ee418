"""Claims page: every claim with its verdict, found by facets and search; one claim's detail is drawn by drugstats.claimplot."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from drugstats import query

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
    """Claims joined with their verdicts, one row per claim, newest first."""
    merged = claims.merge(verdicts, on="id", how="left", validate="one_to_one")
    when = merged["claimed_on"].dt.strftime("%Y-%m-%d").astype("string").fillna(merged["source_published"])
    merged.insert(1, "said_on", when)
    return merged.sort_values(["said_on", "id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def facet_options(table: pd.DataFrame) -> dict[str, list[str]]:
    """The values each facet can take in the data, sorted."""
    return {facet: sorted(table[facet].dropna().astype(str).unique()) for facet in CLAIM_FACETS}


@dataclass(frozen=True)
class ClaimsView:
    claim: str | None
    facets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # facet column -> selected values
    q: str = ""

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
    return ClaimsView(claim=claim, facets=facets, q=query.parse_text(params.get("q")))


SEARCH_COLUMNS = ("quote", "claimant", "attributed_to", "source_title", "source_publisher", "notes", "explanation", "id")


def filter_claims(table: pd.DataFrame, facets: Mapping[str, Sequence[str]], q: str = "") -> pd.DataFrame:
    """Rows matching every non-empty facet and containing every word of q (case-insensitive, literal)."""
    mask = pd.Series(True, index=table.index)
    for facet, values in facets.items():
        if values:
            mask &= table[facet].astype("string").isin(list(values)).fillna(False)
    words = [w for w in q.casefold().split() if w]
    if words:
        haystack = table[list(SEARCH_COLUMNS)].astype("string").fillna("").agg(" ".join, axis=1).str.casefold()
        for word in words:
            mask &= haystack.str.contains(word, regex=False)
    return table[mask.to_numpy()].reset_index(drop=True)


def claims_download(listed: pd.DataFrame) -> pd.DataFrame:
    """Listed claims as their CSV download holds them: without said_on, which only the list shows."""
    return listed.drop(columns=["said_on"])


def listed_claims(table: pd.DataFrame, facets: tuple[tuple[str, tuple[str, ...]], ...], q: str = "") -> pd.DataFrame:
    """filter_claims with the facets as (facet, values) pairs: hashable, so a page can keep the list per filter."""
    return filter_claims(table, dict(facets), q)
