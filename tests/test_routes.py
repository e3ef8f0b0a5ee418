"""The site's own addresses: /data, /api/check, /api/claims, /claim/<id>, /sitemap.xml (drugstats.site.api, claimhtml).

Pure tests call the core with a request's path and parameters; the `served` tests start a real `streamlit run app.py`
on 127.0.0.1 and fetch each address, comparing with what `drugstats export` and `drugstats check` give for the same
data (a snapshot, so a file edited meanwhile cannot change the answer under a test).
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from drugstats import DATA_DIR, cli
from drugstats.claims import query
from drugstats.official import cbp_places, fields
from drugstats.pages import check as check_page
from drugstats.publish import claimhtml, export
from drugstats.site import api, apicheck, figures
from drugstats.verdicts import pipeline, scope
from tests.stserver import Server, one_run

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("DRUGSTATS_DATA") or DATA_DIR)  # the data the dashboard would serve
SEED = "dcnf-2024-02-01-fentanyl-deaths-feb2022-jan2023"
SITE_URL = "https://drugstats.example.org"


def _png(width: int, height: int) -> bytes:
    """The first bytes of a PNG: what the claim page reads its size from."""
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I4sII", 13, b"IHDR", width, height) + b"\x08\x06\x00\x00\x00"


class Page(HTMLParser):
    """An HTML page's meta tags, links, scripts and text, as a crawler reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[tuple[str, str]] = []  # (rel, href) of <link>
        self.hrefs: list[str] = []
        self.scripts: list[tuple[str | None, str]] = []  # (type, content)
        self.text: list[str] = []
        self._script: str | None = None
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta[a.get("property") or a["name"]] = a.get("content", "")
        elif tag == "link":
            self.links.append((a.get("rel", ""), a.get("href", "")))
        elif tag == "a":
            self.hrefs.append(a.get("href", ""))
        elif tag == "script":
            self._in_script, self._script = True, a.get("type")
            self.scripts.append((self._script, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            kind, content = self.scripts[-1]
            self.scripts[-1] = (kind, content + data)
        else:
            self.text.append(data)


def parse_page(body: str) -> Page:
    page = Page()
    page.feed(body)
    page.close()
    return page


def claim_params(row) -> dict[str, list[str]]:
    """/api/check's parameters for a shipped claim, written as the Check a figure page writes them."""
    p = {"metric": row.metric, "value": query.format_number(float(row.value)), "unit": row.unit}
    p |= {"qualifier": row.qualifier, "substance": row.substance}
    if pd.notna(row.period_start):
        p["period"] = query.format_period((row.period_start.date(), row.period_end.date()))
    if pd.notna(row.geography) and row.metric in apicheck.PLACE_METRICS:
        p["place"] = str(row.geography).removeprefix("US-")
    if pd.notna(row.compared_to_start):
        p["vs"] = query.format_period((row.compared_to_start.date(), row.compared_to_end.date()))
    for name, column in (("by", "seized_by"), ("rel", "relative_to"), ("per", "per")):
        if pd.notna(getattr(row, column)):
            p[name] = getattr(row, column)
    if pd.notna(row.cbp_area):
        p["area"] = cbp_places.slug(row.cbp_area)
    return {k: [v] for k, v in p.items()}


# --------------------------------------------------------------------------------- pure: JSON, HTML, parsing


def test_json_records_type_each_value_as_its_column_is_declared():
    names = fields.columns("seizures")
    frame = pd.DataFrame(
        {
            "fiscal_year": pd.array([2023, None], dtype="Int64"),
            "month": pd.to_datetime(["2022-10-01", None]),
            "partial_year": pd.array([True, None], dtype="boolean"),
            "events": [3, 4],
            "seized_lb": [1.5, float("nan")],
            "seized_kg": [0.68, float("inf")],
        }
    ).reindex(columns=names)
    frame[[n for n in names if n not in ("fiscal_year", "month", "partial_year", "events", "seized_lb", "seized_kg")]] = "x"
    first, second = export.json_records(frame, "seizures")
    assert list(first) == names
    assert (first["fiscal_year"], first["month"], first["partial_year"], first["events"]) == (2023, "2022-10-01", True, 3)
    assert (first["seized_lb"], first["component"]) == (1.5, "x")
    assert [second[n] for n in ("fiscal_year", "month", "partial_year", "seized_lb", "seized_kg")] == [None] * 5
    assert json.loads(export.to_json_bytes(frame, "seizures")) == [first, second]


def test_json_ld_cannot_close_its_script_element_and_reads_back_the_same():
    document = {"claimReviewed": "</script><script>alert(1)</script> <!-- & \u2028 \u2029 >"}
    text = claimhtml.json_ld(document)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == document


HOSTILE = '</p><script>alert("x")</script><img src=x onerror=alert(1)> "quoted" & \u202eevil'


def _document(image: bool = True) -> dict:
    links = api.claim_links(SITE_URL, "a-claim")
    if not image:
        links["image"] = None
    return {
        "claim": {
            "id": "a-claim",
            "quote": HOSTILE,
            "claimant": HOSTILE,
            "attributed_to": "CDC",
            "claimed_on": "2024-02-01",
            "source_publisher": HOSTILE,
            "source_title": "A title",
            "source_url": "javascript:alert(1)",
        },
        "verdict": {
            "verdict": "overstated",
            "explanation": HOSTILE,
            "official_value": 75390.0,
            "official_unit": "deaths",
            "official_measure": HOSTILE,
            "official_window": "12 months ending January 2023",
            "official_release": "2026-02-14",
            "official_source": "CDC, VSRR",
        },
        "claimreview": {"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": HOSTILE},
        "links": links,
        "reviewed_on": "2026-11-22",
    }


def test_claim_page_escapes_every_text_from_the_data_and_links_only_http():
    document = _document()
    page = parse_page(claimhtml.page(document, (1000, 520)))
    assert [kind for kind, _ in page.scripts] == ["application/ld+json"]  # the quote's <script> is text, not a script
    assert json.loads(page.scripts[0][1]) == document["claimreview"]
    shown = "".join(page.text)
    assert HOSTILE.replace("\u202e", "") in shown  # as written, direction override removed
    assert not any(href.startswith("javascript") for href in page.hrefs)
    assert page.meta["og:description"] == HOSTILE.replace("\u202e", "")


def test_claim_page_has_the_tags_of_link_previews_and_crawlers():
    page = parse_page(claimhtml.page(_document(), (1000, 520)))
    assert page.meta["og:title"].startswith("Overstated: “")
    assert page.meta["og:image"] == f"{SITE_URL}/claim/a-claim.png"
    assert (page.meta["og:image:width"], page.meta["og:image:height"]) == ("1000", "520")
    assert page.meta["twitter:card"] == "summary_large_image"
    assert page.meta["og:url"] == f"{SITE_URL}/claim/a-claim"
    assert ("canonical", f"{SITE_URL}/claim/a-claim") in page.links
    assert f"{SITE_URL}/claims?claim=a-claim" in page.hrefs  # the interactive view


def test_a_claim_without_an_image_gets_a_page_without_og_image():
    page = parse_page(claimhtml.page(_document(image=False), None))
    assert "og:image" not in page.meta and page.meta["twitter:card"] == "summary"
    assert page.meta["og:title"] and page.meta["og:description"]


PLACES = ["US", "OH"]
GOOD = {"metric": ["overdose_deaths"], "value": ["105000"], "qualifier": ["more_than"], "substance": ["fentanyl"]}


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({**GOOD, "period": ["2022-02/2023-01"], "valeu": ["1"]}, "valeu", "is not a parameter of /api/check"),
        ({**GOOD, "period": ["2022-02/2023-01", "2021"]}, "period", "is given more than once"),
        ({**GOOD, "period": ["2022-02/2023-01"], "value": ["105,000"]}, "value", "must be a plain positive number"),
        ({**GOOD, "period": ["2022-02/2023-01"], "place": ["PA"]}, "place", "must be one of US, OH, not 'PA'"),
        ({**GOOD, "period": ["Feb 2022"]}, "period", "must be a year (2021), a fiscal year (fy2022) or months"),
        ({**GOOD, "period": ["2022-02/2023-01"], "unit": ["kg"]}, "unit", "must be one of deaths, people, not 'kg'"),
        (GOOD, "period", "is required"),
        ({**GOOD, "metric": ["drug_seized"], "unit": ["lb"], "period": ["fy2023"]}, "by", "is required"),
        ({k: v for k, v in GOOD.items() if k != "qualifier"} | {"period": ["2021"]}, "qualifier", "is required"),
    ],
)
def test_api_check_refuses_what_the_page_would_replace_by_a_default_naming_the_parameter(params, field, message):
    problems = apicheck.parse(params, PLACES)
    assert isinstance(problems, list)
    assert [p.field for p in problems] == [field]
    assert problems[0].message.startswith(message)


