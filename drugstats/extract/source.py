"""Where an article comes from: a file, standard input or a URL, as plain text with its date and outlet (I/O)."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import IO, Any
from urllib.parse import urlsplit

from drugstats import __version__
from drugstats.claims import files
from drugstats.extract.reader import MAX_TEXT_CHARS
from drugstats.official import httpget

MAX_BYTES = 3_000_000  # a news page with its markup is well under this; 5 MB of "article" is not an article
TIMEOUT = 10.0  # seconds to connect, for the headers, and between two reads of the body
DEADLINE = 20.0  # seconds for the whole download (connecting, headers, redirects, body), however slowly the server drips
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_STOPWORDS = frozenset("the of and to in a is that for was on with as by at from are it said have has were be".split())


class ArticleError(Exception):
    """An article that cannot be read: the message is one line, naming the source and what to do."""


@dataclass(frozen=True)
class Article:
    text: str
    source: str  # the URL, the file path, or "-"
    published: date | None = None  # from the page's metadata, when it states one
    outlet: str | None = None  # the site's name, from the page's metadata
    note: str | None = None  # why nothing will be extracted although the text was read (e.g. not English)


def read_article(spec: str, stdin: IO[bytes] | None = None) -> Article:
    """Read SOURCE as the CLI names it: an http(s) URL, `-` for standard input, or a file path."""
    if spec.startswith(("http://", "https://")):
        data, content_type = fetch_page(spec)
        return article_from_bytes(data, spec, html="html" in content_type or None)
    if spec == "-":
        if stdin is None:
            raise ArticleError("-: no standard input to read")
        data = stdin.read(MAX_BYTES + 1)
    else:
        data = _read_file(spec)
    html = True if spec.lower().endswith((".html", ".htm", ".xhtml")) else None
    return article_from_bytes(data, spec, html=html)


def _read_file(spec: str) -> bytes:
    """A file's bytes, through drugstats.claims.files: a FIFO, a device or a socket is refused, never waited on."""
    try:
        info = os.stat(spec)
    except OSError:
        info = None
    if info is not None and stat.S_ISREG(info.st_mode) and info.st_size > MAX_BYTES:
        raise ArticleError(f"{spec}: {info.st_size:,} bytes is more than an article ({MAX_BYTES:,} bytes at most)")
    try:
        return files.read_bytes(spec, MAX_BYTES)
    except files.FileRefused as err:
        if err.missing:
            raise ArticleError(f"{spec}: cannot read it (No such file or directory)") from None
        why = err.problems[0].message.removeprefix("cannot read file: ")
        if why.startswith("is "):  # "is a named pipe (FIFO), not a regular file"
            raise ArticleError(f"{spec}: {why}; give a .txt or .html file") from None
        raise ArticleError(f"{spec}: cannot read it ({why})") from None


def article_from_bytes(data: bytes, source: str, html: bool | None = None) -> Article:
    """Plain text (and, for HTML, the main text, date and outlet) from the bytes of a document."""
    if len(data) > MAX_BYTES:
        raise ArticleError(f"{source}: more than {MAX_BYTES:,} bytes is more than an article")
    if not data.strip():
        raise ArticleError(f"{source}: is empty; there is no text to read")
    head = data[:8192]
    if b"\x00" in head or _control_share(head) > 0.02:
        raise ArticleError(f"{source}: is binary data, not text; give a .txt or .html file, or a web page")
    text = _decode(data)
    if html is None:
        html = bool(re.match(r"\s*(?:<!doctype\s+html|<html|<head|<body|<!--)", text[:2048], re.I)) or (
            "<p" in text[:4096].lower() and "</" in text[:4096]
        )
    published = outlet = None
    if html:
        text, published, outlet = _main_text(text, source)
    if len(text) > MAX_TEXT_CHARS:
        raise ArticleError(f"{source}: {len(text):,} characters is more than an article ({MAX_TEXT_CHARS:,} at most)")
    return Article(text, source, published, outlet, _language_note(text, source))


def _control_share(data: bytes) -> float:
    controls = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    return controls / max(1, len(data))


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


# Markup is counted before it is parsed: a parser's time grows with tags and attributes, not bytes, and one tag with
# 120,000 attributes kept trafilatura busy for minutes (issue 24). A news page has a few thousand tags, one every
# 50 to 100 bytes, and rarely 20 attributes on one; these caps are far above that and keep a page's reading within a
# few times a plain page's of the same size (bench/extract_worst.py).
MAX_TAGS = 40_000
MAX_ATTRIBUTES = 80_000
MAX_TAG_ATTRIBUTES = 500
MIN_BYTES_PER_TAG = 20  # below this density (past the first MAX_TAGS // 10 tags) it is tag soup, not a page
_TAG = re.compile(r"<[A-Za-z][^<>]*")


