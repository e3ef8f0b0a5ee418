"""Official series (CDC overdose deaths, CBP seizures, reference values): read, validate, query."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from drugstats import DATA_DIR, fields, load, vocab
from drugstats.errors import DataError, Problem
from drugstats.models import ReferenceValue, check_url, reference_rules

# ---------------------------------------------------------------------------------------------
# What the official files say, and what we call it
# ---------------------------------------------------------------------------------------------

CDC_VSRR = "cdc-vsrr"
CBP_SEIZURES = "cbp-seizures"
FIGURES = "figures-from-text"

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
VSRR_WINDOW_MONTHS = 12
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Columns a VSRR file must have, in the API's snake_case; release files spell them "Data Value" etc.
VSRR_COLUMNS = ("state", "year", "month", "period", "indicator", "data_value", "predicted_value", "footnote_symbol")
VSRR_OPTIONAL = ("footnote",)
_SUPPRESSED = re.compile(r"not shown|suppressed", re.IGNORECASE)

CBP_COLUMNS = {
    "FY": "fy",
    "Month (abbv)": "month_abbv",
    "Component": "component_name",
    "Region": "region",
    "Land Filter": "land_filter",
    "Area of Responsibility": "area",
    "Drug Type": "drug_type",
    "Count of Event": "events",
    "Sum Qty (lbs)": "seized_lb",
}
CBP_COMPONENT = {"Office of Field Operations": "OFO", "U.S. Border Patrol": "USBP"}
CBP_REGIONS = ("Southwest Border", "Northern Border", "Coastal/Interior")
CBP_LAND_FILTERS = ("Land Only", "Other")
CBP_DRUG = {
    "Cocaine": "cocaine",
    "Ecstasy": "ecstasy",
    "Fentanyl": "fentanyl",
    "Heroin": "heroin",
    "Ketamine": "ketamine",
    "Khat (Catha Edulis)": "khat",
    "Lsd": "lsd",
    "Marijuana": "marijuana",
    "Methamphetamine": "methamphetamine",
    "Other Drugs**": "other",
}
CBP_MONTHS = ("OCT", "NOV", "DEC", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP")
_CBP_FY = re.compile(r"^(\d{4})( \(FYTD\))?$")

LB_KG = 0.45359237  # exact, by the international yard and pound agreement
assert LB_KG * 1_000_000 == vocab.MG_PER_UNIT["lb"]

# figures.csv wording -> drugstats unit / geography
FIGURE_UNITS = {"deaths": "deaths", "milligrams": "mg", "times more potent": "times"}
FIGURE_GEOGRAPHY = {"United States": "US", "n/a": None}
_UNVERIFIED_URL = re.compile(r"UNVERIFIED-URL\([^)]*\):\s*(\S+)")

_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when libyaml is there: 10x faster

_CAP = 10  # problems listed per check and file before the rest are summarised in one line

# ---------------------------------------------------------------------------------------------
# Provenance (the metadata.yaml beside each raw dataset)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawFile:
    """One raw file as its dataset's metadata.yaml describes it."""

    name: str
    title: str
    release: str | None  # ISO date of the official release the file comes from, if known
    release_basis: str  # how the release date was established
    data_through: str | None  # ISO date: last day the data cover
    retrieved: str  # ISO date we took this copy
    rows: int
    sha256: str
    copied_from: Mapping[str, str] | None = None  # repo, commit, path of the copy we took
    downloaded_from: str | None = None  # URL or path `drugstats refresh` read
    compiled_from: str | None = None
    note: str | None = None

    def to_dict(self) -> dict:
        out: dict[str, Any] = {
            "name": self.name,
            "title": self.title,
            "release": self.release,
            "release_basis": self.release_basis,
            "data_through": self.data_through,
        }
        for key in ("copied_from", "downloaded_from", "compiled_from", "note"):
            if getattr(self, key) is not None:
                out[key] = dict(self.copied_from) if key == "copied_from" else getattr(self, key)
        out.update(retrieved=self.retrieved, rows=self.rows, sha256=self.sha256)
        return out


@dataclass(frozen=True)
class DatasetMeta:
    """Who produced a dataset, where it is published, and the raw files we hold of it."""

    dataset: str
    producer: str
    title: str
    url: str | None
    license: str
    files: tuple[RawFile, ...]

    @property
    def release(self) -> str | None:
        """The newest release among the files, ISO date; None when no file states one."""
        releases = [f.release for f in self.files if f.release]
        return max(releases) if releases else None

    def to_dict(self) -> dict:
        return {
            "dataset": self.dataset,
            "producer": self.producer,
            "title": self.title,
            "url": self.url,
            "license": self.license,
            "files": [f.to_dict() for f in self.files],
        }