def test_api_check_reads_good_parameters_as_the_page_does():
    params = {**GOOD, "period": ["2022-02/2023-01"], "place": ["OH"]}
    view = apicheck.parse(params, PLACES)
    assert view == check_page.parse_check({k: v[0] for k, v in params.items()}, PLACES)
    assert (view.value, view.place, view.period) == (105000.0, "OH", "2022-02/2023-01")
    assert apicheck.dashboard_link(SITE_URL, view) == (
        f"{SITE_URL}/check?metric=overdose_deaths&value=105000&unit=people&qualifier=more_than&substance=fentanyl"
        "&place=OH&period=2022-02/2023-01"
    )


def test_if_none_match_compares_weakly_and_takes_lists_and_star():
    tag = 'W/"abc"'
    assert api.matches('W/"abc"', tag) and api.matches('"abc"', tag) and api.matches('"x", W/"abc"', tag)
    assert api.matches("*", tag)
    assert not api.matches('"abd"', tag) and not api.matches(None, tag) and not api.matches("", tag)


# --------------------------------------------------------------------------------- pure: responses of one build


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> api.Site:
    build = pipeline.build(DATA)
    images = tmp_path_factory.mktemp("figures")
    (images / figures.CLAIM_IMAGES).mkdir()
    figures.claim_image(images, SEED).write_bytes(_png(1000, 520))
    return api.Site(build, pipeline.data_version(DATA), images)


