"""Query parameters: every value checked, anything odd falls back to the default, nothing echoed.

A page's view is parsed from the query string with these, and written back with query_from, so a URL restores a view.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from drugstats.claims.safetext import CONTROL

MAX_PARAM_CHARS = 200  # longer than any value we write; a longer one is not ours


LIST_SEPARATOR = ","


def single_value(raw: str | Sequence[str] | None) -> str | None:
    """The one value of a parameter, or None when absent, repeated, too long, or carrying control characters."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        values = list(raw)
        if len(values) != 1 or not isinstance(values[0], str):
            return None
        raw = values[0]
    if len(raw) > MAX_PARAM_CHARS or CONTROL.search(raw):
        return None
    return raw


def parse_choice(raw: str | Sequence[str] | None, allowed: Iterable[str], default: str | None) -> str | None:
    """One of the allowed values, exactly as spelled, else the default."""
    value = single_value(raw)
    return value if value is not None and value in set(allowed) else default


def parse_multi(raw: str | Sequence[str] | None, allowed: Iterable[str], default: Sequence[str]) -> tuple[str, ...]:
    """A comma-separated list of allowed values (deduplicated, in the order given); the default if any item is unknown."""
    value = single_value(raw)
    if not value:
        return tuple(default)
    items = value.split(LIST_SEPARATOR)
    allowed = set(allowed)
    if any(item not in allowed for item in items):
        return tuple(default)
    return tuple(dict.fromkeys(items))


_DECIMAL = re.compile(r"^[0-9]{1,13}(?:\.[0-9]{1,6})?$")


def parse_number(raw: str | Sequence[str] | None, default: float | None, *, maximum: float = 1e12) -> float | None:
    """A plain positive decimal (no sign, exponent, separators or words such as inf or nan), else the default."""
    value = single_value(raw)
    if value is None or not _DECIMAL.match(value):
        return default
    number = float(value)
    return number if math.isfinite(number) and 0 < number <= maximum else default


def parse_text(raw: str | Sequence[str] | None, *, max_chars: int = 100) -> str:
    """Free text for a search box: printable, at most max_chars, else empty."""
    value = single_value(raw)
    if value is None or len(value) > max_chars:
        return ""
    return unicodedata.normalize("NFC", value).strip()


def slug(text: str) -> str:
    """A URL-friendly name for a facet value such as a claimant ('NCHS (CDC)' -> 'nchs-cdc')."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def format_number(number: float) -> str:
    """A number as we write it in a URL: no exponent, no trailing zeros."""
    text = f"{number:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def query_from(values: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict[str, str]:
    """The query parameters of a view: only the values that differ from the defaults, lists comma-joined."""
    out = {}
    for key, value in values.items():
        if value == defaults.get(key) or value is None or value == () or value == "":
            continue
        if isinstance(value, tuple | list):
            out[key] = LIST_SEPARATOR.join(value)
        elif isinstance(value, float):
            out[key] = format_number(value)
        else:
            out[key] = str(value)
    return out


_YEAR = re.compile(r"^([0-9]{4})$")  # ASCII digits only, as in a value: not "２０２２"


_FISCAL = re.compile(r"^fy([0-9]{4})$")


_MONTHS = re.compile(r"^([0-9]{4})-([0-9]{2})/([0-9]{4})-([0-9]{2})$")


FIRST_YEAR, LAST_YEAR = 1999, 2100


FIRST_YEAR, LAST_YEAR = 1999, 2100


def parse_period(raw: str | Sequence[str] | None) -> tuple[date, date] | None:
    """A period as written in a URL: 2021 (calendar year), fy2022 (fiscal year), 2022-02/2023-01 (months)."""
    value = single_value(raw)
    if value is None:
        return None
    value = value.strip().lower()
    if m := _YEAR.match(value):
        year = int(m.group(1))
        return (date(year, 1, 1), date(year, 12, 31)) if FIRST_YEAR <= year <= LAST_YEAR else None
    if m := _FISCAL.match(value):
        year = int(m.group(1))
        return (date(year - 1, 10, 1), date(year, 9, 30)) if FIRST_YEAR <= year <= LAST_YEAR else None
    if m := _MONTHS.match(value):
        y1, m1, y2, m2 = (int(g) for g in m.groups())
        if not (FIRST_YEAR <= y1 <= LAST_YEAR and FIRST_YEAR <= y2 <= LAST_YEAR and 1 <= m1 <= 12 and 1 <= m2 <= 12):
            return None
        start = date(y1, m1, 1)
        end = (pd.Timestamp(y2, m2, 1) + pd.offsets.MonthEnd(0)).date()
        return (start, end) if start <= end else None
    return None


def format_period(period: tuple[date, date] | None) -> str:
    """The URL form of a period (see parse_period)."""
    if period is None:
        return ""
    start, end = period
    if start.month == 1 and start.day == 1 and end == date(start.year, 12, 31):
        return str(start.year)
    if start.month == 10 and start.day == 1 and end == date(start.year + 1, 9, 30):
        return f"fy{end.year}"
    return f"{start:%Y-%m}/{end:%Y-%m}"
