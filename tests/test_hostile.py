"""Hostile inputs to the article reader, URL fetching and the fixed addresses: each case of tests/hostile/README.md
(issue 24) with its exact outcome. No test here is timed; bench/ reports the costs."""

from __future__ import annotations

import csv
import io
import os
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from drugstats import cli
from drugstats.claims import models
from drugstats.extract import attribution, isolated, reader, report, source
from drugstats.extract.check import check_candidates, to_claim
from drugstats.extract.numbers import find_numbers
from drugstats.official import httpget, netaddr
from drugstats.pages import check as check_page
from drugstats.site import apicheck
from drugstats.verdicts import checks
from tests.conftest import local_servers_allowed
from tests.test_checks import CHANGE, claim, record  # noqa: F401 (record is a fixture)

HERE = Path(__file__).resolve().parent / "hostile"
RULE_TAIL = "; drugstats fetches only public internet addresses"


# ------------------------------------------------------------------------------------------- 1. internal addresses

INTERNAL = {
    "http://127.0.0.1/": "127.0.0.1 is a loopback address (this machine)",
    "http://localhost:8501/": "localhost resolves to 127.0.0.1: 127.0.0.1 is a loopback address (this machine)",
    "http://[::1]/": "::1 is a loopback address (this machine)",
    "http://[::ffff:127.0.0.1]/": "127.0.0.1 is a loopback address (this machine), inside the IPv6 address ::ffff:7f00:1",
    "http://2130706433/": "2130706433 resolves to 127.0.0.1: 127.0.0.1 is a loopback address (this machine)",
    "http://0x7f000001/": "0x7f000001 resolves to 127.0.0.1: 127.0.0.1 is a loopback address (this machine)",
    "http://127.1/": "127.1 resolves to 127.0.0.1: 127.0.0.1 is a loopback address (this machine)",
    "http://0.0.0.0/": "0.0.0.0 is an unspecified address (0.0.0.0 or ::)",
    "https://169.254.169.254/latest/meta-data/": "169.254.169.254 is a link-local address",
    "http://10.1.2.3/": "10.1.2.3 is a private network's address",
    "http://192.168.0.1/": "192.168.0.1 is a private network's address",
    "http://[fe80::1]/": "fe80::1 is a link-local address",
    "http://224.0.0.1/": "224.0.0.1 is a multicast address",
    "http://240.0.0.1/": "240.0.0.1 is a private network's address",
    "http://100.64.0.1/": "100.64.0.1 is not a public internet address",
    "http://[64:ff9b::7f00:1]/": "127.0.0.1 is a loopback address (this machine), inside the IPv6 address 64:ff9b::7f00:1",
    "http://[2002:a00:1::]/": "10.0.0.1 is a private network's address, inside the IPv6 address 2002:a00:1::",
}


@pytest.mark.parametrize("url", list(INTERNAL))
def test_an_internal_address_is_refused_naming_its_rule(url):
    assert netaddr.target(url) == INTERNAL[url] + RULE_TAIL


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("file:///etc/passwd", "only http and https addresses are fetched, not file:"),
        ("gopher://example.org/", "only http and https addresses are fetched, not gopher:"),
        ("http:///nohost", "the address names no host"),
    ],
)
def test_only_http_and_https_with_a_host_are_fetched(url, rule):
    assert netaddr.target(url) == rule