def get(site: api.Site, path: str, params: dict | None = None, etag: str | None = None) -> api.Response:
    return api.respond(site, api.Request(path, params or {}, etag, SITE_URL))


def test_data_csvs_are_the_exports_bytes_and_json_the_same_rows(site):
    files = export.bundle_files(site.build)
    for name, frame in site.build.tables().items():
        csv_response = get(site, f"/data/{name}.csv")
        assert (csv_response.status, csv_response.body) == (200, files[f"{name}.csv"])
        assert csv_response.headers["Content-Type"] == "text/csv; charset=utf-8"
        rows = json.loads(get(site, f"/data/{name}.json").body)
        assert len(rows) == len(frame) and (not rows or list(rows[0]) == fields.columns(name))
    assert get(site, "/data/datapackage.json").body == files["datapackage.json"]
    assert get(site, "/data/drugstats.zip").body == export.zip_bytes(files)


def test_unknown_addresses_are_404_json_or_html_never_the_app_shell(site):
    for path in ("/data/nothing.csv", "/data/README.md", "/data/../app.py", "/api/claims/nothing.json", "/api/other"):
        response = get(site, path)
        assert response.status == 404 and response.headers["Content-Type"] == "application/json", path
        assert "error" in json.loads(response.body)
    for path in ("/claim/nothing", "/claim/nothing.png", "/claim/a/b"):
        response = get(site, path)
        assert response.status == 404 and response.headers["Content-Type"].startswith("text/html"), path
        assert "<title>No such claim" in response.body.decode()


@pytest.mark.slow  # a sweep: /api/check for every shipped claim (~340 requests, ~4 s); one claim is checked below
def test_api_check_gives_each_shipped_claims_verdict(site):
    checked = 0
    for row in site.tables["claims"].itertuples():
        if scope.local_counter(row.attributed_to):  # whom a claim quotes is no parameter: a state office's count is
            continue  # unverifiable as a claim, judged as the reader's own figure on the page and the API
        days = pd.notna(row.period_start) and (row.period_start.day != 1 or (row.period_end + pd.Timedelta(days=1)).day != 1)
        if days:  # the page and the API take whole months: "May 23 through Sept. 8" cannot be entered
            continue
        response = get(site, "/api/check", claim_params(row))
        if response.status == 400:  # a place or metric the Check a figure page does not offer (Pennsylvania, rates)
            continue
        if scope.local_counter(row.attributed_to):  # a reader's figure quotes no state or local office
            continue
        document = json.loads(response.body)
        assert document["verdict"] == site.build.verdict_by_id[row.id].verdict, row.id
        checked += 1
    assert checked > 0.5 * len(site.tables["claims"])


