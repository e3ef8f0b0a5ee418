"""Column metadata of what the dashboard finds across claims: scorecards and repeated figures.

Declared in drugstats.official.fields' one registry (fields.table), like every other table; kept here so that fields.py
stays under 500 lines.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def declare(table: Callable[..., None], _f: Callable[..., Any], _VERDICTS: tuple[str, ...]) -> None:  # noqa: N803
    """Declare the two tables with fields' own `table` and `_f` (passed in: fields imports this module)."""
    table(
        "scorecards",
        "Scorecards",
        "How the claims of each outlet, claimant and cited agency fare: claims, checkable claims and each verdict's count. "
        "A scorecard resting on few checkable claims says little, and each says how many it rests on.",
        [
            _f(
                "scope",
                "string",
                "outlet (the publisher of the document), claimant (who said it) or cited (whom it cites)",
                required=True,
                enum=("cited", "claimant", "outlet"),
            ),
            _f("name", "string", "The outlet, claimant or cited agency, as the claims name it", required=True),
            _f("claims", "integer", "Claims it made or is cited for", unit="claims", required=True),
            _f(
                "checkable",
                "integer",
                "Of those, claims an official series could settle (not unverifiable)",
                unit="claims",
                required=True,
            ),
            *(_f(v, "integer", f"Claims found {v.replace('_', ' ')}", unit="claims", required=True) for v in _VERDICTS),
            _f("consistent_share", "number", "consistent / checkable; empty when nothing is checkable", decimals=3),
            _f("wrong", "integer", "Claims found overstated, understated or wrong_measure", unit="claims", required=True),
            _f("wrong_share", "number", "wrong / checkable; empty when nothing is checkable", decimals=3),
            _f("rests_on", "string", "How many checkable claims the scorecard rests on, in words", required=True),
            _f("link", "string", "The dashboard's list of these claims, relative to its address", required=True),
        ],
        primary_key=["scope", "name"],
    )

    table(
        "repeated_figures",
        "Repeated figures",
        "The same figure (metric, drug, place, period, and a value within the rounding either was written to) printed by "
        "more than one outlet: every appearance, the first one first.",
        [
            _f("figure_id", "string", "The figure: metric, drug, place, period end and value", required=True),
            _f("figure", "string", "The figure in words: what is measured, the drug, the place and the period", required=True),
            _f("appearance", "integer", "1 for the first appearance, then in order of date", required=True),
            _f("first_appearance", "boolean", "True for the earliest appearance found", required=True),
            _f("id", "string", "Identifier of the claim in claims.csv", required=True),
            _f("said_on", "string", "When the claim was made (YYYY, YYYY-MM or YYYY-MM-DD)"),
            _f("outlet", "string", "Publisher of the document", required=True),
            _f("claimant", "string", "Who made the claim", required=True),
            _f("value", "number", "The number as stated", required=True),
            _f("unit", "string", "The unit as stated", required=True),
            _f("verdict", "string", "The claim's verdict", required=True, enum=_VERDICTS),
            _f("quote", "string", "The sentence as printed", required=True),
            _f("source_url", "string", "Where it was printed", required=True),
        ],
        primary_key=["figure_id", "appearance"],
    )
