"""Sources and method page: the documents cited, the raw files, and the verdict rules read from drugstats.verdicts.checks."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping

import pandas as pd

from drugstats import display, vocab
from drugstats.claims import safetext
from drugstats.official import cbp_places, nchs_final, provenance, queries, series, vsrr_county
from drugstats.verdicts import checks


def sources_in_order(sources: pd.DataFrame) -> pd.DataFrame:
    """Documents cited, as the Sources page lists them: by kind, publisher and date."""
    return sources.sort_values(["kind", "publisher", "published"], kind="stable").reset_index(drop=True)


def documents_markdown(sources: pd.DataFrame) -> str:
    """Every document cited, one paragraph each, as one markdown text: publisher, linked title, date, kind, when it
    was read, and the copy read or the URL inferred where so; labels escaped, links only to http(s) URLs."""
    documents = []
    for src in sources_in_order(sources).itertuples(index=False):
        line = (
            f"**{safetext.escape_markdown(src.publisher)}**, "
            + safetext.markdown_link(src.title if isinstance(src.title, str) and src.title else src.url, src.url)
            + f" ({safetext.escape_markdown(src.published)}; {safetext.escape_markdown(src.kind.replace('_', ' '))}). "
            + f"Accessed {src.accessed:%Y-%m-%d}."
        )
        if not src.url_seen:
            line += " The URL was inferred, not read."
        if isinstance(src.republished_by, str):
            line += " Read in a copy by " + safetext.markdown_link(src.republished_by, src.republished_url) + "."
        if isinstance(src.note, str):
            line += "  \n:gray[" + safetext.escape_markdown(src.note) + "]"
        documents.append(line)
    return "\n\n".join(documents)


def dataset_files(meta: provenance.DatasetMeta) -> pd.DataFrame:
    """An official dataset's raw files, one row each (sha256, rows, release), as the Sources page lists them."""
    files = pd.DataFrame([f.to_dict() for f in meta.files])
    files = files.drop(columns=[c for c in ("copied_from",) if c in files])
    # CBP does not date its files: an empty release cell, not "None" (release_basis says why).
    text = [c for c in files.columns if c != "rows"]
    files[text] = files[text].map(lambda value: "" if pd.isna(value) else str(value))
    return files


def release_rows(meta: provenance.DatasetMeta) -> pd.DataFrame:
    """The releases of a dataset held, newest first: as readers see the date, whether CDC stated it, the latest
    month it counts, its files and rows."""
    out = []
    for release in sorted({f.release for f in meta.files if f.release}, reverse=True):
        files = [f for f in meta.files if f.release == release]
        through = max((f.data_through for f in files if f.data_through), default="")
        out.append(
            {
                "release": meta.release_name(release),
                "date": "estimated" if meta.release_estimated(release) else "stated by the producer",
                "latest_month": f"{pd.Timestamp(through):%B %Y}" if through else "",
                "files": ", ".join(f.name for f in files),
                "rows": sum(f.rows for f in files),
            }
        )
    return pd.DataFrame(out, columns=["release", "date", "latest_month", "files", "rows"])


TOLERANCE_MEANINGS = {
    "exact": "rounding allowed either side of an exact number",
    "about": "how far 'about' may be from the official value, either side",
    "about_round": "the same for a round number with one significant digit ('about 30 percent'), which is rounded coarsely",
    "nearly": "how far below 'nearly' the official value may be",
    "headroom": "how far above 'more than' (or below 'less than') the official value may be before the claim understates "
    "(or overstates) it",
    "provisional": "rounding allowed when an exact count is set against CDC's provisional count, which the final count "
    "differs from a little",
}


def tolerance_rows(tolerances: checks.Tolerances) -> pd.DataFrame:
    """Each tolerance of the checks (every field of checks.Tolerances), its value as a percentage, and what it governs."""
    from dataclasses import fields as dataclass_fields

    return pd.DataFrame(
        [
            {
                "tolerance": f.name,
                "value": float(getattr(tolerances, f.name)),
                "percent": f"{float(getattr(tolerances, f.name)) * 100:g}%",
                "governs": TOLERANCE_MEANINGS.get(f.name, ""),
            }
            for f in dataclass_fields(tolerances)
        ]
    )


