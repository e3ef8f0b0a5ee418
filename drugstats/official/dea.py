"""The DEA's published figures (pills and powder seized, laboratory shares): dea_figures.csv read into a table of the
agency's own statements, each with its sentence, address and date, every version kept.

These are what the DEA said, not a measured series: a claim is checked against them as the agency's word. Where the
DEA published a figure twice (a year-end number, revised later), both rows stay, each dated.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

import pandas as pd

from drugstats.errors import Problem
from drugstats.official import csvtable

DATASET = "dea-figures"
FILE = "dea_figures.csv"

DEA_COLUMNS = {
    c: c
    for c in (
        "figure_id",
        "value",
        "unit",
        "measure",
        "period_start",
        "period_end",
        "geography",
        "sentence",
        "url",
        "published",
        "read_from",
    )
}

COLUMNS = [
    "figure_id",
    "agency",
    "metric",
    "substance",
    "value",
    "unit",
    "qualifier",
    "period_start",
    "period_end",
    "published",
    "published_by",
    "measure",
    "sentence",
    "url",
    "read_from",
    "unit_as_stated",
    "period_as_stated",
    "in_checks",
    "not_in_checks",
]

# The unit column's words -> (metric, unit, factor to that unit). A share is stated as a fraction (0.4): percent here.
_UNITS = (
    (re.compile(r"^(?:counterfeit\s+)?pills\b", re.I), "drug_seized", "pills", 1.0),
    (re.compile(r"^pounds\b", re.I), "drug_seized", "lb", 1.0),
    (re.compile(r"^share\b", re.I), "lethal_pill_share", "percent", 100.0),
)
# The qualifier the unit column gives in parentheses: "pills (more than)", "pounds (nearly)".
_QUALIFIERS = (
    (re.compile(r"\((?:more than|over)\b", re.I), "more_than"),
    (re.compile(r"\(nearly\b", re.I), "nearly"),
    (re.compile(r"\(approximately\b", re.I), "about"),
)
# Rows the checks do not use, and why: a figure of other agencies, or a page of low trust.
_NOT_DEAS = (
    ("unit", re.compile(r"all law enforcement agencies", re.I), "not the DEA's own count (all law enforcement agencies)"),
    ("read_from", re.compile(r"low trust", re.I), "read on a third-party page of low trust"),
)
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\b")


def _first_day(text: str) -> date | None:
    m = _PARTIAL.match(text.strip())
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def last_day(text: str) -> date | None:
    """The last day a date as precise as the text gives it can be: "2024" -> 2024-12-31, "2022-11" -> 2022-11-30."""
    m = _PARTIAL.match(text.strip())
    if not m:
        return None
    year = int(m.group(1))
    try:
        if m.group(3):
            return date(year, int(m.group(2)), int(m.group(3)))
        month = int(m.group(2) or 12)
        return date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        return None


def parse_dea(data: bytes, path: str) -> tuple[pd.DataFrame, list[Problem]]:
    """dea_figures.csv as the agency figures table; a row that cannot be read is a problem naming its line and column."""
    table, problems = csvtable.read_table(data, path, DEA_COLUMNS, {}, str.strip, whole=True)
    if table is None:
        return pd.DataFrame(columns=COLUMNS), problems
    f = table.frame
    f["_record"] = f["figure_id"]
    values, empty, bad = csvtable.numbers(f["value"])
    problems += table.rows(bad | empty | (values <= 0), "value", lambda v: f"expected a number above zero, got {v!r}")
    starts, ends = f["period_start"].map(_first_day), f["period_end"].map(last_day)
    problems += table.rows(starts.isna(), "period_start", lambda v: f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {v!r}")
    problems += table.rows(ends.isna(), "period_end", lambda v: f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {v!r}")
    problems += table.rows(
        f["geography"] != "United States", "geography", lambda v: f"only national figures are read (United States), got {v!r}"
    )
    problems += table.rows(f["figure_id"].duplicated(), "figure_id", lambda v: f"{v!r} is given twice")
    problems += table.rows(f["sentence"] == "", "sentence", lambda v: "is empty: every figure carries its sentence")
    if problems:
        return pd.DataFrame(columns=COLUMNS), problems
    rows = []
    for i, row in f.iterrows():
        metric, unit, factor = next(((m, u, k) for pattern, m, u, k in _UNITS if pattern.match(row["unit"])), ("", "", 1.0))
        qualifier = next((q for pattern, q in _QUALIFIERS if pattern.search(row["unit"])), "exact")
        why = next((w for column, pattern, w in _NOT_DEAS if pattern.search(row[column])), "")
        if not metric:
            why = why or "not a total seized nor a laboratory share, which are what claims are checked against"
        period = f"{row['period_start']} to {row['period_end']}"
        rows.append(
            {
                "figure_id": row["figure_id"],
                "agency": "DEA",
                "metric": metric,
                "substance": "fentanyl",  # every figure of the file is of fentanyl (its PROVENANCE.md)
                "value": round(float(values[i]) * factor, 10),  # 0.29 x 100 is 28.999999999999996 in floats
                "unit": unit,
                "qualifier": qualifier,
                "period_start": pd.Timestamp(starts[i]),
                "period_end": pd.Timestamp(ends[i]),
                "published": row["published"],
                "published_by": pd.Timestamp(last_day(row["published"])) if last_day(row["published"]) else pd.NaT,
                "measure": row["measure"],
                "sentence": row["sentence"],
                "url": row["url"],
                "read_from": row["read_from"],
                "unit_as_stated": row["unit"],
                "period_as_stated": period,
                "in_checks": not why,
                "not_in_checks": why,
            }
        )
    out = pd.DataFrame(rows, columns=COLUMNS)
    out = out.astype({"value": "float64", "in_checks": bool})
    for column in ("period_start", "period_end", "published_by"):
        out[column] = pd.to_datetime(out[column]).astype("datetime64[s]")
    return out, []
