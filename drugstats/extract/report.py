"""Extracted and checked candidates written out: a claims YAML file, a CSV, or a table for people (pure)."""

from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Sequence
from datetime import date

import yaml

from drugstats.claims import safetext
from drugstats.extract.check import PLACEHOLDER_HOST, Checked

CSV_COLUMNS = (
    "source", "id", "quote", "value_text", "value", "unit", "qualifier", "metric", "substance", "period_start",
    "period_end", "geography", "seized_by", "attributed_to", "claimant", "relative_to", "per", "verdict",
    "official_value", "official_unit", "ratio", "explanation", "missing", "county_fips", "cbp_area", "city",
    "direction", "rate_basis", "filled_from",
)  # fmt: skip
CLAIM_FIELDS = (
    "id", "quote", "metric", "substance", "value", "unit", "qualifier", "period_start", "period_end", "geography",
    "claimant", "attributed_to", "source", "claimed_on", "seized_by", "cbp_area", "relative_to", "per",
)  # fmt: skip


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:  # the validator refuses anchors and aliases
        return True


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _dump(record: dict) -> str:
    return yaml.dump([record], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100_000)


def _verdict_line(item: Checked) -> str:
    v = item.verdict
    if v is None:
        return "# verdict: not checked"
    parts = [f"# verdict: {v.verdict}"]
    if v.measure is not None:
        parts.append(f"official {v.measure.value:,.1f} {v.measure.unit}".replace(".0 ", " "))
    if v.ratio is not None:
        parts.append(f"ratio {v.ratio:.2f}")
    return "; ".join(parts)


def _filled(item: Checked) -> list[tuple[str, str]]:
    return [(k, v) for k, v in item.candidate.field_sources.items() if v != "stated"]


def to_yaml(batches: Sequence[tuple[str, Sequence[Checked]]]) -> str:
    """A claims file `drugstats validate` accepts as it is; incomplete candidates as comments saying what is missing."""
    out = [
        "# Claims extracted by `drugstats extract`: read each against its article before adding it to data/claims/.",
        "# Each claim's verdict is the comment above it; figures that are not claims yet are comments, with what is missing.",
    ]
    claims = 0
    for source, items in batches:
        out.append(f"\n# ---- {source}")
        if PLACEHOLDER_HOST in source:
            out.append(
                f"# source: {source.split('/')[-1]} has no URL; replace the placeholder `source` with the article's address"
            )
        if not items:
            out.append("# no drug figures found")
        for item in items:
            if item.claim is not None:
                record = {k: v for k, v in item.claim.model_dump().items() if k in CLAIM_FIELDS and v is not None}
                record["value"] = _number(record["value"])
                out.append(_verdict_line(item))
                filled = [f"{k} from the {v}" if v != "default" else f"{k} by default" for k, v in _filled(item)]
                if filled:
                    out.append("# read from the article, not its sentence: " + ", ".join(filled))
                if item.verdict is not None:
                    out.append("# " + item.verdict.explanation.replace("\n", " "))
                out.append(_dump({k: record[k] for k in CLAIM_FIELDS if k in record}).rstrip())
                claims += 1
            else:
                c = item.candidate
                why = f"{item.verdict.verdict}: {item.verdict.explanation}" if item.verdict else "; ".join(c.missing)
                head = "no official series measures it" if item.verdict else "not a claim yet"
                out.append(f"# {head} ({why}): {c.value_text!s} {c.unit} ({c.metric})")
                partial = {
                    k: getattr(c, k)
                    for k in (
                        "metric",
                        "substance",
                        "unit",
                        "qualifier",
                        "period_start",
                        "period_end",
                        "geography",
                        "seized_by",
                        "attributed_to",
                        "relative_to",
                        "per",
                    )
                }
                partial = {k: v for k, v in partial.items() if v is not None}
                partial = {"quote": c.quote, "value": _number(c.value), **partial}
                out.extend("#   " + line for line in _dump(partial).rstrip().splitlines())
    if claims == 0:
        out.append("[]  # no complete claims")
    return "\n".join(out) + "\n"


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def rows(batches: Sequence[tuple[str, Sequence[Checked]]]) -> list[dict[str, object]]:
    """One flat row per candidate, complete or not, in CSV_COLUMNS order."""
    table = []
    for source, items in batches:
        for item in items:
            c, v = item.candidate, item.verdict
            m = v.measure if v else None
            table.append(
                {
                    "source": source,
                    "id": item.claim.id if item.claim else "",
                    "quote": c.quote,
                    "value_text": c.value_text,
                    "value": _number(c.value),
                    "unit": c.unit,
                    "qualifier": c.qualifier,
                    "metric": c.metric,
                    "substance": c.substance or "",
                    "period_start": _iso(c.period_start),
                    "period_end": _iso(c.period_end),
                    "geography": c.geography or "",
                    "seized_by": c.seized_by or "",
                    "attributed_to": c.attributed_to or "",
                    "claimant": c.claimant or "",
                    "relative_to": c.relative_to or "",
                    "per": c.per or "",
                    "county_fips": c.county_fips or "",
                    "cbp_area": c.cbp_area or "",
                    "city": c.city or "",
                    "direction": c.direction or "",
                    "rate_basis": c.rate_basis or "",
                    # where a field came from when not its sentence: "period=article; geography=default"
                    "filled_from": "; ".join(f"{k}={v}" for k, v in c.field_sources.items() if v != "stated"),
                    "verdict": v.verdict if v else "",
                    "official_value": "" if m is None else round(m.value, 4),
                    "official_unit": "" if m is None else m.unit,
                    "ratio": "" if v is None or v.ratio is None else round(v.ratio, 4),
                    "explanation": v.explanation if v else "",
                    "missing": "; ".join(c.missing),
                }
            )
    return table


def to_csv(batches: Sequence[tuple[str, Sequence[Checked]]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows(batches):  # a quote starting "=HYPERLINK(" is text in a spreadsheet, as in `drugstats export`
        writer.writerow({k: safetext.inert_cell(v) if isinstance(v, str) else v for k, v in row.items()})
    return buffer.getvalue()


def to_table(batches: Sequence[tuple[str, Sequence[Checked]]]) -> str:
    """For people: each figure with its verdict, the fields read, and the sentence."""
    out = []
    for source, items in batches:
        out.append(f"{source}: {len(items)} figure(s), {sum(i.verdict is not None for i in items)} checked")
        for row in rows([(source, items)]):
            head = (row["verdict"] or "INCOMPLETE").upper()
            period = f"{row['period_start']} to {row['period_end']}" if row["period_start"] else "no period"
            fields = [row["metric"], row["substance"] or "?", f"{row['value_text']} {row['unit']}", period]
            fields += [f"{k} {row[k]}" for k in ("geography", "county_fips", "cbp_area", "city", "seized_by") if row[k]]
            fields += [f"{k} {row[k]}" for k in ("attributed_to", "relative_to", "per") if row[k]]
            fields += [f"(from the article: {row['filled_from']})"] if row["filled_from"] else []
            out.append(f"  {head:<14} {', '.join(str(f) for f in fields)}")
            detail = row["explanation"] or f"missing: {row['missing']}"
            out.append(textwrap.fill(str(detail), width=100, initial_indent=" " * 17, subsequent_indent=" " * 17))
            out.append(textwrap.fill(f'"{row["quote"]}"', width=100, initial_indent=" " * 17, subsequent_indent=" " * 18))
    return "\n".join(out) + "\n"


FORMATS = {"yaml": to_yaml, "csv": to_csv, "table": to_table}
