"""Parsed raw files kept between runs: a held file's rows, parsed and checked once, read back on the next start.

Reading the official files is most of a cold start (~0.9 s for 12 MB of CSV, of which the older CDC releases never
change). A file that parsed without a problem is written as Parquet under the cache folder, named by its dataset, the
sha256 of its bytes, its release and a fingerprint of the parsing code: other bytes, another release or a changed
parser never find it. The folder is $DRUGSTATS_CACHE, else $XDG_CACHE_HOME/drugstats, else ~/.cache/drugstats;
DRUGSTATS_CACHE=off turns it off. Anything wrong with the cache (missing, unreadable, a read-only disk) only means
parsing again: the data are never read from it unless they were written whole.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import tempfile
from functools import cache
from pathlib import Path

import pandas as pd

from drugstats import __version__

# The modules whose code decides what a parsed file holds: a change to any of them is a new fingerprint.
_PARSERS = tuple(
    f"drugstats.{name}"
    for name in (
        "official.cdc_vsrr",
        "official.cbp",
        "official.census",
        "official.nchs_final",
        "official.nchs_county_bands",
        "official.vsrr_county",
        "official.csvtable",
        "official.series",
        "official.parsecache",
        "vocab",
        "official.periods",
    )
)
MAX_BYTES = 200 * 1024 * 1024


@cache
def fingerprint() -> str:
    """The parsing code and the libraries it runs on, hashed."""
    digest = hashlib.sha256(f"{__version__} {pd.__version__}".encode())
    for name in _PARSERS:
        digest.update(Path(importlib.util.find_spec(name).origin).read_bytes())
    return digest.hexdigest()[:16]


def folder() -> Path | None:
    """Where parsed files are kept; None when the cache is off."""
    chosen = os.environ.get("DRUGSTATS_CACHE")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "drugstats"


def _path(where: Path, dataset: str, sha256: str, release: str | None) -> Path:
    return where / f"{dataset}-{sha256[:32]}-{release or 'undated'}-{fingerprint()}.parquet"


def load(dataset: str, sha256: str, release: str | None) -> pd.DataFrame | None:
    """The rows a held file parsed to, if a run before kept them; else None."""
    where = folder()
    if where is None:
        return None
    path = _path(where, dataset, sha256, release)
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        frame = pd.read_parquet(path)
        dtypes = json.loads(frame.attrs.get("drugstats_dtypes", "null") or "null")
    except Exception:  # noqa: BLE001 (a cache that cannot be read is parsed again, whatever the reason)
        return None
    if not isinstance(dtypes, dict) or list(dtypes) != list(frame.columns):
        return None
    try:  # Parquet keeps datetimes in ms at the coarsest: back to the units the parser gave
        frame = frame.astype(dtypes)
    except (TypeError, ValueError):
        return None
    frame.attrs = {}
    return frame


def save(dataset: str, sha256: str, release: str | None, frame: pd.DataFrame) -> None:
    """Keep a cleanly parsed file's rows for the next start; a failure to write is no error."""
    where = folder()
    if where is None:
        return
    tmp = None
    try:
        where.mkdir(parents=True, exist_ok=True)
        out = frame.copy()
        out.attrs = {"drugstats_dtypes": json.dumps({c: str(t) for c, t in frame.dtypes.items()})}
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".", suffix=".part")
        os.close(fd)
        out.to_parquet(tmp, index=False)
        path = _path(where, dataset, sha256, release)
        os.replace(tmp, path)
        tmp = None
        for older in where.glob(f"{dataset}-{sha256[:32]}-{release or 'undated'}-*.parquet"):
            if older != path:  # the same file parsed by older code: never read again
                older.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 (read-only home, full disk, no pyarrow: parse again next time)
        pass
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
