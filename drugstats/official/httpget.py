"""The one bounded HTTP GET behind every download: a redirect cap, status 200, a size cap (announced, and counted
after decompression), one deadline; a bound that is hit raises a neutral error with its numbers, each caller words it."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from drugstats.official import netaddr

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


class Refused(Stopped):
    """An address drugstats does not fetch: not http(s), or a host inside a network (`rule` says which rule)."""

    def __init__(self, url: str, rule: str):
        self.rule = rule
        super().__init__(url, f"refused: {rule}")


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
    max_redirects: int = MAX_REDIRECTS,
    allow_private_addresses: bool = False,
) -> Fetched:
    """GET url with `headers` under every bound; return the body (or hand it to `sink`, chunk by chunk). Raises Stopped.

    Only http(s), and only hosts whose every address is public (drugstats.official.netaddr): each address, the first
    and every redirect's, is resolved here once and the connection made to the address checked, so a name that
    resolves elsewhere a second time (DNS rebinding) cannot lead inside. `allow_private_addresses` is for tests against
    a server on 127.0.0.1; nothing in drugstats sets it.

    `deadline` (seconds from the call) bounds the whole download: connecting, the headers, every redirect and the body;
    a socket still open when it passes is shut, and whatever fails from then on is TooSlow. `timeout` bounds
    connecting, waiting for each response's headers and each read of the body: a read that waits longer breaks off
    (BrokeOff) while the deadline is still ahead. `content_types`, when given, are the only Content-Types
    taken (a response that names none is taken too). `progress(received, expected, final)` follows the body: after
    each chunk, and once with final=True when the body ends, however it ends.
    """
    started = time.monotonic()
    watchdog = _Watchdog(deadline)
    try:
        response = _follow(url, headers, timeout, started, deadline, watchdog, max_redirects, allow_private_addresses)
        try:
            bounds = (timeout, started, deadline, watchdog, max_bytes)
            return _body(url, response, bounds, content_types, sink, progress)
        finally:
            response.release_conn()
            response.close()
    finally:
        watchdog.cancel()


class _Watchdog:
    """Shuts every socket it watches once the deadline passes: a read blocked on a server that drips headers or body
    ends then, whatever its own timeout."""

    def __init__(self, deadline: float):
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, deadline), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.fired:
                _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _pinned(base: type, address: str, watchdog: _Watchdog) -> type:
    """A urllib3 connection class that connects to `address` (already checked) instead of resolving its host again;
    the host still names the server in the Host header, TLS's SNI and the certificate check."""

    class Pinned(base):  # type: ignore[misc, valid-type]
        def _new_conn(self) -> socket.socket:
            named = self._dns_host
            self._dns_host = address
            try:
                sock = super()._new_conn()
            finally:
                self._dns_host = named
            watchdog.watch(sock)
            return sock

    return Pinned


def _left(started: float, deadline: float) -> float:
    return deadline - (time.monotonic() - started)


def _follow(
    url: str,
    headers: Mapping[str, str],
    timeout: float,
    started: float,
    deadline: float,
    watchdog: _Watchdog,
    max_redirects: int,
    allow_private: bool,
) -> Any:
    """The response at the end of url's redirects (a urllib3 HTTPResponse, its body unread)."""
    import urllib3

    current = url
    for _hop in range(max_redirects + 1):
        try:
            target = netaddr.target(current, allow_private=allow_private)
        except netaddr.Unresolvable as err:
            raise ConnectFailed(url, err) from None
        if isinstance(target, str):
            raise Refused(url, target)
        left = _left(started, deadline)
        if left <= 0:
            raise TooSlow(url, deadline, 0)
        wait = min(timeout, left)
        pool = _pool(target, urllib3.Timeout(connect=wait, read=wait), watchdog)
        try:
            response = pool.urlopen(
                "GET",
                target.path,
                headers={**DEFAULT_HEADERS, **headers, "Host": target.host_header},
                redirect=False,
                retries=False,
                preload_content=False,
                decode_content=True,
                assert_same_host=False,
            )
        except urllib3.exceptions.NewConnectionError as err:  # a subclass of the timeout below: refused, unreachable
            raise ConnectFailed(url, _cause(err)) from None
        except (urllib3.exceptions.TimeoutError, TimeoutError) as err:
            if watchdog.fired or _left(started, deadline) <= 0:
                raise TooSlow(url, deadline, 0) from None
            raise NoAnswer(url, err, timeout) from None
        except (urllib3.exceptions.HTTPError, OSError, ValueError) as err:
            if watchdog.fired or _left(started, deadline) <= 0:
                raise TooSlow(url, deadline, 0) from None
            raise ConnectFailed(url, _cause(err)) from None
        location = response.headers.get("Location")
        if response.status in REDIRECTS and location:
            response.release_conn()
            response.close()
            current = urljoin(current, location.strip())
            continue
        return response
    raise TooManyRedirects(url, max_redirects)


REDIRECTS = frozenset({301, 302, 303, 307, 308})
DEFAULT_HEADERS = {"Accept-Encoding": "gzip, deflate", "Accept": "*/*", "Connection": "close"}


def _pool(target: netaddr.Target, timeout: Any, watchdog: _Watchdog) -> Any:
    import urllib3
    from urllib3.connection import HTTPConnection, HTTPSConnection

    if target.scheme == "https":
        import certifi

        pool = urllib3.HTTPSConnectionPool(
            target.host, target.port, timeout=timeout, maxsize=1, retries=False, cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
        )  # fmt: skip
        pool.ConnectionCls = _pinned(HTTPSConnection, target.address, watchdog)
    else:
        pool = urllib3.HTTPConnectionPool(target.host, target.port, timeout=timeout, maxsize=1, retries=False)
        pool.ConnectionCls = _pinned(HTTPConnection, target.address, watchdog)
    return pool


def _cause(err: BaseException) -> BaseException:
    """The innermost reason urllib3 wraps (a refused connection, a certificate that does not match)."""
    reason = getattr(err, "reason", None)
    return reason if isinstance(reason, BaseException) else err


def _body(
    url: str,
    response: Any,
    bounds: tuple[float, float, float, _Watchdog, int],
    content_types: Collection[str] | None,
    sink: Callable[[bytes], None] | None,
    progress: Callable[[int, int | None, bool], None] | None,
) -> Fetched:
    timeout, started, deadline, watchdog, max_bytes = bounds
    if response.status != 200:
        raise BadStatus(url, response.status, response.reason or "")
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
    sock = _socket_of(response)
    try:
        while True:
            left = _left(started, deadline)
            if left <= 0:
                raise TooSlow(url, deadline, received)
            if sock is not None:
                with contextlib.suppress(OSError):  # closed once the body is in: the read below then returns b""
                    sock.settimeout(min(timeout, left))
            chunk = response.read1(CHUNK_BYTES, decode_content=True)
            if not chunk:
                if watchdog.fired:
                    raise TooSlow(url, deadline, received)
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
    except Exception as err:  # urllib3's (read timeout, protocol), the socket's and the sink's own
        if progress is not None:
            progress(received, expected, True)
        if watchdog.fired or _left(started, deadline) <= 0:
            raise TooSlow(url, deadline, received) from None
        raise BrokeOff(url, _cause(err), received) from None
    if progress is not None:
        progress(received, expected, True)
    return Fetched(dict(response.headers), bytes(body), content_type, expected, received)


def _socket_of(response: Any) -> socket.socket | None:
    """The socket a streamed response is read from (http.client's buffered reader over it), to bound each read."""
    reader = getattr(getattr(response, "_fp", None), "fp", None)
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
