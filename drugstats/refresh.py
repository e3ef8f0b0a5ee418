"""Refresh a raw official dataset: download, validate, replace the files atomically, report what changed."""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO
from urllib.parse import parse_qs, unquote, urlsplit

import pandas as pd
import yaml

from drugstats.errors import DataError, FetchError, Problem
from drugstats.official import cbp, cdc_vsrr, csvtable, provenance, queries, series
from drugstats.official.download import fetch
from drugstats.publish import changes
from drugstats.verdicts import pipeline

# Where each dataset is published. CDC's SODA endpoint serves the whole dataset (every jurisdiction
# and indicator, snake_case header); SODA returns 1,000 rows unless $limit says otherwise, and 2.1
# endpoints have no maximum. CBP has no stable URL: each month's file gets a new one, so the default
# is the newest we know (named in the fentanyl-awareness summary, see data/raw/cbp-seizures) and
# --from should be given the current link from https://www.cbp.gov/document/stats/nationwide-drug-seizures.
DEFAULT_SOURCES = {
    series.CDC_VSRR: "https://data.cdc.gov/resource/xkb8-kh2a.csv?$limit=5000000",
    series.CBP_SEIZURES: "https://www.cbp.gov/sites/default/files/2026-09/nationwide-drugs-fy23-fy26-aug.csv",
}
SODA_DEFAULT_LIMIT = 1000
# No release of these datasets is older: the ICD-10 codes VSRR counts by start with 1999's deaths, and CBP began in 2003.
EARLIEST_RELEASE = date(1999, 1, 1)
_SODA_ID = re.compile(r"[a-z0-9]{4}-[a-z0-9]{4}\.csv")
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.csv")
_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read once: the process umask, to give new files the usual permissions
_METADATA_HEADER = (
    "# Provenance of the raw files in this folder, checked on load (sha256, rows).\n"
    "# `drugstats refresh {dataset}` rewrites this file; keep it machine-written in this shape.\n"
)


@dataclass(frozen=True)
class RefreshReport:
    """What a refresh wrote and how the dataset changed."""

    dataset: str
    source: str
    written: str
    rows: int
    sha256: str
    release: str | None
    release_basis: str
    replaced: tuple[str, ...]
    kept: tuple[str, ...]
    rows_added: int
    rows_removed: int
    values_revised: int
    newest_before: str | None
    newest_after: str | None
    verdict_lines: tuple[str, ...] = ()  # changes.lines: each claim whose verdict or official value moved
    changes_file: str | None = None  # where they were written (data/changes/...)

    def lines(self) -> list[str]:
        return [
            f"{self.dataset}: wrote {self.written} ({self.rows:,} rows, sha256 {self.sha256[:12]}...)",
            f"from: {self.source}",
            f"release: {self.release or 'not stated'} ({self.release_basis})",
            f"replaced: {', '.join(self.replaced) or 'nothing'}; kept: {', '.join(self.kept) or 'nothing'}",
            f"rows added: {self.rows_added:,}; rows removed: {self.rows_removed:,}; values revised: {self.values_revised:,}",
            f"newest period: {self.newest_before} -> {self.newest_after}",
            *self.verdict_lines,
            *([f"verdict changes written to {self.changes_file}"] if self.changes_file else []),
        ]


# ---------------------------------------------------------------------------------------------
# Fetching
# ---------------------------------------------------------------------------------------------


def _check_given_release(given: str, today: date) -> None:
    if not EARLIEST_RELEASE.isoformat() <= given <= today.isoformat():
        raise FetchError(
            f"--release {given} is not a date from {EARLIEST_RELEASE.isoformat()} to today ({today.isoformat()}); "
            "nothing was changed"
        )


