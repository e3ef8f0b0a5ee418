"""/api/check: a figure's parameters read strictly (the Check a figure page's parsers, but no defaults), checked, as JSON.

The page falls back to a default for anything odd, so a shared link always shows a view; a script needs to know
that its number was not read, so here every parameter given must parse, the ones a metric's check turns on must be
given, and a problem names the parameter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pydantic

from drugstats import display
from drugstats.claims import models, query
from drugstats.official import cbp_places
from drugstats.pages import check as check_page
from drugstats.publish import export
from drugstats.verdicts import checks, transform
from drugstats.verdicts.pipeline import Build

PARAMS = ("metric", "value", "unit", "qualifier", "substance", "place", "period", "vs", "direction", "by", "rel", "per", "area")
ALWAYS_REQUIRED = ("metric", "value", "qualifier", "substance")
# Beyond those, what a metric's check turns on; unit and place default as on the page (any unit is converted; US).
REQUIRED_BY_METRIC = {
    "overdose_deaths": ("period",),
    "death_share": ("period",),
    "drug_seized": ("period", "by"),
    "seizure_change": ("period", "vs", "direction", "by"),
    "potency_ratio": ("rel",),
    "deaths_per_mass": ("per",),
    "lethal_pill_share": ("period",),
}
# The metrics a place turns: deaths and death rates by state, seizures by state (refused unless CBP's areas make
# the state up exactly) or by a CBP region or area (`area`); the others are national: DEA's values.
PLACE_METRICS = ("overdose_deaths", "death_share", "death_rate", "drug_seized", "seizure_change")
AREA_METRICS = ("drug_seized", "seizure_change")
PERIOD_FORMS = check_page.PERIOD_FORMS
# a claim field (drugstats.claims.models.Claim) -> the parameter it comes from
FIELD_PARAM = {
    "period_start": "period",
    "period_end": "period",
    "geography": "place",
    "seized_by": "by",
    "compared_to_start": "vs",
    "compared_to_end": "vs",
    "relative_to": "rel",
    "cbp_area": "area",
}


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


_parsers = check_page.param_rules


def parse(
    params: Mapping[str, Sequence[str]], places: Sequence[str], areas: Sequence[str] = ()
) -> check_page.CheckView | list[Problem]:
    """The view the Check a figure page would show for these parameters, or every problem with them; `areas` are the
    slugs of CBP's regions and areas (cbp_places.choices)."""
    problems = [Problem(name, "is not a parameter of /api/check; they are " + ", ".join(PARAMS)) for name in params]
    problems = [p for p in problems if p.field not in PARAMS]
    problems += [Problem(name, "is given more than once") for name, values in params.items() if len(values) > 1]
    raw_metric = params.get("metric")
    metric = query.parse_choice(raw_metric, check_page.CHECK_METRICS, None) if raw_metric else None
    for name, (parser, must) in _parsers(metric, places, areas).items():
        values = params.get(name)
        if values and len(values) == 1 and parser(values) is None:
            problems.append(Problem(name, f"{must}, not {values[0][:40]!r}"))
    required = ALWAYS_REQUIRED + (REQUIRED_BY_METRIC.get(metric, ()) if metric else ())
    problems += [Problem(name, "is required") for name in required if name not in params]
    if "area" in params and metric is not None and metric not in AREA_METRICS:
        problems.append(Problem("area", f"names a place in CBP's seizure file: only for {' or '.join(AREA_METRICS)}"))
    if problems:
        return problems
    return check_page.parse_check({name: values[0] for name, values in params.items()}, places, areas)


def claim_problems(view: check_page.CheckView) -> list[Problem]:
    """What stops the entry from being a claim (drugstats.claims.models), each named by the parameter it comes from."""
    try:
        claim = models.Claim(**check_page.reader_claim_fields(view))
    except pydantic.ValidationError as err:
        fields = [(str(e["loc"][0]) if e["loc"] else "metric", e["msg"]) for e in err.errors()]
    else:
        fields = list(models.claim_rules(claim))
    return [Problem(FIELD_PARAM.get(field, field), message) for field, message in fields]


def verdict_record(verdict: checks.Verdict) -> dict[str, Any]:
    """A verdict as verdicts.csv has it (without the claim id), its label, and the official figure's source."""
    record = export.json_records(transform.verdicts_frame([verdict]), "verdicts")[0]
    del record["id"]
    record["verdict_label"] = display.verdict_label(verdict.verdict)
    record["official_source"] = verdict.measure.citation if verdict.measure is not None and verdict.measure.citation else None
    return record


def used(view: check_page.CheckView) -> dict[str, str]:
    """The parameters the view's check reads, in their URL form: what the answer echoes and the dashboard link holds."""
    names = ALWAYS_REQUIRED + ("unit",) + REQUIRED_BY_METRIC.get(view.metric, ())
    if view.metric in PLACE_METRICS:
        names += ("place",)
    if view.metric in AREA_METRICS and view.area:
        names += ("area",)
    values = {name: getattr(view, name) for name in PARAMS if name in names}
    return {name: query.format_number(v) if isinstance(v, float) else str(v) for name, v in values.items()}


def dashboard_link(site_url: str, view: check_page.CheckView) -> str:
    """The Check a figure page showing the same check, every parameter written out."""
    return f"{site_url}/check?{urlencode(used(view), safe='/')}"


def check(build: Build, params: Mapping[str, Sequence[str]], places: Sequence[str], site_url: str) -> tuple[int, dict]:
    """(status, JSON document) of /api/check: 200 with the verdict, 400 naming each bad parameter, or 422 when the
    figure is valid but no rule of drugstats.verdicts.checks takes it."""
    view = parse(params, places, list(cbp_places.choices(build.official.seizures)))
    if isinstance(view, list):
        return 400, error_document(view)
    problems = claim_problems(view)
    if problems:
        return 400, error_document(problems)
    result = check_page.reader_check(build, view, draw=False)
    if result.verdict is None:
        return 422, {
            "error": "drugstats has no rule to check this combination of metric, unit, drug and period",
            "dashboard": dashboard_link(site_url, view),
        }
    return 200, {
        **verdict_record(result.verdict),
        "query": used(view),
        "dashboard": dashboard_link(site_url, view),
        "reviewed_on": build.reviewed_on,
    }


MAX_PROBLEMS = 20  # a request with a thousand unknown parameters gets a short answer, not a thousand lines


def error_document(problems: Sequence[Problem]) -> dict[str, Any]:
    """A 400's body: the first problem in a sentence, its parameter, and the problems (at most MAX_PROBLEMS; how many
    more there were, when there were)."""
    first = problems[0]
    document: dict[str, Any] = {
        "error": f"{first.field}: {first.message}",
        "field": first.field,
        "problems": [{"field": p.field, "message": p.message} for p in problems[:MAX_PROBLEMS]],
    }
    if len(problems) > MAX_PROBLEMS:
        document["problems_not_listed"] = len(problems) - MAX_PROBLEMS
    return document
