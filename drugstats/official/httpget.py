"""The one bounded HTTP GET behind every download: a redirect cap, status 200, a size cap (announced, and counted
after decompression), one deadline; a bound that is hit raises a neutral error with its numbers, each caller words it."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import requests

MAX_REDIRECTS = 5
CHUNK_BYTES = 1 << 16  # the most one read returns (decoded)


class Stopped(Exception):
    """A download stopped at one of its bounds, or one that failed; `url` is the address asked for."""

    def __init__(self, url: str, what: str):
        self.url = url
        super().__init__(f"{url}: {what}")


class TooManyRedirects(Stopped):
    def __init__(self, url: str, limit: int):
        self.limit = limit
        super().__init__(url, f"more than {limit} redirects")


class ConnectFailed(Stopped):
    """No response at all: refused, unresolvable, a broken TLS handshake, an invalid address."""

    def __init__(self, url: str, cause: BaseException, what: str = ""):
        self.cause = cause
        super().__init__(url, what or f"connection failed ({short(cause)})")


class NoAnswer(ConnectFailed):
    """No connection, or no response headers, within `timeout`."""

    def __init__(self, url: str, cause: BaseException, timeout: float):
        self.timeout = timeout
        super().__init__(url, cause, f"no answer within {timeout:g} s")


class BadStatus(Stopped):
    def __init__(self, url: str, status: int, reason: str):
        self.status, self.reason = status, reason
        super().__init__(url, f"HTTP {status} {reason}")


class NotAccepted(Stopped):
    """A Content-Type outside the caller's `content_types`, refused before the body is read."""

    def __init__(self, url: str, content_type: str):
        self.content_type = content_type
        super().__init__(url, f"content type {content_type} not accepted")


class TooLarge(Stopped):
    """More than `limit` bytes came in, counted after decompression; `received` includes the read that crossed it."""

    def __init__(self, url: str, limit: int, received: int):
        self.limit, self.received = limit, received
        super().__init__(url, f"more than {limit:,} bytes (after decompression)")


class AnnouncedTooLarge(Stopped):
    """A Content-Length over the cap, refused before the body is read."""

    def __init__(self, url: str, limit: int, announced: int):
        self.limit, self.announced = limit, announced
        super().__init__(url, f"announces {announced:,} bytes, more than {limit:,}")


class TooSlow(Stopped):
    def __init__(self, url: str, deadline: float, received: int):
        self.deadline, self.received = deadline, received
        super().__init__(url, f"not done within {deadline:g} s; stopped after {received:,} bytes")


class BrokeOff(Stopped):
    """The body stopped coming: the connection dropped, a read timed out, a body shorter than its Content-Length."""

    def __init__(self, url: str, cause: BaseException, received: int):
        self.cause, self.received = cause, received
        super().__init__(url, f"broke off after {received:,} bytes ({short(cause)})")


@dataclass(frozen=True)
class Fetched:
    headers: dict[str, str]
    body: bytes  # empty when a sink took the chunks
    content_type: str  # lower case, without parameters; "" when the server named none
    expected: int | None  # the Content-Length, when no Content-Encoding makes it count other bytes than the body's
    received: int  # bytes of body, after decompression


def get(
    url: str,
    *,
    headers: Mapping[str, str],
    timeout: float,
    deadline: float,
    max_bytes: int,
    content_types: Collection[str] | None = None,
    sink: Callable[[bytes], None] | None = None,
    progress: Callable[[int, int | None, bool], None] | None = None,
    deadline_bounds_reads: bool = True,
    max_redirects: int = MAX_REDIRECTS,
) -> Fetched:
    """GET url with `headers` under every bound; return the body (or hand it to `sink`, chunk by chunk). Raises Stopped.

    `timeout` bounds connecting and waiting for the response headers; `deadline` (seconds from the call) bounds the
    whole download. With `deadline_bounds_reads` each read of the body may wait only for what is left of the deadline,
    and a read that fails once it has passed counts as TooSlow; without it each read may wait `timeout`, the deadline
    is checked between reads, and a failed read is BrokeOff. `content_types`, when given, are the only Content-Types
    taken (a response that names none is taken too). `progress(received, expected, final)` follows the body: after
    each chunk, and once with final=True when the body ends, however it ends.
    """
    import requests  # only a URL needs it: the article reader's files and standard input start faster without it

    started = time.monotonic()
    with requests.Session() as session:
        session.max_redirects = max_redirects
        try:
            response = session.get(url, stream=True, timeout=timeout, headers=dict(headers))
        except requests.TooManyRedirects:
            raise TooManyRedirects(url, max_redirects) from None
        except requests.Timeout as err:
            raise NoAnswer(url, err, timeout) from None
        except requests.RequestException as err:
            raise ConnectFailed(url, err) from None
        with response:
            if response.status_code != 200:
                raise BadStatus(url, response.status_code, response.reason)
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if content_types is not None and content_type and content_type not in content_types:
                raise NotAccepted(url, content_type)
            # Content-Length counts the encoded bytes; only without an encoding can it be checked against the body
            # (urllib3 checks it either way and breaks the stream off if the body falls short).
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise AnnouncedTooLarge(url, max_bytes, int(length))
            expected = int(length) if length.isdigit() and not response.headers.get("Content-Encoding") else None
            body, received = bytearray(), 0
            sock = _socket_of(response) if deadline_bounds_reads else None
            try:
                while True:
                    left = deadline - (time.monotonic() - started)
                    if left <= 0:
                        raise TooSlow(url, deadline, received)
                    if sock is not None:
                        with contextlib.suppress(OSError):  # closed once the body is in: the read below then returns b""
                            sock.settimeout(left)
                    chunk = response.raw.read1(CHUNK_BYTES, decode_content=True)
                    if not chunk:
                        break
                    received += len(chunk)
                    if received > max_bytes:
                        raise TooLarge(url, max_bytes, received)
                    if sink is None:
                        body += chunk
                    else:
                        sink(chunk)
                    if progress is not None:
                        progress(received, expected, False)
            except Stopped:
                if progress is not None:
                    progress(received, expected, True)
                raise
            except Exception as err:  # requests', urllib3's (read timeout, protocol), the socket's and the sink's own
                if progress is not None:
                    progress(received, expected, True)
                if deadline_bounds_reads and time.monotonic() - started >= deadline:
                    raise TooSlow(url, deadline, received) from None
                raise BrokeOff(url, err, received) from None
            if progress is not None:
                progress(received, expected, True)
            return Fetched(dict(response.headers), bytes(body), content_type, expected, received)


def _socket_of(response: requests.Response) -> socket.socket | None:
    """The socket a streamed response is read from (http.client's buffered reader over it), to bound each read."""
    reader = getattr(getattr(response.raw, "_fp", None), "fp", None)
    sock = getattr(getattr(reader, "raw", None), "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


def words(refusals: Mapping[type[Stopped], Callable[[Any], str]], err: Stopped) -> str:
    """What a caller says for a stopped download: its sentence for the error's class or the nearest class above it,
    else httpget's own (a bound a caller has not worded yet still gets a clear message, never a KeyError)."""
    for cls in type(err).__mro__:
        if cls in refusals:
            return refusals[cls](err)
    return short(err)


def short(err: BaseException) -> str:
    """An error's first line, at most 200 characters: enough to say what broke, never a page of it."""
    text = str(err).splitlines()[0] if str(err) else type(err).__name__
    return text[:200]