def markup_problem(html: str) -> str | None:
    """Why a page's markup is refused before parsing (too many tags or attributes), or None."""
    tags = html.count("<")
    if tags > MAX_TAGS:
        return f"has {tags:,} tags, more than a news page's ({MAX_TAGS:,} at most)"
    if tags > MAX_TAGS // 10 and len(html) / tags < MIN_BYTES_PER_TAG:
        return f"is {tags:,} tags in {len(html):,} characters: markup, not an article"
    attributes = 0
    for tag in _TAG.finditer(html):
        count = len(tag.group().split()) - 1
        if count > MAX_TAG_ATTRIBUTES:
            return f"has a tag with {count:,} attributes ({MAX_TAG_ATTRIBUTES:,} at most)"
        attributes += count
    if attributes > MAX_ATTRIBUTES:
        return f"has {attributes:,} attributes, more than a news page's ({MAX_ATTRIBUTES:,} at most)"
    return None


def _main_text(html: str, source: str) -> tuple[str, date | None, str | None]:
    # trafilatura: the best-scored open-source main-text extractor, and its metadata reader finds the
    # publication date in the page's meta tags and JSON-LD (htmldate) without a network call.
    problem = markup_problem(html)
    if problem:
        raise ArticleError(f"{source}: {problem}; not read")
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, deduplicate=False)
    if not text or not text.strip():
        raise ArticleError(f"{source}: no article text found in the page (only markup, scripts or navigation)")
    meta = trafilatura.extract_metadata(html)
    published = None
    if meta is not None and meta.date:
        try:
            published = date.fromisoformat(str(meta.date)[:10])
        except ValueError:
            published = None
    outlet = meta.sitename if meta is not None and meta.sitename else None
    return text, published, outlet


def _language_note(text: str, source: str) -> str | None:
    words = re.findall(r"[^\W\d_]+", text[:50_000].lower())
    if len(words) < 20:
        return None
    share = sum(w in _STOPWORDS for w in words) / len(words)
    if share < 0.04:
        return f"{source}: does not look like English text; drugstats extract reads English only, so nothing was extracted"
    return None


# What the article reader says when httpget stops at a bound.
_REFUSALS: dict[type[httpget.Stopped], Callable[[Any], str]] = {
    httpget.Refused: lambda err: f"{err.url}: not fetched: {err.rule}",
    httpget.TooManyRedirects: lambda err: f"{err.url}: more than {err.limit} redirects (a redirect loop?)",
    httpget.NoAnswer: lambda err: f"{err.url}: no answer within {err.timeout:g} s",
    httpget.ConnectFailed: lambda err: f"{err.url}: cannot download it ({httpget.short(err.cause)})",
    httpget.BadStatus: lambda err: f"{err.url}: the server answered HTTP {err.status} {err.reason}",
    httpget.NotAccepted: lambda err: f"{err.url}: is {err.content_type}, not a web page or text",
    httpget.AnnouncedTooLarge: lambda err: (
        f"{err.url}: announces {err.announced:,} bytes, more than an article ({err.limit:,} at most)"
    ),
    httpget.TooLarge: lambda err: f"{err.url}: more than {err.limit:,} bytes, more than an article; stopped",
    httpget.TooSlow: lambda err: f"{err.url}: the download took more than {err.deadline:g} s; stopped",
    httpget.BrokeOff: lambda err: f"{err.url}: the download broke off ({httpget.short(err.cause)})",
}


def fetch_page(
    url: str, *, timeout: float | None = None, deadline: float | None = None, max_bytes: int | None = None
) -> tuple[bytes, str]:
    """GET a web page within bounds of size, time, redirects and content type; return its bytes and content type.

    The bounded GET of `drugstats.official.httpget`, as refresh's download uses it, naming itself in the User-Agent; a body
    that is not a page is refused before it is read, and so is an address inside a network (httpget.Refused). One
    deadline bounds the whole download; each read may wait `timeout`.
    """
    try:
        page = httpget.get(
            url,
            headers={"User-Agent": f"drugstats/{__version__} (extract)", "Accept": "text/html,application/xhtml+xml,text/plain"},
            timeout=TIMEOUT if timeout is None else timeout,
            deadline=DEADLINE if deadline is None else deadline,
            max_bytes=MAX_BYTES if max_bytes is None else max_bytes,
            content_types=PAGE_TYPES,
        )
    except httpget.Stopped as err:
        raise ArticleError(httpget.words(_REFUSALS, err)) from None
    return page.body, page.content_type or "text/html"


def outlet_of(article: Article) -> str | None:
    """Who published the article: the page's site name, else the URL's host."""
    if article.outlet:
        return article.outlet
    if article.source.startswith(("http://", "https://")):
        return urlsplit(article.source).netloc.removeprefix("www.") or None
    return None
