"""Untrusted text: hostile URLs refused at validation, hostile quotes shown as text, CSV cells that cannot run, junk URLs.

What tests/test_validate.py, test_corpus_app.py, test_export.py, test_dashboard.py and test_app.py already cover is
not repeated here: this file adds every URL field and scheme trick, a hostile claim and statement through the whole
app (AppTest, and a real server for the download bytes and raw query strings), and junk in every query parameter
of every page that reads one.
"""

from __future__ import annotations

import asyncio
import csv
import html
import io
import json
import re
import shutil
import urllib.request
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from drugstats import cli
from drugstats.claims import load, safetext
from drugstats.errors import DataError
from drugstats.official import fields, series
from drugstats.publish import export
from drugstats.verdicts import pipeline
from tests.stserver import Server, one_run

from .conftest import MINIMAL, ROOT

APP = str(ROOT / "streamlit_app.py")

# ------------------------------------------------------------------------------------------- hostile URLs

# Each is refused wherever a URL is read. JSON strings are valid YAML double-quoted scalars, escapes included.
HOSTILE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "javascript\n:alert(1)",
    "javascript://example.org/%0Aalert(1)",
    "vbscript:msgbox(1)",
    "VBScript:MsgBox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    " DATA:text/html,hi",
    "\u00a0https://example.org/x",  # a no-break space before a good URL
    "https:javascript:alert(1)",
    "//evil.example/x",
    "https://example.org/a\njavascript:alert(1)",
]
URL_REFUSED = re.compile(r"(is not|expected) an http\(s\) URL|contains whitespace or control characters")


def _yaml_string(text: str) -> str:
    return json.dumps(text)


