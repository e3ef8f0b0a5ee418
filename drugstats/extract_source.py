"""Where an article comes from: a file, standard input or a URL, as plain text with its date and outlet (I/O)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from drugstats import __version__
from drugstats.extract import MAX_TEXT_CHARS

MAX_BYTES = 3_000_000  # a news page with its markup is well under this; 5 MB of "article" is not an article
TIMEOUT = 10.0  # seconds to connect, and between two reads of the body
DEADLINE = 20.0  # seconds for the whole download, however slowly the server drips
MAX_REDIRECTS = 5
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
        path = Path(spec)
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise ArticleError(f"{spec}: {size:,} bytes is more than an article ({MAX_BYTES:,} bytes at most)")
            with path.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as err:
            raise ArticleError(f"{spec}: cannot read it ({err.strerror or err})") from None
    html = True if spec.lower().endswith((".html", ".htm", ".xhtml")) else None
    return article_from_bytes(data, spec, html=html)


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


def _main_text(html: str, source: str) -> tuple[str, date | None, str | None]:
    # trafilatura: the best-scored open-source main-text extractor, and its metadata reader finds the
    # publication date in the page's meta tags and JSON-LD (htmldate) without a network call.
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, deduplicate=True)
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


def fetch_page(
    url: str, *, timeout: float | None = None, deadline: float | None = None, max_bytes: int | None = None
) -> tuple[bytes, str]:
    """GET a web page within bounds of size, time, redirects and content type; return its bytes and content type.

    Like `refresh.fetch` it uses requests and names itself in the User-Agent; unlike it, it reads the body
    one socket read at a time, so a server that drips bytes is cut off at the deadline, and it refuses a
    body that is not a page before reading it.
    """
    import requests  # only a URL needs it: files and standard input start faster without it

    timeout = TIMEOUT if timeout is None else timeout
    deadline = DEADLINE if deadline is None else deadline
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    started = time.monotonic()
    session = requests.Session()
    session.max_redirects = MAX_REDIRECTS
    headers = {"User-Agent": f"drugstats/{__version__} (extract)", "Accept": "text/html,application/xhtml+xml,text/plain"}
    try:
        response = session.get(url, stream=True, timeout=timeout, headers=headers)
    except requests.TooManyRedirects:
        raise ArticleError(f"{url}: more than {MAX_REDIRECTS} redirects (a redirect loop?)") from None
    except requests.Timeout:
        raise ArticleError(f"{url}: no answer within {timeout:g} s") from None
    except requests.RequestException as err:
        raise ArticleError(f"{url}: cannot download it ({_short(err)})") from None
    with response, session:
        if response.status_code != 200:
            raise ArticleError(f"{url}: the server answered HTTP {response.status_code} {response.reason}")
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type and content_type not in PAGE_TYPES:
            raise ArticleError(f"{url}: is {content_type}, not a web page or text")
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise ArticleError(f"{url}: announces {int(length):,} bytes, more than an article ({max_bytes:,} at most)")
        body = bytearray()
        try:
            while True:
                if time.monotonic() - started > deadline:
                    raise ArticleError(f"{url}: the download took more than {deadline:g} s; stopped")
                chunk = response.raw.read1(65536, decode_content=True)
                if not chunk:
                    break
                body += chunk
                if len(body) > max_bytes:
                    raise ArticleError(f"{url}: more than {max_bytes:,} bytes, more than an article; stopped")
        except (requests.RequestException, OSError, ValueError) as err:
            raise ArticleError(f"{url}: the download broke off ({_short(err)})") from None
        except Exception as err:  # urllib3's own errors (read timeout, protocol) are not requests'
            if isinstance(err, ArticleError):
                raise
            raise ArticleError(f"{url}: the download broke off ({_short(err)})") from None
        return bytes(body), content_type or "text/html"


def _short(err: BaseException) -> str:
    text = str(err).splitlines()[0] if str(err) else type(err).__name__
    return text[:200]


def outlet_of(article: Article) -> str | None:
    """Who published the article: the page's site name, else the URL's host."""
    if article.outlet:
        return article.outlet
    if article.source.startswith(("http://", "https://")):
        return urlsplit(article.source).netloc.removeprefix("www.") or None
    return None
