"""Check a figure page: a reader's number, validated as a claim, checked like any claim and drawn."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pydantic

from drugstats import display, vocab
from drugstats.claims import models, query
from drugstats.publish import charts, claimplot
from drugstats.verdicts import checks, lookup, transform
from drugstats.verdicts.pipeline import Build

READER_SOURCE = "https://example.org/entered-by-a-reader"


CHECK_METRICS = tuple(m for m in vocab.METRICS if m in checks.CHECKERS)


CHECK_DEFAULTS: dict[str, Any] = {
    "metric": "overdose_deaths",
    "value": 105000.0,
    "unit": "people",
    "qualifier": "more_than",
    "substance": "fentanyl",
    "place": "US",
    "period": "2022-02/2023-01",
    "vs": "",
    "by": "CBP",
    "rel": "morphine",
    "per": "kg",
    "area": "",  # a CBP region or area of responsibility, by its slug (cbp_places.choices); "": the nation
    "direction": "up",
}


# Metrics whose drug is what CBP seized (its drug type), not a cause of death on a certificate (an ICD-10 code).
SEIZURE_METRICS = ("drug_seized", "seizure_change")


def drug_choices(metric: str) -> list[str]:
    """The drugs a check of `metric` offers: CBP's drug types for seizures (marijuana and khat included), every other
    substance otherwise (no drug only CBP's seizures count is among the death series)."""
    if metric in SEIZURE_METRICS:
        return [s for s in vocab.SUBSTANCES if s in vocab.SEIZED_DRUGS]
    return [s for s in vocab.SUBSTANCES if s not in vocab.SEIZURE_ONLY_SUBSTANCES]


def relative_choices() -> list[str]:
    """What a potency ratio is offered to be compared with: no substance only CBP's seizures count."""
    return [s for s in vocab.SUBSTANCES if s not in vocab.SEIZURE_ONLY_SUBSTANCES]


def drug_label(metric: str, substance: str) -> str:
    """A drug as the check's source names it: "Fentanyl" seized by CBP, "Fentanyl (synthetic opioids, T40.4)" in deaths."""
    if metric in SEIZURE_METRICS and substance in vocab.SEIZED_DRUGS:
        return display.drug_label(substance)
    return display.substance_label(substance)


@dataclass(frozen=True)
class CheckView:
    metric: str
    value: float
    unit: str
    qualifier: str
    substance: str
    place: str
    period: str  # URL form (parse_period)
    vs: str  # compared-to period, URL form, for changes
    by: str  # seized_by
    rel: str  # relative_to
    per: str
    area: str = ""  # seizures: a CBP region, field office or sector, by its slug; "": no area (the nation or a state)
    direction: str = "up"  # which way a change went (seizure_change): up or down

    def query(self) -> dict[str, str]:
        return query.query_from(self.__dict__, CHECK_DEFAULTS)


def parse_check(params: Mapping[str, Any], places: Sequence[str], areas: Mapping[str, str] | Sequence[str] = ()) -> CheckView:
    """The view in the URL; `areas` are the CBP areas a seizure may name, by slug (cbp_places.choices)."""
    d = CHECK_DEFAULTS
    metric = query.parse_choice(params.get("metric"), CHECK_METRICS, d["metric"])
    units = vocab.METRICS[metric][1]
    unit_default = d["unit"] if d["unit"] in units else units[0]
    period = query.parse_period(params.get("period"))
    vs = query.parse_period(params.get("vs"))
    return CheckView(
        metric=metric,
        value=query.parse_number(params.get("value"), d["value"]),
        unit=query.parse_choice(params.get("unit"), units, unit_default),
        qualifier=query.parse_choice(params.get("qualifier"), vocab.QUALIFIERS, d["qualifier"]),
        substance=query.parse_choice(params.get("substance"), vocab.SUBSTANCES, d["substance"]),
        place=query.parse_choice(params.get("place"), places, d["place"]),
        period=query.format_period(period) if period else d["period"],
        vs=query.format_period(vs) if vs else "",
        by=query.parse_choice(params.get("by"), vocab.AGENCIES, d["by"]),
        rel=query.parse_choice(params.get("rel"), vocab.SUBSTANCES, d["rel"]),
        per=query.parse_choice(params.get("per"), vocab.MG_PER_UNIT, d["per"]),
        area=query.parse_choice(params.get("area"), list(areas), d["area"]) if metric in SEIZURE_METRICS else "",
        direction=query.parse_choice(params.get("direction"), vocab.DIRECTIONS, d["direction"]),
    )


PARAMS = tuple(CHECK_DEFAULTS)
PERIOD_FORMS = "a year (2021), a fiscal year (fy2022) or months (2022-02/2023-01), the start before the end"


def _choice(allowed: Sequence[str]) -> tuple[Any, str]:
    return (lambda raw: query.parse_choice(raw, allowed, None)), "must be one of " + ", ".join(allowed)


def param_rules(metric: str | None, places: Sequence[str], areas: Sequence[str] = ()) -> dict[str, tuple[Any, str]]:
    """Each parameter's strict parser (None: not read) and what it must be (`areas`: the CBP area slugs): the page's
    parsers without their defaults, shared by /api/check (drugstats.site.apicheck), which refuses what the page falls
    back from."""
    units = vocab.METRICS[metric][1] if metric else tuple(u for m in CHECK_METRICS for u in vocab.METRICS[m][1])
    return {
        "metric": _choice(CHECK_METRICS),
        "value": (
            lambda raw: query.parse_number(raw, None),
            "must be a plain positive number such as 105000 or 2.5 (no sign, thousands separator or exponent)",
        ),
        "unit": _choice(tuple(dict.fromkeys(units))),
        "qualifier": _choice(tuple(vocab.QUALIFIERS)),
        "substance": _choice(tuple(vocab.SUBSTANCES)),
        "place": _choice(tuple(places)),
        "period": (query.parse_period, f"must be {PERIOD_FORMS}"),
        "vs": (query.parse_period, f"must be {PERIOD_FORMS}"),
        "direction": _choice(vocab.DIRECTIONS),
        "by": _choice(vocab.AGENCIES),
        "rel": _choice(tuple(vocab.SUBSTANCES)),
        "per": _choice(tuple(vocab.MG_PER_UNIT)),
        "area": _choice(tuple(areas)),
    }


def ignored(params: Mapping[str, Any], places: Sequence[str], areas: Sequence[str] = ()) -> list[tuple[str, str]]:
    """The parameters of the address the page does not read, each with what it must be (never the value sent, which
    may be anything): the page shows its default instead and says so."""
    raw_metric = params.get("metric")
    metric = query.parse_choice(raw_metric, CHECK_METRICS, None) if raw_metric else None
    out = []
    for name, (parser, must) in param_rules(metric, places, areas).items():
        raw = params.get(name)
        if raw is None or raw == "" and name == "vs":
            continue
        if parser(raw) is None:
            out.append((name, must))
    return out + _not_offered(params, metric)


def _not_offered(params: Mapping[str, Any], metric: str | None) -> list[tuple[str, str]]:
    """A drug the address names that the page does not offer for its metric (marijuana deaths, all drugs seized): the
    page shows its first drug instead, and says so, never checking another drug in silence."""
    metric = metric or CHECK_DEFAULTS["metric"]
    out = []
    for name, offered, applies in (
        ("substance", drug_choices(metric), True),
        ("rel", relative_choices(), metric == "potency_ratio"),
    ):
        named = query.parse_choice(params.get(name), vocab.SUBSTANCES, None)
        if applies and named is not None and named not in offered:
            out.append((name, f"for {display.metric_label(metric).lower()}, one of " + ", ".join(offered)))
    return out


def reader_claim_fields(view: CheckView) -> dict[str, Any]:
    """The fields of a drugstats.claims.models.Claim for the reader's figure; what the metric does not use is left out."""
    fields: dict[str, Any] = {
        "id": "reader-figure",
        "quote": f"{view.qualifier.replace('_', ' ')} {query.format_number(view.value)} {view.unit} (entered by a reader)",
        "metric": view.metric,
        "substance": view.substance,
        "value": view.value,
        "unit": view.unit,
        "qualifier": view.qualifier,
        "claimant": "A reader",
        "attributed_to": "the reader",
        "source": READER_SOURCE,
    }
    period = query.parse_period(view.period)
    if period is not None and view.metric not in ("lethal_dose", "potency_ratio", "pill_content", "deaths_per_mass"):
        fields["period_start"], fields["period_end"] = period
        fields["geography"] = "US" if view.place == "US" else f"US-{view.place}"
    if view.metric in ("drug_seized", "seizure_change"):
        fields["seized_by"] = view.by
        if view.area:  # the slug's words: the check finds CBP's region or area whatever their case
            fields["cbp_area"] = view.area.replace("-", " ")
    if view.metric == "seizure_change":
        vs = query.parse_period(view.vs)
        if vs is not None:
            fields["compared_to_start"], fields["compared_to_end"] = vs
        fields["direction"] = view.direction
    if view.metric == "potency_ratio":
        fields["relative_to"] = view.rel
    if view.metric == "deaths_per_mass":
        fields["per"] = view.per
    return fields


@dataclass(frozen=True)
class ReaderCheck:
    """A reader's figure checked like any claim: why it cannot be checked, or its verdict and chart (no problems and
    no verdict: valid, but no rule of drugstats.verdicts.checks takes the combination)."""

    problems: tuple[str, ...] = ()  # what to fix in the entry, each "Field: message"
    verdict: checks.Verdict | None = None
    figure: charts.Figure | None = None


_ENTRY_FIELDS = {"value": "Number", "period_end": "Period", "period_start": "Period", "unit": "Unit"}


def reader_check(build: Build, view: CheckView, draw: bool = True) -> ReaderCheck:
    """Check a figure: the entry of the view validated as a claim, checked against the build's record, and drawn
    unless draw is False (the JSON API: drawing is nine tenths of the work and it shows no chart)."""
    try:
        claim = models.Claim(**reader_claim_fields(view))
    except pydantic.ValidationError as err:
        return ReaderCheck(
            problems=tuple(f"{_ENTRY_FIELDS.get(str(e['loc'][0]), str(e['loc'][0]))}: {e['msg']}" for e in err.errors())
        )
    problems = tuple(f"{field.replace('_', ' ')}: {message}" for field, message in models.claim_rules(claim))
    if problems:
        return ReaderCheck(problems=problems)
    row = transform.claims_frame([claim], {}).iloc[0]
    try:
        verdict = checks.check_claim(row, build.record)
    except (ValueError, LookupError, TypeError, ArithmeticError):
        return ReaderCheck()  # valid, but no rule of drugstats.verdicts.checks takes this combination
    figure = claimplot.checked(build, row, verdict, charts.page("check", view.query())) if draw else None
    return ReaderCheck(verdict=verdict, figure=figure)


def lookup_rows(figures: pd.DataFrame, view: CheckView) -> pd.DataFrame:
    """Official figures near the reader's number, in its unit (any metric, drug or place), nearest first."""
    matches = lookup.lookup(figures, view.value, unit=view.unit, limit=15)
    return lookup.frame(matches).drop(columns=["metric", "substance"])