class _Handler(BaseHTTPRequestHandler):
    """/page: a page; /to/<url>: a redirect there; /drip-headers: a header byte every 0.1 s; /slow-redirect/N."""

    seen: list[str] = []
    stopping = threading.Event()

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.seen.append(self.path)
        if self.path == "/page":
            self._send(200, {"Content-Type": "text/html"}, b"<p>Officials said 11,000 pounds were seized.</p>")
        elif self.path.startswith("/to/"):
            self._send(302, {"Location": self.path.removeprefix("/to/")}, b"")
        elif self.path == "/drip-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for byte in b"X-Slow: " + b"x" * 100:
                if self.stopping.wait(0.1):
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
        elif self.path.startswith("/slow-redirect/"):
            left = int(self.path.rsplit("/", 1)[1])
            self.stopping.wait(0.3)
            self._send(302, {"Location": f"/slow-redirect/{left - 1}" if left else "/page"}, b"")
        else:
            self._send(404, {"Content-Type": "text/plain"}, b"no")

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in (headers | {"Content-Length": str(len(body))}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass


@pytest.fixture(scope="module")
def local() -> Iterator[str]:
    httpd = _Quiet(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        _Handler.stopping.set()
        httpd.shutdown()
        httpd.server_close()


def _get(url: str, **bounds) -> httpget.Fetched:
    options = {"headers": {"User-Agent": "drugstats-test"}, "timeout": 5.0, "deadline": 10.0, "max_bytes": 1_000_000}
    return httpget.get(url, **(options | bounds))


def test_the_cli_refuses_an_internal_address_in_one_line(local, capsys):
    _Handler.seen.clear()
    assert cli.main(["extract", f"{local}/page"]) == 1
    assert capsys.readouterr().err == (
        f"error: {local}/page: not fetched: 127.0.0.1 is a loopback address (this machine){RULE_TAIL}\n"
    )
    assert _Handler.seen == []  # refused before any connection
    assert _get(f"{local}/page", allow_private_addresses=True).body.startswith(b"<p>")  # the opt-in tests use


def test_a_redirect_into_the_network_is_refused(local, monkeypatch):
    # 127.0.0.1 (the test server) counts as public here; 127.0.0.2, where it redirects, does not.
    real = netaddr.address_rule
    monkeypatch.setattr(netaddr, "address_rule", lambda a: None if a == "127.0.0.1" else real(a))
    port = local.rsplit(":", 1)[1]
    _Handler.seen.clear()
    with pytest.raises(httpget.Refused) as caught:
        _get(f"{local}/to/http://127.0.0.2:{port}/page")
    assert str(caught.value) == (
        f"{local}/to/http://127.0.0.2:{port}/page: refused: 127.0.0.2 is a loopback address (this machine){RULE_TAIL}"
    )
    assert _Handler.seen == [f"/to/http://127.0.0.2:{port}/page"]  # the first hop only


def test_the_connection_goes_to_the_address_checked(local, monkeypatch):
    # A name that resolves to the server the first time and elsewhere after (DNS rebinding): it is looked up once.
    port = int(local.rsplit(":", 1)[1])
    real_lookup = socket.getaddrinfo
    lookups: list[str] = []

    def lookup(host, *args, **kwargs):
        if host == "rebind.test":
            lookups.append(host)
            address = "127.0.0.1" if len(lookups) == 1 else "10.9.9.9"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real_lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    real = netaddr.address_rule
    monkeypatch.setattr(netaddr, "address_rule", lambda a: None if a == "127.0.0.1" else real(a))
    page = _get(f"http://rebind.test:{port}/page")
    assert page.body.startswith(b"<p>") and lookups == ["rebind.test"]


# ------------------------------------------------------------------------------------------- 2. quadratic reading


def test_a_run_of_capitals_is_not_a_name():
    # Each name word starts at a word's start and is at most 41 letters: the run is tried once, and is no name.
    assert attribution.attribution("CBP seized 100 pounds, " + "A" * 20_000 + " said.") is None
    assert attribution.SAID.search("X" + "A" * 50 + " said") is None
    assert attribution.attribution("Fentanyl deaths rose, CDC Director Rochelle Walensky said.") == "CDC"


def test_a_sentence_with_too_many_numbers_is_left_out():
    def sentence(n: int) -> str:
        return "CBP officers seized " + ", ".join(f"{i + 1} pounds" for i in range(n)) + " of fentanyl in fiscal 2022."

    # n figures and the year 2022: 30 numbers are read, 31 are a list
    assert len(reader.extract(sentence(reader.MAX_NUMBERS_PER_SENTENCE - 1), date(2023, 1, 1))) == 29
    assert reader.extract(sentence(reader.MAX_NUMBERS_PER_SENTENCE), date(2023, 1, 1)) == []
    long = "CBP seized 100 pounds of fentanyl in fiscal 2022 " + "and more " * 200 + "at the border."
    assert len(long) > reader.MAX_SENTENCE_CHARS and reader.extract(long, date(2023, 1, 1)) == []


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        ("<p " + " ".join(f"a{i}=1" for i in range(120_000)) + ">x</p>", "has a tag with 120,000 attributes (500 at most)"),
        ("<html><body>" + "<b>x</b>" * 30_000 + "</body></html>", "has 60,004 tags, more than a news page's (40,000 at most)"),
        ("<html><body>" + "<i>x</i>" * 10_000 + "</body></html>", "is 20,004 tags in 80,026 characters: markup, not an article"),
        (
            "<html><body>" + ("<p " + "a=1 " * 400 + ">x</p>") * 201 + "</body></html>",
            "has 80,400 attributes, more than a news page's (80,000 at most)",
        ),
    ],
    ids=["one tag, many attributes", "too many tags", "tag soup", "too many attributes"],
)
def test_markup_over_its_caps_is_refused_before_parsing(markup, message):
    with pytest.raises(source.ArticleError) as caught:
        source.article_from_bytes(markup.encode(), "page.html", html=True)
    assert str(caught.value) == f"page.html: {message}; not read"


