"""The download `drugstats refresh` reads a new official file with: drugstats.official.httpget's bounded GET (one deadline
for the whole body, a byte cap counted after decompression, a redirect cap) with a progress line and refresh's own
words for each bound; or a local path read through drugstats.claims.files."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import IO, Any

from drugstats import __version__
from drugstats.claims import files
from drugstats.errors import FetchError
from drugstats.official import httpget

MAX_DOWNLOAD_BYTES = files.MAX_RAW_BYTES  # a download the loader would refuse to read is refused while it comes in
# What refresh says when httpget stops at a bound (a content type is never one: refresh takes any).
_REFUSALS: dict[type[httpget.Stopped], Callable[[Any], str]] = {
    httpget.Refused: lambda err: f"cannot download {err.url}: {err.rule}; nothing was changed",
    httpget.TooManyRedirects: lambda err: f"{err.url} redirected more than {err.limit} times; nothing was changed",
    httpget.ConnectFailed: lambda err: f"cannot download {err.url}: {err.cause}; nothing was changed",
    httpget.BadStatus: lambda err: f"{err.url} answered HTTP {err.status} {err.reason}; nothing was changed",
    httpget.AnnouncedTooLarge: lambda err: (
        f"{err.url} announces {err.announced:,} bytes, more than the {err.limit:,} an official file may have; nothing was changed"
    ),
    httpget.TooLarge: lambda err: (
        f"{err.url} sent more than {err.limit:,} bytes (after decompression), more than an official "
        "file may have; stopped, nothing was changed"
    ),
    httpget.TooSlow: lambda err: (
        f"the download of {err.url} took more than {err.deadline:g} s (--timeout) and was stopped after "
        f"{err.received:,} bytes; nothing was changed"
    ),
    httpget.BrokeOff: lambda err: (
        f"the download of {err.url} broke off after {err.received:,} bytes ({httpget.short(err.cause)}); nothing was changed"
    ),
}


class _Progress:
    """A one-line progress report on stderr, redrawn at most a few times a second."""

    def __init__(self, label: str, stream: IO[str]):
        self.label, self.stream, self.last = label, stream, 0.0

    def update(self, done: int, total: int | None, final: bool) -> None:
        now = time.monotonic()
        if not final and now - self.last < 0.25:
            return
        self.last = now
        if total:
            width = 30
            filled = min(width, width * done // total)
            text = f"[{'#' * filled}{'.' * (width - filled)}] {done / 1e6:.1f} of {total / 1e6:.1f} MB"
        else:
            text = f"{done / 1e6:.1f} MB"
        self.stream.write(f"\r{self.label}: {text}" + ("\n" if final else ""))
        self.stream.flush()


def fetch(source: str, out: IO[bytes], *, timeout: float, progress: IO[str], max_bytes: int | None = None) -> dict[str, str]:
    """Copy source (http(s) URL or local path) into out; return the response headers. Raises FetchError.

    `timeout` bounds the whole download, not each read: a server that drips a byte a second is stopped at it.
    At most `max_bytes` are taken, counted after decompression, so a gzip bomb is stopped too.
    """
    max_bytes = MAX_DOWNLOAD_BYTES if max_bytes is None else max_bytes
    if not source.startswith(("http://", "https://")):
        try:
            out.write(files.read_bytes(source, max_bytes))
        except files.FileRefused as err:
            why = "No such file or directory" if err.missing else err.problems[0].message
            raise FetchError(f"cannot read {source}: {why}; nothing was changed") from None
        return {}
    try:
        fetched = httpget.get(
            source,
            headers={"User-Agent": f"drugstats/{__version__} (refresh)"},
            timeout=timeout,
            deadline=timeout,
            max_bytes=max_bytes,
            sink=out.write,
            progress=_Progress(f"downloading {source}", progress).update,
        )
    except httpget.Stopped as err:
        raise FetchError(httpget.words(_REFUSALS, err)) from None
    if fetched.expected is not None and fetched.received != fetched.expected:
        raise FetchError(
            f"{source} sent {fetched.received:,} of the {fetched.expected:,} bytes it announced: the download "
            "is truncated; nothing was changed"
        )
    return fetched.headers