def parse_metadata(doc: Any, path: str) -> tuple[DatasetMeta | None, list[Problem]]:
    """Check a loaded metadata.yaml and turn it into a DatasetMeta."""
    problems: list[Problem] = []

    def need(mapping: Any, key: str, record: str | None, kind: str, optional: bool = False) -> Any:
        value = mapping.get(key) if isinstance(mapping, dict) else None
        if value is None:
            if not optional:
                problems.append(Problem(path, None, record, key, "is required"))
            return None
        ok = {
            "text": isinstance(value, str) and value.strip() != "",
            "date": isinstance(value, date) or (isinstance(value, str) and _is_iso_date(value)),
            "count": isinstance(value, int) and not isinstance(value, bool) and value >= 0,
            "sha256": isinstance(value, str) and re.fullmatch(r"[0-9a-f]{64}", value) is not None,
            "mapping": isinstance(value, dict) and bool(value),
            "url": isinstance(value, str) and _is_http_url(value),
        }[kind]
        if not ok:
            expected = {
                "text": "text",
                "date": "a date as YYYY-MM-DD",
                "count": "a whole number, 0 or more",
                "sha256": "64 lowercase hex digits",
                "mapping": "a mapping",
                "url": "an http(s) URL",
            }[kind]
            problems.append(Problem(path, None, record, key, f"expected {expected}, got {value!r}"))
            return None
        return value.isoformat() if isinstance(value, date) else value

    if not isinstance(doc, dict):
        return None, [Problem(path, None, None, None, "expected a mapping with dataset, producer, title, files")]
    head = {key: need(doc, key, None, "text") for key in ("dataset", "producer", "title", "license")}
    url = need(doc, "url", None, "url", optional=True)  # cited with every chart: never javascript: or data:
    raw_files = doc.get("files")
    if not isinstance(raw_files, list) or not raw_files:
        problems.append(Problem(path, None, None, "files", "must list at least one file"))
        raw_files = []
    files = []
    for entry in raw_files:
        name = need(entry, "name", None, "text")
        values = {
            "title": need(entry, "title", name, "text"),
            "release": need(entry, "release", name, "date", optional=True),
            "release_basis": need(entry, "release_basis", name, "text"),
            "data_through": need(entry, "data_through", name, "date", optional=True),
            "retrieved": need(entry, "retrieved", name, "date"),
            "rows": need(entry, "rows", name, "count"),
            "sha256": need(entry, "sha256", name, "sha256"),
            "copied_from": need(entry, "copied_from", name, "mapping", optional=True),
            "downloaded_from": need(entry, "downloaded_from", name, "text", optional=True),
            "compiled_from": need(entry, "compiled_from", name, "text", optional=True),
            "note": need(entry, "note", name, "text", optional=True),
        }
        origins = [k for k in ("copied_from", "downloaded_from", "compiled_from") if values[k] is not None]
        if len(origins) != 1:
            problems.append(
                Problem(
                    path,
                    None,
                    name,
                    "copied_from",
                    f"give exactly one of copied_from, downloaded_from, compiled_from (found {len(origins)})",
                )
            )
        if name and name in {f.name for f in files}:
            problems.append(Problem(path, None, name, "name", "listed twice"))
        if name:
            files.append(RawFile(name=name, **values))
    if problems:
        return None, problems
    return DatasetMeta(files=tuple(files), url=url, **head), []


def _is_http_url(value: str) -> bool:
    try:
        check_url(value)
    except ValueError:
        return False
    return True


def _is_iso_date(value: str) -> bool:
    try:
        return len(value) == 10 and date.fromisoformat(value) is not None
    except ValueError:
        return False


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------------------------------------
# Reading CSV text into a frame of strings, every row knowing its line
# ---------------------------------------------------------------------------------------------


@dataclass
class _Table:
    path: str
    frame: pd.DataFrame  # str columns under internal names, plus _line (int) and _record (str)
    header: dict[str, str] = field(default_factory=dict)  # internal name -> column name as in the file

    def rows(self, mask: pd.Series, column: str | None, describe: Callable[[Any], str]) -> list[Problem]:
        """One Problem per row where mask holds, naming line, record and the file's column."""
        bad = self.frame[mask.to_numpy()]
        name = self.header.get(column, column) if column else None
        values = bad[column] if column else pd.Series([None] * len(bad), index=bad.index)
        out = [
            Problem(self.path, int(line), record, name, describe(value))
            for line, record, value in zip(bad["_line"][:_CAP], bad["_record"][:_CAP], values[:_CAP], strict=True)
        ]
        if len(bad) > _CAP:
            out.append(Problem(self.path, None, None, name, f"... and {len(bad) - _CAP} more rows with the same problem"))
        return out