@pytest.fixture(scope="module")
def minimal_copy(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("minimal") / "data"
    shutil.copytree(MINIMAL, data)
    return data


def _problems(data: Path) -> list:
    with pytest.raises(DataError) as caught:
        load.load_dataset(data)
    return caught.value.problems


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_source_url_and_republished_url_refuse_every_scheme_trick(minimal_copy, url):
    sources = minimal_copy / "sources.yaml"
    original = sources.read_text(encoding="utf-8")
    try:
        sources.write_text(original.replace("url: https://example.org/article", f"url: {_yaml_string(url)}"), encoding="utf-8")
        problems = _problems(minimal_copy)
        assert [(p.record, p.field) for p in problems if URL_REFUSED.search(p.message)] == [("example-article", "url")]

        sources.write_text(
            original + f"  republished_by: Example Mirror\n  republished_url: {_yaml_string(url)}\n", encoding="utf-8"
        )
        problems = _problems(minimal_copy)
        assert [(p.record, p.field) for p in problems if URL_REFUSED.search(p.message)] == [
            ("example-article", "republished_url")
        ]
    finally:
        sources.write_text(original, encoding="utf-8")


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_claim_source_url_in_a_user_file_refuses_every_scheme_trick(tmp_path, capsys, url):
    claim = (MINIMAL / "claims" / "example.yaml").read_text(encoding="utf-8").split("\n- id:")[0]  # the first claim
    path = tmp_path / "mine.yaml"
    claim = claim.replace("id: example-", "id: mine-").replace("source: example-article", f"source: {_yaml_string(url)}")
    path.write_text(claim + "\n", encoding="utf-8")
    assert cli.main(["--data", str(MINIMAL), "validate", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and err[-1] == "1 problem(s) found", err
    assert ": mine-lethal-dose: source: " in err[0]
    assert URL_REFUSED.search(err[0]) or "is not a source id in sources.yaml or an http(s) URL" in err[0]


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory) -> Path:
    """A copy of the shipped data, for cases that change one file and put it back."""
    data = tmp_path_factory.mktemp("shipped") / "data"
    shutil.copytree(ROOT / "data", data)
    return data


@pytest.mark.parametrize("url", ["JaVaScRiPt:alert(1)", "vbscript:msgbox(1)", " data:text/html,hi", "//evil.example/x"])
def test_dataset_and_reference_urls_refuse_scheme_tricks(data_copy, url):
    # A raw dataset's metadata.yaml url and a reference value's source_url are cited on every chart and in the bundle.
    for path, line in (
        (data_copy / "raw" / "cdc-vsrr" / "metadata.yaml", "url: https://data.cdc.gov/NCHS/VSRR-Provisional-Drug-Overdose-Death-Counts/xkb8-kh2a"),
        (data_copy / "reference_values.yaml", "source_url: https://www.cdc.gov/nchs/products/databriefs/db522.htm"),
    ):  # fmt: skip
        original = path.read_text(encoding="utf-8")
        assert line in original
        field = line.split(":")[0]
        try:
            path.write_text(original.replace(line, f"{field}: {_yaml_string(url)}", 1), encoding="utf-8")
            with pytest.raises(DataError) as caught:
                series.load_series(data_copy)
            refused = [p for p in caught.value.problems if p.field == field and URL_REFUSED.search(p.message)]
            assert refused, [str(p) for p in caught.value.problems]
        finally:
            path.write_text(original, encoding="utf-8")


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_dashboard_never_links_a_hostile_url(url):
    # The last line of defence, for a URL that reaches a page without passing validation.
    assert safetext.safe_url(url) is None
    assert safetext.markdown_link("label", url) == "label"


# ------------------------------------------------------------------------------------------- a hostile claim, end to end

HOSTILE_ID = "zz-hostile-markup"
HOSTILE_QUOTE = (
    '=HYPERLINK("https://evil.example") <img src=x onerror=alert(1)> [link](javascript:alert(1)) **bold** '
    "%{x} :red[red] $x^2$ <script>alert(2)</script> `code` # not a heading"
)
TAB_ID = "zz-hostile-control-starts"
STATEMENT_ID = "zz-hostile-statement"
STATEMENT_QUOTE = "<b>We</b> [never](javascript:alert(3)) said **that** %{y}"
# Cells a spreadsheet would run, one per text field, and the value each must keep after the leading quote.
FORMULA_CELLS = {
    (HOSTILE_ID, "quote"): HOSTILE_QUOTE,
    (HOSTILE_ID, "claimant"): "@SUM(A1:A9) <b>News</b>",
    (HOSTILE_ID, "attributed_to"): "+CDC",
    (HOSTILE_ID, "notes"): "-1+1 [x](javascript:alert(1))",
    (TAB_ID, "quote"): "\tTab-led quote **bold**",
    (TAB_ID, "claimant"): "\rCR-led claimant",
}
MARKERS = ("onerror", "javascript", "evil.example", "<script", "<img")  # never in a hovertemplate or live markup


def _claim_yaml(claim_id: str, values: dict[str, str]) -> str:
    lines = [
        f"- id: {claim_id}",
        f"  quote: {_yaml_string(values.get('quote', 'A plain quote.'))}",
        "  metric: overdose_deaths",
        "  substance: fentanyl",
        "  value: 105000",
        "  unit: people",
        "  qualifier: more_than",
        "  period_start: 2022-02-01",
        "  period_end: 2023-01-31",
        "  geography: US",
        f"  claimant: {_yaml_string(values.get('claimant', 'Example News'))}",
        f"  attributed_to: {_yaml_string(values.get('attributed_to', 'CDC'))}",
        "  source: dailycaller-2024-02-01-us-china-working-group",
        "  claimed_on: 2024-02-01",
    ]
    if "notes" in values:
        lines.append(f"  notes: {_yaml_string(values['notes'])}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory) -> Path:
    """The shipped data plus two claims and a statement written to attack markdown, HTML, plotly and spreadsheets."""
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(ROOT / "data", data)
    by_claim: dict[str, dict[str, str]] = {}
    for (claim_id, name), value in FORMULA_CELLS.items():
        by_claim.setdefault(claim_id, {})[name] = value
    (data / "claims" / "zz-hostile.yaml").write_text("".join(_claim_yaml(i, v) for i, v in by_claim.items()), encoding="utf-8")
    statement = next((data / "statements").glob("*.yaml")).read_text(encoding="utf-8")
    source = re.search(r"^  source: (\S+)$", statement, re.MULTILINE).group(1)
    (data / "statements" / "zz-hostile.yaml").write_text(
        f"- id: {STATEMENT_ID}\n  speaker: {_yaml_string('<i>An</i> Official')}\n  role: {_yaml_string('=cmd|x')}\n"
        f"  said_on: 2023-05-01\n  quote: {_yaml_string(STATEMENT_QUOTE)}\n  source: {source}\n"
        "  bears_on:\n  - overdose_deaths\n",
        encoding="utf-8",
    )
    build = pipeline.build(data)  # the hostile records are valid data: validation is not what stops them
    assert {HOSTILE_ID, TAB_ID} <= set(build.claims["id"]) and STATEMENT_ID in set(build.statements["id"])
    return data


def app_on(page: str, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def markdown_elements(at: AppTest) -> list:
    """Every element Streamlit renders as markdown: st.markdown, st.caption, st.title and friends, badges."""
    return [node.proto for node in at._tree if type(getattr(node, "proto", None)).__name__ in ("Markdown", "Heading")]


def _unescape(body: str) -> str:
    return re.sub(r"\\(.)", r"\1", body)


def _render(body: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")  # CommonMark, as Streamlit's react-markdown renders it
    return markdown_it.MarkdownIt("commonmark").render(body)


def _tags(rendered: str) -> list[str]:
    return re.findall(r"<(/?[a-z][a-z0-9]*)", rendered)


def assert_shown_as_text(at: AppTest, text: str) -> None:
    """`text` is on the page in markdown that renders it literally: it adds no tag (link, image, emphasis, heading)."""
    holders = [m for m in markdown_elements(at) if text in _unescape(m.body)]
    assert holders, f"{text!r} is not on the page"
    escaped = safetext.escape_markdown(text)
    for element in holders:
        assert not getattr(element, "allow_html", False)
        body = element.body
        without = body.replace(escaped, "PLACEHOLDER") if escaped in body else body.replace(text, "PLACEHOLDER")
        rendered = _render(body)
        assert _tags(rendered) == _tags(_render(without)), rendered  # the text contributed no markup
        assert text in html.unescape(re.sub(r"<[^>]+>", "", rendered)), rendered
    for element in markdown_elements(at):  # and no markdown on the page links anywhere but http(s)
        for href in re.findall(r'href="([^"]*)"', _render(element.body)):
            assert href.startswith(("https://", "http://")), href


@pytest.fixture
def on_hostile_data(hostile_data, monkeypatch) -> Path:
    monkeypatch.setenv("DRUGSTATS_DATA", str(hostile_data))
    return hostile_data


def test_a_hostile_quote_is_shown_as_text_on_its_claim_page(on_hostile_data):
    at = app_on("views/claims.py", claim=HOSTILE_ID)
    assert_clean(at)
    assert at.title[0].value == "Claim"
    assert_shown_as_text(at, HOSTILE_QUOTE)
    assert_shown_as_text(at, FORMULA_CELLS[(HOSTILE_ID, "notes")])
    assert_shown_as_text(at, FORMULA_CELLS[(HOSTILE_ID, "claimant")])


def _figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def assert_quote_only_in_customdata(figures: list[dict], quote_part: str) -> None:
    """The quote reaches the figure as data (customdata, escaped for plotly's hover HTML), never as template or label."""
    in_customdata = False
    for figure in figures:
        for trace in figure["data"]:
            template = trace.get("hovertemplate", "")
            assert not any(m in template for m in MARKERS) and quote_part not in template, template
            for key in ("name", "text", "hovertext", "texttemplate", "meta"):
                assert not any(m in json.dumps(trace.get(key, "")) for m in MARKERS), (key, trace.get(key))
            custom = json.dumps(trace.get("customdata", []), ensure_ascii=False)
            in_customdata |= quote_part in custom.replace("<br>", " ")
            assert not re.search(r"<(?!br>)|%\{", custom), custom  # no tag but line breaks, no %{...} template
        assert not any(m in json.dumps(figure["layout"]) for m in MARKERS)
    assert in_customdata, f"{quote_part!r} is in no trace's customdata"


def test_a_hostile_quote_on_a_chart_is_data_not_template(on_hostile_data):
    at = app_on("views/deaths.py")
    assert_clean(at)
    assert_quote_only_in_customdata(_figures(at), "[link](javascript:alert(1)) **bold**")
    at = app_on("views/claims.py", claim=HOSTILE_ID)
    assert_quote_only_in_customdata(_figures(at), "[link](javascript:alert(1)) **bold**")


def test_a_hostile_statement_is_shown_as_text(on_hostile_data):
    at = app_on("views/statements.py")
    assert_clean(at)
    assert_shown_as_text(at, STATEMENT_QUOTE)
    assert_shown_as_text(at, "<i>An</i> Official")


# ------------------------------------------------------------------------------------------- CSV: nothing a spreadsheet runs


def _numeric_columns(table: str) -> set[str]:
    return {f.name for f in fields.TABLES[table]["fields"] if f.frictionless()["type"] in ("number", "integer")}


def assert_csv_is_inert(name: str, content: bytes) -> list[dict[str, str]]:
    """No cell starts a formula unless it is a number; numeric columns hold plain numbers; returns the rows."""
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))
    numeric = _numeric_columns(name) if name in fields.TABLES else set()
    for row in rows:
        for column, cell in row.items():
            if cell and cell[0] in "=+-@\t\r":
                float(cell)  # only a number may start with one of these (a negative value)
            if column in numeric and cell:
                float(cell)
    return rows


def test_cli_export_neutralizes_every_formula_start_and_keeps_numbers(hostile_data, tmp_path):
    assert cli.main(["--data", str(hostile_data), "export", "--out", str(tmp_path)]) == 0
    for path in sorted(tmp_path.glob("*.csv")):
        assert_csv_is_inert(path.stem, path.read_bytes())
    claims = {row["id"]: row for row in assert_csv_is_inert("claims", (tmp_path / "claims.csv").read_bytes())}
    for (claim_id, column), value in FORMULA_CELLS.items():
        assert claims[claim_id][column] == "'" + value.replace("\r", "\n"), (claim_id, column)  # a CR would split the row
    assert float(claims[HOSTILE_ID]["value"]) == 105000
    statements = {row["id"]: row for row in assert_csv_is_inert("statements", (tmp_path / "statements.csv").read_bytes())}
    assert statements[STATEMENT_ID]["role"] == "'=cmd|x"


def test_a_carriage_return_inside_a_cell_cannot_start_a_row():
    # The csv writer leaves a bare \r unquoted when lines end in \n; readers then split the row there.
    frame = pd.DataFrame({"text": ['x\r=HYPERLINK("https://evil.example")', "a\r\nb", "\r@cmd"], "n": [1.5, -2.0, 3.0]})
    rows = list(csv.reader(io.StringIO(export.to_csv_bytes(frame).decode("utf-8"), newline="")))
    assert rows == [
        ["text", "n"],
        ['x\n=HYPERLINK("https://evil.example")', "1.5"],
        ["a\nb", "-2.0"],
        ["'\n@cmd", "3.0"],
    ]


# ------------------------------------------------------------------------------------------- a real server on hostile data


@pytest.fixture(scope="module")
def hostile_server(hostile_data):
    """`streamlit run app.py` on the hostile data, 127.0.0.1 only; stopped at the end of the module."""
    env = {**__import__("os").environ, "DRUGSTATS_DATA": str(hostile_data)}
    with Server(env=env) as server:
        yield server


def _run(server: Server, page: str, query: str = ""):
    run = asyncio.run(one_run(server, page, query, timeout=60, keep_elements=True))
    assert run.status == "ok" and not run.exceptions and not run.errors, (page, query, run.status, run.exceptions, run.errors)
    return run


def _download(server: Server, element) -> bytes:
    url = element.download_button.url
    assert url.startswith("/"), url  # served by this server, 127.0.0.1
    with urllib.request.urlopen(f"{server.base}{url}", timeout=10) as response:
        return response.read()


def test_download_buttons_serve_neutralized_csv(hostile_server):
    run = _run(hostile_server, "claims")
    buttons = [e for e in run.elements if e.WhichOneof("type") == "download_button"]
    (claims_button,) = [b for b in buttons if "claims" in b.download_button.label.lower()]
    rows = {r["id"]: r for r in assert_csv_is_inert("claims", _download(hostile_server, claims_button))}
    for (claim_id, column), value in FORMULA_CELLS.items():
        assert rows[claim_id][column] == "'" + value.replace("\r", "\n"), (claim_id, column)
    assert float(rows[HOSTILE_ID]["value"]) == 105000

    run = _run(hostile_server, "downloads")
    for button in (e for e in run.elements if e.WhichOneof("type") == "download_button"):
        label = button.download_button.label
        if label.endswith(".csv"):
            assert_csv_is_inert(label.removesuffix(".csv"), _download(hostile_server, button))


# Query strings as a browser may send them, raw: things AppTest's dict of parameters cannot express.
RAW_QUERIES = {
    "deaths": [
        "place=%00&place=US&scale=1e309&substance=" + "%3Cb%3EJUNK%3C%2Fb%3E" * 3000,
        "place=US%00JUNK&counts=reported%2C%2Creported&scale=%E2%80%AElog",
        "substance=fentanyl;substance=heroin&scale=log%ZZ&counts=%",
    ],
    "check": [
        "value=1e309&metric=overdose_deaths&metric=drug_seized&period=2023%00&unit=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3EJUNK",
        "value=-1&value=2&qualifier=%E2%80%AEabout&place=JUNK%0A&period=" + "9" * 50_000,
    ],
    "potency": ["weight=1e309&unit=kg&unit=lb", "weight=Infinity&unit=%3Cscript%3EJUNK", "weight=0x10&unit=" + "x" * 100_000],
    "claims": [
        "claim=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3EJUNK&claim=" + HOSTILE_ID,
        "claim=../../etc/passwd%00JUNK&q=%E2%80%AEJUNK",
    ],
    "seizures": ["drug=fentanyl&drug=cocaine&unit=1e309&component=%00&region=" + "JUNK," * 20_000],
}


@pytest.mark.parametrize(("page", "query"), [(page, q) for page, queries in RAW_QUERIES.items() for q in queries])
def test_raw_hostile_query_strings_fall_back_silently_on_a_real_server(hostile_server, page, query):
    run = _run(hostile_server, page, query)
    assert not any(kind in t for t in run.texts for kind in ("JUNK", "onerror", "<script", "\u202e", "1e309", "passwd"))
    # The server rewrites the URL to the view it shows: nothing hostile is written back.
    assert not any(re.search(r"JUNK|%3C|%00|1e309|passwd|%E2%80%AE", q, re.IGNORECASE) for q in run.query_strings), (
        run.query_strings
    )


def test_the_server_survives_a_query_string_bigger_than_it_accepts(hostile_server):
    async def oversize() -> str:
        return (await one_run(hostile_server, "deaths", "place=" + "x" * 26_000_000, timeout=30)).status

    status = asyncio.run(oversize())
    assert status == "closed"  # over server.maxWidgetStateSize (25 MB): Streamlit closes that connection (1009)
    assert hostile_server.healthy()
    _run(hostile_server, "deaths")


# ------------------------------------------------------------------------------------------- junk in every parameter

# A parameter of each page, and hostile values to rotate through them (Latin square: each parameter meets each kind).
PAGE_PARAMS = {
    "views/deaths.py": ["place", "substance", "counts", "scale"],
    "views/seizures.py": ["drug", "component", "region", "unit", "ytd"],
    "views/potency.py": ["weight", "unit"],
    "views/claims.py": ["claim", "q", "metric", "substance", "claimant", "attributed", "source", "verdict"],
    "views/check.py": ["metric", "value", "unit", "qualifier", "substance", "place", "period", "vs", "by", "rel", "per"],
}
JUNK_KINDS = [
    "<img src=x onerror=alert(1)>JUNKLONG" * 800,  # 28,800 characters of markup
    "fentanyl\x00JUNKNUL",
    ["fentanyl", "US"],  # a repeated key, even of values that are valid alone
    "1e309",
    "\u202eJUNKBIDI <b>x</b>",
]
ECHO = re.compile(r"JUNK|onerror|<img|\u202e|1e309")


def _shown_text(at: AppTest) -> str:
    """Everything on the page except the search box's own value (a search term may be shown in its box, as typed)."""
    parts = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None or type(proto).__name__ == "TextInput":
            continue
        parts.append(str(proto))
    return "\n".join(parts)


@pytest.mark.parametrize("page", list(PAGE_PARAMS))
@pytest.mark.parametrize("shift", range(len(JUNK_KINDS)))
def test_junk_in_every_parameter_falls_back_without_error_or_echo(page, shift, monkeypatch):
    monkeypatch.delenv("DRUGSTATS_DATA", raising=False)
    params = {name: JUNK_KINDS[(i + shift) % len(JUNK_KINDS)] for i, name in enumerate(PAGE_PARAMS[page])}
    at = app_on(page, **params)
    assert_clean(at)
    assert not at.warning, [w.value for w in at.warning]
    echoed = ECHO.search(_shown_text(at))
    assert echoed is None, f"{echoed.group()!r} shown on {page}"
    assert set(at.query_params) <= {"q"}, dict(at.query_params)  # nothing malformed stays in the URL


def test_a_data_error_keeps_its_problems_through_pickling():
    import pickle

    from drugstats.errors import DataError, Problem

    err = DataError([Problem("data/reference_values.yaml", 2, None, None, "not valid YAML")])
    again = pickle.loads(pickle.dumps(err))
    assert again.problems == err.problems and str(again) == str(err)
