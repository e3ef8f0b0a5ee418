"""CDC's VSRR provisional drug overdose death counts: what the files say, read into the overdose_deaths frame."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from drugstats.errors import Problem
from drugstats.official import csvtable, periods

DATASET = "cdc-vsrr"


# CDC VSRR indicator (verbatim) -> drugstats substance id.
VSRR_SUBSTANCE = {
    "Number of Drug Overdose Deaths": "all_drugs",
    "Opioids (T40.0-T40.4,T40.6)": "opioids",
    "Natural, semi-synthetic, & synthetic opioids, incl. methadone (T40.2-T40.4)": ("natural_semisynthetic_synthetic_opioids"),
    "Natural & semi-synthetic opioids, incl. methadone (T40.2, T40.3)": "prescription_opioids",
    "Natural & semi-synthetic opioids (T40.2)": "natural_semisynthetic_opioids",
    "Methadone (T40.3)": "methadone",
    "Synthetic opioids, excl. methadone (T40.4)": "fentanyl",
    "Heroin (T40.1)": "heroin",
    "Cocaine (T40.5)": "cocaine",
    "Psychostimulants with abuse potential (T43.6)": "methamphetamine",
}


# Indicators that are not overdose death counts: recognised and checked, but kept out of the
# overdose_deaths frame, whose deaths_* columns would otherwise mix all-cause deaths and percentages
# into drug death counts. They stay in the raw files.
VSRR_CONTEXT = {
    "Number of Deaths": "count",  # deaths from all causes
    "Percent with drugs specified": "percent",
    "Percent pending investigation": "percent",
}


# Footnote symbols of the release files, in words (the files' own footnote text, where they have
# a Footnote column, takes precedence).
VSRR_FOOTNOTES = {
    "**": "Numbers may differ from published reports using final data. See Technical Notes.",
    "*": "Underreported due to incomplete data.",
}


VSRR_PERIOD = "12 month-ending"


def _uniform_footnote(text: pd.Series) -> pd.Series:
    """CDC's footnotes as one text per meaning across releases: spaces collapsed, the leading "*" of older releases
    dropped, each ending with a full stop ("Underreported due to incomplete data" and "... data." were two values)."""
    text = text.str.replace(r"\s+", " ", regex=True).str.strip().str.lstrip("*").str.strip()
    return text.where(text.isna() | (text == "") | text.str.endswith("."), text + ".")


VSRR_WINDOW_MONTHS = 12


FIRST_YEAR = 1999  # the ICD-10 codes (T40.x) the counts are kept by start with 1999's deaths
MAX_COUNT = 10_000_000  # the US records about 3.3 million deaths from all causes a year


# Columns a VSRR file must have, in the API's snake_case; release files spell them "Data Value" etc.
VSRR_COLUMNS = ("state", "year", "month", "period", "indicator", "data_value", "predicted_value", "footnote_symbol")


VSRR_OPTIONAL = ("footnote",)


@dataclass(frozen=True)
class Layout:
    """An older VSRR file layout: the columns it lacks, read as empty (never filled in with a guess),
    or as a value the layout states for every row."""

    name: str
    absent: tuple[str, ...]
    implied: Mapping[str, str] = field(default_factory=dict)


# Older releases kept as their copies were published; the current layout (VSRR_COLUMNS) is tried first.
OLDER_LAYOUTS = (
    # Releases of 2017: 10 columns, before CDC added Predicted Value and Footnote Symbol.
    Layout("2017 (no Predicted Value, no Footnote Symbol)", ("predicted_value", "footnote_symbol")),
    # The copy of the release with latest period March 2018: no Period column. Its counts equal the
    # 12 month-ending counts of the other releases where those were final (December 2016), so it states
    # the same period for every row.
    Layout("2018-03 copy (no Period, no Footnote Symbol)", ("period", "footnote_symbol"), {"period": VSRR_PERIOD}),
)


def _header(data: bytes) -> set[str]:
    """The file's column names, normalised; empty when the file cannot be read (read_table then says why)."""
    try:
        first = data.decode("utf-8-sig").split("\n", 1)[0]
    except UnicodeDecodeError:
        return set()
    return {_snake(h) for h in next(csv.reader(io.StringIO(first)), [])}