def release_of(headers: dict[str, str], given: str | None, dataset: str, today: date) -> tuple[str | None, str, bool]:
    """The release date of a download, how we know it, and whether it is an estimate (the day we downloaded it)."""
    if given:
        _check_given_release(given, today)
        return given, "given on the command line (--release)", False
    for header in ("X-SODA2-Truth-Last-Modified", "Last-Modified"):
        value = next((v for k, v in headers.items() if k.lower() == header.lower()), None)
        if value:
            try:
                stamp = parsedate_to_datetime(value)
            except (TypeError, ValueError, OverflowError):
                continue
            # email.utils reads a year under 100 as 19xx or 20xx: "Mon, 01 Jan 0001" would become 2001-01-01.
            if str(stamp.year) not in value or not EARLIEST_RELEASE <= stamp.date() <= today + timedelta(days=1):
                raise FetchError(
                    f"the server's {header} header ({value}) is not a date from {EARLIEST_RELEASE.isoformat()} to today "
                    f"({today.isoformat()}): give the release date with --release; nothing was changed"
                )
            return stamp.date().isoformat(), f"the server's {header} header: {value}", False
    if dataset == series.CDC_VSRR:
        return today.isoformat(), "ESTIMATED: not stated by the server; this is the retrieval date", True
    return None, f"not stated by the server (no Last-Modified header); retrieved {today.isoformat()}", False


def _rows_after(dataset: str, new: pd.DataFrame, source: str, today: date) -> list[Problem]:
    """Rows for a month that has not begun by today: a wrong year (9999), not data."""
    column, name = ("period_end", "year") if dataset == series.CDC_VSRR else ("month", "FY")
    late = new[new[column] > pd.Timestamp(today)]
    out = [
        Problem(source, int(row["_line"]), row["_record"], name, f"is for {row[column]:%B %Y}, after today ({today.isoformat()})")
        for _, row in late.head(csvtable.CAP).iterrows()
    ]
    if len(late) > csvtable.CAP:
        out.append(Problem(source, None, None, name, f"... and {len(late) - csvtable.CAP} more rows after today"))
    return out


def _row_limit_problem(source: str, rows: int) -> str | None:
    """SODA silently stops at $limit (1,000 when not given): a download that fills it is cut off."""
    parts = urlsplit(source)
    if "/resource/" not in parts.path:
        return None
    limit_values = parse_qs(parts.query).get("$limit")
    limit = int(limit_values[0]) if limit_values and limit_values[0].isdigit() else SODA_DEFAULT_LIMIT
    if rows == limit:
        return (
            f"{source} returned exactly {limit:,} rows, the API's row limit: the data are probably cut off; "
            f"ask for more with $limit; nothing was changed"
        )
    return None


# ---------------------------------------------------------------------------------------------
# Deciding what the new file replaces
# ---------------------------------------------------------------------------------------------


def _file_name(dataset: str, source: str, release: str | None, today: date) -> str:
    web = source.startswith(("http://", "https://"))
    base = unquote(Path(urlsplit(source).path).name) if web else Path(source).name
    if _SAFE_NAME.fullmatch(base) and not _SODA_ID.fullmatch(base):
        return base
    stamp = (release or today.isoformat()).replace("-", "")
    return f"vsrr_api_{stamp}.csv" if dataset == series.CDC_VSRR else f"nationwide-drugs-{stamp}.csv"


def _superseded(dataset: str, new: pd.DataFrame, old: dict[str, pd.DataFrame], source: str) -> tuple[list[str], list[Problem]]:
    """Files the new one takes the place of. CDC: only files of the same release it covers entirely (every other
    release stays, so claims can be checked against the release of their day). CBP, which publishes no releases: the
    files of the fiscal years it covers; a file it covers only in part is a conflict (two versions of those years)."""
    replaced, problems = [], []
    if dataset == series.CDC_VSRR:
        # Every CDC release is kept: what was published when a claim was made is what it is checked against. Only a
        # new copy of the same release, covering a file of it entirely, takes that file's place.
        key = ["geography", "indicator", "period_end", "release"]
        covered = pd.MultiIndex.from_frame(new[key])
        for name, frame in old.items():
            if len(frame) and pd.MultiIndex.from_frame(frame[key]).isin(covered).all():
                replaced.append(name)
        return replaced, problems
    new_years = set(new["fiscal_year"].dropna().astype(int))
    for name, frame in old.items():
        years = set(frame["fiscal_year"].dropna().astype(int))
        if years <= new_years:
            replaced.append(name)
        elif years & new_years:
            problems.append(
                Problem(
                    source,
                    None,
                    None,
                    "FY",
                    f"covers fiscal years {_years(years & new_years)} of {name} but not "
                    f"{_years(years - new_years)}: refusing to mix two versions of those years; "
                    "nothing was changed",
                )
            )
    return replaced, problems


