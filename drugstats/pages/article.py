"""Check an article page: a story's drug figures found, checked, and corrected by the reader (drawn by article_markup,
written out by article_downloads)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from drugstats import display
from drugstats.claims import models, query
from drugstats.extract import isolated, reader
from drugstats.extract.check import Checked, check_candidates, placeholder_source, to_claim
from drugstats.extract.frame import READER
from drugstats.extract.reader import PLACE_NOTES, Candidate
from drugstats.extract.source import Article, article_from_bytes
from drugstats.publish import charts, claimplot
from drugstats.verdicts import checks, transform
from drugstats.verdicts.pipeline import Build

FETCH_ENV = "DRUGSTATS_ALLOW_FETCH"  # "1" lets the page download an article by its address (off: the server fetches
# whatever address a visitor types, including ones inside its own network)
PASTED = "The pasted text"
CACHE_CHARS = 200_000  # results of longer texts are not kept for other sessions: 128 of them would hold too much

# ------------------------------------------------------------------------------------------ the view in the URL

ARTICLE_DEFAULTS = {"published": "", "outlet": ""}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ArticleView:
    published: date | None  # the article's publication date: "last year" and "so far this fiscal year" are read from it
    outlet: str  # who published it: the claimant of its claims

    def query(self) -> dict[str, str]:
        values = {"published": self.published.isoformat() if self.published else "", "outlet": self.outlet}
        return query.query_from(values, ARTICLE_DEFAULTS)


def parse_article(params: Mapping[str, Any]) -> ArticleView:
    raw = query.single_value(params.get("published"))
    published = None
    if raw and _ISO_DATE.match(raw):
        try:
            published = date.fromisoformat(raw)
        except ValueError:
            published = None
    if published is not None and not query.FIRST_YEAR <= published.year <= query.LAST_YEAR:
        published = None
    return ArticleView(published, query.parse_text(params.get("outlet"), max_chars=100))


# ------------------------------------------------------------------------------------------ the article, read and checked


def read_pasted(text: str) -> Article:
    """Pasted text as an article, with the CLI's checks (empty, binary, too long, not English): raises ArticleError."""
    return article_from_bytes(text.encode("utf-8", "surrogatepass"), PASTED, html=False)


def read_upload(name: str, data: bytes) -> Article:
    """An uploaded .txt or .html file: for HTML its main text, and the date and outlet its metadata state."""
    return article_from_bytes(data, name, html=True if name.lower().endswith((".html", ".htm")) else None)


def web_address(text: str) -> str | None:
    """The address if it is an absolute http(s) URL (never a file path), else None."""
    try:
        return models.check_url(text.strip())
    except ValueError:
        return None


def article_source(address: str, name: str = "pasted article") -> str:
    """The `source` of the article's claims: its address when one was given, else a placeholder to replace."""
    return web_address(address) or placeholder_source(name)


@dataclass(frozen=True)
class ArticleCheck:
    """An article's figures, in reading order, each with its claim and verdict (see drugstats.extract.check)."""

    text: str
    source: str
    claimant: str | None
    published: date | None
    items: tuple[Checked, ...]

    @property
    def digest(self) -> str:
        """Names this reading: a reader's corrections belong to one text, date and outlet."""
        key = f"{self.source}\n{self.claimant}\n{self.published}\n{self.text}"
        return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def check_article(
    text: str, published: date | None, claimant: str | None, source: str, build: Build | checks.OfficialRecord
) -> ArticleCheck:
    """Every drug figure in the text, read as `drugstats extract` reads it and checked like any claim (against a build,
    or the record of one)."""
    claimant = claimant or None
    # Read in a child process under a time limit (drugstats.extract.isolated): the server's other visitors never
    # wait for a visitor's article. Raises ArticleError when the reading fails or takes too long.
    candidates = isolated.run(reader.extract, text, published, claimant, what=PASTED)
    try:
        items = check_candidates(candidates, build, source=source, claimant=claimant)
    except _NO_RULE:  # one figure's fields reach no rule: the others are still checked, and it says so
        items = [_check_one(c, build, source, claimant) for c in candidates]
    return ArticleCheck(text, source, claimant, published, tuple(items))


_NO_RULE = (LookupError, TypeError, ArithmeticError, ValueError)  # as views/check.py: valid, but no check takes it


def _check_one(candidate: Candidate, build: Build | checks.OfficialRecord, source: str, claimant: str | None) -> Checked:
    try:
        return check_candidates([candidate], build, source=source, claimant=claimant)[0]
    except _NO_RULE:
        candidate.missing.append("drugstats has no check for this combination of fields")
        return Checked(candidate, None, None)