def _read_table(
    data: bytes, path: str, columns: Mapping[str, str], optional: Mapping[str, str], normalise: Callable[[str], str]
) -> tuple[_Table | None, list[Problem]]:
    """Parse CSV bytes: header check, field counts, line numbers. columns maps normalised header -> name."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return None, [Problem(path, None, None, None, f"is not UTF-8 text ({err})")]
    if not text.strip():
        return None, [Problem(path, None, None, None, "is empty")]
    problems = []
    if not text.endswith("\n"):
        problems.append(
            Problem(path, text.count("\n") + 1, None, None, "the last line has no line break: the file looks truncated")
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        records, lines, start = [], [], reader.line_num + 1
        for record in reader:
            if record:
                records.append(record)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as err:
        return None, problems + [Problem(path, reader.line_num, None, None, f"is not valid CSV ({err})")]

    found = {normalise(h): i for i, h in enumerate(header)}
    missing = [c for c in columns if c not in found]
    if missing:
        have = ", ".join(header)
        return None, problems + [
            Problem(path, 1, None, c, f"required column is missing (the header has: {have})") for c in missing
        ]
    if not records:  # a header alone would otherwise pass every check, and a refresh would take it
        return None, problems + [Problem(path, 2, None, None, "has a header but no data rows")]
    width = len(header)
    keep, kept_lines = [], []
    for record, line in zip(records, lines, strict=True):
        if len(record) != width:
            problems.append(Problem(path, line, None, None, f"has {len(record)} fields, the header has {width}"))
        else:
            keep.append(record)
            kept_lines.append(line)
    wanted = {**columns, **{k: v for k, v in optional.items() if k in found}}
    frame = pd.DataFrame(keep, columns=header, dtype=str) if keep else pd.DataFrame(columns=header, dtype=str)
    frame = frame.iloc[:, [found[c] for c in wanted]]
    frame.columns = list(wanted.values())
    for name in optional.values():
        if name not in frame:
            frame[name] = ""
    frame["_line"] = np.array(kept_lines, dtype="int64")
    return _Table(path, frame, {wanted[c]: header[found[c]] for c in wanted}), problems


def _numbers(column: pd.Series, thousands: bool = False) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(values as float, empty mask, not-a-number mask) of a column of strings."""
    text = column.str.strip()
    if thousands:
        text = text.str.replace(",", "", regex=False)
    empty = text == ""
    values = pd.to_numeric(text.where(~empty), errors="coerce").astype("float64")
    bad = ~empty & ~np.isfinite(values)
    return values.where(~bad), empty, bad


def _duplicates(frame: pd.DataFrame, key: list[str], describe_key: str) -> list[Problem]:
    """Rows whose key repeats an earlier row, in the same file or another."""
    repeated = frame.duplicated(key, keep=False)
    if not repeated.any():
        return []
    seen: dict[tuple, tuple[str, int]] = {}
    out = []
    for row in frame.loc[repeated, key + ["_path", "_line", "_record"]].itertuples(index=False):
        k = tuple(row[: len(key)])
        path, line, record = row[len(key) :]
        if k in seen:
            first_path, first_line = seen[k]
            where = f"line {first_line}" if first_path == path else f"{first_path}:{first_line}"
            out.append(Problem(path, int(line), record, None, f"repeats the {describe_key} of {where}"))
        else:
            seen[k] = (path, int(line))
    return out[:_CAP] + (
        [Problem(out[0].path, None, None, None, f"... and {len(out) - _CAP} more repeated rows")] if len(out) > _CAP else []
    )


# ---------------------------------------------------------------------------------------------
# Pure parsers: bytes in, tidy frame and problems out (no file system)
# ---------------------------------------------------------------------------------------------

_VSRR_PARSED = [
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
    "_path",
    "_line",
    "_record",
]


def _snake(header: str) -> str:
    return header.strip().lower().replace(" ", "_")