def _years(years: set[int]) -> str:
    return ", ".join(str(y) for y in sorted(years))


def _changes(dataset: str, before: pd.DataFrame, after: pd.DataFrame) -> tuple[int, int, int, str | None, str | None]:
    """Rows added, rows removed, values revised, newest period before and after."""
    if dataset == series.CDC_VSRR:
        before, after = queries.latest_release(before), queries.latest_release(after)
        key = [k for k in cdc_vsrr.DEATHS_KEY if k != "release"]
        values = ["deaths_reported", "deaths_predicted"]
        period, fmt = "period_end", "%Y-%m-%d"
    else:
        key, values, period, fmt = cbp.SEIZURES_KEY, ["events", "seized_lb"], "month", "%Y-%m"
    both = before[key + values].merge(after[key + values], on=key, how="outer", indicator=True)
    revised = pd.Series(False, index=both.index)
    for column in values:
        a, b = both[f"{column}_x"], both[f"{column}_y"]
        revised |= (a.isna() != b.isna()) | (a.notna() & b.notna() & (a != b))
    matched = both["_merge"] == "both"

    def newest(frame: pd.DataFrame) -> str | None:
        return None if frame.empty else frame[period].max().strftime(fmt)

    return (
        int((both["_merge"] == "right_only").sum()),
        int((both["_merge"] == "left_only").sum()),
        int((matched & revised).sum()),
        newest(before),
        newest(after),
    )


# ---------------------------------------------------------------------------------------------
# The refresh
# ---------------------------------------------------------------------------------------------


def _temporary(folder: Path, prefix: str) -> tuple[IO[bytes], Path]:
    """A new file in folder (so os.replace() stays on one file system), readable like any other file."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=".part")
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes it private; the data are public
    return os.fdopen(fd, "wb"), Path(tmp)


def _write_atomic(path: Path, data: bytes) -> Path:
    """Write data to a temporary file beside path; the caller os.replace()s it into place."""
    out, tmp = _temporary(path.parent, f".{path.name}.")
    with out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    return tmp


def metadata_text(meta: provenance.DatasetMeta) -> str:
    body = yaml.safe_dump(meta.to_dict(), sort_keys=False, allow_unicode=True, width=120)
    return _METADATA_HEADER.format(dataset=meta.dataset) + body


def refresh(
    data_dir: Path,
    dataset: str,
    source: str,
    *,
    release: str | None = None,
    timeout: float = 120.0,
    today: date | None = None,
    progress: IO[str] | None = None,
) -> RefreshReport:
    """Download source, check it as the loader would, and make it the dataset's raw file.

    Nothing on disk changes unless every check passes. Raises FetchError or DataError.
    """
    today = today or date.today()
    if release is not None:
        _check_given_release(release, today)  # before a download that would be wasted
    progress = progress or sys.stderr
    folder = Path(data_dir) / "raw" / dataset
    with _one_refresh_at_a_time(folder, dataset):
        return _refresh(data_dir, dataset, source, folder, release, timeout, today, progress)


@contextlib.contextmanager
def _one_refresh_at_a_time(folder: Path, dataset: str) -> Iterator[None]:
    """Hold the dataset folder's lock; with it held, remove what a killed refresh left behind (hidden .part files).

    The lock is flock(2) on the folder itself, so no lock file is left in the data, and the kernel drops it with
    the process, however that ends.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, so never remove a .part another refresh may still be writing
        yield
        return
    if not folder.is_dir():
        yield  # read_dataset reports the missing folder
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FetchError(f"another drugstats refresh of {dataset} is running; nothing was changed") from None
        for stale in folder.glob(".*.part"):
            stale.unlink(missing_ok=True)
        yield
    finally:
        os.close(fd)