def summary(result: ArticleCheck) -> str:
    """'3 figures found: 2 consistent, 1 not checked (...)'."""
    if not result.items:
        return "No drug figures found in this text."
    counts = Counter(item.verdict.verdict for item in result.items if item.verdict)
    parts = [f"{counts[v]} {display.verdict_label(v).lower()}" for v in display.VERDICTS if counts[v]]
    parts += [f"{counts[v]} {v}" for v in counts if v not in display.VERDICTS]
    unchecked = sum(item.verdict is None for item in result.items)
    if unchecked:
        parts.append(f"{unchecked} not checked (a field is missing or in doubt)")
    n = len(result.items)
    return f"{n} figure{'s' if n != 1 else ''} found: " + ", ".join(parts) + "."


# ---------------------------------------------------------------------------------- the table, and the reader's corrections

EDITABLE = (
    "value", "unit", "qualifier", "metric", "substance", "period_start", "period_end", "geography", "seized_by",
    "attributed_to", "cbp_area", "compared_to_start", "compared_to_end",
)  # fmt: skip
_DATES = ("period_start", "period_end", "compared_to_start", "compared_to_end")  # a change's earlier period too
_REQUIRED = ("value", "unit", "qualifier", "metric", "substance")  # a claim has no meaning without them
# From and To beside the figure as printed, so a reader sees the period without scrolling, and where the reading filled
# a field from the article rather than the sentence; a change's earlier period after the fields it is read with.
TABLE_COLUMNS = (
    "number", "verdict", "printed", "period_start", "period_end", "filled",
    *(name for name in EDITABLE if name not in _DATES), "compared_to_start", "compared_to_end", "quote",
)  # fmt: skip
_FILLED_NAMES = {
    "period": "period",
    "geography": "place",
    "substance": "drug",
    "seized_by": "agency",
    "compared_to": "earlier period",
}
_FILLED_FROM = {"paragraph": "its paragraph", "article": "the article", "default": "default"}


def filled(candidate: Candidate) -> str:
    """The fields read from the article's context, not the figure's sentence: "period from the article; place: default"."""
    return "; ".join(
        f"{_FILLED_NAMES[name]} from {_FILLED_FROM[source]}" if source != "default" else f"{_FILLED_NAMES[name]}: default"
        for name, source in candidate.field_sources.items()
        if name in _FILLED_NAMES and source in _FILLED_FROM
    )


def table(original: ArticleCheck, current: ArticleCheck | None = None) -> pd.DataFrame:
    """One row per figure: the fields as read from `original` (a data editor applies the reader's edits over them) and
    the verdict of `current`, the reading with those edits checked."""
    current = current or original
    rows = []
    for number, (read, now) in enumerate(zip(original.items, current.items, strict=True), 1):
        c = read.candidate
        rows.append(
            {"number": number, "verdict": now.verdict.verdict if now.verdict else None, "printed": c.value_text}
            | {name: getattr(c, name) for name in EDITABLE}
            | {"filled": filled(c) or None, "quote": c.quote}
        )
    frame = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    frame["value"] = frame["value"].astype("float64")
    for name in EDITABLE:
        if name in _DATES:
            frame[name] = pd.to_datetime(frame[name])
        elif name != "value":
            frame[name] = frame[name].astype("string")
    return frame


def apply_edits(rows: pd.DataFrame, edited_rows: Mapping[Any, Mapping[str, Any]]) -> pd.DataFrame:
    """The editable fields of `rows` with a data editor's edits (its state's "edited_rows": position -> {column: value})."""
    frame = rows.loc[:, list(EDITABLE)].astype(object)  # a cell takes what the reader typed, never coerced to a dtype
    for position, changes in edited_rows.items():
        if not str(position).isdigit() or int(position) >= len(frame):
            continue
        for name, value in changes.items():
            if name in EDITABLE:
                frame.iloc[int(position), frame.columns.get_loc(name)] = _cell(name, value)
    return frame


_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+Z?)?\s*$")


