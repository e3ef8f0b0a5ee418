"""Check an article page: the article as safe HTML with each figure marked in its verdict's colour, and what each says."""

from __future__ import annotations

import re

from drugstats import display
from drugstats.extract.check import Checked
from drugstats.pages.article import ArticleCheck

# Every character that HTML or markdown could read as markup becomes a numeric entity, so the text shows as written
# whichever renderer draws it; control and bidirectional-override characters are dropped.
_MARKUP = re.compile(r"[&<>\"'`*_\[\]$~:#|\\{}!^=+-]")
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
UNCHECKED_FILL = "#ffffff"
TEXT_COLOR = "#1F2328"  # the fills are pale: dark text on them whatever the theme


def escape_html(text: str) -> str:
    return _MARKUP.sub(lambda m: f"&#{ord(m.group())};", _INVISIBLE.sub("", text))


def _style(item: Checked) -> tuple[str, str, str, str]:
    """(data-verdict, label, fill, border) of a figure's mark: its verdict's, or a neutral dashed one while incomplete."""
    if item.verdict is None:
        return "incomplete", "not checked", UNCHECKED_FILL, f"2px dashed {display.GREY}"
    style = display.verdict_style(item.verdict.verdict)
    return item.verdict.verdict, style.label, style.fill, f"2px solid {style.color}"


def _mark(number: int, item: Checked, printed: str) -> str:
    verdict, label, fill, border = _style(item)
    if item.verdict is None:
        title = "Not checked: " + "; ".join(item.missing)
    else:
        title = f"{label}: {item.verdict.explanation}"
    return (
        f'<mark data-verdict="{verdict}" title="{escape_html(title)}" style="background:{fill};color:{TEXT_COLOR};'
        f'border-bottom:{border};border-radius:3px;padding:0 2px">{escape_html(printed)}</mark>'
        f'<sup style="font-size:0.7em;color:{TEXT_COLOR};white-space:nowrap">&#160;{number}&#160;{escape_html(label)}</sup>'
    )


def highlight_html(result: ArticleCheck) -> str:
    """The article as HTML: each figure's printed words marked in its verdict's fill with its number and verdict beside
    it (colour is never the only cue), its explanation or what is missing as the mark's title; all else literal."""
    text, out, position = result.text, [], 0
    for number, item in enumerate(result.items, 1):
        start, end = item.candidate.start, item.candidate.end
        if start < position or not 0 <= start < end <= len(text):  # overlapping or unknown: the table still lists it
            continue
        out += [escape_html(text[position:start]), _mark(number, item, text[start:end])]
        position = end
    out.append(escape_html(text[position:]))
    return (
        '<div class="drugstats-article" style="white-space:pre-wrap;line-height:1.7;padding:0.75rem 1rem;'
        f'border:1px solid {display.LIGHT_GREY};border-radius:0.5rem">{"".join(out)}</div>'
    )


def findings(result: ArticleCheck) -> list[tuple[int, str | None, str, str]]:
    """(number, verdict or None, the figure as printed, its explanation or what is missing) of each figure."""
    out = []
    for number, item in enumerate(result.items, 1):
        c, v = item.candidate, item.verdict
        said = v.explanation if v else "Not checked: " + "; ".join(item.missing) + "."
        out.append((number, v.verdict if v else None, f"{c.value_text} {display.unit_label(c.unit)}", said))
    return out
