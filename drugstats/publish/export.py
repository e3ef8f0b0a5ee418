"""Cleaned CSVs, a Frictionless datapackage.json and the download bundle (zip)."""

from __future__ import annotations

import datetime
import io
import json
import math
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd

from drugstats import __version__, display
from drugstats.claims import safetext
from drugstats.official import fields
from drugstats.publish import cite
from drugstats.verdicts import pipeline
from drugstats.verdicts.pipeline import Build

LICENSE = {
    "name": "CC0-1.0",
    "path": "https://creativecommons.org/publicdomain/zero/1.0/",
    "title": "CC0 1.0: the curation is dedicated to the public domain; US federal data is public domain; "
    "quotes are short excerpts for criticism and comment",
}
# Where the dashboard is served; ClaimReview URLs point at each claim's page there.
SITE_URL = os.environ.get("DRUGSTATS_SITE_URL", "http://localhost:8501").rstrip("/")


def neutralize(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula, or that hold a carriage return, made inert by
    drugstats.claims.safetext.inert_cell (the one rule every CSV writer follows); numbers stay numbers."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if isinstance(column.dtype, pd.StringDtype) or column.dtype == object:
            text = column.astype("string")
            risky = (text.str.startswith(safetext.FORMULA_START) | text.str.contains("\r", regex=False)).fillna(False)
            if risky.any():
                out[name] = text.mask(risky, text[risky].map(safetext.inert_cell))
    return out


def _round(column: pd.Series, decimals: int) -> pd.Series:
    return pd.to_numeric(column).astype("float64").round(decimals)


def rounded(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The frame with each number column that declares decimals (drugstats.official.fields) rounded to them.

    Float arithmetic leaves digits no source has (0.23840999980007158 kg for CBP's 0.23841): a reader would take them
    for precision. Rounding happens here, on the way out; the checks ran on the unrounded values.
    """
    places = {name: n for name, n in fields.decimals(table).items() if name in frame.columns}
    return frame.assign(**{name: _round(frame[name], n) for name, n in places.items()}) if places else frame


def _positional(value: float) -> str | None:
    # 2e-05 as 0.00002: the digits a rounded value has, not a power of ten
    return np.format_float_positional(value, unique=True, trim="0") if math.isfinite(value) else None


def to_csv_bytes(frame: pd.DataFrame, table: str | None = None) -> bytes:
    """The one way a table becomes CSV, for files, download buttons and the bundle alike.

    table: the declared table (drugstats.official.fields) the frame holds; its number columns are written rounded to their
    declared decimals, as json_records gives them. Without one (a page's download of joined or filtered rows), each
    column declared anywhere is rounded as declared there.
    """
    out = neutralize(frame)
    for name, n in (fields.decimals(table) if table is not None else fields.decimals_by_column()).items():
        if name in out.columns:  # after neutralize, which would take -0.5 written as text for a formula
            out[name] = _round(out[name], n).map(_positional)
    return out.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\n").encode("utf-8")


def _json_cell(kind: str):
    """How a cell of a declared type becomes JSON (fields.Field.type); a missing value is null."""

    def convert(value):
        if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and not math.isfinite(value)):
            return None
        if kind == "integer":
            return int(value)
        if kind == "number":
            number = float(value)
            return number if math.isfinite(number) else None
        if kind == "boolean":
            return bool(value)
        if kind == "date" and isinstance(value, pd.Timestamp | datetime.date):
            return value.strftime("%Y-%m-%d")
        return str(value)

    return convert


def json_records(frame: pd.DataFrame, table: str) -> list[dict]:
    """A table's rows as JSON objects, each value typed as its column is declared (drugstats.official.fields), missing as null,
    numbers rounded as declared (the CSV's values)."""
    frame = rounded(frame, table)
    columns = {}
    for spec in fields.TABLES[table]["fields"]:
        convert = _json_cell(spec.type)
        columns[spec.name] = [convert(v) for v in frame[spec.name].astype(object)]
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)] if names else []


def to_json_bytes(frame: pd.DataFrame, table: str) -> bytes:
    """The one way a table becomes JSON: an array of records (json_records), UTF-8, no NaN or Infinity."""
    return json.dumps(json_records(frame, table), ensure_ascii=False, allow_nan=False).encode("utf-8")


def datapackage(frames: Mapping[str, pd.DataFrame], sources: pd.DataFrame) -> dict:
    """A Frictionless data package descriptor for the given tables."""
    resources = []
    for name, frame in frames.items():
        spec = fields.TABLES[name]
        schema: dict = {"fields": [f.frictionless() for f in spec["fields"]]}
        if spec["primary_key"]:
            schema["primaryKey"] = spec["primary_key"]
        if "source_id" in frame.columns and "sources" in frames:
            schema["foreignKeys"] = [{"fields": "source_id", "reference": {"resource": "sources", "fields": "id"}}]
        if name == "verdicts" and "claims" in frames:
            schema["foreignKeys"] = [{"fields": "id", "reference": {"resource": "claims", "fields": "id"}}]
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "title": spec["title"],
                "description": spec["description"],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    return {
        "name": "drugstats",
        "title": "drugstats: drug-policy figures in the news, checked against the official record",
        "version": __version__,
        "homepage": SITE_URL,
        "licenses": [LICENSE],
        "sources": [{"title": cite.published_in(row.publisher, row.title), "path": row.url} for row in sources.itertuples()],
        "resources": resources,
    }


def json_text(document: Any) -> str:
    """JSON safe to embed in a <script type="application/ld+json"> element: `</` written `<\\/` and `<!--` `<\u0021--`,
    the same strings to a JSON reader, so no quote in the data can close or comment out the element."""
    text = json.dumps(document, indent=2, ensure_ascii=False).replace("</", "<\\/").replace("<!--", "<\\u0021--")
    return text + "\n"


def _json_bytes(document: dict) -> bytes:
    return json_text(document).encode("utf-8")


def _readme_url(link: Any) -> str:
    """An http(s) URL as written (markdown's and HTML's brackets percent-encoded); anything else as escaped text."""
    if link is None or (isinstance(link, float) and math.isnan(link)):
        return "no single URL"
    return safetext.safe_url(link) or safetext.escape_markdown_prose(link)


def bundle_readme(build: Build, frames: Mapping[str, pd.DataFrame]) -> str:
    """The bundle's README: what each file holds, the series' releases, how to cite, the license."""
    data_citation = cite.dataset(build.reviewed_on, SITE_URL)
    lines = [
        "# drugstats data bundle",
        "",
        f"{cite.TITLE}. Version {__version__}; claims reviewed against the record as of {build.reviewed_on}.",
        "",
        "## Files",
        "",
        "| file | rows | what it holds |",
        "|---|---|---|",
    ]
    for name, frame in frames.items():
        lines.append(f"| {name}.csv | {len(frame):,} | {fields.TABLES[name]['description']} |")
    lines += [
        "| datapackage.json | | Frictionless data package: every column's type, unit and meaning, sources, license |",
        "| claimreview.json | | schema.org ClaimReview JSON-LD, one review per claim, with its verdict |",
        "",
        "Text cells that a spreadsheet would run as a formula (starting with =, +, -, @) are prefixed with '.",
        "",
        "## Official series and their releases",
        "",
    ]
    md, url = safetext.escape_markdown_prose, _readme_url  # every text from the data is escaped: it is not markup
    for meta in build.official.datasets.values():
        lines.append(f"- **{md(meta.producer)}, {md(meta.title)}** ({url(meta.url)}); license: {md(meta.license)}")
        for raw in meta.files:
            release = md(raw.release or "not stated by the producer")
            lines.append(f"  - {md(raw.name)}: release {release}, {raw.rows:,} rows, sha256 {raw.sha256}")
    lines += [
        "",
        "CDC's VSRR counts are provisional and revised every month: cite the release date with any number.",
        "",
        "## How to cite",
        "",
        "The dataset:",
        "",
        f"> {data_citation.plain}",
        "",
        "```bibtex",
        data_citation.bibtex,
        "```",
        "",
        "Each source (also in sources.csv):",
        "",
    ]
    for row in frames["sources"].itertuples(index=False):
        note = f"Read in a republication by {md(row.republished_by)}: {url(row.republished_url)}" if row.secondary_copy else ""
        cited = cite.document(md(row.publisher), md(row.title), md(row.published), url(row.url), f"{row.accessed:%Y-%m-%d}", note)
        lines.append(f"- {cited.plain}")
    lines += ["", "## License", "", LICENSE["title"] + f" ({LICENSE['path']})", ""]
    return "\n".join(lines)


def bundle_files(build: Build) -> dict[str, bytes]:
    """File name -> content of the bundle: each CSV, datapackage.json, claimreview.json and a README."""
    frames = build.tables()
    files = {f"{name}.csv": to_csv_bytes(frame, name) for name, frame in frames.items()}
    files["datapackage.json"] = _json_bytes(datapackage(frames, frames["sources"]))
    files["claimreview.json"] = _json_bytes(
        claimreview(frames["claims"], frames["verdicts"], build.reviewed_on, frames["repeated_figures"])
    )
    files["README.md"] = bundle_readme(build, frames).encode("utf-8")
    return files


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    """A deterministic zip (fixed timestamps, sorted names) so the same data gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"drugstats/{name}", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def export_bundle(data_dir: Path, out: Path, zip_path: Path | None = None) -> list[Path]:
    """Write the bundle's files into `out` (and a zip of them to `zip_path`); return the paths written."""
    files = bundle_files(pipeline.build(data_dir))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files.items():
        path = out / name
        path.write_bytes(content)
        written.append(path)
    if zip_path is not None:
        zip_path.parent.mkdir(parents=True, exist_ok=True)
        zip_path.write_bytes(zip_bytes(files))
        written.append(zip_path)
    return written


def claim_path(claim_id: str) -> str:
    """The address of a claim's own page below the site's address: server-rendered, crawlable, and where its
    ClaimReview is published; its image is the same with .png."""
    return f"/claim/{quote(claim_id, safe='')}"


def claim_url(claim_id: str) -> str:
    """A claim's page at the site's address: the url of its ClaimReview (the page that carries the markup)."""
    return f"{SITE_URL}{claim_path(claim_id)}"


def claimreview(claims: pd.DataFrame, verdicts: pd.DataFrame, reviewed_on: str, repeated: pd.DataFrame | None = None) -> dict:
    """schema.org ClaimReview JSON-LD, one review per checked claim.

    A figure printed by several outlets (drugstats.verdicts.scorecards.repeats) lists every appearance, oldest first, and names
    the first; any other claim's one appearance is also its first.
    """
    works = {
        row.id: {
            "@type": "CreativeWork",
            "url": row.source_url,
            # the headline only where one was recorded: publisher, date and URL say the rest
            **({"headline": row.source_title} if isinstance(row.source_title, str) and row.source_title else {}),
            "publisher": {"@type": "Organization", "name": row.source_publisher},
            **({"datePublished": row.source_published} if isinstance(row.source_published, str) else {}),
        }
        for row in claims.itertuples(index=False)
    }
    appearances: dict[str, list[str]] = {}
    if repeated is not None and len(repeated):
        for _, group in repeated.groupby("figure_id", sort=False):
            ordered = [i for i in group.sort_values("appearance")["id"] if i in works]
            for claim_id in ordered:
                appearances[claim_id] = ordered
    merged = claims.merge(verdicts, on="id", how="inner", validate="one_to_one")
    reviews = []
    for row in merged.itertuples(index=False):
        rating = {
            "@type": "Rating",
            "alternateName": row.verdict,
            "ratingExplanation": row.explanation,
        }
        # schema.org ClaimReview ratings (drugstats.display): 5 best; unverifiable gets no number, only its name.
        score = display.VERDICTS[row.verdict].rating if row.verdict in display.VERDICTS else None
        if score is not None:
            rating.update(ratingValue=score, bestRating=5, worstRating=1)
        seen = appearances.get(row.id, [row.id])
        item = {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": row.claimant},
            "appearance": [works[i] for i in seen] if len(seen) > 1 else works[row.id],
            "firstAppearance": works[seen[0]],
        }
        published = row.claimed_on if pd.notna(row.claimed_on) else None
        if published is not None:
            item["datePublished"] = pd.Timestamp(published).date().isoformat()
        elif isinstance(row.source_published, str):
            item["datePublished"] = row.source_published
        reviews.append(
            {
                "@type": "ClaimReview",
                "url": claim_url(row.id),
                "datePublished": reviewed_on,
                "author": {"@type": "Organization", "name": "drugstats", "url": SITE_URL},
                "claimReviewed": row.quote,
                "itemReviewed": item,
                "reviewRating": rating,
            }
        )
    return {"@context": "https://schema.org", "@graph": reviews}
