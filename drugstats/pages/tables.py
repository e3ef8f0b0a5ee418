"""One display rule for every table a person sees: a label for each column, the decimals drugstats.official.fields
declares for it, thousands separators, and an empty cell where a value is missing. Downloads keep machine names.

Pure: it decides what each column is; views/_ui.table turns that into Streamlit's column settings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from drugstats.official import fields

# Labels a name alone does not give well; any other column is its name in words ("period_end" -> "Period end").
LABELS = {
    "id": "ID",
    "url": "URL",
    "url_seen": "URL read",
    "source_url": "Source",
    "source_title": "Headline",
    "source_id": "Source",
    "republished_url": "Copy read",
    "republished_by": "Read in a copy by",
    "secondary_copy": "Read in a copy",
    "geography": "Place",
    "substance": "Drug",
    "window_months": "Window (months)",
    "deaths_reported": "Deaths reported",
    "deaths_predicted": "Deaths predicted by CDC",
    "release_estimated": "Release date estimated",
    "release_name": "Release",
    "release_basis": "How the release date was set",
    "official_release_name": "Release",
    "official_release_before_name": "Release before",
    "official_release_after_name": "Release after",
    "release_at_claim_name": "Release of the claim's day",
    "partial_year": "Partial year (to date)",
    "rests_on": "Rests on",
    "sha256": "SHA-256",
    "said_on": "When",
    "claimed_on": "Claimed on",
    "attributed_to": "Cites",
    "claimant": "Said by",
    "bears_on": "Bears on",
    "language_note": "Note on the wording",
    "consistent_share": "Consistent, of checkable",
}
_UNITS = {"lb": "lb", "kg": "kg", "mg": "mg", "percent": "%", "ms": "ms", "mb": "MB"}
_HIDDEN = ("id",)  # record ids: a person reads the quote, the name, the link; downloads keep them


def label(column: str) -> str:
    """A column's header for people: "Seized (lb)", "Fiscal year", "Source", never snake_case."""
    if column in LABELS:
        return LABELS[column]
    stem, _, last = column.rpartition("_")
    unit = _UNITS.get(last) if stem else None
    words = (stem if unit else column).replace("_", " ").strip()
    words = words[:1].upper() + words[1:]
    words = words.replace("Url", "URL").replace(" url", " URL").replace(" id", " ID")
    return f"{words} ({unit})" if unit else words


@dataclass(frozen=True)
class Column:
    """How one column is shown: its header, its kind, and for numbers the decimals (None: as the value has them)."""

    name: str
    label: str
    kind: str  # number | date | boolean | link | text
    decimals: int | None = None
    hidden: bool = False


def columns(names: Iterable[str], dtypes: Iterable[str]) -> tuple[Column, ...]:
    """The display of each column of a frame, from its name and dtype (both hashable, so a page can keep the answer)."""
    shown = fields.shown_by_column()
    out = []
    for name, dtype in zip(names, dtypes, strict=True):
        name = str(name)
        kind = "text"
        decimals = None
        if dtype.lower().startswith(("int", "uint")):
            kind, decimals = "number", 0
        elif dtype.lower().startswith("float"):
            kind, decimals = "number", shown.get(name)
        elif dtype.startswith("datetime"):
            kind = "date"
        elif dtype.lower() in ("bool", "boolean"):
            kind = "boolean"
        elif name == "url" or name.endswith("_url"):
            kind = "link"
        out.append(Column(name, label(name), kind, decimals, hidden=name in _HIDDEN or name.endswith("_id")))
    return tuple(out)


_MISSING_WORDS = frozenset({"None", "nan", "NaN", "NaT", "<NA>", "null"})


def for_people(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with text cells that spell a missing value ("None", "nan") made missing, so the table shows an empty
    cell; the values themselves untouched (a number stays a number, so the column sorts as numbers)."""
    out = frame
    for name in frame.columns:
        column = frame[name]
        if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
            spelled = column.map(lambda v: isinstance(v, str) and v.strip() in _MISSING_WORDS)
            if spelled.any():
                out = out.copy() if out is frame else out
                out[name] = column.mask(spelled, None)
    return out