def _layout(data: bytes) -> Layout | None:
    """The older layout the file's header matches exactly; None for the current one or one we do not know."""
    found = _header(data)
    if set(VSRR_COLUMNS) <= found:
        return None
    for layout in OLDER_LAYOUTS:
        if set(VSRR_COLUMNS) - set(layout.absent) <= found and not found & set(layout.absent):
            return layout
    return None  # the current layout's check names the missing columns


_SUPPRESSED = re.compile(r"not shown|suppressed", re.IGNORECASE)


PARSED_COLUMNS = [
    "period_end",
    "window_months",
    "geography",
    "substance",
    "indicator",
    "value_reported",
    "value_predicted",
    "flag",
    "release",
    "dataset",
    "source_url",  # None here: drugstats.official.series fills it from the dataset's metadata.yaml
    "_path",
    "_line",
    "_record",
]


# The release of about August 2021 leaves every drug indicator of some jurisdictions and months of 2016-2017 empty, with
# no footnote (their Percent Complete is empty too): CDC did not publish drug-specific counts for them. Read as not
# shown, never as zero; a single empty count among published ones is still refused.
DRUGS_UNPUBLISHED = "Drug-specific counts not published for this jurisdiction and month (every drug indicator left empty)."
_DRUG_INDICATORS = frozenset(i for i, s in VSRR_SUBSTANCE.items() if s != "all_drugs")


def _drugs_unpublished(f: pd.DataFrame) -> pd.Series:
    """Rows of a drug indicator in a jurisdiction and month whose every drug indicator is empty without a footnote."""
    drug = f["indicator"].isin(_DRUG_INDICATORS)
    blank = drug & (f["data_value"].str.strip() == "") & (f["footnote"].str.strip() == "")
    block = [f["state"], f["year"], f["month"]]
    drugs_in_block = drug.groupby(block).transform("sum")
    blank_in_block = blank.groupby(block).transform("sum")
    return (blank & (blank_in_block == drugs_in_block) & (drugs_in_block >= len(_DRUG_INDICATORS))).astype(bool)


def _snake(header: str) -> str:
    return header.strip().lower().replace(" ", "_")