# 30,001 calls of checks.compare per case (about 25 ms); the Sources page asks for the same nine cases on every run.
@functools.lru_cache(maxsize=64)
def official_range(
    stated: float, qualifier: str, tolerances: checks.Tolerances = checks.DEFAULT_TOLERANCES, *, provisional: bool = False
) -> tuple[float, float]:
    """The official values checks.compare finds a stated value consistent with, found by asking compare itself."""
    step = stated / 20_000
    grid = [stated / 2 + i * step for i in range(30_001)]  # from half to twice the stated value
    ok = [v for v in grid if checks.compare(stated, qualifier, v, tolerances, provisional=provisional) == "consistent"]
    return (min(ok), max(ok)) if ok else (math.nan, math.nan)


# (qualifier, stated value, against a provisional count, when the row applies)
RULE_CASES = (
    *((q, 250.0, False, "") for q in vocab.QUALIFIERS),
    ("about", 300.0, False, "a round number with one significant digit"),
    ("exact", 250.0, True, "an exact count against CDC's provisional count"),
)


# What a qualifier is allowed, in words, by the tolerance it uses (checks.compare): the consistent range is wider than
# what the qualifier asserts, and a reader seeing 245.1 for "more than 250" should be told why. Placeholders: the
# stated value, the exact (rounding) allowance, and the tolerance of the qualifier.
SLACK = {
    "exact": "{v}, give or take the {exact} allowed for rounding, or any value that rounds or is cut to {v} at its last "
    "significant digit (two digits or more)",
    "about": "{v}, give or take {about}",
    "more_than": "above {v}, less the {exact} allowed for rounding; more than {headroom} above {v} and the claim understates it",
    "at_least": "{v} or above, less the {exact} allowed for rounding; more than {headroom} above {v} and the claim "
    "understates it",
    "nearly": "up to {nearly} below {v}, or above it by the {exact} allowed for rounding",
    "less_than": "below {v}, plus the {exact} allowed for rounding; {v} more than {headroom} above the official value "
    "and the claim overstates it",
    "up_to": "{v} or below, plus the {exact} allowed for rounding; {v} more than {headroom} above the official value "
    "and the claim overstates it",
}


def slack_text(stated: float, qualifier: str, tolerances: checks.Tolerances, *, provisional: bool = False) -> str:
    """The consistent range of a qualified number in words, with the allowance checks.compare gives it."""
    about = tolerances.about_round if checks.significant_digits(stated) == 1 else tolerances.about
    exact = max(tolerances.exact, tolerances.provisional) if provisional else tolerances.exact
    text = SLACK[qualifier].format(
        v=f"{stated:,g}",
        exact=f"{exact:.0%}",
        about=f"{about:.0%}",
        headroom=f"{tolerances.headroom:.0%}",
        nearly=f"{tolerances.nearly:.0%}",
    )
    if provisional and qualifier == "exact":
        text = text.replace("allowed for rounding", "allowed for the final count's revisions and rounding")
    if qualifier == "about" and about != tolerances.about:
        text += ": a one-digit number is rounded coarsely"
    return text


def verdict_rule_rows(tolerances: checks.Tolerances = checks.DEFAULT_TOLERANCES) -> pd.DataFrame:
    """For each qualifier, the official values a stated number is consistent with, as checks.compare decides."""
    rows = []
    for qualifier, stated, provisional, case in RULE_CASES:
        low, high = official_range(stated, qualifier, tolerances, provisional=provisional)
        rows.append(
            {
                "claim": f"{qualifier.replace('_', ' ')} {stated:g}".replace("exact ", ""),
                "case": case,
                "asserts": vocab.QUALIFIERS[qualifier]
                .replace("ABOUT_TOLERANCE", f"{vocab.ABOUT_TOLERANCE:.0%}")
                .replace("NEARLY_TOLERANCE", f"{vocab.NEARLY_TOLERANCE:.0%}"),
                "consistent_if_official": slack_text(stated, qualifier, tolerances, provisional=provisional),
                "consistent_if_official_from": round(low, 1),
                "consistent_if_official_to": round(high, 1),
            }
        )
    return pd.DataFrame(rows)


