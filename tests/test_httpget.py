"""The bounded GET against a real HTTP server on 127.0.0.1: each bound stops a download, and only past its limit."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from drugstats.official import httpget

PAGE = b"<p>Officials said 11,000 pounds were seized.</p>"
BOMB = gzip.compress(b"0" * 5_000_000, compresslevel=9)  # 5 MB once decompressed, a few kB on the wire


class Handler(BaseHTTPRequestHandler):
    """Answers by path; `/sized/N` and `/unsized/N` send N bytes, `/redirect/N` redirects N times before a page."""

    seen: list[dict[str, str]] = []
    stopping = threading.Event()

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.seen.append(dict(self.headers))
        kind, _, arg = self.path.strip("/").partition("/")
        if kind == "page":
            self._send(200, {"Content-Type": "text/html; charset=utf-8"}, PAGE)
        elif kind == "redirect":
            if int(arg):
                self._send(302, {"Location": f"/redirect/{int(arg) - 1}"}, b"")
            else:
                self._send(200, {"Content-Type": "text/html"}, PAGE)
        elif kind == "sized":
            self._send(200, {"Content-Type": "text/plain"}, b"x" * int(arg))
        elif kind == "unsized":  # no Content-Length: only reading tells the size
            self._send(200, {"Content-Type": "text/plain"}, b"x" * int(arg), length=False)
        elif kind == "gzip":
            body = BOMB if arg == "bomb" else gzip.compress(PAGE)
            self._send(200, {"Content-Type": "text/plain", "Content-Encoding": "gzip"}, body)
        elif kind == "pdf":  # announces far more than it sends: a client that reads its length stops before the body
            self._send(200, {"Content-Type": "application/pdf", "Content-Length": "50000000"}, b"%PDF-1.4", length=False)
        elif kind == "notype":
            self._send(200, {}, PAGE)
        elif kind == "short":  # announces 1,000 bytes, sends 500 and hangs up
            self._send(200, {"Content-Type": "text/plain", "Content-Length": "1000"}, b"x" * 500, length=False)
        elif kind == "drip":  # a byte every 50 ms: no single read ever waits long
            self._send_headers(200, {"Content-Type": "text/plain", "Content-Length": "200"})
            for _ in range(200):
                if self.stopping.wait(0.05):
                    break
                self.wfile.write(b"x")
                self.wfile.flush()
        elif kind == "stall":  # ten bytes, then nothing for up to 3 s
            self._send_headers(200, {"Content-Type": "text/plain", "Content-Length": "1000"})
            self.wfile.write(b"x" * 10)
            self.wfile.flush()
            self.stopping.wait(3)
        elif kind == "late":  # the headers only after 1 s
            self.stopping.wait(1)
            self._send(200, {"Content-Type": "text/html"}, PAGE)
        else:
            self._send(404, {"Content-Type": "text/plain"}, b"no")

    def _send_headers(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _send(self, status: int, headers: dict[str, str], body: bytes, length: bool = True) -> None:
        self._send_headers(status, headers | ({"Content-Length": str(len(body))} if length else {}))
        self.wfile.write(body)
        self.close_connection = True


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client hanging up mid-body is the point of several tests


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        Handler.stopping.set()
        httpd.shutdown()
        httpd.server_close()


def get(url: str, **bounds) -> httpget.Fetched:
    """httpget.get with generous bounds, each test tightening the one it is about."""
    options = {"headers": {"User-Agent": "drugstats-test"}, "timeout": 5.0, "deadline": 10.0, "max_bytes": 1_000_000}
    return httpget.get(url, **(options | {"allow_private_addresses": True} | bounds))


def test_a_page_comes_whole_with_the_callers_headers(server):
    Handler.seen.clear()
    page = get(f"{server}/page", headers={"User-Agent": "drugstats-test", "Accept": "text/html"})
    assert (page.body, page.content_type, page.expected, page.received) == (PAGE, "text/html", len(PAGE), len(PAGE))
    assert page.headers["Content-Length"] == str(len(PAGE))
    [request] = Handler.seen
    assert (request["User-Agent"], request["Accept"]) == ("drugstats-test", "text/html")


def test_a_sink_takes_the_body_and_progress_ends_once_with_the_count(server):
    chunks: list[bytes] = []
    calls: list[tuple[int, int | None, bool]] = []
    page = get(f"{server}/sized/200000", sink=chunks.append, progress=lambda *call: calls.append(call))
    assert page.body == b"" and b"".join(chunks) == b"x" * 200_000
    assert calls[-1] == (200_000, 200_000, True)
    assert [call[2] for call in calls].count(True) == 1


def test_redirects_up_to_the_cap_are_followed_and_one_more_is_refused(server):
    assert get(f"{server}/redirect/3", max_redirects=3).body == PAGE
    with pytest.raises(httpget.TooManyRedirects) as caught:
        get(f"{server}/redirect/4", max_redirects=3)
    assert caught.value.limit == 3
    assert str(caught.value) == f"{server}/redirect/4: more than 3 redirects"


def test_the_default_redirect_cap_is_five(server):
    assert get(f"{server}/redirect/5").body == PAGE
    with pytest.raises(httpget.TooManyRedirects):
        get(f"{server}/redirect/6")


def test_a_status_other_than_200_is_refused_with_its_code(server):
    with pytest.raises(httpget.BadStatus) as caught:
        get(f"{server}/missing")
    assert (caught.value.status, caught.value.reason) == (404, "Not Found")
    assert str(caught.value) == f"{server}/missing: HTTP 404 Not Found"


def test_an_announced_length_over_the_cap_is_refused_before_the_body(server):
    assert get(f"{server}/sized/1000", max_bytes=1000).received == 1000
    calls: list[tuple[int, int | None, bool]] = []
    with pytest.raises(httpget.AnnouncedTooLarge) as caught:
        get(f"{server}/sized/1001", max_bytes=1000, progress=lambda *call: calls.append(call))
    assert (caught.value.announced, caught.value.limit) == (1001, 1000)
    assert calls == []  # refused on its headers: no body was read


def test_a_body_over_the_cap_without_a_length_is_stopped_while_it_comes(server):
    assert get(f"{server}/unsized/100000", max_bytes=100_000).received == 100_000
    calls: list[tuple[int, int | None, bool]] = []
    with pytest.raises(httpget.TooLarge) as caught:
        get(f"{server}/unsized/300000", max_bytes=100_000, progress=lambda *call: calls.append(call))
    assert caught.value.limit == 100_000
    assert 100_000 < caught.value.received <= 100_000 + httpget.CHUNK_BYTES
    assert calls[-1] == (caught.value.received, None, True)


def test_the_cap_counts_bytes_after_decompression(server):
    page = get(f"{server}/gzip/page")
    assert (page.body, page.expected) == (PAGE, None)  # an encoded body's Content-Length is not its size
    assert len(BOMB) < 100_000
    with pytest.raises(httpget.TooLarge) as caught:
        get(f"{server}/gzip/bomb", max_bytes=1_000_000)
    assert caught.value.received <= 1_000_000 + httpget.CHUNK_BYTES


def test_a_dripping_body_is_stopped_at_the_deadline(server):
    started = time.monotonic()
    with pytest.raises(httpget.TooSlow) as caught:
        get(f"{server}/drip", timeout=5.0, deadline=0.6)
    assert time.monotonic() - started < 1.5
    assert caught.value.deadline == 0.6 and 0 < caught.value.received < 200


def test_a_stalled_read_is_cut_at_the_deadline(server):
    started = time.monotonic()
    with pytest.raises(httpget.TooSlow) as caught:
        get(f"{server}/stall", timeout=5.0, deadline=0.5)
    assert time.monotonic() - started < 1.5
    assert caught.value.received == 10


def test_a_stalled_read_breaks_off_at_the_timeout_while_the_deadline_is_ahead(server):
    started = time.monotonic()
    with pytest.raises(httpget.BrokeOff) as caught:
        get(f"{server}/stall", timeout=0.4, deadline=5.0)
    assert 0.3 < time.monotonic() - started < 2.5
    assert caught.value.received == 10
    assert "timed out" in str(caught.value)


def test_no_answer_within_the_timeout_is_told_from_a_refused_connection(server):
    with pytest.raises(httpget.NoAnswer) as caught:
        get(f"{server}/late", timeout=0.3)
    assert caught.value.timeout == 0.3
    assert str(caught.value) == f"{server}/late: no answer within 0.3 s"
    with socket.socket() as unused:  # a port nobody listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    with pytest.raises(httpget.ConnectFailed) as caught:
        get(f"http://127.0.0.1:{port}/page")
    assert not isinstance(caught.value, httpget.NoAnswer)
    assert str(caught.value).startswith(f"http://127.0.0.1:{port}/page: connection failed (")


def test_a_content_type_outside_the_accepted_ones_is_refused_before_its_length(server):
    with pytest.raises(httpget.NotAccepted) as caught:
        get(f"{server}/pdf", max_bytes=1000, content_types=("text/html",))
    assert caught.value.content_type == "application/pdf"
    with pytest.raises(httpget.AnnouncedTooLarge):
        get(f"{server}/pdf", max_bytes=1000)  # no content types given: any is taken
    assert get(f"{server}/notype", content_types=("text/html",)).content_type == ""  # one that names none is taken


def test_a_body_shorter_than_its_length_breaks_off(server):
    with pytest.raises(httpget.BrokeOff) as caught:
        get(f"{server}/short")
    assert caught.value.received <= 500


def test_a_caller_words_an_error_by_its_nearest_class_and_never_fails_on_one_it_has_not_worded():
    refusals = {httpget.ConnectFailed: lambda err: f"cannot reach {err.url}"}
    no_answer = httpget.NoAnswer("http://127.0.0.1:9/", TimeoutError("timed out"), 5.0)
    assert httpget.words(refusals, no_answer) == "cannot reach http://127.0.0.1:9/"  # NoAnswer is a ConnectFailed
    not_accepted = httpget.NotAccepted("http://127.0.0.1:9/", "image/png")
    assert httpget.words(refusals, not_accepted) == str(not_accepted)  # httpget's own words, not a KeyError
