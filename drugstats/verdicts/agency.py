"""A DEA figure against what the DEA itself published for that period (pure): the agency's word, not a measured series.

Which published figure a claim meets: one of the same kind (pills seized, powder seized, laboratory share), of
fentanyl, nationwide, for the claim's period (the same first day; for totals, a last day within two weeks, so "so far
this year" on December 20 meets the year-end announcement). Where the DEA published more than one version:
- the claim is consistent when it fits any version (the DEA did publish it), and the explanation names that version,
  the others, and the one in force on the claim's date where that is another;
- otherwise, when every version gives the same verdict, that verdict, against the version in force on the claim's
  date (the latest published on or before it) or, where dates do not say, the first published;
- otherwise the version in force on the claim's date decides, and where the dates cannot say which was in force,
  the claim is `unverifiable`, naming both.
A figure for one DEA field division or state is `unverifiable`: the DEA's national figures are never used for a place.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from drugstats import vocab
from drugstats.official import dea
from drugstats.verdicts.record import Measure, OfficialRecord, Verdict, claim_date, describe_window, fmt, judge, unverifiable
from drugstats.verdicts.tolerance import Tolerances, compare

FIELD_DIVISION = re.compile(r"\b(?:[A-Z][a-z]+\s+){1,3}(?:Field\s+)?Division\b")  # "Rocky Mountain Field Division"
STATEMENT_NOTE = " This is checked against the agency's own published statement, not against a measured series."
END_SLACK_DAYS = 14  # "so far this year", said on December 20, is the year's figure as announced


def _kind(claim: pd.Series) -> tuple[str, str] | None:
    """(metric, unit) of the agency figures a claim can meet: pills or lb seized, or a laboratory share."""
    if claim["metric"] == "lethal_pill_share":
        return "lethal_pill_share", "percent"
    if claim["metric"] == "drug_seized" and claim["unit"] == "pills":
        return "drug_seized", "pills"
    if claim["metric"] == "drug_seized" and claim["unit"] in vocab.MG_PER_UNIT:
        return "drug_seized", "lb"
    return None


def _stated(claim: pd.Series, unit: str) -> float:
    if unit == "lb":
        return vocab.convert_mass(float(claim["value"]), claim["unit"], "lb")
    return float(claim["value"])


def _published(row: pd.Series) -> str:
    return f"{row['published']}"


def measure_of(row: pd.Series, citation: str = "") -> Measure:
    """An agency figure as the checks compare with it."""
    start, end = row["period_start"].date(), row["period_end"].date()
    what = "pills" if row["unit"] == "pills" else "powder" if row["unit"] == "lb" else "share"
    label = {
        "pills": "the DEA's published count of fentanyl pills it seized",
        "powder": "the DEA's published weight of fentanyl powder it seized",
        "share": "the DEA laboratory's published share of fentanyl pills with a potentially lethal dose",
    }[what]
    return Measure(
        value=float(row["value"]),
        unit=row["unit"],
        label=label,
        window=describe_window(start, end),
        series=dea.DATASET,
        release=str(row["published"]),
        kind="statement",
        window_start=start,
        window_end=end,
        citation=citation or f"DEA, {row['measure']}, published {row['published']}: {row['url']} (read in {row['read_from']})",
        substance="fentanyl",
    )


def _versions(rows: pd.DataFrame) -> str:
    """Every version, dated: "DEA published 2 versions for this period: over 77,000,000 pills (2024-01-17), ..."."""
    if len(rows) < 2:
        return ""
    parts = [f"{_said(r)} (published {_published(r)})" for _, r in rows.iterrows()]
    return f" The DEA published {len(rows)} versions of this figure: {'; '.join(parts)}."


def _said(row: pd.Series) -> str:
    qualifier = row["qualifier"].replace("_", " ")
    number = fmt(float(row["value"]), row["unit"]) if row["unit"] != "percent" else f"{float(row['value']):g}%"
    return number if qualifier == "exact" else f"{qualifier} {number}"


def _in_force(rows: pd.DataFrame, on: date | None) -> pd.Series | None:
    """The version in force on the day: the latest certainly published by then; None where the dates cannot say."""
    if on is None:
        return None
    dated = rows[rows["published_by"].notna() & (rows["published_by"] <= pd.Timestamp(on))]
    return dated.sort_values("published_by").iloc[-1] if len(dated) else None


def _first(rows: pd.DataFrame) -> pd.Series:
    dated = rows.sort_values("published_by", na_position="last")
    return dated.iloc[0]


def candidates(figures: pd.DataFrame, metric: str, unit: str, start: date, end: date) -> pd.DataFrame:
    """The published figures a claim of the kind and period can meet (those the checks use), oldest first."""
    rows = figures[
        figures["in_checks"]
        & (figures["metric"] == metric)
        & (figures["unit"] == unit)
        & (figures["period_start"] == pd.Timestamp(start))
    ]
    if metric == "drug_seized":
        rows = rows[(rows["period_end"] - pd.Timestamp(end)).abs() <= pd.Timedelta(days=END_SLACK_DAYS)]
    return rows.sort_values(["published_by", "figure_id"], na_position="last")


def check_agency(claim: pd.Series, record: OfficialRecord, tol: Tolerances) -> Verdict:
    """A DEA seizure total or laboratory share against what the DEA published for that period."""
    figures = record.agency_figures
    if figures is None or figures.empty:
        return unverifiable(claim, "drugstats holds no figures published by the DEA to check this against.")
    kind = _kind(claim)
    if kind is None:
        return unverifiable(claim, "The DEA publishes its seizures as pills or as a weight of powder; this unit is neither.")
    if claim["substance"] != "fentanyl":
        return unverifiable(claim, "The DEA figures drugstats holds are of fentanyl only.")
    geography = claim.get("geography")
    place = geography if isinstance(geography, str) else None
    division = FIELD_DIVISION.search(str(claim.get("quote") or ""))
    # A total seized with no place stated may be one field division's ("nearly 2 million pills", said of the Rocky
    # Mountain Field Division): only a claim that says it is national meets the national figure.
    if (place is not None and place != "US") or division or (place is None and kind[0] == "drug_seized"):
        why = f"The claim names the DEA's {division.group(0)}. " if division else ""
        if place is None and not division:
            why = "The claim does not say the figure is national (geography US), and a DEA total may be one division's. "
        return unverifiable(
            claim,
            why + "The DEA figures drugstats holds are national; the DEA published no figure for one field division or "
            "place among them, and a national figure is never used for a place.",
        )
    if pd.isna(claim["period_start"]):
        return unverifiable(claim, "The claim gives no period, so no figure the DEA published for a period can be matched.")
    start, end = claim["period_start"].date(), claim["period_end"].date()
    rows = candidates(figures, *kind, start, end)
    if rows.empty:
        return unverifiable(
            claim, f"The DEA published no figure of this kind for {describe_window(start, end)} among those held."
        )
    stated = _stated(claim, kind[1])
    on = claim_date(claim)
    versions = _versions(rows)
    fits = rows[[compare(stated, claim["qualifier"], float(v), tol) == "consistent" for v in rows["value"]]]
    if len(fits):
        chosen = _in_force(fits, on)
        chosen = chosen if chosen is not None else _first(fits)
    else:
        outcomes = {compare(stated, claim["qualifier"], float(v), tol) for v in rows["value"]}
        chosen = _in_force(rows, on)
        if chosen is None and len(outcomes) == 1:
            chosen = _first(rows)
        if chosen is None:
            return unverifiable(
                claim,
                "The claim fits none of the DEA's versions of this figure, and their dates do not say which was in force "
                f"on the claim's date.{versions}",
            )
    verdict = judge(claim, measure_of(chosen), tol, stated=stated)
    text = verdict.explanation + f' The DEA\'s words ({_published(chosen)}): "{chosen["sentence"]}"' + versions
    in_force = _in_force(rows, on)
    if len(rows) > 1 and in_force is not None and in_force["figure_id"] != chosen["figure_id"]:
        text += f" On the claim's date the DEA's latest version was {_said(in_force)} (published {_published(in_force)})."
    elif len(rows) > 1 and not len(fits) and in_force is not None:
        text += " The claim is judged against the version in force on its date."
    return Verdict(claim["id"], verdict.verdict, text + STATEMENT_NOTE, verdict.measure, verdict.ratio)
