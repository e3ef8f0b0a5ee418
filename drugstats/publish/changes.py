"""What a refresh changed in the verdicts: every claim whose verdict or official figure the new data moved, written
beside the data (data/changes/<dataset>-<release>.csv) and listed on the Sources page."""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from drugstats.claims import files
from drugstats.errors import Problem
from drugstats.publish import export
from drugstats.verdicts.pipeline import Build

FOLDER = "changes"
REQUIRED = [
    "id",
    "verdict_before",
    "verdict_after",
    "official_value_before",
    "official_value_after",
    "official_release_before",
    "official_release_after",
    "quote",
]
# Beside each release date, whether it is ours and the release as people read it ("about June 2026 (estimated)"), as in
# verdicts.csv; files written before these columns existed are read without them.
RELEASE_NAMES = [f"official_release_{when}_{what}" for when in ("before", "after") for what in ("estimated", "name")]
COLUMNS = [*REQUIRED[:-1], *RELEASE_NAMES, REQUIRED[-1]]
_NAME = re.compile(r"^(?P<dataset>[a-z0-9-]+?)-(?P<day>\d{4}-\d{2}-\d{2})\.csv$")
MAX_BYTES = 20 * 1024 * 1024  # a changes file lists claims: a few hundred rows, far below this


def verdict_changes(before: Build, after: Build) -> pd.DataFrame:
    """Claims held before and after whose verdict or official value differs, with both; a new release that only
    restates a value is not a change."""
    old = before.verdicts.set_index("id")
    new = after.verdicts.set_index("id")
    both = old.index.intersection(new.index, sort=False)
    old, new = old.loc[both], new.loc[both]
    value_old, value_new = old["official_value"].astype("float64"), new["official_value"].astype("float64")
    moved = (value_old != value_new) & ~(value_old.isna() & value_new.isna())
    changed = (old["verdict"] != new["verdict"]) | moved
    quotes = after.claims.set_index("id")["quote"]
    out = pd.DataFrame(
        {
            "id": both[changed],
            "verdict_before": old.loc[changed, "verdict"].to_numpy(),
            "verdict_after": new.loc[changed, "verdict"].to_numpy(),
            "official_value_before": value_old[changed].to_numpy(),
            "official_value_after": value_new[changed].to_numpy(),
            "official_release_before": old.loc[changed, "official_release"].to_numpy(),
            "official_release_after": new.loc[changed, "official_release"].to_numpy(),
            **{
                f"official_release_{when}_{what}": frame.loc[changed, f"official_release_{what}"].to_numpy()
                for when, frame in (("before", old), ("after", new))
                for what in ("estimated", "name")
            },
            "quote": quotes.reindex(both[changed]).to_numpy(),
        },
        columns=COLUMNS,
    )
    return out.sort_values(["verdict_before", "id"], kind="stable", ignore_index=True)


def lines(changes: pd.DataFrame) -> list[str]:
    """The changes as refresh prints them: one line a claim."""

    def value(v: float) -> str:
        return "none" if pd.isna(v) else f"{v:,.0f}"

    out = [f"verdicts changed: {len(changes)}"]
    for row in changes.itertuples(index=False):
        out.append(
            f"  {row.id}: {row.verdict_before} -> {row.verdict_after} "
            f"(official {value(row.official_value_before)} -> {value(row.official_value_after)})"
        )
    return out


def file_name(dataset: str, day: str) -> str:
    return f"{dataset}-{day}.csv"


def write(data_dir: Path, dataset: str, day: str, changes: pd.DataFrame) -> Path:
    """Write the changes of a refresh into data/changes/, whole or not at all."""
    folder = Path(data_dir) / FOLDER
    folder.mkdir(exist_ok=True)
    path = folder / file_name(dataset, day)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(export.to_csv_bytes(changes))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


@dataclass(frozen=True)
class Latest:
    """The newest refresh's changes: which file, what dataset and day, and the rows (or why they cannot be read)."""

    name: str
    dataset: str
    day: str
    rows: pd.DataFrame | None
    problem: Problem | None = None


def latest(data_dir: Path) -> Latest | None:
    """The newest changes file in data/changes (by the day in its name); None when no refresh has written one."""
    folder = Path(data_dir) / FOLDER
    if not folder.is_dir():
        return None
    named = [(m["day"], p.name, m["dataset"]) for p in folder.iterdir() if (m := _NAME.match(p.name))]
    if not named:
        return None
    day, name, dataset = max(named)
    path = folder / name
    try:
        data = files.read_bytes(path, MAX_BYTES, str(path), root=Path(data_dir))
        table = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    except files.FileRefused as err:
        return Latest(name, dataset, day, None, err.problems[0])
    except (UnicodeDecodeError, csv.Error) as err:
        return Latest(name, dataset, day, None, Problem(str(path), None, None, None, f"is not a changes CSV: {err}"))
    header, body = (table[0], table[1:]) if table else ([], [])
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return Latest(name, dataset, day, None, Problem(str(path), 1, None, None, f"lacks the columns {', '.join(missing)}"))
    for line, row in enumerate(body, 2):
        if len(row) != len(header):
            message = f"has {len(row)} fields where the header has {len(header)} (a quote with a comma not in quotes?)"
            return Latest(name, dataset, day, None, Problem(str(path), line, row[0] if row else None, None, message))
    rows = pd.DataFrame(body, columns=header).reindex(columns=COLUMNS).replace("", None)
    for column in ("official_value_before", "official_value_after"):
        rows[column] = pd.to_numeric(rows[column], errors="coerce")
    return Latest(name, dataset, day, rows)