def parse_vsrr(data: bytes, path: str, release: str, dataset: str = CDC_VSRR) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a VSRR file (release-file or SODA API header) into one row per jurisdiction, indicator and period.

    Context indicators (all-cause deaths, percentages) are checked and returned with substance empty;
    overdose_deaths_frame() leaves them out.
    """
    table, problems = _read_table(data, path, {c: c for c in VSRR_COLUMNS}, {c: c for c in VSRR_OPTIONAL}, _snake)
    if table is None:
        return pd.DataFrame(columns=_VSRR_PARSED), problems
    f = table.frame
    f["_record"] = f["state"] + " " + f["year"] + " " + f["month"] + " " + f["indicator"]
    known = {**VSRR_SUBSTANCE, **VSRR_CONTEXT}
    problems += table.rows(
        ~f["state"].str.fullmatch(r"[A-Z]{2}"), "state", lambda v: f"{v!r} is not a two-letter jurisdiction code"
    )
    problems += table.rows(~f["year"].str.fullmatch(r"\d{4}"), "year", lambda v: f"{v!r} is not a year")
    problems += table.rows(~f["month"].isin(MONTH_NAMES), "month", lambda v: f"{v!r} is not a month name such as January")
    problems += table.rows(
        f["period"] != VSRR_PERIOD, "period", lambda v: f"{v!r} is not a period we read; expected {VSRR_PERIOD!r}"
    )
    problems += table.rows(
        ~f["indicator"].isin(list(known)),
        "indicator",
        lambda v: (
            f"{v!r} is not a known indicator; add it to drugstats.series.VSRR_SUBSTANCE (or VSRR_CONTEXT) if CDC has added it"
        ),
    )
    percent = f["indicator"].map(lambda i: VSRR_CONTEXT.get(i) == "percent").astype(bool)
    suppressed = f["footnote"].str.contains(_SUPPRESSED)
    values = {}
    for column in ("data_value", "predicted_value"):
        number, empty, bad = _numbers(f[column], thousands=True)
        values[column] = number
        problems += table.rows(bad, column, lambda v: f"expected a number, got {v!r}")
        problems += table.rows(number < 0, column, lambda v: f"must be zero or more, got {v!r}")
        problems += table.rows(
            ~percent & (number % 1 != 0) & number.notna(), column, lambda v: f"a count must be a whole number, got {v!r}"
        )
        problems += table.rows(percent & (number > 100), column, lambda v: f"a percentage must be 100 or less, got {v!r}")
        if column == "data_value":
            problems += table.rows(
                empty & ~suppressed, column, lambda v: "is empty, and no footnote says the value was suppressed or not shown"
            )
    symbol = f["footnote_symbol"].str.strip()
    footnote = f["footnote"].str.strip()
    problems += table.rows(
        ~symbol.isin(["", *VSRR_FOOTNOTES]) & (footnote == ""),
        "footnote_symbol",
        lambda v: f"{v!r} is not a footnote symbol we know ({', '.join(VSRR_FOOTNOTES)}) and the row has no footnote text",
    )

    month_number = f["month"].map({m: i for i, m in enumerate(MONTH_NAMES, 1)})
    first = pd.to_datetime(f["year"] + "-" + month_number.astype("Int64").astype(str) + "-1", format="%Y-%m-%d", errors="coerce")
    flag = footnote.where(footnote != "", symbol.map(VSRR_FOOTNOTES))
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
            "_path": path,
            "_line": f["_line"],
            "_record": f["_record"],
        }
    )
    return out, problems


_CBP_PARSED = [
    "fiscal_year",
    "month",
    "partial_year",
    "component",
    "component_name",
    "region",
    "area",
    "land_filter",
    "drug",
    "events",
    "seized_lb",
    "seized_kg",
    "_path",
    "_line",
    "_record",
]


def parse_cbp(data: bytes, path: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a CBP nationwide drug seizures CSV into one row per month, area, land filter and drug type."""
    table, problems = _read_table(data, path, CBP_COLUMNS, {}, str.strip)
    if table is None:
        return pd.DataFrame(columns=_CBP_PARSED), problems
    f = table.frame
    f["_record"] = f["fy"] + " " + f["month_abbv"] + " " + f["area"] + " (" + f["land_filter"] + ") " + f["drug_type"]
    fy = f["fy"].str.extract(_CBP_FY)
    problems += table.rows(fy[0].isna(), "fy", lambda v: f"{v!r} is not a fiscal year such as 2023 or 2026 (FYTD)")
    problems += table.rows(
        ~f["month_abbv"].isin(CBP_MONTHS), "month_abbv", lambda v: f"{v!r} is not a month abbreviation such as OCT"
    )
    problems += table.rows(
        ~f["component_name"].isin(list(CBP_COMPONENT)),
        "component_name",
        lambda v: f"{v!r} is not a known component ({', '.join(CBP_COMPONENT)})",
    )
    problems += table.rows(
        ~f["region"].isin(CBP_REGIONS), "region", lambda v: f"{v!r} is not a known region ({', '.join(CBP_REGIONS)})"
    )
    problems += table.rows(
        ~f["land_filter"].isin(CBP_LAND_FILTERS),
        "land_filter",
        lambda v: f"{v!r} is not a known land filter ({', '.join(CBP_LAND_FILTERS)})",
    )
    problems += table.rows(f["area"].str.strip() == "", "area", lambda v: "is empty")
    problems += table.rows(
        ~f["drug_type"].isin(list(CBP_DRUG)),
        "drug_type",
        lambda v: f"{v!r} is not a known drug type; add it to drugstats.series.CBP_DRUG if CBP has added it",
    )
    events_ok = f["events"].str.fullmatch(r"\d+")
    problems += table.rows(~events_ok, "events", lambda v: f"expected a whole number of events, 0 or more, got {v!r}")
    pounds, empty, bad = _numbers(f["seized_lb"])
    problems += table.rows(bad | empty, "seized_lb", lambda v: f"expected a number, got {v!r}")
    problems += table.rows(pounds < 0, "seized_lb", lambda v: f"must be zero or more, got {v!r}")

    fiscal_year = pd.to_numeric(fy[0], errors="coerce").astype("Int64")
    month_index = f["month_abbv"].map({m: i for i, m in enumerate(CBP_MONTHS)})
    # Fiscal year N runs from October of N-1 to September of N.
    calendar_year = fiscal_year - (month_index < 3).astype("Int64")
    calendar_month = (month_index + 9) % 12 + 1
    month = pd.to_datetime(
        calendar_year.astype(str) + "-" + calendar_month.astype("Int64").astype(str) + "-1", format="%Y-%m-%d", errors="coerce"
    )
    out = pd.DataFrame(
        {
            "fiscal_year": fiscal_year,
            "month": month.astype("datetime64[s]"),
            "partial_year": fy[1].notna(),
            "component": f["component_name"].map(CBP_COMPONENT),
            "component_name": f["component_name"],
            "region": f["region"],
            "area": f["area"],
            "land_filter": f["land_filter"],
            "drug": f["drug_type"].map(CBP_DRUG),
            "events": pd.to_numeric(f["events"].where(events_ok), errors="coerce").astype("Int64"),
            "seized_lb": pounds,
            "seized_kg": pounds * LB_KG,
            "_path": path,
            "_line": f["_line"],
            "_record": f["_record"],
        }
    )
    return out, problems