def test_api_check_judges_a_states_death_rate_against_that_states_rate_not_the_nations(site):
    params = {"metric": ["death_rate"], "value": ["52"], "unit": ["per_100k"], "qualifier": ["about"]}
    params |= {"substance": ["all_drugs"], "period": ["2016"], "place": ["WV"]}
    document = json.loads(get(site, "/api/check", params).body)
    assert document["verdict"] == "consistent" and "West Virginia" in document["official_measure"]
    assert "age-adjusted" in document["official_measure"] and "place=WV" in document["dashboard"]


def test_api_check_answers_with_the_official_figure_and_the_dashboard_link(site):
    row = next(site.tables["claims"].loc[site.tables["claims"]["id"] == SEED].itertuples())
    response = get(site, "/api/check", claim_params(row))
    document = json.loads(response.body)
    measure = site.build.verdict_by_id[SEED].measure
    assert (document["official_value"], document["official_measure"]) == (measure.value, measure.label)
    assert (document["official_window"], document["official_release"]) == (measure.window, measure.release)
    assert document["explanation"] and document["official_source"] == measure.citation
    # whether the release date is ours, beside it, and the release as the dashboard names it
    assert document["official_release_estimated"] is measure.release_estimated
    assert document["official_release_name"] == measure.release_name
    assert document["dashboard"].startswith(f"{SITE_URL}/check?metric=overdose_deaths&value=105000&")
    bad = get(site, "/api/check", {**claim_params(row), "value": ["lots"]})
    assert bad.status == 400 and json.loads(bad.body)["field"] == "value"
    assert bad.headers["Cache-Control"] == "no-store"


def test_claim_json_and_page_say_the_same_and_carry_the_claimreview(site):
    document = json.loads(get(site, f"/api/claims/{SEED}.json").body)
    assert document["claim"]["id"] == SEED
    assert document["verdict"]["verdict"] == site.build.verdict_by_id[SEED].verdict
    review = document["claimreview"]
    assert (review["@type"], review["url"], review["claimReviewed"]) == (
        "ClaimReview",
        f"{SITE_URL}/claim/{SEED}",
        document["claim"]["quote"],
    )
    page = get(site, f"/claim/{SEED}")
    assert page.headers["Content-Security-Policy"].startswith("default-src 'none'")
    parsed = parse_page(page.body.decode())
    assert json.loads(parsed.scripts[0][1]) == review
    assert parsed.meta["og:image"] == document["links"]["image"] == f"{SITE_URL}/claim/{SEED}.png"
    assert get(site, f"/claim/{SEED}.png").body == _png(1000, 520)
    other = next(i for i in site.claims if i != SEED)  # no image in this figures folder
    assert "og:image" not in parse_page(get(site, f"/claim/{other}").body.decode()).meta


def test_a_claim_page_shows_the_verdict_at_the_time_and_today_where_both_were_checked(site):
    then_and_now = "gazette-2018-08-15-overdose-deaths-2017"
    document = json.loads(get(site, f"/api/claims/{then_and_now}.json").body)
    verdict = document["verdict"]
    assert (verdict["release_at_claim"], verdict["release_at_claim_name"]) == ("2018-08-15", "about August 2018 (estimated)")
    assert verdict["official_release_name"] == "2026-02-14"
    text = " ".join(parse_page(get(site, f"/claim/{then_and_now}").body.decode()).text)
    assert "At the time Consistent: CDC counted 70,771 in the release of about August 2018 (estimated)." in " ".join(text.split())
    assert "Today Consistent: CDC counted 70,699 in the release of 2026-02-14." in " ".join(text.split())
    one = " ".join(parse_page(get(site, f"/claim/{SEED}").body.decode()).text)
    assert "At the time" not in one.split("Verdict")[1].split("The official figure")[0]


