"""The site's own addresses beside the dashboard, pure: a request's path, parameters and If-None-Match in, a Response out.

    /data/<table>.csv, /data/<table>.json, /data/datapackage.json, /data/claimreview.json, /data/drugstats.zip
    /api/check?metric=...&value=...   /api/claims/<id>.json   /claim/<id>   /claim/<id>.png   /sitemap.xml

app.py wires `respond` into Streamlit's server (st.App routes). What a build serves is made once per Site, one per
version of the data files, so each response's ETag is the data version's (and the site address's, which the
documents contain): a client or cache that has the bytes gets 304.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

from drugstats import __version__
from drugstats.pages import deaths as deaths_page
from drugstats.publish import claimhtml, export
from drugstats.site import apicheck, figures
from drugstats.verdicts.pipeline import Build

CACHE = "public, max-age=300"  # the data change with a refresh or a deploy: caches ask again after five minutes
CACHE_MISSING = "public, max-age=60"
NO_STORE = "no-store"
JSON = "application/json"
HTML = "text/html; charset=utf-8"
# The claim page runs nothing and loads only its own image: a value that slipped through escaping could do nothing.
HTML_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
TYPES = {".csv": "text/csv; charset=utf-8", ".json": JSON, ".zip": "application/zip"}


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class Site:
    """What the addresses serve from one build: each part made on first use and kept while the data stay the same.

    version: drugstats.verdicts.pipeline.data_version of the build's files; files: the bundle (export.bundle_files), when the
    caller already has it, and tables (Build.tables) likewise; figures_dir: where `drugstats figures` wrote the claim
    images.
    """

    build: Build
    version: tuple
    figures_dir: Path
    files: Mapping[str, bytes] | None = None
    tables: Mapping[str, Any] | None = None
    _json: dict[str, bytes] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.tables is None:
            self.tables = self.build.tables()
        if self.files is None:
            self.files = export.bundle_files(self.build)

    @cached_property
    def tag(self) -> str:
        return hashlib.sha256(repr((__version__, self.version)).encode()).hexdigest()[:20]

    @cached_property
    def zipped(self) -> bytes:
        return export.zip_bytes(self.files)

    def table_json(self, name: str) -> bytes:
        with self._lock:  # one conversion per table, however many ask at once
            if name not in self._json:
                self._json[name] = export.to_json_bytes(self.tables[name], name)
            return self._json[name]

    @cached_property
    def claims(self) -> dict[str, dict]:
        return {row["id"]: row for row in export.json_records(self.tables["claims"], "claims")}

    @cached_property
    def verdicts(self) -> dict[str, dict]:
        return {row["id"]: row for row in export.json_records(self.tables["verdicts"], "verdicts")}

    @cached_property
    def reviews(self) -> dict[str, dict]:
        """Each claim's ClaimReview as claimreview.json has it (with every appearance of a repeated figure)."""
        t = self.tables
        graph = export.claimreview(t["claims"], t["verdicts"], self.build.reviewed_on, t["repeated_figures"])["@graph"]
        by_url = {review["url"]: review for review in graph}
        return {claim_id: by_url[export.claim_url(claim_id)] for claim_id in self.claims if export.claim_url(claim_id) in by_url}

    @cached_property
    def places(self) -> list[str]:
        return deaths_page.death_places(self.build.official.overdose_deaths)


# --------------------------------------------------------------------------------------------- documents


claim_path = export.claim_path  # one rule for a claim's address, shared with the bundle's ClaimReview


def claim_json_path(claim_id: str) -> str:
    """The address of a claim's JSON document."""
    return f"/api/claims/{quote(claim_id, safe='')}.json"


def claim_links(site_url: str, claim_id: str) -> dict[str, str]:
    """A claim's addresses: its page, its view in the dashboard, its JSON and its image."""
    return {
        "page": f"{site_url}{claim_path(claim_id)}",
        "dashboard": f"{site_url}/claims?claim={quote(claim_id, safe='')}",
        "json": f"{site_url}{claim_json_path(claim_id)}",
        "image": f"{site_url}{claim_path(claim_id)}.png",
    }