def parse_vsrr(
    data: bytes, path: str, release: str, dataset: str = DATASET, *, whole: bool = False
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a VSRR file (release-file or SODA API header, or an older layout) into one row per jurisdiction,
    indicator and period.

    Context indicators (all-cause deaths, percentages) are checked and returned with substance empty;
    overdose_deaths_frame() leaves them out. whole: see csvtable.read_table.
    """
    layout = _layout(data)
    absent = layout.absent if layout else ()
    required = {c: c for c in VSRR_COLUMNS if c not in absent}
    optional = {c: c for c in (*VSRR_OPTIONAL, *absent)}
    table, problems = csvtable.read_table(data, path, required, optional, _snake, whole=whole)
    if table is None:
        return pd.DataFrame(columns=PARSED_COLUMNS), problems
    f = table.frame
    for column, value in (layout.implied if layout else {}).items():
        f[column] = value
    f["_record"] = f["state"] + " " + f["year"] + " " + f["month"] + " " + f["indicator"]
    known = {**VSRR_SUBSTANCE, **VSRR_CONTEXT}
    problems += table.rows(
        ~f["state"].str.fullmatch(r"[A-Z]{2}"), "state", lambda v: f"{v!r} is not a two-letter jurisdiction code"
    )
    year_text = f["year"].str.fullmatch(r"\d{4}")
    problems += table.rows(~year_text, "year", lambda v: f"{v!r} is not a year")
    year = pd.to_numeric(f["year"].where(year_text), errors="coerce")
    last = int(release[:4])  # a row for a year after its file's release is a wrong year, not data
    problems += table.rows(
        year_text & ((year < FIRST_YEAR) | (year > last)),
        "year",
        lambda v: f"{v!r} is not a year from {FIRST_YEAR} to the file's release ({last})",
    )
    problems += table.rows(~f["month"].isin(periods.MONTH_NAMES), "month", lambda v: f"{v!r} is not a month name such as January")
    problems += table.rows(
        f["period"] != VSRR_PERIOD, "period", lambda v: f"{v!r} is not a period we read; expected {VSRR_PERIOD!r}"
    )
    problems += table.rows(
        ~f["indicator"].isin(list(known)),
        "indicator",
        lambda v: (
            f"{v!r} is not a known indicator; add it to drugstats.official.cdc_vsrr.VSRR_SUBSTANCE"
            " (or VSRR_CONTEXT) if CDC has added it"
        ),
    )
    percent = f["indicator"].map(lambda i: VSRR_CONTEXT.get(i) == "percent").astype(bool)
    suppressed = f["footnote"].str.contains(_SUPPRESSED)
    unpublished = _drugs_unpublished(f)
    values = {}
    for column in ("data_value", "predicted_value"):
        number, empty, bad = csvtable.numbers(f[column], thousands=True)
        values[column] = number
        problems += table.rows(bad, column, lambda v: f"expected a number, got {v!r}")
        problems += table.rows(number < 0, column, lambda v: f"must be zero or more, got {v!r}")
        problems += table.rows(
            number > MAX_COUNT, column, lambda v: f"is more than {MAX_COUNT:,}, more deaths than the US has in a year: {v!r}"
        )
        problems += table.rows(
            ~percent & (number % 1 != 0) & number.notna(), column, lambda v: f"a count must be a whole number, got {v!r}"
        )
        problems += table.rows(percent & (number > 100), column, lambda v: f"a percentage must be 100 or less, got {v!r}")
        if column == "data_value":
            problems += table.rows(
                empty & ~suppressed & ~unpublished,
                column,
                lambda v: "is empty, and no footnote says the value was suppressed or not shown",
            )
    symbol = f["footnote_symbol"].str.strip()
    footnote = f["footnote"].str.strip()
    problems += table.rows(
        ~symbol.isin(["", *VSRR_FOOTNOTES]) & (footnote == ""),
        "footnote_symbol",
        lambda v: f"{v!r} is not a footnote symbol we know ({', '.join(VSRR_FOOTNOTES)}) and the row has no footnote text",
    )

    month_number = f["month"].map({m: i for i, m in enumerate(periods.MONTH_NAMES, 1)})
    first = pd.to_datetime(f["year"] + "-" + month_number.astype("Int64").astype(str) + "-1", format="%Y-%m-%d", errors="coerce")
    flag = _uniform_footnote(footnote.where(footnote != "", symbol.map(VSRR_FOOTNOTES)))
    flag = flag.mask(unpublished, DRUGS_UNPUBLISHED)
    out = pd.DataFrame(
        {
            "period_end": (first + pd.offsets.MonthEnd(0)).astype("datetime64[s]"),
            "window_months": VSRR_WINDOW_MONTHS,
            "geography": f["state"],
            "substance": f["indicator"].map(VSRR_SUBSTANCE),
            "indicator": f["indicator"],
            "value_reported": values["data_value"],
            "value_predicted": values["predicted_value"],
            "flag": flag.where(flag.notna() & (flag != "")),
            "release": pd.Timestamp(release).as_unit("s"),
            "dataset": dataset,
            "source_url": None,
            "_path": path,
            "_line": f["_line"],
            "_record": f["_record"],
        }
    )
    return out, problems


DEATHS_KEY = ["substance", "geography", "window_months", "period_end", "release"]


def overdose_deaths_frame(parts: Sequence[pd.DataFrame]) -> tuple[pd.DataFrame, list[Problem]]:
    """Stack parsed VSRR files; check no jurisdiction, indicator and period repeats within a release."""
    parsed = pd.concat(list(parts), ignore_index=True) if parts else pd.DataFrame(columns=PARSED_COLUMNS)
    problems = csvtable.duplicates(
        parsed, ["geography", "indicator", "period_end", "release"], "jurisdiction, indicator, period and release"
    )
    deaths = parsed[parsed["substance"].notna()]
    out = pd.DataFrame(
        {
            "period_end": deaths["period_end"],
            "window_months": deaths["window_months"].astype("int64"),
            "geography": deaths["geography"].astype(str),
            "substance": deaths["substance"].astype(str),
            "indicator": deaths["indicator"].astype(str),
            "deaths_reported": deaths["value_reported"].round().astype("Int64"),
            "deaths_predicted": deaths["value_predicted"].round().astype("Int64"),
            "flag": deaths["flag"].astype(str),
            "release": deaths["release"],
            "dataset": deaths["dataset"].astype(str),
            "source_url": deaths["source_url"],
        }
    )
    out = out.sort_values(["substance", "geography", "period_end", "release"], ignore_index=True)
    return out, problems
