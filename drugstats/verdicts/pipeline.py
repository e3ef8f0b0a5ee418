"""The one-way flow run once: load and validate, transform, check. What the app, CLI and exports share."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from drugstats.claims import load
from drugstats.errors import DataError
from drugstats.official import cbp_places, series
from drugstats.verdicts import checks, scorecards, transform


@dataclass(frozen=True)
class Build:
    """Everything derived from one data directory, validated."""

    dataset: load.Dataset
    official: series.Series
    record: checks.OfficialRecord
    claims: pd.DataFrame  # shipped claims, then any user claims
    statements: pd.DataFrame
    sources: pd.DataFrame
    verdicts: pd.DataFrame
    verdict_by_id: dict[str, checks.Verdict]

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every exported table by name, in bundle order."""
        shipped = self.claims[self.claims["id"].isin([c.id for c in self.dataset.claims])]
        verdicts = self.verdicts[self.verdicts["id"].isin(shipped["id"])].reset_index(drop=True)
        listed = transform.claims_with_verdicts(shipped, verdicts)
        return {
            "claims": shipped.reset_index(drop=True),
            "verdicts": verdicts,
            "statements": self.statements,
            "sources": self.sources,
            "scorecards": scorecards.scorecards(listed),
            "repeated_figures": scorecards.repeats(listed),
            **series.series_tables(self.official),
        }

    @property
    def reviewed_on(self) -> str:
        """The date the checks stand as of: the newest date we read a source."""
        return max(s.accessed for s in self.dataset.sources.values()).isoformat()


def build(
    data_dir: Path, extra_claim_files: Iterable[Path] = (), tolerances: checks.Tolerances = checks.DEFAULT_TOLERANCES
) -> Build:
    """Load, validate, transform and check everything under data_dir; one DataError lists every problem."""
    problems = []
    dataset = official = None
    try:
        dataset = load.load_dataset(data_dir, extra_claim_files)
    except DataError as err:
        problems += err.problems
    try:
        official = series.load_series(data_dir)
    except DataError as err:
        problems += err.problems
    if not problems:  # a seizure claim's place must be one CBP's file names
        claims_read = [*dataset.claims, *dataset.extra_claims]
        problems += cbp_places.claim_problems(claims_read, official.seizures, dataset.where)
    if problems:
        raise DataError(problems)
    record = checks.OfficialRecord.from_series(official)
    claims = transform.claims_frame([*dataset.claims, *dataset.extra_claims], dataset.sources)
    verdicts = checks.check_all(claims, record, tolerances)
    return Build(
        dataset=dataset,
        official=official,
        record=record,
        claims=claims,
        statements=transform.statements_frame(dataset.statements, dataset.sources),
        sources=transform.sources_frame(dataset.sources.values()),
        verdicts=transform.verdicts_frame(verdicts),
        verdict_by_id={v.claim_id: v for v in verdicts},
    )


def data_version(data_dir: Path) -> tuple[tuple[str, int, int, int], ...]:
    """What `build` would read, as (path, size, mtime, inode) of every file under data_dir: equal versions, equal builds.

    Cheap (a stat per file, ~0.1 ms for the shipped data), so a server can ask on every page view and rebuild only
    when a file changed: a refresh or an edited claim shows up without a restart. Hidden files (a refresh's
    half-written `.part`) are skipped: no loader reads them. A file replaced whole (as refresh does) gets a new inode,
    so it is seen even within the file system's timestamp granularity.
    """
    found = []
    for root, dirs, files in os.walk(data_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.join(root, name)
            try:
                stat = os.stat(path)
            except OSError:  # removed between listing and stat: the next call sees the directory as it settles
                continue
            found.append((os.path.relpath(path, data_dir), stat.st_size, stat.st_mtime_ns, stat.st_ino))
    return tuple(found)