# ---------------------------------------------------------------------------------------------
# Frames across files: the tables drugstats exports
# ---------------------------------------------------------------------------------------------

DEATHS_KEY = ["substance", "geography", "window_months", "period_end", "release"]
SEIZURES_KEY = ["month", "component", "region", "area", "land_filter", "drug"]


def overdose_deaths_frame(parts: Sequence[pd.DataFrame]) -> tuple[pd.DataFrame, list[Problem]]:
    """Stack parsed VSRR files; check no jurisdiction, indicator and period repeats within a release."""
    parsed = pd.concat(list(parts), ignore_index=True) if parts else pd.DataFrame(columns=_VSRR_PARSED)
    problems = _duplicates(
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
        }
    )
    out = out.sort_values(["substance", "geography", "period_end", "release"], ignore_index=True)
    return out, problems


def seizures_frame(parts: Sequence[pd.DataFrame]) -> tuple[pd.DataFrame, list[Problem]]:
    """Stack parsed CBP files; check no row repeats and each fiscal year is either partial or complete."""
    parsed = pd.concat(list(parts), ignore_index=True) if parts else pd.DataFrame(columns=_CBP_PARSED)
    problems = _duplicates(parsed, SEIZURES_KEY, "month, area, land filter and drug type")
    mixed = parsed.groupby("fiscal_year")["partial_year"].nunique()
    for year in mixed[mixed > 1].index:
        rows = parsed[parsed["fiscal_year"] == year].drop_duplicates("partial_year")
        where = ", ".join(f"{p}:{line}" for p, line in zip(rows["_path"], rows["_line"], strict=True))
        problems.append(
            Problem(
                rows["_path"].iloc[-1],
                int(rows["_line"].iloc[-1]),
                rows["_record"].iloc[-1],
                "FY",
                f"fiscal year {year} is marked to date (FYTD) in some rows but not others ({where})",
            )
        )
    out = parsed.drop(columns=["_path", "_line", "_record"])
    out = out.astype(
        {
            "fiscal_year": "int64",
            "events": "int64",
            "partial_year": bool,
            **{c: str for c in ("component", "component_name", "region", "area", "land_filter", "drug")},
        }
    )
    out = out.sort_values(SEIZURES_KEY, ignore_index=True)
    return out, problems