def test_a_reading_past_its_time_limit_is_stopped():
    with pytest.raises(source.ArticleError) as caught:
        isolated.run(time.sleep, 30, seconds=0.3, what="The pasted text")
    assert str(caught.value) == "The pasted text: reading it took more than 0.3 s; stopped"
    assert isolated.run(reader.extract, "CBP seized 1,000 pounds of fentanyl in March 2022.", None, None)[0].value == 1000
    with pytest.raises(source.ArticleError) as caught:
        isolated.run(int, "not a number")  # a reader that breaks: a message, never the traceback
    assert str(caught.value) == isolated.GENERIC


# ------------------------------------------------------------------------------------------- 3. misread numbers


@pytest.mark.parametrize("case", yaml.safe_load((HERE / "numbers.yaml").read_text(encoding="utf-8")), ids=repr)
def test_numbers_are_read_right_or_not_at_all(case):
    assert [[n.value_text, n.value] for n in find_numbers(case["text"])] == case["read"]
    if not case["read"]:  # and so no figure of an article, and no verdict
        assert reader.extract(case["text"] + " in 2022, the CDC said.", date(2023, 6, 1)) == []


# ------------------------------------------------------------------------------------------- 4. a change's direction


def test_a_change_is_judged_with_its_direction(record):  # noqa: F811 (the fixture imported above)
    fall = dict(value=20, period_start="2020-10-01", period_end="2021-09-30")
    fall |= dict(compared_to_start="2021-10-01", compared_to_end="2022-09-30")  # 15,000 pounds, then 12,000: -20%
    said_up = checks.check_claim(claim(**CHANGE | fall | {"direction": "up"}), record)
    assert said_up.verdict == "overstated"
    assert said_up.explanation == (
        "The claim says the figure went up (20 percent), but it went down: the decrease in CBP's nationwide total of "
        "fentanyl seized over fiscal year 2022 (October 2021 to September 2022) for fiscal year 2021 (October 2020 to "
        "September 2021) was 20.0 percent."
    )
    assert checks.check_claim(claim(**CHANGE | fall | {"direction": "down"}), record).verdict == "consistent"
    undirected = checks.check_claim(claim(**CHANGE | fall | {"direction": None}), record)
    assert (undirected.verdict, undirected.explanation) == (
        "unverifiable",
        "The claim does not say whether the figure went up or down.",
    )


@pytest.mark.parametrize(
    ("text", "value", "direction"),
    [
        ("CBP fentanyl seizures rose about 45% in fiscal 2025.", 45, "up"),
        ("CBP fentanyl seizures fell about 45% in fiscal 2025.", 45, "down"),
        ("Fentanyl seizures by CBP were down 45% in fiscal 2025.", 45, "down"),
        ("CBP reported a 45% increase in fentanyl seizures in fiscal 2025.", 45, "up"),
        ("CBP reported a 45% decline in fentanyl seizures in fiscal 2025.", 45, "down"),
    ],
)
def test_the_extractor_reads_the_direction(text, value, direction):
    (candidate,) = reader.extract(text, date(2025, 12, 1))
    made = to_claim(candidate, "https://example.org/a")
    assert (made.metric, made.value, made.direction) == ("seizure_change", value, direction)


