"""How each outlet, claimant and cited agency fares, and the same figure repeated across outlets (pure).

A scorecard counts claims and their verdicts; it says how many of them an official series could settle, because a
scorecard resting on three checkable claims says little. A repeated figure is the same number (within the rounding
either appearance was written to) for the same metric, drug, place and period, printed by more than one outlet.
"""

from __future__ import annotations

import math

import pandas as pd

from drugstats import display
from drugstats.claims import query
from drugstats.official import periods
from drugstats.verdicts import checks

# scope -> (column of the claims table, the Claims page's query parameter for it, or None)
SCOPES = {
    "outlet": ("source_publisher", "source"),
    "claimant": ("claimant", "claimant"),
    "cited": ("attributed_to", "attributed"),
}
FEW = 5  # fewer checkable claims than this: the scorecard says it rests on too few to mean much
WRONG = ("overstated", "understated", "wrong_measure")  # a checkable claim the record does not bear out


def _link(scope: str, name: str, rows: pd.DataFrame) -> str:
    column, param = SCOPES[scope]
    if scope == "outlet":  # the list filters by document: every document of the outlet
        return "claims?source=" + ",".join(sorted(set(rows["source_id"])))
    return f"claims?{param}={query.slug(name)}"


def scorecards(table: pd.DataFrame) -> pd.DataFrame:
    """One row per outlet, claimant and cited agency: claims, checkable claims, each verdict's count, a plain caveat."""
    out = []
    for scope, (column, _) in SCOPES.items():
        for name, rows in table.groupby(table[column].astype(str), sort=True):
            counts = rows["verdict"].value_counts()
            checkable = int(len(rows) - counts.get("unverifiable", 0))
            consistent = int(counts.get("consistent", 0))
            wrong = int(sum(counts.get(v, 0) for v in WRONG))
            if checkable == 0:
                rests_on = "no claim an official series can settle"
            elif checkable < FEW:
                rests_on = f"only {checkable} checkable claim{'s' if checkable > 1 else ''}: too few to judge"
            else:
                rests_on = f"{checkable} checkable claims"
            out.append(
                {
                    "scope": scope,
                    "name": name,
                    "claims": len(rows),
                    "checkable": checkable,
                    **{verdict: int(counts.get(verdict, 0)) for verdict in checks.VERDICTS},
                    "consistent_share": round(consistent / checkable, 3) if checkable else math.nan,
                    "wrong": wrong,
                    "wrong_share": round(wrong / checkable, 3) if checkable else math.nan,
                    "rests_on": rests_on,
                    "link": _link(scope, name, rows),
                }
            )
    frame = pd.DataFrame(out)
    return frame.sort_values(["scope", "claims", "name"], ascending=[True, False, True], kind="stable").reset_index(drop=True)


def _rounding(value: float) -> float:
    """Half a unit of the last significant digit a number is written to: 105,000 -> 500, 2.4 -> 0.05."""
    digits = checks.significant_digits(value)
    return 0.5 * 10 ** (math.floor(math.log10(abs(value))) - digits + 1)


def same_figure(a: float, b: float) -> bool:
    """True when two stated numbers are one figure written to different roundings: 105,000 and 105,400, not 107,000."""
    return abs(a - b) <= max(_rounding(a), _rounding(b))


KEY = ("metric", "substance", "_place", "period_start", "period_end", "unit_canonical")


def repeats(table: pd.DataFrame) -> pd.DataFrame:
    """Every appearance of a figure printed by more than one outlet, grouped, oldest first within each group."""
    rows = table.assign(
        _place=table["geography"].map(periods.jurisdiction),
        unit_canonical=table["unit_canonical"] if "unit_canonical" in table else table["unit"],
    )
    value_of = rows["value_canonical"].astype("float64").to_dict()
    publisher_of = rows["source_publisher"].to_dict()
    groups = []
    for _, same in rows.groupby(list(KEY), dropna=False, sort=True):
        if same["source_publisher"].nunique() < 2:
            continue  # one outlet: no figure of this key can be repeated by two
        current: list[int] = []
        for i in same.sort_values("value_canonical", kind="stable").index:
            if current and not same_figure(value_of[current[-1]], value_of[i]):
                groups.append(current)
                current = []
            current.append(i)
        groups.append(current)
    out = []
    seen: set[str] = set()
    for members in groups:
        if len({publisher_of[i] for i in members if pd.notna(publisher_of[i])}) < 2:
            continue
        part = rows.loc[members]
        part = part.sort_values(["said_on", "id"], kind="stable", na_position="last")
        first = part.iloc[0]
        period = f"{first['period_end']:%Y-%m}" if pd.notna(first["period_end"]) else "no-period"
        value = query.format_number(float(first["value_canonical"]))
        figure_id = query.slug(f"{first['metric']} {first['substance']} {first['_place']} {period} {value}")
        while figure_id in seen:  # two groups differing only in the start of their period
            figure_id += "-2"
        seen.add(figure_id)
        where = display.place_name(str(first["_place"]))
        when = (
            checks.describe_window(first["period_start"].date(), first["period_end"].date())
            if pd.notna(first["period_start"]) and pd.notna(first["period_end"])
            else "no period stated"
        )
        figure = f"{display.metric_label(first['metric'])}: {display.substance_label(first['substance'])}, {where}, {when}"
        for n, row in enumerate(part.itertuples(index=False)):
            out.append(
                {
                    "figure_id": figure_id,
                    "figure": figure,
                    "appearance": n + 1,
                    "first_appearance": n == 0,
                    "id": row.id,
                    "said_on": row.said_on,
                    "outlet": row.source_publisher,
                    "claimant": row.claimant,
                    "value": row.value,
                    "unit": row.unit,
                    "verdict": row.verdict,
                    "quote": row.quote,
                    "source_url": row.source_url,
                }
            )
    columns = ["figure_id", "figure", "appearance", "first_appearance", "id", "said_on", "outlet", "claimant", "value", "unit"]
    frame = pd.DataFrame(out, columns=[*columns, "verdict", "quote", "source_url"])
    # the figures repeated most widely first; each figure's appearances stay in order
    outlets = frame.groupby("figure_id")["outlet"].transform("nunique")
    order = frame.assign(_outlets=-outlets).sort_values(["_outlets", "figure_id", "appearance"], kind="stable")
    return order.drop(columns="_outlets").reset_index(drop=True)
