"""Reading an official CSV file into a frame of strings, every row knowing its line, every problem named."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from drugstats.errors import Problem

CAP = 10  # problems listed per check and file before the rest are summarised in one line


@dataclass
class Table:
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
            for line, record, value in zip(bad["_line"][:CAP], bad["_record"][:CAP], values[:CAP], strict=True)
        ]
        if len(bad) > CAP:
            out.append(Problem(self.path, None, None, name, f"... and {len(bad) - CAP} more rows with the same problem"))
        return out


def read_table(
    data: bytes,
    path: str,
    columns: Mapping[str, str],
    optional: Mapping[str, str],
    normalise: Callable[[str], str],
    *,
    whole: bool = False,
) -> tuple[Table | None, list[Problem]]:
    """Parse CSV bytes: header check, field counts, line numbers. columns maps normalised header -> name.

    whole: the bytes were checked against a recorded sha256, so a missing final line break is how the file was
    written, not a sign it was cut off.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return None, [Problem(path, None, None, None, f"is not UTF-8 text ({err})")]
    if not text.strip():
        return None, [Problem(path, None, None, None, "is empty")]
    problems = []
    if not text.endswith("\n") and not whole:
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

    found: dict[str, int] = {}
    for i, h in enumerate(header):
        name = normalise(h)
        if name in found and (name in columns or name in optional):
            # `data_value` and `Data Value` both read as data_value: taking either would be a guess at the numbers.
            first = header[found[name]]
            return None, problems + [
                Problem(path, 1, None, h, f"the header has both {first!r} and {h!r}: which one holds the data is ambiguous")
            ]
        found.setdefault(name, i)
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
    return Table(path, frame, {wanted[c]: header[found[c]] for c in wanted}), problems


def numbers(column: pd.Series, thousands: bool = False) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(values as float, empty mask, not-a-number mask) of a column of strings."""
    text = column.str.strip()
    if thousands:
        text = text.str.replace(",", "", regex=False)
    empty = text == ""
    values = pd.to_numeric(text.where(~empty), errors="coerce").astype("float64")
    bad = ~empty & ~np.isfinite(values)
    return values.where(~bad), empty, bad


def duplicates(frame: pd.DataFrame, key: list[str], describe_key: str) -> list[Problem]:
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
    return out[:CAP] + (
        [Problem(out[0].path, None, None, None, f"... and {len(out) - CAP} more repeated rows")] if len(out) > CAP else []
    )