def cbp_state_rows(states: Mapping[str, cbp_places.StateAreas]) -> pd.DataFrame:
    """Which states CBP's areas make up (data/cbp_places.yaml): a state's seizure figure is checked only where exact."""
    rows = [
        {
            "state": display.place_name(s.geography.removeprefix("US-")),
            "areas": ", ".join(cbp_places.area_label(a) for a in s.areas),
            "checked": "yes" if s.exact else "no",
            "why": s.why,
            "known_from": s.known_from,
            "read_on": s.read_on.isoformat(),
        }
        for s in sorted(states.values(), key=lambda s: s.geography)
    ]
    return pd.DataFrame(rows, columns=["state", "areas", "checked", "why", "known_from", "read_on"])


# What each death series is, as the Sources page says it: final data are not provisional counts.
SERIES_STATUS = {
    series.CDC_VSRR: "provisional: 12-month counts, revised with every release",
    series.COUNTY: "provisional: 12-month counts by county, one release",
    **{dataset: "final: NCHS annual data (closed, not provisional)" for dataset in nchs_final.DATASETS},
    series.COUNTY_BANDS: "final data, model estimates in bands: context only, never a verdict",
}


def _years(years: pd.Series) -> str:
    """1999, 2005, 2014-2021: a set of years as runs."""
    runs: list[list[int]] = []
    for year in sorted({int(y) for y in years}):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _places(codes: pd.Series, *, up_to: bool = False) -> str:
    codes = set(codes)
    if codes == {"US"}:
        return display.place_name("US")
    return ("up to " if up_to else "") + f"{len(codes)} places" + (" incl. the US" if "US" in codes else "")


def coverage_rows(official: series.Series) -> pd.DataFrame:
    """What each death series held covers: provisional or final, which measure, drugs, places and periods."""
    out = []
    deaths = queries.latest_release(official.overdose_deaths)
    for substance, rows in deaths.groupby("substance", sort=False):
        counted = rows[rows["deaths_reported"].notna()]
        if counted.empty:
            continue
        out.append(
            {
                "series": series.CDC_VSRR,
                "status": SERIES_STATUS[series.CDC_VSRR],
                "measure": "deaths in 12 months (reported, predicted)",
                "drug": display.substance_label(substance),
                "places": _places(counted["geography"], up_to=True),
                "covers": f"12 months ending {counted['period_end'].min():%B %Y} to {counted['period_end'].max():%B %Y}",
            }
        )
    final = official.final_deaths
    for (dataset, substance), rows in final.groupby(["dataset", "substance"], sort=False):
        for column, words in (("deaths", "deaths"), ("rate_age_adjusted", "age-adjusted rate"), ("rate_crude", "crude rate")):
            held = rows[rows[column].notna()]
            if held.empty:
                continue
            out.append(
                {
                    "series": dataset,
                    "status": SERIES_STATUS[dataset],
                    "measure": f"{words} in a calendar year",
                    "drug": display.substance_label(substance),
                    "places": _places(held["geography"]),
                    "covers": _years(held["year"]),
                }
            )
    county = official.county_deaths
    if len(county):
        status = county["count_status"].value_counts()
        shown = ", ".join(f"{status.get(s, 0):,} {s}" for s in vsrr_county.STATUSES)
        out.append(
            {
                "series": series.COUNTY,
                "status": SERIES_STATUS[series.COUNTY],
                "measure": f"deaths in 12 months by county ({shown}; a missing count is never zero)",
                "drug": display.substance_label("all_drugs"),
                "places": f"{county['county_fips'].nunique():,} counties",
                "covers": f"12 months ending {county['period_end'].min():%B %Y} to {county['period_end'].max():%B %Y}",
            }
        )
    bands = official.county_rate_bands
    if len(bands):
        out.append(
            {
                "series": series.COUNTY_BANDS,
                "status": SERIES_STATUS[series.COUNTY_BANDS],
                "measure": "age-adjusted rate by county in a calendar year, as a 2-unit band (6-7.9, 30+)",
                "drug": display.substance_label("all_drugs"),
                "places": f"{bands['county_fips'].nunique():,} counties",
                "covers": _years(bands["year"]),
            }
        )
    return pd.DataFrame(out, columns=["series", "status", "measure", "drug", "places", "covers"])
