"""What the dashboard shows, decided without Streamlit: query parameters parsed into views, and the rows each view draws.

Pages call these pure functions and render what they return; charts draw the frames built here, so the
table under a chart is, by construction, exactly the rows the chart shows.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

import pandas as pd

from drugstats import checks, series, vocab
from drugstats.models import check_url

# ---------------------------------------------------------------------------------------------
# Query parameters: every value checked, anything odd falls back to the default, nothing echoed
# ---------------------------------------------------------------------------------------------

MAX_PARAM_CHARS = 200  # longer than any value we write; a longer one is not ours
_LIST_SEPARATOR = ","
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def single_value(raw: str | Sequence[str] | None) -> str | None:
    """The one value of a parameter, or None when absent, repeated, too long, or carrying control characters."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        values = list(raw)
        if len(values) != 1 or not isinstance(values[0], str):
            return None
        raw = values[0]
    if len(raw) > MAX_PARAM_CHARS or _CONTROL.search(raw):
        return None
    return raw


def parse_choice(raw: str | Sequence[str] | None, allowed: Iterable[str], default: str | None) -> str | None:
    """One of the allowed values, exactly as spelled, else the default."""
    value = single_value(raw)
    return value if value is not None and value in set(allowed) else default


def parse_multi(raw: str | Sequence[str] | None, allowed: Iterable[str], default: Sequence[str]) -> tuple[str, ...]:
    """A comma-separated list of allowed values (deduplicated, in the order given); the default if any item is unknown."""
    value = single_value(raw)
    if not value:
        return tuple(default)
    items = value.split(_LIST_SEPARATOR)
    allowed = set(allowed)
    if any(item not in allowed for item in items):
        return tuple(default)
    return tuple(dict.fromkeys(items))


_DECIMAL = re.compile(r"^[0-9]{1,13}(?:\.[0-9]{1,6})?$")


def parse_number(raw: str | Sequence[str] | None, default: float | None, *, maximum: float = 1e12) -> float | None:
    """A plain positive decimal (no sign, exponent, separators or words such as inf or nan), else the default."""
    value = single_value(raw)
    if value is None or not _DECIMAL.match(value):
        return default
    number = float(value)
    return number if math.isfinite(number) and 0 < number <= maximum else default


def parse_text(raw: str | Sequence[str] | None, *, max_chars: int = 100) -> str:
    """Free text for a search box: printable, at most max_chars, else empty."""
    value = single_value(raw)
    if value is None or len(value) > max_chars:
        return ""
    return unicodedata.normalize("NFC", value).strip()


def slug(text: str) -> str:
    """A URL-friendly name for a facet value such as a claimant ('NCHS (CDC)' -> 'nchs-cdc')."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def format_number(number: float) -> str:
    """A number as we write it in a URL: no exponent, no trailing zeros."""
    text = f"{number:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def query_from(values: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict[str, str]:
    """The query parameters of a view: only the values that differ from the defaults, lists comma-joined."""
    out = {}
    for key, value in values.items():
        if value == defaults.get(key) or value is None or value == () or value == "":
            continue
        if isinstance(value, tuple | list):
            out[key] = _LIST_SEPARATOR.join(value)
        elif isinstance(value, float):
            out[key] = format_number(value)
        else:
            out[key] = str(value)
    return out


# ---------------------------------------------------------------------------------------------
# Names for people: places, substances, drugs, verdicts
# ---------------------------------------------------------------------------------------------

PLACE_NAMES = {
    "US": "United States",
    "AK": "Alaska",
    "AL": "Alabama",
    "AR": "Arkansas",
    "AZ": "Arizona",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DC": "District of Columbia",
    "DE": "Delaware",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "IA": "Iowa",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "MA": "Massachusetts",
    "MD": "Maryland",
    "ME": "Maine",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MO": "Missouri",
    "MS": "Mississippi",
    "MT": "Montana",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "NE": "Nebraska",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NV": "Nevada",
    "NY": "New York (excluding New York City)",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "PR": "Puerto Rico",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VA": "Virginia",
    "VT": "Vermont",
    "WA": "Washington",
    "WI": "Wisconsin",
    "WV": "West Virginia",
    "WY": "Wyoming",
    "YC": "New York City",
}


def place_name(code: str) -> str:
    return PLACE_NAMES.get(code, code)


# Short names for legends and menus; what each id covers is in drugstats.vocab.SUBSTANCES.
SUBSTANCE_LABELS = {
    "all_drugs": "All drugs",
    "opioids": "Any opioid",
    "fentanyl": "Fentanyl (synthetic opioids, T40.4)",
    "heroin": "Heroin",
    "cocaine": "Cocaine",
    "methamphetamine": "Meth (psychostimulants, T43.6)",
    "prescription_opioids": "Prescription opioids (T40.2, T40.3)",
    "natural_semisynthetic_opioids": "Natural & semi-synthetic opioids",
    "methadone": "Methadone",
    "natural_semisynthetic_synthetic_opioids": "Opioids excl. heroin (T40.2-T40.4)",
    "benzodiazepines": "Benzodiazepines",
    "morphine": "Morphine",
}


def substance_label(substance: str) -> str:
    return SUBSTANCE_LABELS.get(substance, substance.replace("_", " ").capitalize())


def drug_label(drug: str) -> str:
    """CBP drug type for people: CBP's own spelling, from the vocabulary."""
    return vocab.SEIZED_DRUGS.get(drug, drug).split(" (")[0]


VERDICT_LABELS = {
    "consistent": "Consistent",
    "overstated": "Overstated",
    "understated": "Understated",
    "wrong_measure": "Wrong measure",
    "unverifiable": "Unverifiable",
}
VERDICT_MEANINGS = {
    "consistent": "The official record supports the number as qualified.",
    "overstated": "The number is higher than the official record allows.",
    "understated": "The number is lower than the official record allows.",
    "wrong_measure": "The number matches a different official measure from the one the claim names.",
    "unverifiable": "No official series in drugstats can settle it (no period, another agency, or no data).",
}


def verdict_label(verdict: str) -> str:
    return VERDICT_LABELS.get(verdict, verdict)