def claim_document(site: Site, claim_id: str, site_url: str, has_image: bool) -> dict[str, Any]:
    """A claim as /api/claims/<id>.json serves it and /claim/<id> shows it: the claim (claims.csv), its verdict
    (verdicts.csv, with the official figure's source), its ClaimReview and its addresses."""
    verdict = {k: v for k, v in site.verdicts[claim_id].items() if k != "id"}
    measure = site.build.verdict_by_id[claim_id].measure
    verdict["official_source"] = measure.citation if measure is not None and measure.citation else None
    links = claim_links(site_url, claim_id)
    if not has_image:
        links["image"] = None
    # The review as the bundle has it, hosted here: its url is this page, its author this site.
    review = {**site.reviews[claim_id], "url": links["page"]}
    review["author"] = {**review["author"], "url": site_url}
    return {
        "claim": site.claims[claim_id],
        "verdict": verdict,
        "claimreview": {"@context": "https://schema.org", **review},
        "links": links,
        "reviewed_on": site.build.reviewed_on,
    }


def sitemap(site: Site, site_url: str) -> str:
    """Every claim's page, the dashboard and its list of claims, as a sitemaps.org urlset."""
    urls = [f"{site_url}/", f"{site_url}/claims", *(f"{site_url}{claim_path(i)}" for i in site.claims)]
    entries = "".join(f"<url><loc>{xml_escape(url)}</loc><lastmod>{site.build.reviewed_on}</lastmod></url>\n" for url in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'
    )


def png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG's header; None when the bytes are not a PNG."""
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


# --------------------------------------------------------------------------------------------- responses


def _json_body(document: Any) -> bytes:
    return (json.dumps(document, ensure_ascii=False, allow_nan=False, indent=1) + "\n").encode("utf-8")


def _error(status: int, message: str, cache: str = NO_STORE) -> Response:
    return Response(status, {"Content-Type": JSON, "Cache-Control": cache}, _json_body({"error": message}))


def not_found_html(site_url: str) -> Response:
    return Response(404, {"Content-Type": HTML, "Cache-Control": CACHE_MISSING}, claimhtml.not_found_page(site_url).encode())


def unavailable(path: str) -> Response:
    """The data failed validation: 503, until a file changes (the dashboard shows the problems)."""
    if path.startswith("/claim/") or path == "/sitemap.xml":
        return Response(503, {"Content-Type": HTML, "Cache-Control": NO_STORE}, claimhtml.unavailable_page().encode())
    return _error(503, "the data failed validation; the dashboard lists the problems")


def _etag(site: Site, site_url: str, *extra: object) -> str:
    digest = hashlib.sha256(repr((site.tag, site_url, extra)).encode()).hexdigest()[:24]
    return f'W/"{digest}"'  # weak: the server may gzip the bytes on the way out


def matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison of If-None-Match with the response's ETag ("*" matches any)."""
    if not if_none_match:
        return False
    wanted = etag.removeprefix("W/")
    return any(tag.strip() in ("*", wanted) or tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


@dataclass(frozen=True)
class Request:
    path: str
    params: Mapping[str, Sequence[str]] = field(default_factory=dict)
    if_none_match: str | None = None
    site_url: str = export.SITE_URL  # the address documents link to: DRUGSTATS_SITE_URL, or where the request came


def _image(site: Site, claim_id: str) -> tuple[Path, tuple[int, int, int]] | None:
    path = figures.claim_image(site.figures_dir, claim_id)
    try:
        stat = path.stat()
    except OSError:
        return None
    return path, (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _data(site: Site, request: Request, name: str) -> Response:
    stem, _, ext = name.rpartition(".")
    if name == "drugstats.zip":
        body, extra = site.zipped, {"Content-Disposition": 'attachment; filename="drugstats.zip"'}
    elif name in site.files:
        body, extra = site.files[name], {}
    elif ext == "json" and stem in site.tables:
        body, extra = site.table_json(stem), {"Link": '</data/datapackage.json>; rel="describedby"'}
    else:
        return _error(404, "no such file; /data/datapackage.json lists every table", CACHE_MISSING)
    return Response(200, {"Content-Type": TYPES["." + ext], **extra}, body)


def _check(site: Site, request: Request) -> Response:
    status, document = apicheck.check(site.build, request.params, site.places, request.site_url)
    return Response(
        status, {"Content-Type": JSON, **({} if status == 200 else {"Cache-Control": NO_STORE})}, _json_body(document)
    )


def _claim_json(site: Site, request: Request, claim_id: str) -> Response:
    if claim_id not in site.claims:
        return _error(404, "no claim with this id; /data/claims.csv lists every claim", CACHE_MISSING)
    document = claim_document(site, claim_id, request.site_url, _image(site, claim_id) is not None)
    return Response(200, {"Content-Type": JSON}, _json_body(document))


def _claim_page(site: Site, request: Request, claim_id: str) -> Response:
    if claim_id not in site.claims:
        return not_found_html(request.site_url)
    image = _image(site, claim_id)
    size = None
    if image is not None:
        with image[0].open("rb") as handle:
            size = png_size(handle.read(24))
    document = claim_document(site, claim_id, request.site_url, size is not None)
    return Response(200, {"Content-Type": HTML, "Content-Security-Policy": HTML_POLICY}, claimhtml.page(document, size).encode())


def _claim_png(site: Site, request: Request, claim_id: str) -> Response:
    image = _image(site, claim_id) if claim_id in site.claims else None
    if image is None:
        return not_found_html(request.site_url)
    return Response(200, {"Content-Type": "image/png"}, image[0].read_bytes())


def _sitemap(site: Site, request: Request) -> Response:
    return Response(200, {"Content-Type": "application/xml; charset=utf-8"}, sitemap(site, request.site_url).encode())


# path pattern -> handler; the first that matches the whole path answers
ROUTES: tuple[tuple[re.Pattern, Callable[..., Response]], ...] = (
    (re.compile(r"/data/([a-z_]+\.(?:csv|json|zip))"), _data),
    (re.compile(r"/api/check"), _check),
    (re.compile(r"/api/claims/([^/]+)\.json"), _claim_json),
    (re.compile(r"/claim/([^/]+)\.png"), _claim_png),
    (re.compile(r"/claim/([^/]+)"), _claim_page),
    (re.compile(r"/sitemap\.xml"), _sitemap),
)


def respond(site: Site, request: Request) -> Response:
    """The response to a GET of one of the site's addresses, with its ETag and Cache-Control; 304 when the client has
    it; 404 (HTML under /claim/, JSON elsewhere) for anything else."""
    for pattern, handler in ROUTES:
        found = pattern.fullmatch(request.path)
        if found is not None:
            response = handler(site, request, *found.groups())
            break
    else:
        if request.path.startswith("/claim/"):
            response = not_found_html(request.site_url)
        else:
            response = _error(404, "no such address; see /data/datapackage.json and /api/check", CACHE_MISSING)
    headers = {"X-Content-Type-Options": "nosniff", **response.headers}
    if not request.path.startswith("/claim/"):
        headers["Access-Control-Allow-Origin"] = "*"  # public data: any page's script may read it
    if response.status != 200:
        return Response(response.status, headers, response.body)
    extra = _image(site, found.group(1)) if request.path.startswith("/claim/") else None
    etag = _etag(site, request.site_url, request.path, sorted(request.params.items()), extra and extra[1])
    headers.update({"ETag": etag, "Cache-Control": headers.get("Cache-Control", CACHE)})
    if matches(request.if_none_match, etag):
        return Response(304, {k: v for k, v in headers.items() if k in ("ETag", "Cache-Control", "X-Content-Type-Options")})
    return Response(200, headers, response.body)
