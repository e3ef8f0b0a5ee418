"""Text and links from the data made safe to show: markdown escaped, only http(s) URLs linked."""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import quote

from drugstats.claims.models import check_url

# Control characters and the bidirectional overrides that could make text read other than it is.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:<>&=^\"'])")


def escape_markdown(text: Any) -> str:
    """Text from the data, for st.markdown: every markup character escaped, so it shows as written."""
    text = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    text = CONTROL.sub("", text).replace("\r", " ").replace("\n", " ")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


_PROSE_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def escape_markdown_prose(text: Any) -> str:
    """Text from the data for a markdown file read raw as often as rendered (the bundle's README).

    HTML (`<img onerror>`, `<script>`) and the characters that link, embed, emphasise or break a table are escaped;
    the rest stays readable, unlike escape_markdown's every-character escaping.
    """
    text = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    text = CONTROL.sub("", text).replace("\r", " ").replace("\n", " ")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _PROSE_SPECIAL.sub(r"\\\1", text)


def safe_url(url: Any) -> str | None:
    """The URL if it is an absolute http(s) URL (drugstats.claims.models.check_url), percent-encoding markdown's brackets."""
    if not isinstance(url, str):
        return None
    try:
        check_url(url)
    except ValueError:
        return None
    return quote(url, safe=":/?#[]@!$&'*+,;=%-._~")  # keeps the URL, encodes ( ) < > " and spaces


def markdown_link(label: Any, url: Any) -> str:
    """A markdown link with an escaped label, or the escaped label alone when the URL is not http(s)."""
    href = safe_url(url)
    text = escape_markdown(label)
    return f"[{text}]({href})" if href else text


# OWASP CSV injection: a spreadsheet runs a text cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(text: str) -> str:
    """A CSV cell no spreadsheet runs: a quote before a formula's first character, and a carriage return as a line
    feed (with lines ending in \n the csv writer leaves a bare \r unquoted, and a reader would start a new row there).
    Every CSV writer of drugstats passes its text cells through this."""
    if text.startswith(FORMULA_START):
        text = "'" + text
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