def metric_label(metric: str) -> str:
    return vocab.METRICS[metric][0] if metric in vocab.METRICS else metric


def unit_label(unit: str) -> str:
    return vocab.UNITS[unit][0] if unit in vocab.UNITS else unit


# ---------------------------------------------------------------------------------------------
# Safe text and links
# ---------------------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:<>&=^\"'])")


def escape_markdown(text: Any) -> str:
    """Text from the data, for st.markdown: every markup character escaped, so it shows as written."""
    text = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    text = _CONTROL.sub("", text).replace("\r", " ").replace("\n", " ")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def safe_url(url: Any) -> str | None:
    """The URL if it is an absolute http(s) URL (drugstats.models.check_url), percent-encoding markdown's brackets."""
    if not isinstance(url, str):
        return None
    try:
        check_url(url)
    except ValueError:
        return None
    return quote(url, safe=":/?#[]@!$&'*+,;=%-._~")  # keeps the URL, encodes ( ) < > " and spaces


def markdown_link(label: Any, url: Any) -> str:
    """A markdown link with an escaped label, or the escaped label alone when the URL is not http(s)."""
    href = safe_url(url)
    text = escape_markdown(label)
    return f"[{text}]({href})" if href else text


# ---------------------------------------------------------------------------------------------
# Citations
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    """Where a figure comes from: who, what, which release, and a link."""

    producer: str
    title: str
    release: str  # "release 2026-02-14", "releases 2026-02-14 and 2026-06-27", "data through December 2025"
    url: str | None

    @property
    def text(self) -> str:
        return f"{self.producer}, {self.title}, {self.release}"


def _releases_text(releases: Iterable[Any]) -> str:
    days = sorted({pd.Timestamp(r).date().isoformat() for r in releases if pd.notna(r)})
    if not days:
        return ""
    if len(days) == 1:
        return f"release of {days[0]}"
    return "releases of " + ", ".join(days[:-1]) + " and " + days[-1]


def dataset_citation(meta: series.DatasetMeta, releases: Iterable[Any] = ()) -> Citation:
    """The citation of an official dataset, naming the releases of the rows shown, or else what the files say."""
    release = _releases_text(releases)
    if not release and meta.release:
        release = f"release of {meta.release}"
    if not release:
        through = max((f.data_through for f in meta.files if f.data_through), default=None)
        retrieved = max(f.retrieved for f in meta.files)
        parts = []
        if through:
            parts.append(f"data through {pd.Timestamp(through):%B %Y}")
        parts.append(f"undated files retrieved {retrieved}")
        release = ", ".join(parts)
    return Citation(meta.producer, meta.title, release, safe_url(meta.url))


def reference_citation(row: Mapping[str, Any]) -> Citation:
    """The citation of a reference value (a row of the reference_values frame)."""
    return Citation(str(row["publisher"]), str(row["source_title"]), f"published {row['published']}", safe_url(row["source_url"]))


# ---------------------------------------------------------------------------------------------
# Overdose deaths
# ---------------------------------------------------------------------------------------------

DEATH_COUNTS = ("reported", "predicted")
DEATHS_DEFAULTS: dict[str, Any] = {
    "place": "US",
    "substance": ("all_drugs", "fentanyl"),
    "counts": DEATH_COUNTS,
    "scale": "linear",
}
SCALES = ("linear", "log")


@dataclass(frozen=True)
class DeathsView:
    place: str
    substance: tuple[str, ...]
    counts: tuple[str, ...]
    scale: str

    def query(self) -> dict[str, str]:
        return query_from(self.__dict__, DEATHS_DEFAULTS)


def death_places(deaths: pd.DataFrame) -> list[str]:
    """Jurisdictions with death counts: US first, then by name."""
    places = set(deaths["geography"].unique())
    return ["US", *sorted(places - {"US"}, key=place_name)] if "US" in places else sorted(places, key=place_name)


def death_substances(deaths: pd.DataFrame, place: str) -> list[str]:
    """Substances with counts for the place, in the vocabulary's order."""
    have = set(deaths.loc[deaths["geography"] == place, "substance"].unique())
    return [s for s in vocab.SUBSTANCES if s in have]


def parse_deaths(params: Mapping[str, Any], deaths: pd.DataFrame) -> DeathsView:
    place = parse_choice(params.get("place"), death_places(deaths), DEATHS_DEFAULTS["place"])
    available = death_substances(deaths, place)
    default = tuple(s for s in DEATHS_DEFAULTS["substance"] if s in available) or tuple(available[:1])
    return DeathsView(
        place=place,
        substance=parse_multi(params.get("substance"), available, default),
        counts=parse_multi(params.get("counts"), DEATH_COUNTS, DEATHS_DEFAULTS["counts"]),
        scale=parse_choice(params.get("scale"), SCALES, DEATHS_DEFAULTS["scale"]),
    )


def deaths_rows(deaths: pd.DataFrame, place: str, substances: Sequence[str], counts: Sequence[str]) -> pd.DataFrame:
    """12-month-ending counts from each window's newest release, for the place and substances, as charted."""
    rows = series.latest_release(deaths)
    rows = rows[(rows["geography"] == place) & rows["substance"].isin(substances) & (rows["window_months"] == 12)]
    order = {s: i for i, s in enumerate(substances)}
    rows = rows.assign(_order=rows["substance"].map(order)).sort_values(["_order", "period_end"], kind="stable")
    columns = ["period_end", "window_months", "geography", "substance", "indicator"]
    columns += [f"deaths_{c}" for c in DEATH_COUNTS if c in counts] + ["flag", "release"]
    return rows[columns].reset_index(drop=True)


