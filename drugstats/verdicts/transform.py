"""Tidy frames of the curated records: canonical units, qualifier bounds, periods as dates (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import pandas as pd

from drugstats import vocab
from drugstats.claims.models import Claim, Source, Statement
from drugstats.official import fields

if TYPE_CHECKING:
    from drugstats.verdicts.checks import Verdict


def frame_for(table: str, rows: list[dict]) -> pd.DataFrame:
    """A frame with exactly the declared columns of `table`, typed from their declaration."""
    frame = pd.DataFrame(rows, columns=fields.columns(table))
    for f in fields.TABLES[table]["fields"]:
        column = frame[f.name]
        if f.type == "number":
            frame[f.name] = pd.to_numeric(column, errors="raise").astype("Float64")
        elif f.type == "integer":
            frame[f.name] = pd.to_numeric(column, errors="raise").astype("Int64")
        elif f.type == "date":
            frame[f.name] = pd.to_datetime(column, errors="raise")
        elif f.type == "boolean":
            frame[f.name] = column.astype("boolean")
        else:
            frame[f.name] = column.astype("string")
    return frame


def claim_row(claim: Claim, sources: Mapping[str, Source]) -> dict:
    """One claim as a flat row: canonical value, bounds from the qualifier, its citation."""
    low, high = vocab.bounds(claim.value, claim.qualifier)
    canonical = vocab.canonical_unit(claim.metric, claim.unit)

    def convert(v: float | None) -> float | None:
        return None if v is None else vocab.to_canonical(v, claim.unit, claim.metric)

    source = sources.get(claim.source)
    row = claim.model_dump()
    row.pop("source")
    row.update(
        value_low=convert(low),
        value_high=convert(high),
        value_canonical=convert(claim.value),
        unit_canonical=canonical,
        source_id=claim.source,
        source_title=source.title if source else None,
        source_publisher=source.publisher if source else None,
        source_url=source.url if source else claim.source,
        source_published=source.published if source else None,
    )
    if claim.metric == "deaths_per_mass" and claim.per:
        # "N deaths per `per`" becomes N per kg, so claims per gram and per kilogram compare.
        per_kg = vocab.MG_PER_UNIT["kg"] / vocab.MG_PER_UNIT[claim.per]
        for key in ("value_low", "value_high", "value_canonical"):
            if row[key] is not None:
                row[key] *= per_kg
        row["unit_canonical"] = f"{canonical}_per_kg"
    return row


def claims_frame(claims: Iterable[Claim], sources: Mapping[str, Source]) -> pd.DataFrame:
    return frame_for("claims", [claim_row(c, sources) for c in claims])


def statements_frame(statements: Iterable[Statement], sources: Mapping[str, Source]) -> pd.DataFrame:
    rows = []
    for statement in statements:
        row = statement.model_dump()
        source = sources.get(row.pop("source"))
        row.update(
            bears_on="; ".join(statement.bears_on),
            source_id=statement.source,
            source_title=source.title if source else None,
            source_url=source.url if source else statement.source,
        )
        rows.append(row)
    return frame_for("statements", rows)


def sources_frame(sources: Iterable[Source]) -> pd.DataFrame:
    rows = [dict(s.model_dump(), secondary_copy=s.republished_url is not None) for s in sources]
    return frame_for("sources", rows)


def claims_with_verdicts(claims: pd.DataFrame, verdicts: pd.DataFrame) -> pd.DataFrame:
    """Claims joined with their verdicts, one row per claim, with said_on (the claim's date, else its source's), newest
    first: what the Claims page lists and the scorecards count."""
    merged = claims.merge(verdicts, on="id", how="left", validate="one_to_one")
    when = merged["claimed_on"].dt.strftime("%Y-%m-%d").astype("string").fillna(merged["source_published"])
    merged.insert(1, "said_on", when)
    return merged.sort_values(["said_on", "id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def verdicts_frame(verdicts: Iterable[Verdict]) -> pd.DataFrame:
    """The verdicts table (drugstats.official.fields), one typed row per verdict of drugstats.verdicts.checks."""
    rows = []
    for v in verdicts:
        m = v.measure
        rows.append(
            {
                "id": v.claim_id,
                "verdict": v.verdict,
                "official_value": m.value if m else None,
                "official_unit": m.unit if m else None,
                "official_measure": m.label if m else None,
                "official_window": m.window if m else None,
                "official_release": m.release if m else None,
                # whether the date is ours, beside it: "2026-06-27" alone reads as CDC's own date
                "official_release_estimated": m.release_estimated if m and m.release else None,
                "official_release_name": m.release_name if m and m.release else None,
                "official_series": m.series if m else None,
                "official_kind": m.kind if m else None,
                "ratio": None if v.ratio is None else round(v.ratio, 4),
                "derivation": v.derivation or None,
                "revised_since": v.revised_since,
                "alternative_measure": v.alternative.label if v.alternative else None,
                "alternative_value": v.alternative.value if v.alternative else None,
                "verdict_at_claim": v.verdict_at_claim,
                "official_value_at_claim": v.measure_at_claim.value if v.measure_at_claim else None,
                "release_at_claim": v.measure_at_claim.release if v.measure_at_claim else None,
                "release_at_claim_estimated": v.measure_at_claim.release_estimated if v.measure_at_claim else None,
                "release_at_claim_name": v.measure_at_claim.release_name if v.measure_at_claim else None,
                "explanation": v.explanation,
            }
        )
    return frame_for("verdicts", rows)