def parse_figures(data: bytes, path: str) -> tuple[dict[int, dict[str, str]], list[Problem]]:
    """figures.csv as {line: row}."""
    table, problems = _read_table(data, path, {c: c for c in _FIGURES_COLUMNS}, {}, str.strip)
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


# ---------------------------------------------------------------------------------------------
# Loading from disk: every file checked, every problem reported together
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """The official series, validated: three tidy frames and the provenance of their raw datasets."""

    overdose_deaths: pd.DataFrame
    seizures: pd.DataFrame
    reference_values: pd.DataFrame
    datasets: Mapping[str, DatasetMeta]


def read_dataset(data_dir: Path, dataset: str) -> tuple[DatasetMeta | None, dict[str, bytes], list[Problem]]:
    """A raw dataset's metadata and file contents, each file checked against its recorded sha256."""
    folder = Path(data_dir) / "raw" / dataset
    meta_path = folder / "metadata.yaml"
    try:
        doc = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, {}, [Problem(str(meta_path), None, None, None, "is missing")]
    except yaml.YAMLError as err:
        return None, {}, [Problem(str(meta_path), None, None, None, f"is not valid YAML ({err})")]
    meta, problems = parse_metadata(doc, str(meta_path))
    if meta is None:
        return None, {}, problems
    if meta.dataset != dataset:
        problems.append(Problem(str(meta_path), None, None, "dataset", f"says {meta.dataset!r}, expected {dataset!r}"))
    contents = {}
    for raw in meta.files:
        path = folder / raw.name
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            problems.append(Problem(str(path), None, None, None, f"is listed in {meta_path.name} but missing"))
            continue
        digest = sha256_hex(data)
        if digest != raw.sha256:
            problems.append(
                Problem(
                    str(path),
                    None,
                    None,
                    "sha256",
                    f"the file's sha256 is {digest}, {meta_path.name} records {raw.sha256}: "
                    "the file changed since it was recorded",
                )
            )
        contents[raw.name] = data
    listed = {raw.name for raw in meta.files}
    for stray in sorted(p.name for p in folder.glob("*.csv") if p.name not in listed):
        problems.append(
            Problem(
                str(folder / stray),
                None,
                None,
                None,
                f"is not listed in {meta_path.name}: list it with its provenance, or remove it",
            )
        )
    return meta, contents, problems


def _check_rows(meta: DatasetMeta, folder: Path, counts: Mapping[str, int]) -> list[Problem]:
    return [
        Problem(str(folder / raw.name), None, None, "rows", f"has {counts[raw.name]} data rows, metadata.yaml records {raw.rows}")
        for raw in meta.files
        if raw.name in counts and counts[raw.name] != raw.rows
    ]


def parse_file(dataset: str, data: bytes, path: str, release: str | None) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse one raw file of a dataset (cdc-vsrr or cbp-seizures); rows keep _path, _line and _record."""
    if dataset == CDC_VSRR:
        if release is None:
            return pd.DataFrame(columns=_VSRR_PARSED), [
                Problem(path, None, None, "release", "a VSRR file needs its release date")
            ]
        return parse_vsrr(data, path, release)
    if dataset == CBP_SEIZURES:
        return parse_cbp(data, path)
    raise ValueError(f"no reader for dataset {dataset!r}")


def combine_files(dataset: str, parts: Sequence[pd.DataFrame]) -> tuple[pd.DataFrame, list[Problem]]:
    """The dataset's frame from its parsed files, with the checks that span files."""
    return (overdose_deaths_frame if dataset == CDC_VSRR else seizures_frame)(parts)


