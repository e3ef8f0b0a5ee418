"""The bounded download `drugstats refresh` reads a new official file with: one deadline for the whole body, a byte
cap counted after decompression, a redirect cap, a progress line; or a local path read through drugstats.files."""

from __future__ import annotations

import contextlib
import socket
import time
from typing import IO

import requests

from drugstats import __version__, files
from drugstats.errors import FetchError

MAX_DOWNLOAD_BYTES = files.MAX_RAW_BYTES  # a download the loader would refuse to read is refused while it comes in
MAX_REDIRECTS = 5


class _Progress:
    """A one-line progress report on stderr, redrawn at most a few times a second."""

    def __init__(self, label: str, total: int | None, stream: IO[str]):
        self.label, self.total, self.stream, self.last = label, total, stream, 0.0

    def update(self, done: int, final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - self.last < 0.25:
            return
        self.last = now
        if self.total:
            width = 30
            filled = min(width, width * done // self.total)
            text = f"[{'#' * filled}{'.' * (width - filled)}] {done / 1e6:.1f} of {self.total / 1e6:.1f} MB"
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
    started = time.monotonic()
    session = requests.Session()
    session.max_redirects = MAX_REDIRECTS
    try:
        response = session.get(source, stream=True, timeout=timeout, headers={"User-Agent": f"drugstats/{__version__} (refresh)"})
    except requests.TooManyRedirects:
        raise FetchError(f"{source} redirected more than {MAX_REDIRECTS} times; nothing was changed") from None
    except requests.RequestException as err:
        raise FetchError(f"cannot download {source}: {err}; nothing was changed") from None
    with session, response:
        if response.status_code != 200:
            raise FetchError(f"{source} answered HTTP {response.status_code} {response.reason}; nothing was changed")
        # Content-Length counts the encoded bytes; only without an encoding can it be checked here
        # (urllib3 checks it either way and breaks the stream off if the body falls short).
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise FetchError(
                f"{source} announces {int(length):,} bytes, more than the {max_bytes:,} an official file may have; "
                "nothing was changed"
            )
        expected = int(length) if length.isdigit() and not response.headers.get("Content-Encoding") else None
        bar = _Progress(f"downloading {source}", expected, progress)
        received = 0
        sock = _socket_of(response)
        try:
            while True:
                left = timeout - (time.monotonic() - started)
                if left <= 0:
                    raise TimeoutError
                if sock is not None:
                    with contextlib.suppress(OSError):  # closed once the body is in: the read below then returns b""
                        sock.settimeout(left)  # the next read may wait only for what is left of the download's time
                chunk = response.raw.read1(1 << 16, decode_content=True)  # decoded, at most 64 KiB a read
                if not chunk:
                    break
                received += len(chunk)
                if received > max_bytes:
                    bar.update(received, final=True)
                    raise FetchError(
                        f"{source} sent more than {max_bytes:,} bytes (after decompression), more than an official "
                        "file may have; stopped, nothing was changed"
                    )
                out.write(chunk)
                bar.update(received)
        except FetchError:
            raise
        except Exception as err:  # requests', urllib3's (read timeout, protocol) and the socket's own errors
            bar.update(received, final=True)
            if time.monotonic() - started >= timeout:
                raise FetchError(
                    f"the download of {source} took more than {timeout:g} s (--timeout) and was stopped after "
                    f"{received:,} bytes; nothing was changed"
                ) from None
            raise FetchError(
                f"the download of {source} broke off after {received:,} bytes ({_short(err)}); nothing was changed"
            ) from None
        bar.update(received, final=True)
        if expected is not None and received != expected:
            raise FetchError(
                f"{source} sent {received:,} of the {expected:,} bytes it announced: the download "
                "is truncated; nothing was changed"
            )
        return dict(response.headers)


def _socket_of(response: requests.Response) -> socket.socket | None:
    """The socket a streamed response is read from (http.client's buffered reader over it), to bound each read."""
    reader = getattr(getattr(response.raw, "_fp", None), "fp", None)
    sock = getattr(getattr(reader, "raw", None), "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


def _short(err: BaseException) -> str:
    text = str(err).splitlines()[0] if str(err) else type(err).__name__
    return text[:200]