def test_a_period_compared_with_itself_is_refused():
    fields = dict(id="c", quote="q", claimant="X", attributed_to="CBP", source="s", **CHANGE)
    fields |= dict(value=45, period_start="2024-10-01", period_end="2025-09-30")
    same = models.Claim(**fields, compared_to_start="2024-10-01", compared_to_end="2025-09-30")
    assert models.claim_rules(same) == [
        (
            "compared_to_end",
            "the period compared with must end before the claim's period begins (2024-10-01); a period is never "
            "compared with itself or a part of itself",
        )
    ]
    assert models.claim_rules(models.Claim(**fields, compared_to_start="2023-10-01", compared_to_end="2024-09-30")) == []
    assert models.claim_rules(models.Claim(**fields | {"metric": "drug_seized", "unit": "lb", "direction": "up"})) == [
        ("direction", "only for a change claim (seizure_change)")
    ]


def test_the_api_needs_a_change_claims_direction():
    params = {"metric": ["seizure_change"], "value": ["45"], "qualifier": ["about"], "substance": ["fentanyl"]}
    params |= {"period": ["fy2025"], "vs": ["fy2024"], "by": ["CBP"], "unit": ["percent"]}
    assert apicheck.parse(params, ["US"]) == [apicheck.Problem("direction", "is required")]
    assert apicheck.parse(params | {"direction": ["sideways"]}, ["US"]) == [
        apicheck.Problem("direction", "must be one of up, down, not 'sideways'")
    ]
    assert apicheck.parse(params | {"direction": ["down"]}, ["US"]).direction == "down"


# ------------------------------------------------------------------------------------------- 5. formulas in CSVs


def test_extract_csv_cells_cannot_run():
    text = '=HYPERLINK("https://evil.example") CBP seized 11,000 pounds of fentanyl in fiscal 2022.\n@SUM(A1) CBP said.'
    candidates = reader.extract(text, date(2023, 1, 1))
    rows = list(csv.DictReader(io.StringIO(report.to_csv([("-", check_candidates(candidates, _record(), source="-"))]))))
    assert rows[0]["quote"] == "'" + text.splitlines()[0]
    assert all(not cell.startswith(("=", "+", "@", "\t", "\r")) for row in rows for cell in row.values())


def _record() -> checks.OfficialRecord:
    from tests.test_checks import REFERENCE, deaths_rows, seizure_rows

    return checks.OfficialRecord(deaths_rows(), seizure_rows(), REFERENCE)


# ------------------------------------------------------------------------------------------- 6. period reader crashes


