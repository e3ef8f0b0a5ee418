"""A claim's page as server-rendered HTML (no JavaScript): what link previews, crawlers and fact-check aggregators read.

The page renders the claim's JSON document (drugstats.site.api.claim_document: the claim, its verdict, its ClaimReview and
its links), so the page and /api/claims/<id>.json cannot disagree. Every text from the data is HTML-escaped, links
are made only of http(s) URLs, and the JSON-LD is escaped so no value can close its script element.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any

from drugstats import display
from drugstats.claims.safetext import CONTROL, safe_url
from drugstats.publish import cite

OG_TITLE_CHARS = 110  # link previews cut longer titles themselves, mid-word
OG_DESCRIPTION_CHARS = 300

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; line-height: 1.5; color: #1a1a1a;
       max-width: 760px; margin: 0 auto; padding: 16px; }
header a { font-weight: 700; text-decoration: none; color: inherit; }
blockquote { font-size: 1.2em; margin: 16px 0; padding: 4px 16px; border-left: 4px solid #888; }
.verdict { padding: 2px 10px; border-radius: 4px; font-weight: 700; }
dl { display: grid; grid-template-columns: minmax(0, max-content) minmax(0, 1fr); gap: 4px 16px; }
dt { font-weight: 600; }
dd { margin: 0; min-width: 0; }
/* long addresses and unbroken words wrap: the page fits a 360 px phone */
p, dd, dt, blockquote, a, footer { overflow-wrap: anywhere; }
figure { margin: 16px 0; }
img { max-width: 100%; height: auto; border: 1px solid #ddd; }
@media (max-width: 520px) { dl { grid-template-columns: minmax(0, 1fr); gap: 0; } dd { margin-bottom: 8px; } }
footer { margin-top: 32px; font-size: 0.9em; color: #444; }
"""


def text(value: Any) -> str:
    """Text from the data for HTML (content or attribute): control and direction-override characters removed, escaped."""
    if value is None:
        return ""
    return html.escape(CONTROL.sub("", str(value)), quote=True)


def json_ld(document: Any) -> str:
    """JSON for a <script type="application/ld+json"> element: <, >, & and the JavaScript line separators written as
    \\u escapes (the same JSON), so no string in it can end the element (</script>) or open a comment (<!--)."""
    raw = json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False)
    for char in ("<", ">", "&", "\u2028", "\u2029"):
        raw = raw.replace(char, f"\\u{ord(char):04x}")
    return raw


