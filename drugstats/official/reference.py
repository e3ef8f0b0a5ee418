"""Reference values (the DEA's lethal dose and potency, final counts and rates published in text): reference_values.yaml,
each traced to a line of figures.csv."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from drugstats.claims import load
from drugstats.claims.models import ReferenceValue, reference_rules
from drugstats.errors import Problem
from drugstats.official import (
    csvtable,
    fields,
    fields_reference,  # noqa: F401 (declares the reference_values table)
)

DATASET = "figures-from-text"


# figures.csv wording -> drugstats unit / geography
FIGURE_UNITS = {
    "deaths": "deaths",
    "milligrams": "mg",
    "times more potent": "times",
    "deaths per 100,000 standard population": "per_100k",
}


# figures.csv wording of a rate -> its basis: NCHS age-adjusts to a standard population; a crude rate has none
FIGURE_RATE_BASIS = {"deaths per 100,000 standard population": "age_adjusted"}


FIGURE_GEOGRAPHY = {"United States": "US", "n/a": None}


_UNVERIFIED_URL = re.compile(r"UNVERIFIED-URL\([^)]*\):\s*(\S+)")


def parse_figures(data: bytes, path: str) -> tuple[dict[int, dict[str, str]], list[Problem]]:
    """figures.csv as {line: row}."""
    table, problems = csvtable.read_table(data, path, {c: c for c in _FIGURES_COLUMNS}, {}, str.strip)
    if table is None:
        return {}, problems
    rows = table.frame.drop(columns="_line").to_dict("records")
    return dict(zip(table.frame["_line"].tolist(), rows, strict=True)), problems


_FIGURES_COLUMNS = (
    "figure",
    "value",
    "unit",
    "period",
    "geography",
    "source_title",
    "source_url",
    "published",
    "quote",
    "read_at",
    "primary_or_secondary",
)


_REFERENCE_TEXT = (
    "id",
    "figure",
    "metric",
    "substance",
    "unit",
    "period",
    "quote",
    "source_title",
    "source_url",
    "publisher",
    "published",
    "read_at",
    "primary_or_secondary",
)


def parse_reference_values(
    path: Path, display: str, figures: Mapping[int, Mapping[str, str]], figures_path: str
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read reference_values.yaml with the hardened claims reader, validate each entry, trace it to figures.csv."""
    problems: list[Problem] = []
    records = []
    for located in load.read_records(path, display, problems):
        ref = load.validate_record(ReferenceValue, located, problems)
        if ref is None:
            continue
        found = reference_rules(ref) + _trace(ref.model_dump(), figures, figures_path)
        problems += [Problem(display, located.lines.get(key, located.line), ref.id, key, msg) for key, msg in found]
        if not found:
            records.append(ref.model_dump())
    ids = [r["id"] for r in records]
    problems += [
        Problem(display, None, rid, "id", "duplicate reference value id") for rid in sorted({i for i in ids if ids.count(i) > 1})
    ]
    frame = pd.DataFrame(records, columns=fields.columns("reference_values"))
    frame = frame.astype({"value": "float64", "url_seen": bool})
    for column in ("period_start", "period_end"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[s]")
    return frame, problems


def _trace(entry: Mapping[str, Any], figures: Mapping[int, Mapping[str, str]], figures_path: str) -> list[tuple[str, str]]:
    """Differences between a reference value and the figures.csv line it says it copies."""
    line = entry.get("figures_csv_line")
    if not isinstance(line, int) or line not in figures:
        return [("figures_csv_line", f"{line!r} is not a data line of {figures_path}")]
    row = figures[line]
    src = f"{figures_path}:{line}"
    out = []
    try:
        if float(row["value"]) != entry.get("value"):
            out.append(("value", f"{entry.get('value'):g} differs from {row['value']!r} in {src}"))
    except (TypeError, ValueError):
        out.append(("value", f"{src} gives {row['value']!r}, which is not a number"))
    if FIGURE_UNITS.get(row["unit"]) != entry.get("unit"):
        out.append(("unit", f"{entry.get('unit')!r} does not match {row['unit']!r} in {src}"))
    if entry.get("rate_basis") != FIGURE_RATE_BASIS.get(row["unit"]):
        expected = FIGURE_RATE_BASIS.get(row["unit"])
        out.append(
            (
                "rate_basis",
                f"{entry.get('rate_basis')!r} does not match {row['unit']!r} in {src}"
                + (f": expected {expected!r}" if expected else ": it states no rate basis"),
            )
        )
    geography = FIGURE_GEOGRAPHY.get(row["geography"], row["geography"])
    if geography != entry.get("geography"):
        out.append(("geography", f"{entry.get('geography')!r} does not match {row['geography']!r} in {src}"))
    unverified = _UNVERIFIED_URL.fullmatch(row["source_url"])
    url, seen = (unverified.group(1), False) if unverified else (row["source_url"], True)
    if entry.get("source_url") != url or entry.get("url_seen") is not seen:
        out.append(("source_url", f"expected {url!r} with url_seen {str(seen).lower()}, as in {src}"))
    for key in ("figure", "period", "quote", "source_title", "published", "read_at", "primary_or_secondary"):
        if entry.get(key) != row[key]:
            out.append((key, f"differs from {src}, which has {row[key]!r}"))
    if re.fullmatch(r"\d{4}", row["period"]):
        expected = (f"{row['period']}-01-01", f"{row['period']}-12-31")
        got = tuple(str(entry.get(k)) for k in ("period_start", "period_end"))
        if got != expected:
            out.append(("period_start", f"the period {row['period']} runs {expected[0]} to {expected[1]}"))
    return out