@pytest.mark.parametrize("case", yaml.safe_load((HERE / "periods.yaml").read_text(encoding="utf-8")), ids=repr)
def test_unreadable_periods_are_no_period(case, tmp_path, capsys):
    path = tmp_path / "article.txt"
    path.write_text(case["sentence"] + "\n", encoding="utf-8")
    published = ["--published", case["published"]] if case["published"] else []
    assert cli.main(["extract", str(path), *published, "--format", "table"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "Traceback" not in out
    assert case["missing"] in [line.strip() for line in out.splitlines()], out


# ------------------------------------------------------------------------------------------- 7. state between reads

PAGE = (
    "<html><head><title>Seizures</title></head><body><article><h1>Seizures at the border</h1>"
    + "".join(f"<p>Paragraph {i}: CBP seized 11,000 pounds of fentanyl in fiscal 2022, the agency said.</p>" for i in range(8))
    + "</article></body></html>"
).encode()


def test_the_same_page_reads_the_same_every_time():
    texts = {source.article_from_bytes(PAGE, "page.html", html=True).text for _ in range(6)}
    assert len(texts) == 1 and "Paragraph 7" in texts.pop()


# ------------------------------------------------------------------------------------------- 8. deadlines, FIFOs


def test_dripped_headers_stop_at_the_deadline(local):
    with pytest.raises(httpget.TooSlow) as caught:
        _get(f"{local}/drip-headers", timeout=5.0, deadline=0.5, allow_private_addresses=True)
    assert str(caught.value) == f"{local}/drip-headers: not done within 0.5 s; stopped after 0 bytes"


def test_slow_redirects_stop_at_the_deadline(local):
    assert _get(f"{local}/slow-redirect/1", allow_private_addresses=True).body.startswith(b"<p>")
    with pytest.raises(httpget.TooSlow) as caught:
        _get(f"{local}/slow-redirect/4", timeout=5.0, deadline=0.8, allow_private_addresses=True)
    assert caught.value.deadline == 0.8


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_not_waited_on(tmp_path, capsys):
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    assert cli.main(["extract", str(fifo)]) == 1
    assert capsys.readouterr().err == f"error: {fifo}: is a named pipe (FIFO), not a regular file; give a .txt or .html file\n"


def test_local_servers_need_the_opt_in(local):
    with pytest.raises(httpget.Refused):
        _get(f"{local}/page")
    with local_servers_allowed():
        assert httpget.get(f"{local}/page", headers={}, timeout=5, deadline=5, max_bytes=10_000).received > 0


# ------------------------------------------------------------------------------------------- 9. slow readers


def test_a_large_answer_streams_in_chunks():
    import asyncio

    from starlette.responses import Response, StreamingResponse

    from drugstats.site.api import Response as Reply
    from views import _site

    big = bytes(range(256)) * (_site.STREAM_BYTES // 256 + 10)
    streamed = _site.starlette_response(Reply(200, {"Content-Type": "application/json"}, big))
    assert isinstance(streamed, StreamingResponse)

    async def chunks() -> list[bytes]:
        return [chunk async for chunk in streamed.body_iterator]

    got = asyncio.run(chunks())
    assert b"".join(got) == big and max(map(len, got)) == _site.CHUNK_BYTES
    small = _site.starlette_response(Reply(200, {}, b"{}"))
    assert type(small) is Response and small.body == b"{}"


# ------------------------------------------------------------------------------------------- 10. silent fallbacks


@pytest.mark.parametrize(
    ("params", "ignored"),
    [
        ({"value": "1e300"}, ["value"]),
        ({"value": "0"}, ["value"]),
        ({"value": "NaN"}, ["value"]),
        ({"value": "-5"}, ["value"]),
        ({"value": "105,000"}, ["value"]),
        ({"period": "2023-01/2022-02"}, ["period"]),
        ({"period": "\uff12\uff10\uff12\uff12"}, ["period"]),  # full-width digits: not read, as in a value
        ({"value": "105000", "period": "2022-02/2023-01", "direction": "down"}, []),
        ({"metric": "seizure_change", "vs": "", "direction": "sideways"}, ["direction"]),
    ],
)
def test_the_page_names_each_parameter_it_did_not_read(params, ignored):
    named = check_page.ignored(params, ["US"])
    assert [name for name, _ in named] == ignored
    assert all("1e300" not in must and "NaN" not in must for _, must in named)  # never the value sent


def test_a_share_over_100_percent_is_a_400():
    view = check_page.parse_check(
        {"metric": "death_share", "value": "150", "unit": "percent", "qualifier": "about", "substance": "fentanyl"}, ["US"]
    )
    assert apicheck.claim_problems(view) == [
        apicheck.Problem("value", "150 percent is more than the whole: a share is at most 100 percent")
    ]


def test_a_400_lists_at_most_20_problems():
    params = {f"junk{i}": ["x"] for i in range(30)} | {"metric": ["overdose_deaths"]}
    problems = apicheck.parse(params, ["US"])
    document = apicheck.error_document(problems)
    assert len(problems) == 30 + 4  # 30 unknown parameters, and value, qualifier, substance, period missing
    assert len(document["problems"]) == 20 and document["problems_not_listed"] == 14


# ------------------------------------------------------------------------------------------- 11. the Host header


def test_links_never_follow_the_host_header(monkeypatch):
    from starlette.requests import Request

    from views import _site

    scope = {"type": "http", "method": "GET", "path": "/sitemap.xml", "query_string": b"", "scheme": "http"}
    request = Request(scope | {"headers": [(b"host", b"attacker.example")], "server": ("attacker.example", 80)})
    monkeypatch.delenv("DRUGSTATS_SITE_URL", raising=False)
    assert _site._site_url(request) == ""  # relative links
    monkeypatch.setenv("DRUGSTATS_SITE_URL", "https://drugstats.example.org/")
    assert _site._site_url(request) == "https://drugstats.example.org"


def test_check_a_figure_says_which_parameters_it_did_not_read(monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    monkeypatch.delenv("DRUGSTATS_DATA", raising=False)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.switch_page("views/check.py")
    at.query_params.update({"value": "1e300", "period": "2023-01/2022-02"})
    at.run()
    assert not at.exception and not at.error
    (note,) = [i.value for i in at.info if "Not read from the address" in i.value]
    assert "**value** (must be a plain positive number" in note and "**period** (must be a year" in note
    assert "1e300" not in note and "2023-01/2022-02" not in note