def shorten(value: str, limit: int) -> str:
    """At most `limit` characters, cut at a word with an ellipsis."""
    value = " ".join(CONTROL.sub("", value).split())
    if len(value) <= limit:
        return value
    cut = value[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return f"{cut}…"


def number(value: float) -> str:
    """An official value as a reader reads it: 109,745; 66.4; 2."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _link(label: Any, url: Any) -> str:
    href = safe_url(url)
    return f'<a href="{text(href)}">{text(label)}</a>' if href else text(label)


def _said(claim: Mapping[str, Any]) -> str:
    when = claim.get("claimed_on") or claim.get("source_published") or "date not recorded"
    return f"{claim['claimant']}, {when}; attributed to {claim['attributed_to']}."


def titles(document: Mapping[str, Any]) -> tuple[str, str]:
    """(og:title, og:description) of a claim's page: the verdict and the quote; the explanation."""
    label = display.verdict_label(document["verdict"]["verdict"])
    title = f"{label}: “{shorten(document['claim']['quote'], OG_TITLE_CHARS)}”"
    return title, shorten(document["verdict"]["explanation"], OG_DESCRIPTION_CHARS)


def _official(verdict: Mapping[str, Any]) -> str:
    if verdict.get("official_value") is None:
        return "<p>drugstats holds no official figure for this claim.</p>"
    rows = [
        ("Value", f"{number(verdict['official_value'])} {display.unit_label(verdict['official_unit'])}"),
        ("Measure", verdict.get("official_measure")),
        ("Period", verdict.get("official_window")),
        ("Release", verdict.get("official_release_name") or verdict.get("official_release")),
        ("Source", verdict.get("official_source")),
        ("Derivation", verdict.get("derivation")),
    ]
    if verdict.get("alternative_measure"):
        alternative = f"{number(verdict['alternative_value'])}: {verdict['alternative_measure']}"
        rows.append(("The number fits instead", alternative))
    items = "".join(f"<dt>{text(label)}</dt><dd>{text(value)}</dd>\n" for label, value in rows if value)
    return f"<dl>\n{items}</dl>"


def _then_and_now(verdict: Mapping[str, Any]) -> str:
    """Where the claim was also checked against the release of its day: both verdicts, each with CDC's count."""
    then = verdict.get("verdict_at_claim")
    if not then or verdict.get("release_at_claim") == verdict.get("official_release"):
        return ""
    rows = [
        ("At the time", then, verdict.get("official_value_at_claim"), verdict.get("release_at_claim_name")),
        ("Today", verdict["verdict"], verdict.get("official_value"), verdict.get("official_release_name")),
    ]
    items = "".join(
        f"<dt>{text(when)}</dt><dd>{text(display.verdict_label(v))}: CDC counted {text(number(value))} "
        f"in the release of {text(release)}.</dd>\n"
        for when, v, value, release in rows
    )
    return f'<dl class="vintages">\n{items}</dl>\n'


def _image(document: Mapping[str, Any], size: tuple[int, int] | None) -> str:
    if size is None:
        return ""
    alt = f"Chart: the claim's number drawn over the official series ({document['verdict'].get('official_measure') or ''})"
    return (
        f'<figure><img src="{text(document["links"]["image"])}" width="{size[0]}" height="{size[1]}" alt="{text(alt)}">'
        "</figure>\n"
    )


def _head(title: str, description: str, canonical: str, extra: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{text(title)} | drugstats</title>\n"
        f'<meta name="description" content="{text(description)}">\n'
        f'<link rel="canonical" href="{text(canonical)}">\n'
        f"{extra}<style>{_STYLE}</style>\n</head>\n"
    )


def page(document: Mapping[str, Any], image_size: tuple[int, int] | None = None) -> str:
    """The claim's page from its JSON document; image_size (width, height) when its chart image exists, else no image
    and no og:image."""
    claim, verdict, links = document["claim"], document["verdict"], document["links"]
    title, description = titles(document)
    style = display.verdict_style(verdict["verdict"])
    meta = [
        ("og:type", "article"),
        ("og:site_name", "drugstats"),
        ("og:title", title),
        ("og:description", description),
        ("og:url", links["page"]),
    ]
    if image_size is not None:
        meta += [
            ("og:image", links["image"]),
            ("og:image:type", "image/png"),
            ("og:image:width", str(image_size[0])),
            ("og:image:height", str(image_size[1])),
            ("og:image:alt", f"Chart of the claim over the official series: {title}"),
        ]
    extra = "".join(f'<meta property="{key}" content="{text(value)}">\n' for key, value in meta)
    card = "summary_large_image" if image_size is not None else "summary"
    extra += f'<meta name="twitter:card" content="{card}">\n'
    extra += f'<link rel="alternate" type="application/json" href="{text(links["json"])}">\n'
    extra += f'<script type="application/ld+json">\n{json_ld(document["claimreview"])}\n</script>\n'
    source = _link(cite.published_in(claim.get("source_publisher"), claim.get("source_title")), claim.get("source_url"))
    body = (
        '<body>\n<header><a href="/">drugstats</a>: drug figures in the news, checked against the official record</header>\n'
        "<main>\n<h1>A claim checked against the official record</h1>\n"
        f"<blockquote><p>{text(claim['quote'])}</p></blockquote>\n"
        f"<p>{text(_said(claim))} Published in {source}.</p>\n"
        f'<h2>Verdict: <span class="verdict" style="background: {text(style.fill)}">{text(style.label)}</span></h2>\n'
        + _then_and_now(verdict)
        + f"<p>{text(verdict['explanation'])}</p>\n"
        + (f"<p><small>{text(style.meaning)}</small></p>\n" if style.meaning else "")
        + "<h2>The official figure</h2>\n"
        + _official(verdict)
        + "\n"
        + _image(document, image_size)
        + f'<p><a href="{text(links["dashboard"])}">Open this claim in the interactive dashboard</a>, '
        f'with the chart to explore and its table, or get it as <a href="{text(links["json"])}">JSON</a>.</p>\n'
        "</main>\n<footer>\n"
        f"<p>Checked as of {text(document['reviewed_on'])}. Every claim: "
        '<a href="/data/claims.csv">claims.csv</a>, <a href="/data/verdicts.csv">verdicts.csv</a>, '
        '<a href="/data/drugstats.zip">the whole data bundle</a>. The data are CC0.</p>\n'
        "</footer>\n</body>\n</html>\n"
    )
    return _head(title, description, links["page"], extra) + body


def not_found_page(site_url: str) -> str:
    """A 404 page: no echo of what was asked, a way back to every claim."""
    return (
        _head(
            "No such claim",
            "drugstats holds no claim at this address.",
            f"{site_url}/claims",
            '<meta name="robots" content="noindex">\n',
        )  # fmt: skip
        + "<body>\n<main>\n<h1>No claim at this address</h1>\n"
        "<p>drugstats holds no claim with this id. It may have been renamed, or the link cut short.</p>\n"
        '<p><a href="/claims">Every claim drugstats holds</a></p>\n</main>\n</body>\n</html>\n'
    )


def unavailable_page() -> str:
    """A 503 page while the data fail validation (the dashboard shows the problems)."""
    return (
        _head("Data unavailable", "The data failed validation.", "/", '<meta name="robots" content="noindex">\n')
        + "<body>\n<main>\n<h1>The data are being fixed</h1>\n"
        '<p>The data failed validation, so no claim is shown; <a href="/">the dashboard</a> lists the problems.</p>\n'
        "</main>\n</body>\n</html>\n"
    )
