"""Typed records (Source, Claim, Statement) and the rules that tie a record's fields together."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from drugstats import vocab

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
GEOGRAPHY = re.compile(r"^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$")
PARTIAL_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FIRST_DAY = date(1900, 1, 1)
MAX_WHOLE = 10**15


class Ambiguous:
    """A plain YAML scalar whose YAML 1.1 reading is probably not what the author meant.

    The loader puts one of these in place of the value; every field type rejects it
    with the explanation, so `NO` never silently becomes False.
    """

    def __init__(self, raw: str, reading: str, hint: str = "put it in quotes if it is text"):
        self.raw, self.reading, self.hint = raw, reading, hint

    def __repr__(self) -> str:
        return f"Ambiguous({self.raw!r})"


def _fail(code: str, message: str, **ctx: Any) -> PydanticCustomError:
    # Formatted here, not by pydantic, so braces inside user data are never read as a template.
    return PydanticCustomError(code, message.format(**ctx))


def _describe(value: Any) -> str:
    if isinstance(value, Ambiguous):
        return f"{value.raw!r}, which YAML reads as {value.reading}; {value.hint}"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, date):
        kind = "date and time" if hasattr(value, "hour") else "date"
        return f"the {kind} {value.isoformat()}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


# Letters Unicode files as such that show as blank space (Hangul fillers, the braille blank).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _visible(char: str) -> bool:
    return unicodedata.category(char)[0] not in "ZC" and char not in _BLANK_LETTERS


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _fail("text", "expected text, got {got}", got=_describe(value))
    if not value.strip():
        raise _fail("text", "must not be empty")
    if not any(map(_visible, value)):
        raise _fail("text", "has no visible text, only blank or invisible characters")
    return value


def _slug(value: Any) -> str:
    value = _text(value)
    if not SLUG.match(value):
        raise _fail("slug", "{v!r} is not a slug: use lowercase letters, digits and single hyphens", v=value)
    return value


def check_url(value: Any) -> str:
    """Accept only absolute http(s) URLs: no javascript:, data:, relative or whitespace tricks."""
    value = _text(value)
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- parsed only when asked for: a port of 99999999 raises here
    except ValueError as err:  # https://[::1/article: "Invalid IPv6 URL"
        raise _fail("url", "{v!r} is not a valid URL ({err})", v=value, err=str(err)) from None
    if parts.scheme not in ("http", "https") or not value.startswith(parts.scheme + "://") or not parts.netloc:
        raise _fail("url", "{v!r} is not an http(s) URL", v=value)
    if any(c.isspace() or ord(c) < 32 for c in value):
        raise _fail("url", "{v!r} contains whitespace or control characters", v=value)
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        hint = ""
        if isinstance(value, str):
            hint = "; write numbers without quotes or thousands separators"
            if re.fullmatch(r"[0-9]+[eE][+-]?[0-9]+", value.strip()):
                hint = "; YAML reads an exponent without a decimal point as text: write e.g. 1.0e+3"
        raise _fail("number", "expected a number, got {got}{hint}", got=_describe(value), hint=hint)
    if isinstance(value, int) and not -MAX_WHOLE < value < MAX_WHOLE:  # too big for a float to hold exactly
        raise _fail("number", "a whole number of {n} digits is too large: write at most 15 digits", n=len(str(abs(value))))
    if not math.isfinite(value) or value <= 0:
        raise _fail("number", "must be a finite number above zero, got {v!r}", v=value)
    return value


def _iso_date(value: Any) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        day = value
    elif isinstance(value, str) and ISO_DATE.match(value):
        try:
            day = date.fromisoformat(value)
        except ValueError as err:
            raise _fail("date", "{v!r} is not a real date ({err})", v=value, err=str(err)) from None
    else:
        raise _fail("date", "expected a date as YYYY-MM-DD, got {got}", got=_describe(value))
    # Every date here is of something that happened: a period counted, a claim made, a file read. Bounded, so that
    # 9999-12-31 plus a day never overflows in a check.
    if day < FIRST_DAY:
        raise _fail("date", "{d} is before {first}: no figure here is that old", d=day.isoformat(), first=FIRST_DAY.isoformat())
    if day > date.today():
        raise _fail("date", "{d} is in the future", d=day.isoformat())
    return day


def _partial_date(value: Any) -> str:
    """A publication date as precise as the document gives it: YYYY, YYYY-MM or YYYY-MM-DD."""
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    if isinstance(value, str) and PARTIAL_DATE.match(value):
        if len(value) == 10:
            _iso_date(value)
        elif len(value) == 7 and not 1 <= int(value[5:]) <= 12:
            raise _fail("date", "{v!r} has no month {m}", v=value, m=value[5:])
        return value
    raise _fail("date", "expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {got}", got=_describe(value))


def _geography(value: Any) -> str:
    value = _text(value)
    if not GEOGRAPHY.match(value):
        raise _fail("geography", "{v!r} is not an ISO 3166 code such as US or US-NY", v=value)
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _fail("bool", "expected true or false, got {got}", got=_describe(value))
    return value


def one_of(allowed: Any) -> Any:
    """A text field restricted to a vocabulary from drugstats.vocab."""
    allowed = tuple(allowed)

    def check(value: Any) -> str:
        value = _text(value)
        if value not in allowed:
            raise _fail("vocab", "{v!r} is not one of: {allowed}", v=value, allowed=", ".join(allowed))
        return value

    return check


def _list_of(check: Any) -> Any:
    def run(value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise _fail("list", "expected a list, got {got}", got=_describe(value))
        if not value:
            raise _fail("list", "must list at least one value")
        return [check(item) for item in value]

    return run


def _county_fips(value: Any) -> str:
    value = _text(value)
    if re.fullmatch(r"\d{5}", value) is None:
        raise _fail("county_fips", "{v!r} is not a 5-digit county FIPS code such as '04013' (in quotes)", v=value)
    return value


def _headline(value: Any) -> str:
    value = _text(value)
    if value.lstrip().startswith("["):
        raise _fail(
            "headline",
            "a bracketed note is not a headline: leave title out where the headline was not recorded "
            "(citations then give publisher, date and URL)",
        )
    return value


Text = Annotated[str, BeforeValidator(_text)]
CountyFips = Annotated[str, BeforeValidator(_county_fips)]
RateBasis = Annotated[str, BeforeValidator(one_of(vocab.RATE_BASES))]
Headline = Annotated[str, BeforeValidator(_headline)]
Slug = Annotated[str, BeforeValidator(_slug)]
Url = Annotated[str, BeforeValidator(check_url)]
Number = Annotated[float, BeforeValidator(_number)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
PartialDate = Annotated[str, BeforeValidator(_partial_date)]
Geography = Annotated[str, BeforeValidator(_geography)]
Flag = Annotated[bool, BeforeValidator(_flag)]
SourceRef = Annotated[str, BeforeValidator(_text)]  # a source id, or in a user file an http(s) URL
Metric = Annotated[str, BeforeValidator(one_of(vocab.METRICS))]
Substance = Annotated[str, BeforeValidator(one_of(vocab.SUBSTANCES))]
Unit = Annotated[str, BeforeValidator(one_of(vocab.UNITS))]
Qualifier = Annotated[str, BeforeValidator(one_of(vocab.QUALIFIERS))]
Agency = Annotated[str, BeforeValidator(one_of(vocab.AGENCIES))]
MassUnit = Annotated[str, BeforeValidator(one_of(vocab.MG_PER_UNIT))]
Direction = Annotated[str, BeforeValidator(one_of(vocab.DIRECTIONS))]
SourceKind = Annotated[str, BeforeValidator(one_of(vocab.SOURCE_KINDS))]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Source(Record):
    """A document we cite: where a claim or a figure was read."""

    id: Slug
    kind: SourceKind
    publisher: Text
    title: Headline | None = None  # the headline as published; left out where it was not recorded
    url: Url
    published: PartialDate
    accessed: IsoDate
    url_seen: Flag = True
    republished_by: Text | None = None
    republished_url: Url | None = None
    note: Text | None = None


class Claim(Record):
    """One quantitative statement as printed, with what it measures and whom it cites."""

    id: Slug
    quote: Text
    metric: Metric
    substance: Substance
    value: Number
    unit: Unit
    qualifier: Qualifier
    period_start: IsoDate | None = None
    period_end: IsoDate | None = None
    geography: Geography | None = None
    cbp_area: Text | None = None  # a CBP region or Area of Responsibility as CBP's file names it; absent: nationwide
    claimant: Text
    attributed_to: Text
    source: SourceRef
    claimed_on: IsoDate | None = None
    seized_by: Agency | None = None
    relative_to: Substance | None = None
    per: MassUnit | None = None
    compared_to_start: IsoDate | None = None
    compared_to_end: IsoDate | None = None
    direction: Direction | None = None  # up or down, for a change claim (vocab.CHANGE_METRICS)
    notes: Text | None = None
    county_fips: CountyFips | None = None  # the county a death count is about (CDC's county series); absent: the state's
    rate_basis: RateBasis | None = None  # a death rate's basis; absent: age-adjusted, as CDC and NCHS publish rates


class Statement(Record):
    """A non-numeric statement by an official that bears on the figures (e.g. a denial)."""

    id: Slug
    speaker: Text
    role: Text
    said_on: PartialDate
    quote: Text
    language_note: Text | None = None
    source: SourceRef
    bears_on: Annotated[list[str], BeforeValidator(_list_of(one_of(vocab.METRICS)))]
    notes: Text | None = None


class ReferenceValue(Record):
    """An official constant, final count or death rate, copied from a line of figures-from-text/figures.csv."""

    id: Slug
    figures_csv_line: Annotated[int, BeforeValidator(lambda v: _positive_int(v))]
    figure: Text
    metric: Metric
    substance: Substance
    relative_to: Substance | None = None
    value: Number
    unit: Unit
    rate_basis: RateBasis | None = None  # a death rate's basis, as its figures.csv unit says it
    period: Text
    period_start: IsoDate | None = None
    period_end: IsoDate | None = None
    geography: Geography | None = None
    quote: Text
    source_title: Text
    source_url: Url
    url_seen: Flag
    publisher: Text
    published: PartialDate
    read_at: Text
    primary_or_secondary: Text


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _fail("int", "expected a line number (a whole number from 1), got {got}", got=_describe(value))
    return value


def reference_rules(ref: ReferenceValue) -> list[tuple[str, str]]:
    """Rules that tie a reference value's fields together, as (field, message) pairs."""
    problems = _unit_rule(ref.metric, ref.unit) + _range_rule(ref.value, ref.unit)
    if (ref.metric == "potency_ratio") != (ref.relative_to is not None):
        problems.append(("relative_to", "required for a potency_ratio and only for one"))
    if (ref.metric == "death_rate") != (ref.rate_basis is not None):
        problems.append(("rate_basis", "required for a death_rate and only for one (age_adjusted or crude)"))
    return problems