def _refresh(
    data_dir: Path, dataset: str, source: str, folder: Path, release: str | None, timeout: float, today: date, progress: IO[str]
) -> RefreshReport:
    meta, contents, problems = series.read_dataset(Path(data_dir), dataset)
    if meta is None or problems:
        raise DataError(problems)  # refresh on top of data that checks out, or the diff means nothing
    old_parts, problems = series.parse_files(dataset, meta, contents, folder)
    old_frame, found = series.combine_files(dataset, list(old_parts.values()))
    if problems or found:
        raise DataError(problems + found)
    before = _build(data_dir)  # the verdicts as they stand, to report what the new file changes

    pending: list[Path] = []
    try:
        out, tmp = _temporary(folder, ".download.")
        pending.append(tmp)
        with out:
            headers = fetch(source, out, timeout=timeout, progress=progress)
            out.flush()
            os.fsync(out.fileno())
        data = Path(tmp).read_bytes()
        new_release, basis, estimated = release_of(headers, release, dataset, today)
        new, problems = series.parse_file(dataset, data, source, new_release)
        problems += _rows_after(dataset, new, source, today)
        if problems:
            raise DataError(problems)
        limit_problem = _row_limit_problem(source, len(new))
        if limit_problem:
            raise FetchError(limit_problem)

        name = _file_name(dataset, source, new_release, today)
        replaced, problems = _superseded(dataset, new, old_parts, source)
        if name in old_parts and name not in replaced:
            problems.append(
                Problem(
                    source, None, None, None, f"would overwrite {name}, which it does not cover entirely; nothing was changed"
                )
            )
        kept = [n for n in old_parts if n not in replaced]
        new_frame, found = series.combine_files(dataset, [old_parts[n] for n in kept] + [new])
        if problems or found:
            raise DataError(problems + found)

        newest = new_frame["period_end" if dataset == series.CDC_VSRR else "month"].max()
        through = (newest + pd.offsets.MonthEnd(0)).date().isoformat()
        written = provenance.RawFile(
            name=name,
            title=f"{meta.title}, as downloaded by drugstats refresh",
            release=new_release,
            release_basis=basis,
            release_estimated=estimated,
            data_through=through,
            downloaded_from=source,
            retrieved=today.isoformat(),
            rows=len(new),
            sha256=provenance.sha256_hex(data),
        )
        new_meta = replace(meta, files=tuple([f for f in meta.files if f.name in kept] + [written]))
        meta_tmp = _write_atomic(folder / "metadata.yaml", metadata_text(new_meta).encode("utf-8"))
        pending.append(meta_tmp)

        # Two renames, the data file first: a crash between them leaves a file whose sha256 the old
        # metadata does not match, which the next load reports, rather than metadata naming no file.
        os.replace(tmp, folder / name)
        pending.remove(tmp)
        os.replace(meta_tmp, folder / "metadata.yaml")
        pending.remove(meta_tmp)
        for old_name in replaced:
            if old_name != name:
                (folder / old_name).unlink()
    finally:
        for path in pending:
            path.unlink(missing_ok=True)

    added, removed, revised, newest_before, newest_after = _changes(dataset, old_frame, new_frame)
    verdict_lines, changes_file = _verdict_changes(data_dir, dataset, before, new_release or today.isoformat())
    return RefreshReport(
        dataset=dataset,
        source=source,
        written=name,
        rows=len(new),
        sha256=written.sha256,
        release=new_release,
        release_basis=basis,
        replaced=tuple(replaced),
        kept=tuple(kept),
        rows_added=added,
        rows_removed=removed,
        values_revised=revised,
        newest_before=newest_before,
        newest_after=newest_after,
        verdict_lines=verdict_lines,
        changes_file=changes_file,
    )


def _build(data_dir: Path) -> pipeline.Build | None:
    """The data's build, or None when the claims do not load (then no verdicts can be compared; the raw data were
    checked on their own)."""
    try:
        return pipeline.build(Path(data_dir))
    except DataError:
        return None


def _verdict_changes(data_dir: Path, dataset: str, before: pipeline.Build | None, day: str) -> tuple[tuple[str, ...], str | None]:
    """What the refresh changed in the verdicts, as lines to print and the file they were written to."""
    after = _build(data_dir)
    if before is None or after is None:
        return ("verdicts not compared: the claims do not load (drugstats validate says why)",), None
    found = changes.verdict_changes(before, after)
    path = changes.write(Path(data_dir), dataset, day, found)
    return tuple(changes.lines(found)), str(path)
