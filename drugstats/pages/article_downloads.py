"""Check an article page: its figures written out as a claims YAML file, a CSV and ClaimReview JSON-LD."""

from __future__ import annotations

from datetime import date
from typing import Any

from drugstats.claims import models, query
from drugstats.extract import report as extract_report
from drugstats.official import cbp_places, periods
from drugstats.pages import check as check_page
from drugstats.pages.article import ArticleCheck, ArticleView, blank
from drugstats.publish import charts, export
from drugstats.verdicts import transform


def file_stem(view: ArticleView) -> str:
    """The downloads' file name: "claims-<outlet>-<published>"."""
    return f"claims-{query.slug(view.outlet or 'article')}-{view.published.isoformat() if view.published else 'undated'}"


def to_yaml(result: ArticleCheck) -> str:
    """A claims file for data/claims/ that `drugstats validate` accepts, verdicts and unfinished figures as comments."""
    return extract_report.to_yaml([(result.source, result.items)])


def to_csv(result: ArticleCheck) -> str:
    return extract_report.to_csv([(result.source, result.items)])


def check_link(claim: models.Claim, view: ArticleView) -> str:
    """Where the dashboard shows this claim's check: the Check a figure page with its fields, when that page takes the
    claim as it is; else this page (the article's own text is not in its address)."""
    whole_months = claim.period_start is None or (
        claim.period_start.day == 1 and claim.period_end == periods.month_end(claim.period_end).date()
    )
    needs_period = claim.metric in ("overdose_deaths", "death_share", "drug_seized", "seizure_change")
    if claim.metric not in check_page.CHECK_METRICS or not whole_months or (needs_period and claim.period_start is None):
        return f"{export.SITE_URL}/{charts.page('article', view.query())}"
    d = check_page.CHECK_DEFAULTS
    vs = (claim.compared_to_start, claim.compared_to_end) if claim.compared_to_start else None
    reader = check_page.CheckView(
        metric=claim.metric,
        value=float(claim.value),
        unit=claim.unit,
        qualifier=claim.qualifier,
        substance=claim.substance,
        place=periods.jurisdiction(claim.geography),
        period=query.format_period((claim.period_start, claim.period_end)) if claim.period_start else d["period"],
        vs=query.format_period(vs),
        by=claim.seized_by or d["by"],
        rel=claim.relative_to or d["rel"],
        per=claim.per or d["per"],
        area=cbp_places.slug(claim.cbp_area) if claim.cbp_area else "",
    )
    return f"{export.SITE_URL}/{charts.page('check', reader.query())}"


def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if not blank(v)}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value


def to_claimreview(result: ArticleCheck, view: ArticleView, reviewed_on: date) -> str:
    """schema.org ClaimReview JSON-LD (drugstats.publish.export.claimreview) for each checked figure, each review's url the
    dashboard page that repeats its check."""
    checked = {item.claim.id: item for item in result.items if item.claim is not None and item.verdict is not None}
    document: dict[str, Any] = {"@context": "https://schema.org", "@graph": []}
    if checked:
        claims = transform.claims_frame([item.claim for item in checked.values()], {})
        claims["source_publisher"] = result.claimant
        verdicts = transform.verdicts_frame([item.verdict for item in checked.values()])
        document = export.claimreview(claims, verdicts, reviewed_on.isoformat())
        for review, item in zip(document["@graph"], checked.values(), strict=True):
            review["url"] = check_link(item.claim, view)
    return export.json_text(_without_none(document))