def death_claim_markers(
    claims: pd.DataFrame, verdicts: pd.DataFrame, place: str, substances: Sequence[str], first: Any, last: Any
) -> pd.DataFrame:
    """Death-count claims for the place and substances whose period ends inside the charted span."""
    merged = claims.merge(verdicts[["id", "verdict", "explanation"]], on="id", how="left")
    geography = merged["geography"].fillna("US").map(lambda g: g.split("-", 1)[1] if g.startswith("US-") else g)
    keep = (
        (merged["metric"] == "overdose_deaths")
        & (geography == place)
        & merged["substance"].isin(substances)
        & merged["period_end"].notna()
        & (merged["period_end"] >= pd.Timestamp(first))
        & (merged["period_end"] <= pd.Timestamp(last) + pd.offsets.MonthEnd(0))
    )
    columns = ["id", "period_start", "period_end", "substance", "value", "unit", "value_canonical", "qualifier", "quote"]
    columns += ["claimant", "attributed_to", "claimed_on", "source_title", "source_url", "verdict", "explanation"]
    return merged.loc[keep, columns].sort_values(["period_end", "id"]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Seizures
# ---------------------------------------------------------------------------------------------

MASS_UNITS = ("lb", "kg")
REGION_SLUGS = {slug(r): r for r in series.CBP_REGIONS}
SEIZURES_DEFAULTS: dict[str, Any] = {
    "drug": ("fentanyl",),
    "component": tuple(vocab.CBP_COMPONENTS),
    "region": tuple(REGION_SLUGS),
    "unit": "lb",
    "ytd": "fentanyl",
}


@dataclass(frozen=True)
class SeizuresView:
    drug: tuple[str, ...]
    component: tuple[str, ...]
    region: tuple[str, ...]  # slugs of CBP's region names
    unit: str
    ytd: str

    def query(self) -> dict[str, str]:
        return query_from(self.__dict__, SEIZURES_DEFAULTS)

    @property
    def regions(self) -> list[str]:
        """CBP's region names for the selected slugs."""
        return [REGION_SLUGS[r] for r in self.region]

    @property
    def nationwide(self) -> bool:
        """True when every component and region is selected: the totals are CBP's nationwide ones."""
        return set(self.component) == set(vocab.CBP_COMPONENTS) and set(self.region) == set(REGION_SLUGS)


def parse_seizures(params: Mapping[str, Any]) -> SeizuresView:
    d = SEIZURES_DEFAULTS
    return SeizuresView(
        drug=parse_multi(params.get("drug"), vocab.SEIZED_DRUGS, d["drug"]),
        component=parse_multi(params.get("component"), vocab.CBP_COMPONENTS, d["component"]),
        region=parse_multi(params.get("region"), REGION_SLUGS, d["region"]),
        unit=parse_choice(params.get("unit"), MASS_UNITS, d["unit"]),
        ytd=parse_choice(params.get("ytd"), vocab.SEIZED_DRUGS, d["ytd"]),
    )


def _seizure_filters(view: SeizuresView) -> dict[str, list[str]]:
    return {"component": list(view.component), "region": view.regions}


def seizures_fy_rows(seizures: pd.DataFrame, view: SeizuresView) -> pd.DataFrame:
    """Totals per fiscal year and drug for the view's filters; partial_year marks CBP's FYTD year."""
    parts = []
    for drug in view.drug:
        frame = series.seizures_by_fiscal_year(seizures, drug=drug, **_seizure_filters(view))
        frame.insert(0, "drug", drug)
        parts.append(frame)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["drug", "fiscal_year"])
    drop = "seized_kg" if view.unit == "lb" else "seized_lb"
    return out.drop(columns=[drop], errors="ignore")


def seizures_month_rows(seizures: pd.DataFrame, view: SeizuresView) -> pd.DataFrame:
    """Totals per month and drug for the view's filters; months with no seizure of a drug count as zero."""
    rows = series.filter_seizures(seizures, drug=list(view.drug), **_seizure_filters(view))
    months = seizures[["month", "fiscal_year", "partial_year"]].drop_duplicates().sort_values("month")
    grid = months.merge(pd.DataFrame({"drug": list(view.drug)}), how="cross")
    sums = rows.groupby(["month", "drug"], as_index=False)[["events", "seized_lb", "seized_kg"]].sum()
    out = grid.merge(sums, on=["month", "drug"], how="left").fillna({"events": 0, "seized_lb": 0.0, "seized_kg": 0.0})
    out = out.astype({"events": "int64"})
    order = {d: i for i, d in enumerate(view.drug)}
    out = out.assign(_o=out["drug"].map(order)).sort_values(["_o", "month"]).drop(columns="_o")
    drop = "seized_kg" if view.unit == "lb" else "seized_lb"
    return (
        out[["month", "fiscal_year", "partial_year", "drug", "events", "seized_lb", "seized_kg"]]
        .drop(columns=drop)
        .reset_index(drop=True)
    )


FISCAL_MONTHS = tuple(m.title() for m in series.CBP_MONTHS)  # Oct .. Sep, as CBP abbreviates them


def seizures_ytd_rows(seizures: pd.DataFrame, view: SeizuresView) -> pd.DataFrame:
    """Cumulative quantity of the view's year-to-date drug from October of each fiscal year, month by month."""
    single = SeizuresView((view.ytd,), view.component, view.region, view.unit, view.ytd)
    rows = seizures_month_rows(seizures, single)
    rows = rows.sort_values("month")
    column = f"seized_{view.unit}"
    rows["fiscal_month"] = rows["month"].map(lambda m: FISCAL_MONTHS[(m.month - 10) % 12])
    rows["month_of_fy"] = rows["month"].map(lambda m: (m.month - 10) % 12 + 1)
    rows[f"cumulative_{column}"] = rows.groupby("fiscal_year")[column].cumsum()
    rows["cumulative_events"] = rows.groupby("fiscal_year")["events"].cumsum()
    columns = ["fiscal_year", "partial_year", "month_of_fy", "fiscal_month", "month", "drug", "events", column]
    return rows[columns + ["cumulative_events", f"cumulative_{column}"]].reset_index(drop=True)


def _fy_of(day: pd.Timestamp) -> int:
    return day.year + 1 if day.month >= 10 else day.year


