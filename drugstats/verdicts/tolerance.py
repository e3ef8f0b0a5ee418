"""How close is close enough: the tolerances of the checks, and what a qualified stated number says of the official one.

drugstats.verdicts.checks compares every claim through `compare`; the Sources page reads the same rules to explain them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from drugstats import vocab


@dataclass(frozen=True)
class Tolerances:
    """How close an official value must be for a qualified claim to count as consistent.

    The one place these numbers live. `exact` allows for rounding (a stated 14,700 lb
    against 14,699.9 lb), and is also the slack at the edge a bound excludes: "more than
    11,000" stays consistent with 10,957, since the claimant may have rounded. `headroom` is
    how far above "more than X" the official value may be before the claim understates it
    (and how far below "less than X").
    """

    exact: float = 0.02
    about: float = vocab.ABOUT_TOLERANCE
    about_round: float = 0.10  # "approximately 30 percent": a one-significant-digit number is rounded coarsely
    nearly: float = vocab.NEARLY_TOLERANCE
    headroom: float = 0.10
    provisional: float = 0.04  # an exact annual count against CDC's provisional 12-month count (final counts differ)


DEFAULT_TOLERANCES = Tolerances()


def significant_digits(value: float) -> int:
    """Significant digits of a stated number: 30 has 1, 14,700 has 3, 2.4 has 2."""
    text = f"{value:.10g}".replace(".", "").replace("-", "").lstrip("0")
    return len(text.rstrip("0")) or 1


def compare(
    stated: float, qualifier: str, official: float, tol: Tolerances = DEFAULT_TOLERANCES, *, provisional: bool = False
) -> str:
    """consistent, overstated or understated: what a qualified stated value says of the official one.

    `provisional` widens the exact tolerance to `tol.provisional`: a count for a past year differs a
    little between CDC's provisional 12-month figure and the final annual count a claim may quote.
    """
    if official <= 0:
        return "overstated" if stated > 0 else "consistent"
    exact = max(tol.exact, tol.provisional) if provisional else tol.exact
    match qualifier:
        case "exact":
            ok_low, ok_high = official * (1 - exact), official * (1 + exact)
        case "about":
            about = tol.about_round if significant_digits(stated) == 1 else tol.about
            ok_low, ok_high = official / (1 + about), official / (1 - about)
        case "more_than" | "at_least":
            # "more than v" is right when v <= official, and informative when v is not far below it.
            ok_low, ok_high = official / (1 + tol.headroom), official * (1 + tol.exact)
        case "nearly":
            # "nearly v": the official value is a little under v.
            ok_low, ok_high = official * (1 - tol.exact), official / (1 - tol.nearly)
        case "less_than" | "up_to":
            ok_low, ok_high = official * (1 - tol.exact), official * (1 + tol.headroom)
        case _:
            raise ValueError(f"unknown qualifier {qualifier!r}")
    if qualifier == "exact" and printed_as(stated, official):
        return "consistent"
    if stated > ok_high:
        return "overstated"
    if stated < ok_low:
        return "understated"
    return "consistent"


def printed_as(stated: float, official: float) -> bool:
    """Whether the official value, rounded or cut to the stated number's last significant digit, is the stated number:
    "4,500 pounds" printed for 4,597.4 (cut to hundreds), "2,300" for 2,268.2 (rounded). Only for numbers of two
    significant digits or more: a one-digit "30 percent" is no statement about 39%."""
    digits = significant_digits(stated)
    if digits < 2 or stated <= 0:
        return False
    place = 10.0 ** (math.floor(math.log10(stated)) - digits + 1)
    return stated - place / 2 <= official < stated + place


def slack_sentence(stated: float, qualifier: str, official: float, outcome: str) -> str:
    """Where a bounded claim ("more than 72,000") counts as consistent with an official value just past its bound,
    the sentence that says so; else nothing. The bound is the claimant's rounding: "more than 11,000" for 10,957."""
    if outcome == "consistent" and qualifier == "exact" and stated and official > stated * (1 + DEFAULT_TOLERANCES.exact):
        if printed_as(stated, official):
            return (
                f" The official figure cut to the claim's last significant digit is the claim's number: a figure "
                f"printed as {stated:,.10g} may stand for anything up to the next step of that digit."
            )
    if outcome != "consistent" or qualifier in ("exact", "about") or not stated:
        return ""
    low, high = vocab.bounds(stated, qualifier)
    if low is not None and official < low:
        side, gap = "below", (low - official) / low
    elif high is not None and official > high:
        side, gap = "above", (official - high) / high
    else:
        return ""
    return (
        f" The official figure is {gap * 100:.1f}% {side} the claim's bound, within what drugstats allows for a "
        "rounded figure (see Sources and method)."
    )