def parse_files(
    dataset: str, meta: DatasetMeta, contents: Mapping[str, bytes], folder: Path
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Parse every file of a raw dataset, by file name, checking row counts against the metadata."""
    parts, problems, counts = {}, [], {}
    for raw in meta.files:
        if raw.name not in contents:
            continue
        parts[raw.name], found = parse_file(dataset, contents[raw.name], str(folder / raw.name), raw.release)
        problems += found
        if not found:  # a count is only worth comparing once the rows themselves are sound
            counts[raw.name] = len(parts[raw.name])
    return parts, problems + _check_rows(meta, folder, counts)


def parse_dataset(
    dataset: str, meta: DatasetMeta, contents: Mapping[str, bytes], folder: Path
) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse and combine every file of a raw dataset (cdc-vsrr or cbp-seizures) into its frame."""
    parts, problems = parse_files(dataset, meta, contents, folder)
    frame, found = combine_files(dataset, list(parts.values()))
    return frame, problems + found


def load_series(data_dir: Path | str = DATA_DIR) -> Series:
    """Read and validate every official series under data_dir; raise DataError listing every problem."""
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    metas: dict[str, DatasetMeta] = {}
    frames: dict[str, pd.DataFrame] = {}
    for dataset in (CDC_VSRR, CBP_SEIZURES):
        meta, contents, found = read_dataset(data_dir, dataset)
        problems += found
        if meta is None:
            continue
        metas[dataset] = meta
        frames[dataset], found = parse_dataset(dataset, meta, contents, data_dir / "raw" / dataset)
        problems += found

    meta, contents, found = read_dataset(data_dir, FIGURES)
    problems += found
    figures: dict[int, dict[str, str]] = {}
    figures_path = str(data_dir / "raw" / FIGURES / "figures.csv")
    if meta is not None:
        metas[FIGURES] = meta
        if "figures.csv" in contents:
            figures, found = parse_figures(contents["figures.csv"], figures_path)
            problems += found + _check_rows(meta, data_dir / "raw" / FIGURES, {"figures.csv": len(figures)})
    reference_path = data_dir / "reference_values.yaml"
    reference, found = parse_reference_values(reference_path, str(reference_path), figures, figures_path)
    problems += found
    if problems:
        raise DataError(problems)
    return Series(overdose_deaths=frames[CDC_VSRR], seizures=frames[CBP_SEIZURES], reference_values=reference, datasets=metas)


def series_tables(series: Series) -> dict[str, pd.DataFrame]:
    """The exported tables, with exactly the columns drugstats.fields declares, in that order."""
    tables = {"overdose_deaths": series.overdose_deaths, "seizures": series.seizures, "reference_values": series.reference_values}
    return {name: frame[fields.columns(name)].copy() for name, frame in tables.items()}


# ---------------------------------------------------------------------------------------------
# Queries: pure functions on the frames
# ---------------------------------------------------------------------------------------------


class NoSeriesData(LookupError):
    """The official series has no value for what was asked."""


def month_end(month: str | date | pd.Timestamp) -> pd.Timestamp:
    """Last day of the month: accepts 'YYYY-MM', 'YYYY-MM-DD', a date or a Timestamp."""
    stamp = pd.Timestamp(month)
    return (stamp + pd.offsets.MonthEnd(0)).normalize()


def month_start(month: str | date | pd.Timestamp) -> pd.Timestamp:
    """First day of the month: accepts 'YYYY-MM', 'YYYY-MM-DD', a date or a Timestamp."""
    return pd.Timestamp(month).normalize().replace(day=1)


def latest_release(deaths: pd.DataFrame) -> pd.DataFrame:
    """For every substance, jurisdiction and window, only the row of the newest release."""
    key = [k for k in DEATHS_KEY if k != "release"]
    newest = deaths.sort_values("release", kind="stable").drop_duplicates(key, keep="last")
    return newest.sort_values(key, ignore_index=True)


def deaths_in_window(
    deaths: pd.DataFrame,
    substance: str,
    geography: str,
    month_ending: str | date | pd.Timestamp,
    *,
    release: str | date | None = None,
    window_months: int = VSRR_WINDOW_MONTHS,
) -> pd.Series:
    """Deaths involving substance in geography in the window_months ending with the month given.

    Returns the row (deaths_reported, deaths_predicted, release, flag, ...) of the newest release,
    or of the release given. Raises NoSeriesData when there is none.
    """
    if substance not in vocab.SUBSTANCES:
        raise ValueError(f"{substance!r} is not a substance id in drugstats.vocab.SUBSTANCES")
    end = month_end(month_ending)
    rows = deaths[
        (deaths["substance"] == substance) & (deaths["geography"] == geography) & (deaths["window_months"] == window_months)
    ]
    if release is not None:
        rows = rows[rows["release"] == pd.Timestamp(release)]
    if rows.empty:
        releases = sorted({d.date().isoformat() for d in deaths["release"]})
        raise NoSeriesData(
            f"no {window_months}-month {substance} deaths for {geography}"
            + (
                f" in the release of {pd.Timestamp(release).date()} (releases: {', '.join(releases)})"
                if release is not None
                else ""
            )
        )
    found = rows[rows["period_end"] == end]
    if found.empty:
        raise NoSeriesData(
            f"no {window_months}-month {substance} deaths for {geography} ending {end.date()}; "
            f"the series runs {rows['period_end'].min().date()} to {rows['period_end'].max().date()}"
        )
    return found.sort_values("release", kind="stable").iloc[-1]


def _as_list(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def filter_seizures(
    seizures: pd.DataFrame,
    *,
    drug: str | Iterable[str] | None = None,
    component: str | Iterable[str] | None = None,
    region: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Rows for the drugs, components (OFO, USBP or CBP's names) and regions given; None means all."""
    mask = pd.Series(True, index=seizures.index)
    names = {v: k for k, v in CBP_COMPONENT.items()}
    for column, wanted, allowed in (
        ("drug", _as_list(drug), list(vocab.SEIZED_DRUGS)),
        ("component", _as_list(component), list(vocab.CBP_COMPONENTS)),
        ("region", _as_list(region), list(CBP_REGIONS)),
    ):
        if wanted is None:
            continue
        if column == "component":
            wanted = [CBP_COMPONENT.get(w, w) for w in wanted]
        unknown = [w for w in wanted if w not in allowed]
        if unknown:
            hint = f" (or {', '.join(names.values())})" if column == "component" else ""
            raise ValueError(f"unknown {column} {', '.join(map(repr, unknown))}; use {', '.join(allowed)}{hint}")
        mask &= seizures[column].isin(wanted)
    return seizures[mask]


def seizures_in_months(seizures: pd.DataFrame, first_month: str | date, last_month: str | date, **filters) -> pd.Series:
    """Events and quantity seized from the start of first_month to the end of last_month.

    Filters as in filter_seizures. Raises NoSeriesData when the data do not cover every month.
    """
    start, end = month_start(first_month), month_start(last_month)
    if end < start:
        raise ValueError(f"{end.date()} is before {start.date()}")
    wanted = pd.date_range(start, end, freq="MS")
    covered = set(seizures["month"].unique())
    missing = [m for m in wanted if m not in covered]
    if missing:
        raise NoSeriesData(
            f"the seizure data do not cover {', '.join(m.strftime('%Y-%m') for m in missing)}; "
            f"they run {seizures['month'].min():%Y-%m} to {seizures['month'].max():%Y-%m}"
        )
    rows = filter_seizures(seizures, **filters)
    rows = rows[(rows["month"] >= start) & (rows["month"] <= end)]
    return pd.Series(
        {
            "first_month": start,
            "last_month": end,
            "months": len(wanted),
            "events": int(rows["events"].sum()),
            "seized_lb": float(rows["seized_lb"].sum()),
            "seized_kg": float(rows["seized_kg"].sum()),
        }
    )


def _yearly(seizures: pd.DataFrame, year: pd.Series, name: str, **filters) -> pd.DataFrame:
    months = seizures.groupby(year)["month"].nunique().rename("months")
    rows = filter_seizures(seizures, **filters)
    sums = rows.groupby(year[rows.index])[["events", "seized_lb", "seized_kg"]].sum()
    out = pd.concat([months, sums], axis=1).fillna({"events": 0, "seized_lb": 0.0, "seized_kg": 0.0})
    out = out.astype({"events": "int64"}).rename_axis(name).reset_index()
    return out


def seizures_by_fiscal_year(seizures: pd.DataFrame, **filters) -> pd.DataFrame:
    """Totals per fiscal year: fiscal_year, partial_year, months, events, seized_lb, seized_kg."""
    out = _yearly(seizures, seizures["fiscal_year"], "fiscal_year", **filters)
    partial = seizures.groupby("fiscal_year")["partial_year"].any()
    out.insert(1, "partial_year", out["fiscal_year"].map(partial).astype(bool))
    return out


def seizures_by_calendar_year(seizures: pd.DataFrame, **filters) -> pd.DataFrame:
    """Totals per calendar year: calendar_year, partial_year (fewer than 12 months in the data), months, ..."""
    out = _yearly(seizures, seizures["month"].dt.year.rename("calendar_year"), "calendar_year", **filters)
    out.insert(1, "partial_year", out["months"] < 12)
    return out


def partial_fiscal_years(seizures: pd.DataFrame) -> list[int]:
    """Fiscal years CBP marks as to date (FYTD)."""
    return sorted(int(y) for y in seizures.loc[seizures["partial_year"], "fiscal_year"].unique())