LIST_FIELDS = frozenset({"bears_on", "areas", "urls"})  # bears_on: statements; areas, urls: cbp_places.yaml


def _unit_rule(metric: str, unit: str) -> list[tuple[str, str]]:
    allowed = vocab.METRICS[metric][1]
    return [] if unit in allowed else [("unit", f"{unit!r} is not a unit for {metric}; use one of: {', '.join(allowed)}")]


def _range_rule(value: float, unit: str) -> list[tuple[str, str]]:
    low, high = vocab.UNIT_RANGE[unit]
    if low <= value <= high:
        return []
    return [("value", f"{value:g} is outside the range of a figure in {unit}: {low:g} to {high:g}")]


CBP_AREA_METRICS = ("drug_seized", "seizure_change")

# A claim speaks of periods that had begun by the day it was made. Their ends may come later ("DEA seized 50 million
# pills in 2022", said on 2022-12-20), though never after today (see _iso_date).
_PERIOD_STARTS = ("period_start", "compared_to_start")


SHARE_METRICS = ("death_share", "lethal_pill_share")


def claim_rules(claim: Claim) -> list[tuple[str, str]]:
    """Rules that tie a claim's fields together, as (field, message) pairs."""
    problems = _unit_rule(claim.metric, claim.unit) + _range_rule(claim.value, claim.unit)
    if claim.claimed_on is not None:
        for name in _PERIOD_STARTS:
            day = getattr(claim, name)
            if day is not None and day > claim.claimed_on:
                problems.append(
                    (name, f"{day.isoformat()} is after the claim was made (claimed_on {claim.claimed_on.isoformat()})")
                )
    for field in vocab.METRIC_REQUIRES.get(claim.metric, ()):
        if getattr(claim, field) is None:
            problems.append((field, f"required for a {claim.metric} claim"))
    for start, end in (("period_start", "period_end"), ("compared_to_start", "compared_to_end")):
        lo, hi = getattr(claim, start), getattr(claim, end)
        if (lo is None) != (hi is None):
            missing = start if lo is None else end
            problems.append((missing, f"{start} and {end} go together; {missing} is missing"))
        elif lo is not None and hi < lo:
            problems.append((end, f"{hi.isoformat()} is before {start} {lo.isoformat()}"))
    if claim.cbp_area is not None and (claim.metric not in CBP_AREA_METRICS or claim.seized_by != "CBP"):
        problems.append(
            ("cbp_area", "names a place in CBP's seizure file: only for a drug_seized or seizure_change claim seized_by CBP")
        )
    if claim.metric in SHARE_METRICS and claim.unit == "percent" and claim.value > 100:
        problems.append(("value", f"{claim.value:g} percent is more than the whole: a share is at most 100 percent"))
    if claim.direction is not None and claim.metric not in vocab.CHANGE_METRICS:
        problems.append(("direction", f"only for a change claim ({', '.join(vocab.CHANGE_METRICS)})"))
    if claim.compared_to_start is not None and claim.period_start is not None and claim.compared_to_end is not None:
        if claim.compared_to_end >= claim.period_start:  # "up 0% on itself": a change is measured from an earlier period
            problems.append(
                (
                    "compared_to_end",
                    f"the period compared with must end before the claim's period begins ({claim.period_start.isoformat()}); "
                    "a period is never compared with itself or a part of itself",
                )
            )
    if claim.rate_basis is not None and claim.metric != "death_rate":
        problems.append(("rate_basis", f"only a death_rate claim has a rate basis, not a {claim.metric} claim"))
    if claim.county_fips is not None and claim.metric != "overdose_deaths":
        problems.append(("county_fips", f"only an overdose_deaths claim is checked by county, not a {claim.metric} claim"))
    if claim.metric == "potency_ratio" and claim.relative_to == claim.substance:
        problems.append(("relative_to", "a substance cannot be compared with itself"))
    return problems
