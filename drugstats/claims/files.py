"""Every file the core reads, opened one bounded way: regular files only, inside the data folder, size capped.

A FIFO, a device or a socket would block a read or never end it (`/dev/zero`), a symbolic link could lead out of
the data folder (`/etc/passwd`), and a file of any size would be read whole before its size was checked. Here the
size is checked before reading and the read itself is capped, so a file that grows meanwhile is still refused.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath

from drugstats.errors import DataError, Problem

# Limits by kind of file. The shipped claims are a few dozen KiB and each metadata.yaml a few KiB; CDC's whole VSRR
# download is ~20 MB, so a raw CSV ten times that is not a CSV we expect.
MAX_YAML_BYTES = 1_000_000
MAX_METADATA_BYTES = 1_000_000
MAX_RAW_BYTES = 200_000_000

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


_OUTSIDE = "is a symbolic link to a file outside the data folder: copy the file in instead"


class FileRefused(DataError):
    """A file that cannot or may not be read: one Problem naming the file. `missing` when it does not exist."""

    def __init__(self, display: str, message: str, missing: bool = False):
        super().__init__([Problem(display, None, None, None, message)])
        self.missing = missing


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _inside(path: Path, root: Path) -> bool:
    return os.path.realpath(path).startswith(os.path.realpath(root).rstrip(os.sep) + os.sep)


def read_bytes(path: Path | str, limit: int, display: str | None = None, root: Path | str | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; raise FileRefused naming it as `display`.

    With `root` (the data folder), a symbolic link is followed only when it resolves inside root; without it (a file
    a user named on the command line) any link to a regular file is followed.
    """
    path = Path(path)
    display = str(path) if display is None else display
    if root is not None and path.is_symlink() and not _inside(path, root):
        raise FileRefused(display, _OUTSIDE)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if path.is_symlink():
            raise FileRefused(display, "is a symbolic link to nothing (its target does not exist)") from None
        raise FileRefused(display, "is missing", missing=True) from None
    except OSError as err:
        raise FileRefused(display, f"cannot read file: {err.strerror or err}") from None
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(display, f"is {_kind(info.st_mode)}, not a regular file")
    if info.st_size > limit:
        raise FileRefused(display, f"file is {info.st_size:,} bytes; the limit is {limit:,}")
    try:
        # O_NONBLOCK: should the file be swapped for a FIFO after the stat, opening it does not wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        if err.errno == errno.ENXIO:  # a socket, swapped in after the stat
            raise FileRefused(display, "is a socket, not a regular file") from None
        raise FileRefused(display, f"cannot read file: {err.strerror or err}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(display, f"is {_kind(info.st_mode)}, not a regular file")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as err:
        raise FileRefused(display, f"cannot read file: {err.strerror or err}") from None
    finally:
        os.close(fd)
    if size > limit:  # it grew after the stat
        raise FileRefused(display, f"file is more than {limit:,} bytes; the limit is {limit:,}")
    return b"".join(chunks)


def yaml_files(folder: Path, display: str, root: Path | None = None) -> tuple[list[Path], list[Problem]]:
    """The YAML files of a folder of curated records, in name order, and problems with the folder or its links.

    Hidden files are left out: an editor's lock file (`.#claims.yaml`, often a link to nothing) or backup is not
    data, and pipeline.data_version leaves them out too, so what is loaded is what a change is noticed in.
    A missing or unreadable folder is a problem, not an empty dataset; with `root`, so is a link out of it.
    """
    try:
        names = sorted(os.listdir(folder))
    except FileNotFoundError:
        return [], [Problem(display, None, None, None, "the folder is missing")]
    except NotADirectoryError:
        return [], [Problem(display, None, None, None, "is not a folder")]
    except OSError as err:
        return [], [Problem(display, None, None, None, f"cannot list the folder: {err.strerror or err}")]
    found, problems = [], []
    for path in (folder / n for n in names if not n.startswith(".") and n.endswith((".yaml", ".yml"))):
        if root is not None and path.is_symlink() and path.exists() and not _inside(path, root):
            problems.append(Problem(f"{display}/{path.name}", None, None, None, _OUTSIDE))
        else:
            found.append(path)
    return found, problems


def confined_name(name: str) -> str | None:
    """Why a file name given in a metadata.yaml is not a plain name in its own folder, or None when it is."""
    if not name or name in (".", ".."):
        return "must name a file"
    if "/" in name or "\\" in name or "\x00" in name:
        return "must be a file name in this folder, not a path"
    if PurePosixPath(name).is_absolute() or name.startswith("."):
        return "must be a file name in this folder, not a path or a hidden file"
    return None