def _cell(name: str, value: Any) -> Any:
    """A typed cell as the field takes it: a date from ISO text or a calendar pick, a number, text; None when blank
    or not readable ("+010101-02-02", "last spring"), so the figure says the field is missing instead of crashing."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if name in _DATES:
        if isinstance(value, date):
            return date(value.year, value.month, value.day)
        m = _ISO_DAY.match(str(value))
        try:
            return date(int(m[1]), int(m[2]), int(m[3])) if m else None
        except ValueError:
            return None
    if name == "value":
        try:
            number = float(str(value).replace(",", "")) if not isinstance(value, int | float) else float(value)
        except ValueError:
            return None
        return number if number == number and number not in (float("inf"), float("-inf")) else None
    return str(value)


def blank(value: Any) -> bool:
    """A missing cell: None, NA, NaT or NaN."""
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


def _field(name: str, value: Any) -> Any:
    if blank(value):
        return None
    if name in _DATES:
        return _cell(name, value.isoformat() if hasattr(value, "isoformat") else value)
    if name == "value":
        return _cell(name, value)
    return str(value).strip() or None


def recheck(result: ArticleCheck, edited: pd.DataFrame, build: Build | checks.OfficialRecord) -> ArticleCheck:
    """The article with the reader's corrections: each row of `edited` (EDITABLE fields, one row per figure) that differs
    from what was read is made a claim again and checked through the same path; the other figures stay as they were."""
    items = list(result.items)
    for position, item in enumerate(result.items):
        fields = {name: _field(name, edited.iloc[position][name]) for name in EDITABLE}
        if all(fields[name] == _field(name, getattr(item.candidate, name)) for name in EDITABLE):
            continue
        # A county's or a port's figure stays unchecked until the reader names a place: an edit to its period or
        # value alone would otherwise check it against the nation (no place reads as the US).
        # A county's or an area's figure keeps its place (and stays unchecked) until the reader changes the place.
        moved = fields["geography"] is not None and fields["geography"] != item.candidate.geography
        area = fields["cbp_area"] is not None and fields["cbp_area"] != item.candidate.cbp_area  # a CBP area named
        unplaced = [note for note in item.candidate.missing if note in PLACE_NOTES] if not (moved or area) else []
        below = {"county_fips": None, "cbp_area": None} if moved and not area else {}
        # an edited row is the reader's claim: no field of it is a guess from the story any more
        reader = {name: READER for name in item.candidate.field_sources}
        candidate = replace(item.candidate, **(fields | below), missing=unplaced, field_sources=reader)
        blanked = [name for name in _REQUIRED if fields[name] is None]
        if blanked:  # a field every claim needs, emptied or not readable: named once, not checked
            kept = {name: getattr(item.candidate, name) for name in blanked}  # as read, for the downloads
            items[position] = Checked(
                replace(candidate, **kept, missing=[f"{blanked[0].replace('_', ' ')}: missing"]), None, None
            )
            continue
        if unplaced:
            items[position] = Checked(candidate, None, None)
            continue
        try:
            claim = to_claim(candidate, result.source, result.claimant)
            # one message per field, the first: "period end: required ..." and not again "... period_end is missing"
            first = dict(reversed(list(models.claim_rules(claim))))
            candidate.missing.extend(f"{name.replace('_', ' ')}: {message}" for name, message in reversed(first.items()))
        except ValueError as err:
            candidate.missing.append(f"not a valid claim ({err})")
        items[position] = _check_one(candidate, build, result.source, result.claimant)
    return replace(result, items=tuple(items))


# ------------------------------------------------------------------------------------------ a figure's chart


def chart_key(item: Checked) -> tuple[tuple[str, Any], ...]:
    """A checked figure's claim as a hashable value, for claim_figure (kept per data version by the page)."""
    assert item.claim is not None
    return tuple(sorted(item.claim.model_dump(exclude_none=True).items()))


def claim_figure(build: Build, claim: tuple[tuple[str, Any], ...], view: ArticleView) -> charts.Figure | None:
    """A figure of the article over the official series it was checked against; None when there is nothing to draw."""
    row = transform.claims_frame([models.Claim(**dict(claim))], {}).iloc[0]
    return claimplot.checked(build, row, checks.check_claim(row, build.record), charts.page("article", view.query()))


# ------------------------------------------------------------------------------------------ sample articles

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "samples"


@dataclass(frozen=True)
class Sample:
    file: str
    outlet: str
    published: date


# The two articles the project started from (drugstats/samples/README.md cites them); their figures are in data/claims/.
SAMPLES = (
    Sample(
        "2023-04-13-dailycaller-us-mexico-fentanyl.txt",
        "The Daily Caller",
        date(2023, 4, 13),
    ),
    Sample(
        "2024-02-01-dailycaller-us-china-working-group.txt",
        "Daily Caller News Foundation",
        date(2024, 2, 1),
    ),
)


def sample_text(sample: Sample) -> str:
    return (SAMPLES_DIR / sample.file).read_text(encoding="utf-8")