def test_sitemap_lists_every_claim_page(site):
    root = ET.fromstring(get(site, "/sitemap.xml").body)
    locs = [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert {f"{SITE_URL}/claim/{claim_id}" for claim_id in site.claims} <= set(locs)


def test_etag_follows_the_data_version_and_a_match_is_304(site):
    first = get(site, "/data/claims.csv")
    assert first.headers["Cache-Control"] == api.CACHE and first.headers["ETag"].startswith('W/"')
    again = get(site, "/data/claims.csv", etag=first.headers["ETag"])
    assert (again.status, again.body, again.headers["ETag"]) == (304, b"", first.headers["ETag"])
    changed = api.Site(site.build, (*site.version, ("claims/new.yaml", 1, 2, 3)), site.figures_dir, site.files, site.tables)
    assert get(changed, "/data/claims.csv").headers["ETag"] != first.headers["ETag"]
    assert get(changed, "/data/claims.csv", etag=first.headers["ETag"]).status == 200


def test_while_the_data_fail_validation_the_addresses_say_so():
    assert api.unavailable("/data/claims.csv").status == 503
    assert api.unavailable("/claim/x").headers["Content-Type"].startswith("text/html")


# --------------------------------------------------------------------------------- a real server


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`streamlit run app.py` on a snapshot of the data, and the snapshot."""
    snapshot = tmp_path_factory.mktemp("served") / "data"
    shutil.copytree(DATA, snapshot)
    env = {k: v for k, v in os.environ.items() if k != "DRUGSTATS_SITE_URL"} | {"DRUGSTATS_DATA": str(snapshot)}
    with Server(env=env, log=snapshot.parent / "server.log") as server:
        yield server, snapshot


def fetch(server: Server, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(server.base + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


@pytest.mark.slow
def test_served_csvs_and_zip_are_the_bytes_of_drugstats_export(served, tmp_path):
    server, snapshot = served
    out = tmp_path / "export"
    assert cli.main(["--data", str(snapshot), "export", "--out", str(out), "--zip", str(tmp_path / "b.zip")]) == 0
    for name in fields.TABLES:
        status, headers, body = fetch(server, f"/data/{name}.csv")
        assert (status, headers["content-type"]) == (200, "text/csv; charset=utf-8"), name
        assert body == (out / f"{name}.csv").read_bytes(), name
        rows = json.loads(fetch(server, f"/data/{name}.json")[2])
        assert len(rows) == len(list(csv.DictReader(io.StringIO(body.decode())))), name
    assert fetch(server, "/data/drugstats.zip")[2] == (tmp_path / "b.zip").read_bytes()
    assert fetch(server, "/data/datapackage.json")[2] == (out / "datapackage.json").read_bytes()


@pytest.mark.slow
def test_served_api_verdict_is_drugstats_checks_for_the_same_claim(served):
    server, snapshot = served
    printed = subprocess.run(
        [sys.executable, "-m", "drugstats", "--data", str(snapshot), "check", "--format", "csv"],
        cwd=ROOT, capture_output=True, check=True, timeout=300,
    ).stdout  # fmt: skip
    verdicts = {row["id"]: row["verdict"] for row in csv.DictReader(io.StringIO(printed.decode()))}
    claims = pipeline.build(snapshot).claims.set_index("id", drop=False)
    for claim_id in figures.SEED_CLAIMS:
        params = claim_params(next(claims.loc[[claim_id]].itertuples(index=False)))
        status, _, body = fetch(server, "/api/check?" + "&".join(f"{k}={v[0]}" for k, v in params.items()))
        assert status == 200, body
        assert json.loads(body)["verdict"] == verdicts[claim_id], claim_id
    status, _, body = fetch(server, "/api/check?metric=overdose_deaths&value=-5")
    assert status == 400 and json.loads(body)["field"] == "value"


@pytest.mark.slow
def test_served_claim_page_is_html_with_its_meta_tags_image_and_claimreview(served):
    server, _ = served
    status, headers, body = fetch(server, f"/claim/{SEED}")
    assert (status, headers["content-type"]) == (200, "text/html; charset=utf-8")
    page = parse_page(body.decode())
    for tag in ("og:title", "og:description", "og:image", "twitter:card", "og:url"):
        assert page.meta.get(tag), tag
    assert ("canonical", f"/claim/{SEED}") in page.links  # no site URL set: relative, never the Host header's
    assert f"/claims?claim={SEED}" in page.hrefs
    (review,) = [json.loads(content) for kind, content in page.scripts if kind == "application/ld+json"]
    assert review["@type"] == "ClaimReview" and review["itemReviewed"]["@type"] == "Claim"
    assert [kind for kind, _ in page.scripts] == ["application/ld+json"]  # no JavaScript
    image = fetch(server, f"/claim/{SEED}.png")
    assert image[0] == 200 and image[1]["content-type"] == "image/png"
    assert image[2] == figures.claim_image(ROOT / "figures", SEED).read_bytes()


@pytest.mark.slow
def test_served_missing_ids_are_404_not_the_app_shell_and_a_matching_etag_is_304(served):
    server, _ = served
    for path in ("/claim/no-such-claim", "/api/claims/no-such-claim.json", "/data/no-such-table.csv"):
        status, _, body = fetch(server, path)
        assert status == 404, path
        assert b"<title>Streamlit" not in body and b'id="root"' not in body, path
    status, headers, _ = fetch(server, "/data/claims.csv")
    again = fetch(server, "/data/claims.csv", {"If-None-Match": headers["etag"]})
    assert (again[0], again[2]) == (304, b"")
    assert fetch(server, "/sitemap.xml")[0] == 200


# --------------------------------------------------------------------------------- the dashboard links to them


def test_the_downloads_page_and_a_claims_detail_link_to_the_addresses_when_served(monkeypatch):
    from streamlit.testing.v1 import AppTest

    from views import _site

    monkeypatch.setattr(_site, "_SERVING", [True])  # as app.py does; `streamlit run streamlit_app.py` serves none
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.switch_page("views/downloads.py")
    at.run()
    shown = "\n".join(m.value for m in at.markdown)
    for name in fields.TABLES:
        assert f"[/data/{name}.csv](/data/{name}.csv), [/data/{name}.json](/data/{name}.json)" in shown, name
    at.switch_page("views/claims.py")
    at.query_params["claim"] = SEED
    at.run()
    captions = "\n".join(c.value for c in at.caption)
    assert f"[the claim's page](/claim/{SEED})" in captions and f"[JSON](/api/claims/{SEED}.json)" in captions


DESKTOP_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def _text_lines(server: Server, headers: dict) -> int:
    run = asyncio.run(one_run(server, "deaths", timeout=120, keep_elements=True, headers=headers))
    charts = [json.loads(e.plotly_chart.spec) for e in run.elements if e.WhichOneof("type") == "plotly_chart"]
    (spec, *_) = [c for c in charts if c.get("data")]  # not the blank chart of a first view while the data load
    texts = [spec["layout"]["title"]["text"], *(a["text"] for a in spec["layout"].get("annotations", []))]
    return sum(text.count("<br>") + 1 for text in texts)  # lines of title, subtitle and source


def test_a_phone_that_says_so_only_in_its_client_hint_gets_charts_fitted_to_it(served):
    server, _ = served
    desktop = _text_lines(server, {"User-Agent": DESKTOP_AGENT})
    # Chromium on a phone in 'desktop site' mode, or a phone's browser with a desktop-looking User-Agent
    phone = _text_lines(server, {"User-Agent": DESKTOP_AGENT, "Sec-CH-UA-Mobile": "?1"})
    assert phone > desktop  # the chart's text wrapped for a 360 px phone, not for the 720 px column
    assert _text_lines(server, {"User-Agent": DESKTOP_AGENT, "Sec-CH-UA-Mobile": "?0"}) == desktop


def test_every_table_and_json_naming_a_release_says_whether_its_date_is_estimated(site):
    for name, spec in fields.TABLES.items():
        names = {f.name for f in spec["fields"]}
        for column in names:
            if column == "release" or column.endswith("_release") or column.startswith("release_at"):
                if column.endswith(("_estimated", "_name")):
                    continue
                stem = column
                assert {f"{stem}_estimated", f"{stem}_name"} <= names, (name, column)
    releases = site.tables["overdose_deaths_releases"]
    for day, estimated in releases.groupby(releases["release"].dt.strftime("%Y-%m-%d"))["release_estimated"].first().items():
        name = releases.loc[releases["release"].dt.strftime("%Y-%m-%d") == day, "release_name"].iloc[0]
        assert name == (f"about {pd.Timestamp(day):%B %Y} (estimated)" if estimated else day)
    assert releases["release_estimated"].any() and not releases["release_estimated"].all()
    document = json.loads(get(site, f"/api/claims/{SEED}.json").body)["verdict"]
    assert isinstance(document["official_release_estimated"], bool) and document["official_release_name"]