def seizure_claim_markers(claims: pd.DataFrame, verdicts: pd.DataFrame, unit: str) -> pd.DataFrame:
    """CBP weight claims, in the view's unit, with where they can be drawn.

    chart is "fiscal_year" for a claim covering a whole fiscal year (drawn on the yearly bars and at
    September of the year-to-date chart), "ytd" for one covering October to a later month of the same
    fiscal year, and "" for one whose window neither chart can show.
    """
    merged = claims.merge(verdicts[["id", "verdict", "explanation", "official_value"]], on="id", how="left")
    keep = (merged["metric"] == "drug_seized") & (merged["seized_by"] == "CBP") & merged["unit"].isin(list(vocab.MG_PER_UNIT))
    rows = merged[keep].copy()

    def where(row: pd.Series) -> tuple[str, int | None, int | None]:
        start, end = row["period_start"], row["period_end"]
        if pd.isna(start) or start.month != 10 or start.day != 1 or (end + pd.Timedelta(days=1)).day != 1:
            return "", None, None
        if _fy_of(start) != _fy_of(end):
            return "", None, None
        month_of_fy = (end.month - 10) % 12 + 1
        return ("fiscal_year" if month_of_fy == 12 else "ytd"), _fy_of(end), month_of_fy

    placed = [where(r) for _, r in rows.iterrows()]
    rows["chart"] = [p[0] for p in placed]
    rows["fiscal_year"] = pd.array([p[1] for p in placed], dtype="Int64")
    rows["month_of_fy"] = pd.array([p[2] for p in placed], dtype="Int64")
    factor = [vocab.MG_PER_UNIT[u] / vocab.MG_PER_UNIT[unit] for u in rows["unit"]]
    rows[f"claimed_{unit}"] = rows["value"].astype("float64") * factor
    columns = ["id", "chart", "fiscal_year", "month_of_fy", "period_start", "period_end", "substance", "value", "unit"]
    columns += [f"claimed_{unit}", "qualifier", "quote", "claimant", "attributed_to", "claimed_on", "source_title", "source_url"]
    columns += ["verdict", "explanation"]
    return rows[columns].sort_values(["period_end", "id"]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Headline figures
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """A figure for the overview: what it is, its value, the window, a comparison, and its source."""

    label: str
    value: str
    window: str
    detail: str
    citation: Citation
    caveat: str = ""


def _us(deaths: pd.DataFrame, substance: str) -> pd.DataFrame:
    rows = series.latest_release(deaths)
    return rows[(rows["geography"] == "US") & (rows["substance"] == substance) & rows["deaths_reported"].notna()]


def latest_deaths_headline(official: series.Series) -> Headline:
    """The latest 12-month US overdose death count and how far it is from the peak of the same series."""
    rows = _us(official.overdose_deaths, "all_drugs").sort_values("period_end")
    last = rows.iloc[-1]
    peak = rows.loc[rows["deaths_reported"].astype("float64").idxmax()]
    change = (float(last["deaths_reported"]) / float(peak["deaths_reported"]) - 1) * 100
    caveat = ""
    if "underreported" in str(last["flag"]).lower():
        caveat = (
            f"CDC flags the latest months as underreported due to incomplete data; its count adjusted for reporting "
            f"delays (predicted) is {int(last['deaths_predicted']):,}."
        )
    return Headline(
        label="US overdose deaths in 12 months",
        value=f"{int(last['deaths_reported']):,}",
        window=f"12 months ending {last['period_end']:%B %Y} (provisional, reported)",
        detail=(
            f"{change:+.1f}% from the peak of {int(peak['deaths_reported']):,} in the 12 months ending {peak['period_end']:%B %Y}"
        ),
        citation=dataset_citation(official.datasets[series.CDC_VSRR], [last["release"]]),
        caveat=caveat,
    )


def fentanyl_share_headline(official: series.Series) -> Headline:
    """Share of US overdose deaths involving synthetic opioids (T40.4), both counts from one release and window."""
    deaths = official.overdose_deaths
    us = deaths[(deaths["geography"] == "US") & (deaths["window_months"] == 12) & deaths["deaths_reported"].notna()]
    both = us[us["substance"] == "fentanyl"].merge(
        us[us["substance"] == "all_drugs"], on=["period_end", "release"], suffixes=("_fentanyl", "_all")
    )
    # Newest release that has both, then its latest window: never a ratio of counts from two releases.
    newest = both[both["release"] == both["release"].max()].sort_values("period_end").iloc[-1]
    share = float(newest["deaths_reported_fentanyl"]) / float(newest["deaths_reported_all"]) * 100
    return Headline(
        label="Share involving fentanyl (T40.4)",
        value=f"{share:.1f}%",
        window=f"of US overdose deaths in the 12 months ending {newest['period_end']:%B %Y}",
        detail=(
            f"{int(newest['deaths_reported_fentanyl']):,} of {int(newest['deaths_reported_all']):,} deaths involved synthetic "
            "opioids other than methadone, mostly fentanyl; "
            "a death can involve several drugs, so shares by drug do not add up to 100%"
        ),
        citation=dataset_citation(official.datasets[series.CDC_VSRR], [newest["release"]]),
    )


def fentanyl_seizures_headline(official: series.Series, drug: str = "fentanyl") -> Headline:
    """CBP's nationwide seizures of a drug in the latest complete fiscal year, against the year before."""
    years = series.seizures_by_fiscal_year(official.seizures, drug=drug)
    full = years[~years["partial_year"] & (years["months"] == 12)].sort_values("fiscal_year")
    last, before = full.iloc[-1], full.iloc[-2]
    change = (last["seized_lb"] / before["seized_lb"] - 1) * 100
    partial = years[years["partial_year"]]
    caveat = ""
    if not partial.empty:
        p = partial.iloc[-1]
        caveat = f"FY{int(p['fiscal_year'])} to date ({int(p['months'])} months): {p['seized_lb']:,.0f} lb."
    return Headline(
        label=f"{drug_label(drug)} seized by CBP in a year",
        value=f"{last['seized_lb']:,.0f} lb",
        window=(
            f"nationwide in FY{int(last['fiscal_year'])} (October {int(last['fiscal_year']) - 1} to September "
            f"{int(last['fiscal_year'])}), the latest complete fiscal year"
        ),
        detail=(
            f"{last['seized_kg']:,.0f} kg; {change:+.1f}% on FY{int(before['fiscal_year'])} "
            f"({before['seized_lb']:,.0f} lb); {int(last['events']):,} seizure events"
        ),
        citation=dataset_citation(official.datasets[series.CBP_SEIZURES]),
        caveat=caveat,
    )


def verdict_counts(verdicts: pd.DataFrame) -> pd.DataFrame:
    """Claims per verdict, every verdict listed (zero included), in drugstats.checks' order."""
    counts = verdicts["verdict"].value_counts()
    return pd.DataFrame(
        {
            "verdict": list(checks.VERDICTS),
            "claims": [int(counts.get(v, 0)) for v in checks.VERDICTS],
            "meaning": [VERDICT_MEANINGS[v] for v in checks.VERDICTS],
        }
    )


# ---------------------------------------------------------------------------------------------
# Potency and the lethal-dose arithmetic
# ---------------------------------------------------------------------------------------------


def potency_rows(reference: pd.DataFrame, baseline: str = "morphine") -> pd.DataFrame:
    """Potency relative to morphine: morphine 1 by definition, each DEA ratio, and what two ratios imply.

    DEA gives fentanyl against morphine (100x) and against heroin (50x); heroin against morphine then
    follows as the first divided by the second. Every row says how it was obtained.
    """
    ratios = reference[reference["metric"] == "potency_ratio"]
    rows = [
        {
            "substance": baseline,
            "potency_vs_morphine": 1.0,
            "how": f"{substance_label(baseline)}: the baseline (1 by definition)",
            "reference_id": "",
            "source_title": "",
            "source_url": "",
            "published": "",
        }
    ]
    direct = ratios[ratios["relative_to"] == baseline]
    for _, r in direct.iterrows():
        rows.append(
            {
                "substance": r["substance"],
                "potency_vs_morphine": float(r["value"]),
                "how": f"{r['publisher']}: {r['figure']} = {float(r['value']):g} times",
                "reference_id": r["id"],
                "source_title": r["source_title"],
                "source_url": r["source_url"],
                "published": r["published"],
            }
        )
        for _, other in ratios[(ratios["substance"] == r["substance"]) & (ratios["relative_to"] != baseline)].iterrows():
            implied = float(r["value"]) / float(other["value"])
            rows.append(
                {
                    "substance": other["relative_to"],
                    "potency_vs_morphine": implied,
                    "how": (
                        f"implied: {float(r['value']):g} ({r['figure']}) / {float(other['value']):g} "
                        f"({other['figure']}) = {implied:g}"
                    ),
                    "reference_id": f"{r['id']}; {other['id']}",
                    "source_title": other["source_title"],
                    "source_url": other["source_url"],
                    "published": other["published"],
                }
            )
    out = pd.DataFrame(rows).drop_duplicates("substance")
    return out.sort_values("potency_vs_morphine", kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class Step:
    """One line of arithmetic and what it rests on."""

    text: str
    source: str


def dose_arithmetic(weight: float, unit: str, dose_mg: float, dose_source: str) -> tuple[float, list[Step]]:
    """Potentially lethal doses in a weight of powder, every step cited; (doses, steps)."""
    mg_per_unit = vocab.MG_PER_UNIT[unit]
    mg = weight * mg_per_unit
    doses = mg / dose_mg
    steps = [
        Step(
            f"1 {unit} = {mg_per_unit:,.2f} mg".replace(".00 mg", " mg"),
            "exact by definition (1 lb = 0.45359237 kg, international yard and pound agreement of 1959)"
            if unit == "lb"
            else "exact by definition (SI)",
        ),
        Step(f"{weight:,g} {unit} \u00d7 {mg_per_unit:,g} mg/{unit} = {mg:,.0f} mg", "arithmetic"),
        Step(f"potentially lethal dose = {dose_mg:g} mg", dose_source),
        Step(f"{mg:,.0f} mg / {dose_mg:g} mg = {doses:,.0f} potentially lethal doses", "arithmetic"),
    ]
    return doses, steps


DOSE_CAVEATS = (
    "Seized weight is the weight of powder or pills as seized, not of pure fentanyl: seized powder is "
    "mixed with other substances and its purity varies, so the doses it holds are fewer.",
    "A potentially lethal dose is not a death: 2 mg is the DEA's figure for an amount that can kill, "
    "which depends on body size, tolerance and other drugs taken. Seized drugs, by definition, were not used.",
    "The result is an upper bound on arithmetic, not a count of lives saved or deaths prevented.",
)


# ---------------------------------------------------------------------------------------------
# Claims explorer
# ---------------------------------------------------------------------------------------------

CLAIM_FACETS = ("metric", "substance", "claimant", "attributed_to", "source_id", "verdict")
# facet column -> query parameter; free-text facets are written as slugs
FACET_PARAMS = {
    "metric": "metric",
    "substance": "substance",
    "claimant": "claimant",
    "attributed_to": "attributed",
    "source_id": "source",
    "verdict": "verdict",
}
_SLUGGED = {"claimant", "attributed_to"}


def claims_table(claims: pd.DataFrame, verdicts: pd.DataFrame) -> pd.DataFrame:
    """Claims joined with their verdicts, one row per claim, newest first."""
    merged = claims.merge(verdicts, on="id", how="left", validate="one_to_one")
    when = merged["claimed_on"].dt.strftime("%Y-%m-%d").astype("string").fillna(merged["source_published"])
    merged.insert(1, "said_on", when)
    return merged.sort_values(["said_on", "id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def facet_options(table: pd.DataFrame) -> dict[str, list[str]]:
    """The values each facet can take in the data, sorted."""
    return {facet: sorted(table[facet].dropna().astype(str).unique()) for facet in CLAIM_FACETS}


@dataclass(frozen=True)
class ClaimsView:
    claim: str | None
    facets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # facet column -> selected values
    q: str = ""

    def query(self, options: Mapping[str, Sequence[str]]) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.claim:
            out["claim"] = self.claim
        for facet, values in self.facets.items():
            if values:
                items = [slug(v) for v in values] if facet in _SLUGGED else list(values)
                out[FACET_PARAMS[facet]] = _LIST_SEPARATOR.join(dict.fromkeys(items))
        if self.q:
            out["q"] = self.q
        return out


def parse_claims(params: Mapping[str, Any], claim_ids: Iterable[str], options: Mapping[str, Sequence[str]]) -> ClaimsView:
    """The claims view: a known claim id for the detail view, facet selections, and search text."""
    claim = parse_choice(params.get("claim"), claim_ids, None)
    facets: dict[str, tuple[str, ...]] = {}
    for facet, param in FACET_PARAMS.items():
        allowed = options.get(facet, [])
        if facet in _SLUGGED:
            by_slug: dict[str, list[str]] = {}
            for value in allowed:
                by_slug.setdefault(slug(value), []).append(value)
            picked = parse_multi(params.get(param), by_slug, ())
            facets[facet] = tuple(v for s in picked for v in by_slug[s])
        else:
            facets[facet] = parse_multi(params.get(param), allowed, ())
    return ClaimsView(claim=claim, facets=facets, q=parse_text(params.get("q")))


SEARCH_COLUMNS = ("quote", "claimant", "attributed_to", "source_title", "source_publisher", "notes", "explanation", "id")


def filter_claims(table: pd.DataFrame, facets: Mapping[str, Sequence[str]], q: str = "") -> pd.DataFrame:
    """Rows matching every non-empty facet and containing every word of q (case-insensitive, literal)."""
    mask = pd.Series(True, index=table.index)
    for facet, values in facets.items():
        if values:
            mask &= table[facet].astype("string").isin(list(values)).fillna(False)
    words = [w for w in q.casefold().split() if w]
    if words:
        haystack = table[list(SEARCH_COLUMNS)].astype("string").fillna("").agg(" ".join, axis=1).str.casefold()
        for word in words:
            mask &= haystack.str.contains(word, regex=False)
    return table[mask.to_numpy()].reset_index(drop=True)


def claims_download(listed: pd.DataFrame) -> pd.DataFrame:
    """Listed claims as their CSV download holds them: without said_on, which only the list shows."""
    return listed.drop(columns=["said_on"])


def listed_claims(table: pd.DataFrame, facets: tuple[tuple[str, tuple[str, ...]], ...], q: str = "") -> pd.DataFrame:
    """filter_claims with the facets as (facet, values) pairs: hashable, so a page can keep the list per filter."""
    return filter_claims(table, dict(facets), q)


# ---------------------------------------------------------------------------------------------
# One claim over its official series
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimPlot:
    """What the detail chart of a claim draws: its kind, the official rows, and the claim's value in their unit."""

    kind: str  # deaths | share | seizures | seizure_change | reference
    rows: pd.DataFrame
    claimed: float
    unit: str
    window: tuple[pd.Timestamp, pd.Timestamp] | None
    citation: Citation


def _claim_geography(claim: Mapping[str, Any]) -> str:
    geography = claim.get("geography")
    if not isinstance(geography, str) or not geography:
        return "US"
    return geography.split("-", 1)[1] if geography.startswith("US-") else geography


def claim_plot(claim: Mapping[str, Any], verdict: checks.Verdict, official: series.Series) -> ClaimPlot | None:
    """The official rows a claim is drawn over, or None when there is nothing to draw it against."""
    if verdict.measure is None:
        return None
    metric = claim["metric"]
    vsrr = official.datasets.get(series.CDC_VSRR)
    cbp = official.datasets.get(series.CBP_SEIZURES)
    start = claim.get("period_start")
    end = claim.get("period_end")
    window = (pd.Timestamp(start), pd.Timestamp(end)) if pd.notna(start) and pd.notna(end) else None
    if metric == "overdose_deaths" and window:
        substances = [claim["substance"]]
        alt = verdict.alternative.substance if verdict.alternative is not None else None
        if alt and alt not in substances:
            substances.append(alt)
        rows = deaths_rows(official.overdose_deaths, _claim_geography(claim), substances, ("reported",))
        rows = _around(rows, "period_end", window, years=3)
        return ClaimPlot(
            "deaths", rows, float(claim["value_canonical"]), "deaths", window, dataset_citation(vsrr, rows["release"])
        )
    if metric == "death_share" and window:
        rows = share_rows(official.overdose_deaths, _claim_geography(claim), claim["substance"])
        rows = _around(rows, "period_end", window, years=3)
        return ClaimPlot(
            "share", rows, float(claim["value_canonical"]), "percent", window, dataset_citation(vsrr, rows["release"])
        )
    if metric == "drug_seized" and window:
        rows = window_seizure_rows(official.seizures, claim["substance"], window)
        claimed_lb = float(claim["value"]) * vocab.MG_PER_UNIT[claim["unit"]] / vocab.MG_PER_UNIT["lb"]
        return ClaimPlot("seizures", rows, claimed_lb, "lb", window, dataset_citation(cbp))
    if metric == "seizure_change" and window and pd.notna(claim.get("compared_to_start")):
        before = (pd.Timestamp(claim["compared_to_start"]), pd.Timestamp(claim["compared_to_end"]))
        rows = change_rows(official.seizures, claim["substance"], before, window)
        return ClaimPlot("seizure_change", rows, float(claim["value"]), "lb", window, dataset_citation(cbp))
    if verdict.measure.kind in ("reference", "derived") and metric in (
        "lethal_dose",
        "potency_ratio",
        "pill_content",
        "deaths_per_mass",
    ):
        m = verdict.measure
        rows = pd.DataFrame(
            {
                "what": ["The claim", "Official"],
                "value": [float(claim["value_canonical"]), float(m.value)],
                "unit": [m.unit, m.unit],
                "label": [str(claim["quote"]), m.label],
                "derivation": ["", verdict.derivation],
            }
        )
        ref = official.reference_values
        match = ref[
            (ref["metric"] == ("lethal_dose" if metric == "deaths_per_mass" else metric))
            & (ref["substance"] == claim["substance"])
        ]
        citation = reference_citation(match.iloc[0]) if not match.empty else Citation("", m.citation, m.release, None)
        return ClaimPlot("reference", rows, float(claim["value_canonical"]), m.unit, None, citation)
    return None


def _around(rows: pd.DataFrame, column: str, window: tuple[pd.Timestamp, pd.Timestamp], years: int) -> pd.DataFrame:
    lo = window[0] - pd.DateOffset(years=years)
    hi = window[1] + pd.DateOffset(years=years)
    return rows[(rows[column] >= lo) & (rows[column] <= hi)].reset_index(drop=True)


def share_rows(deaths: pd.DataFrame, place: str, substance: str) -> pd.DataFrame:
    """Share of all drug deaths involving the substance, each window's two counts from the same release."""
    d = deaths[(deaths["geography"] == place) & (deaths["window_months"] == 12)]
    part = d[d["substance"] == substance][["period_end", "release", "deaths_reported"]]
    whole = d[d["substance"] == "all_drugs"][["period_end", "release", "deaths_reported"]]
    both = part.merge(whole, on=["period_end", "release"], suffixes=("_substance", "_all_drugs")).dropna()
    both = both.sort_values("release").drop_duplicates("period_end", keep="last").sort_values("period_end")
    both["share_percent"] = (
        both["deaths_reported_substance"].astype("float64") / both["deaths_reported_all_drugs"].astype("float64") * 100
    )
    both.insert(1, "substance", substance)
    return both.reset_index(drop=True)


def window_seizure_rows(seizures: pd.DataFrame, drug: str, window: tuple[pd.Timestamp, pd.Timestamp]) -> pd.DataFrame:
    """Nationwide monthly seizures of a drug a year either side of a window, and the running total inside it."""
    rows = (
        series.filter_seizures(seizures, drug=drug).groupby("month", as_index=False)[["events", "seized_lb", "seized_kg"]].sum()
    )
    start, end = series.month_start(window[0]), series.month_start(window[1])
    rows = rows[(rows["month"] >= start - pd.DateOffset(months=12)) & (rows["month"] <= end + pd.DateOffset(months=12))]
    rows = rows.sort_values("month").reset_index(drop=True)
    inside = (rows["month"] >= start) & (rows["month"] <= end)
    rows["in_window"] = inside
    rows["window_total_lb"] = rows["seized_lb"].where(inside).cumsum().where(inside)
    rows.insert(1, "drug", drug)
    return rows


def change_rows(
    seizures: pd.DataFrame, drug: str, before: tuple[pd.Timestamp, pd.Timestamp], after: tuple[pd.Timestamp, pd.Timestamp]
) -> pd.DataFrame:
    """The totals of a seizure-change claim's two periods, nationwide."""
    out = []
    for name, (lo, hi) in (("earlier period", before), ("later period", after)):
        total = series.seizures_in_months(seizures, lo, hi, drug=drug)
        out.append(
            {
                "period": name,
                "window": checks.describe_window(lo.date(), hi.date()),
                "drug": drug,
                "seized_lb": total["seized_lb"],
                "seized_kg": total["seized_kg"],
                "events": total["events"],
            }
        )
    return pd.DataFrame(out)


# ---------------------------------------------------------------------------------------------
# Check a figure: a reader's number as a claim
# ---------------------------------------------------------------------------------------------

READER_SOURCE = "https://example.org/entered-by-a-reader"
CHECK_METRICS = tuple(m for m in vocab.METRICS if m in checks.CHECKERS)
_YEAR = re.compile(r"^(\d{4})$")
_FISCAL = re.compile(r"^fy(\d{4})$")
_MONTHS = re.compile(r"^(\d{4})-(\d{2})/(\d{4})-(\d{2})$")
FIRST_YEAR, LAST_YEAR = 1999, 2100


def parse_period(raw: str | Sequence[str] | None) -> tuple[date, date] | None:
    """A period as written in a URL: 2021 (calendar year), fy2022 (fiscal year), 2022-02/2023-01 (months)."""
    value = single_value(raw)
    if value is None:
        return None
    value = value.strip().lower()
    if m := _YEAR.match(value):
        year = int(m.group(1))
        return (date(year, 1, 1), date(year, 12, 31)) if FIRST_YEAR <= year <= LAST_YEAR else None
    if m := _FISCAL.match(value):
        year = int(m.group(1))
        return (date(year - 1, 10, 1), date(year, 9, 30)) if FIRST_YEAR <= year <= LAST_YEAR else None
    if m := _MONTHS.match(value):
        y1, m1, y2, m2 = (int(g) for g in m.groups())
        if not (FIRST_YEAR <= y1 <= LAST_YEAR and FIRST_YEAR <= y2 <= LAST_YEAR and 1 <= m1 <= 12 and 1 <= m2 <= 12):
            return None
        start = date(y1, m1, 1)
        end = (pd.Timestamp(y2, m2, 1) + pd.offsets.MonthEnd(0)).date()
        return (start, end) if start <= end else None
    return None


def format_period(period: tuple[date, date] | None) -> str:
    """The URL form of a period (see parse_period)."""
    if period is None:
        return ""
    start, end = period
    if start.month == 1 and start.day == 1 and end == date(start.year, 12, 31):
        return str(start.year)
    if start.month == 10 and start.day == 1 and end == date(start.year + 1, 9, 30):
        return f"fy{end.year}"
    return f"{start:%Y-%m}/{end:%Y-%m}"


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
}


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

    def query(self) -> dict[str, str]:
        return query_from(self.__dict__, CHECK_DEFAULTS)


def parse_check(params: Mapping[str, Any], places: Sequence[str]) -> CheckView:
    d = CHECK_DEFAULTS
    metric = parse_choice(params.get("metric"), CHECK_METRICS, d["metric"])
    units = vocab.METRICS[metric][1]
    unit_default = d["unit"] if d["unit"] in units else units[0]
    period = parse_period(params.get("period"))
    vs = parse_period(params.get("vs"))
    return CheckView(
        metric=metric,
        value=parse_number(params.get("value"), d["value"]),
        unit=parse_choice(params.get("unit"), units, unit_default),
        qualifier=parse_choice(params.get("qualifier"), vocab.QUALIFIERS, d["qualifier"]),
        substance=parse_choice(params.get("substance"), vocab.SUBSTANCES, d["substance"]),
        place=parse_choice(params.get("place"), places, d["place"]),
        period=format_period(period) if period else d["period"],
        vs=format_period(vs) if vs else "",
        by=parse_choice(params.get("by"), vocab.AGENCIES, d["by"]),
        rel=parse_choice(params.get("rel"), vocab.SUBSTANCES, d["rel"]),
        per=parse_choice(params.get("per"), vocab.MG_PER_UNIT, d["per"]),
    )


def reader_claim_fields(view: CheckView) -> dict[str, Any]:
    """The fields of a drugstats.models.Claim for the reader's figure; what the metric does not use is left out."""
    fields: dict[str, Any] = {
        "id": "reader-figure",
        "quote": f"{view.qualifier.replace('_', ' ')} {format_number(view.value)} {view.unit} (entered by a reader)",
        "metric": view.metric,
        "substance": view.substance,
        "value": view.value,
        "unit": view.unit,
        "qualifier": view.qualifier,
        "claimant": "A reader",
        "attributed_to": "the reader",
        "source": READER_SOURCE,
    }
    period = parse_period(view.period)
    if period is not None and view.metric not in ("lethal_dose", "potency_ratio", "pill_content", "deaths_per_mass"):
        fields["period_start"], fields["period_end"] = period
        fields["geography"] = "US" if view.place == "US" else f"US-{view.place}"
    if view.metric in ("drug_seized", "seizure_change"):
        fields["seized_by"] = view.by
    if view.metric == "seizure_change":
        vs = parse_period(view.vs)
        if vs is not None:
            fields["compared_to_start"], fields["compared_to_end"] = vs
    if view.metric == "potency_ratio":
        fields["relative_to"] = view.rel
    if view.metric == "deaths_per_mass":
        fields["per"] = view.per
    return fields


# ---------------------------------------------------------------------------------------------
# Statements beside the figures
# ---------------------------------------------------------------------------------------------


def _statement_month(said_on: str) -> pd.Timestamp:
    """The last whole month before a statement: for a bare year, December of the year before."""
    if len(said_on) == 4:
        return pd.Timestamp(int(said_on) - 1, 12, 1)
    stamp = pd.Timestamp(said_on[:7] + "-01")
    return stamp - pd.DateOffset(months=1)


def statement_figures(said_on: str, bears_on: Iterable[str], official: series.Series) -> pd.DataFrame:
    """The official figures a statement bears on, for the 12 months before it, as the record now stands."""
    month = _statement_month(said_on)
    out = []
    if "overdose_deaths" in bears_on:
        for substance in ("all_drugs", "fentanyl"):
            try:
                row = series.deaths_in_window(official.overdose_deaths, substance, "US", month)
            except (series.NoSeriesData, ValueError):
                continue
            if pd.isna(row["deaths_reported"]):
                continue
            out.append(
                {
                    "figure": "US overdose deaths" if substance == "all_drugs" else "US deaths involving fentanyl (T40.4)",
                    "value": float(row["deaths_reported"]),
                    "unit": "deaths",
                    "window": f"12 months ending {month:%B %Y}",
                    "source": dataset_citation(official.datasets[series.CDC_VSRR], [row["release"]]).text,
                    "url": safe_url(official.datasets[series.CDC_VSRR].url),
                }
            )
    if "drug_seized" in bears_on:
        first = month - pd.DateOffset(months=11)
        try:
            total = series.seizures_in_months(official.seizures, first, month, drug="fentanyl")
        except (series.NoSeriesData, ValueError):
            total = None
        if total is not None:
            out.append(
                {
                    "figure": "Fentanyl seized by CBP",
                    "value": float(total["seized_lb"]),
                    "unit": "lb",
                    "window": f"{first:%B %Y} to {month:%B %Y}",
                    "source": dataset_citation(official.datasets[series.CBP_SEIZURES]).text,
                    "url": safe_url(official.datasets[series.CBP_SEIZURES].url),
                }
            )
    return pd.DataFrame(out, columns=["figure", "value", "unit", "window", "source", "url"])


# ---------------------------------------------------------------------------------------------
# Potency page: the weight the arithmetic panel starts from
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DoseView:
    weight: float | None  # None: the latest whole fiscal year of CBP fentanyl seizures
    unit: str

    def query(self) -> dict[str, str]:
        return query_from({"weight": self.weight, "unit": self.unit}, {"weight": None, "unit": "lb"})


def parse_dose(params: Mapping[str, Any]) -> DoseView:
    return DoseView(
        weight=parse_number(params.get("weight"), None, maximum=1e9),
        unit=parse_choice(params.get("unit"), MASS_UNITS, "lb"),
    )


def sources_in_order(sources: pd.DataFrame) -> pd.DataFrame:
    """Documents cited, as the Sources page lists them: by kind, publisher and date."""
    return sources.sort_values(["kind", "publisher", "published"], kind="stable").reset_index(drop=True)


def dataset_files(meta: series.DatasetMeta) -> pd.DataFrame:
    """An official dataset's raw files, one row each (sha256, rows, release), as the Sources page lists them."""
    files = pd.DataFrame([f.to_dict() for f in meta.files])
    return files.drop(columns=[c for c in ("copied_from",) if c in files])


def reference_constants(reference: pd.DataFrame) -> pd.DataFrame:
    """The DEA's constants (lethal dose, fentanyl in a pill, relative potency) as the Potency page lists them."""
    constants = reference[reference["metric"].isin(["lethal_dose", "pill_content", "potency_ratio"])]
    shown = ["figure", "value", "unit", "relative_to", "publisher", "published", "source_title", "source_url", "url_seen"]
    return constants[[*shown, "quote", "read_at"]].reset_index(drop=True)


def lethal_dose(reference: pd.DataFrame, substance: str = "fentanyl") -> pd.Series:
    """The reference row of a substance's potentially lethal dose."""
    rows = reference[(reference["metric"] == "lethal_dose") & (reference["substance"] == substance)]
    if rows.empty:
        raise LookupError(f"no lethal_dose reference value for {substance}")
    return rows.iloc[0]


# ---------------------------------------------------------------------------------------------
# Method: the verdict rules, read from drugstats.checks rather than retyped
# ---------------------------------------------------------------------------------------------

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
                "consistent_if_official_from": round(low, 1),
                "consistent_if_official_to": round(high, 1),
            }
        )
    return pd.DataFrame(rows)
