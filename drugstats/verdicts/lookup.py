"""Which official figure is this number? Every series, place, window and count kind whose value is near it.

It generalises the wrong_measure verdict: "105,000 fits all-drug deaths in the 12 months ending January 2023, not
fentanyl deaths". Candidates are CDC's 12-month counts (each window's newest release, reported and predicted, every
drug and jurisdiction), the share of deaths involving each drug (US), CBP's seizures by fiscal and calendar year
(nationwide, by region, by component and by field office or Border Patrol sector, in pounds and kilograms), the
reference values, the DEA's published figures (agency statements, every version), and NCHS's final annual counts and
crude and age-adjusted rates.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from drugstats import display, vocab
from drugstats.official import cbp_places, dea, nchs_final, queries, series

DEFAULT_TOLERANCE = 0.05  # the "about" tolerance of the checks: a number within 5% could be the one meant
_COUNT_UNITS = ("deaths", "people")


@dataclass(frozen=True)
class Match:
    """An official figure near the number looked up."""

    value: float
    unit: str
    metric: str
    substance: str
    measure: str  # in words: "drug overdose deaths, reported"
    place: str
    window: str
    series: str
    release: str
    distance: float  # |official - number| / number

    def as_row(self) -> dict:
        return self.__dict__ | {"distance_percent": round(self.distance * 100, 2)}


def _deaths(official: series.Series) -> Iterator[pd.DataFrame]:
    rows = queries.latest_release(official.overdose_deaths)
    rows = rows[rows["window_months"] == 12]
    for count in queries.DEATH_COUNTS:
        values = rows[f"deaths_{count}"].astype("float64")
        keep = values.notna()
        part = rows[keep]
        calendar = part["period_end"].dt.month == 12
        yield pd.DataFrame(
            {
                "value": values[keep],
                "unit": "deaths",
                "metric": "overdose_deaths",
                "substance": part["substance"],
                "measure": "CDC provisional deaths: "
                + part["substance"].astype(str).map(display.substance_label)  # the drug may be held as a category
                + f" ({count})",
                "place": part["geography"].map(display.place_name),
                "window": ("12 months ending " + part["period_end"].dt.strftime("%B %Y")).where(
                    ~calendar, "calendar year " + part["period_end"].dt.strftime("%Y") + " (12 months ending December)"
                ),
                "series": series.CDC_VSRR,
                "release": part["release"].dt.strftime("%Y-%m-%d"),
            }
        )


def _shares(official: series.Series) -> Iterator[pd.DataFrame]:
    for substance in sorted(set(official.overdose_deaths["substance"]) - {"all_drugs"}):
        rows = queries.share_rows(official.overdose_deaths, "US", substance)
        yield pd.DataFrame(
            {
                "value": rows["share_percent"],
                "unit": "percent",
                "metric": "death_share",
                "substance": substance,
                "measure": f"share of US overdose deaths involving {display.substance_label(substance)}",
                "place": "United States",
                "window": "12 months ending " + rows["period_end"].dt.strftime("%B %Y"),
                "series": series.CDC_VSRR,
                "release": rows["release"].dt.strftime("%Y-%m-%d"),
            }
        )


def _seizures(official: series.Series) -> Iterator[pd.DataFrame]:
    z = official.seizures.assign(calendar_year=official.seizures["month"].dt.year)
    components = {code: f"{code} ({name.split(' (')[0]})" for code, name in vocab.CBP_COMPONENTS.items()}
    for year, label in (("fiscal_year", "FY"), ("calendar_year", "calendar year ")):
        months = z.groupby(year)["month"].nunique()
        partial = z.groupby(year)["partial_year"].any() if year == "fiscal_year" else months < 12
        for scope in (None, "region", "component", "area"):  # nationwide, each region, component, field office, sector
            if scope is not None and scope not in z:
                continue
            keys = ["drug", year] + ([scope] if scope else [])
            sums = z.groupby(keys, as_index=False)[["seized_lb", "seized_kg"]].sum()
            place = (
                "nationwide"
                if scope is None
                else sums[scope].map(components)
                if scope == "component"
                else sums[scope].map(cbp_places.area_label)
                if scope == "area"
                else sums[scope]
            )
            window = label + sums[year].astype(str) + sums[year].map(partial).map({True: " to date", False: ""})
            window = window + " (" + sums[year].map(months).astype(str) + " months)"
            for unit in vocab.MASS_UNITS:
                yield pd.DataFrame(
                    {
                        "value": sums[f"seized_{unit}"],
                        "unit": unit,
                        "metric": "drug_seized",
                        "substance": sums["drug"],
                        "measure": sums["drug"].map(display.drug_label) + " seized by CBP",
                        "place": place,
                        "window": window,
                        "series": series.CBP_SEIZURES,
                        "release": "",
                    }
                )


def _reference(official: series.Series) -> Iterator[pd.DataFrame]:
    ref = official.reference_values
    yield pd.DataFrame(
        {
            "value": ref["value"].astype("float64"),
            "unit": ref["unit"],
            "metric": ref["metric"],
            "substance": ref["substance"],
            "measure": ref["figure"],
            "place": ref["geography"].fillna("").map(lambda g: display.place_name(g.removeprefix("US-")) if g else ""),
            "window": ref["period"].fillna(""),
            "series": "reference",
            "release": ref["published"].astype(str),
        }
    )


def _agency(official: series.Series) -> Iterator[pd.DataFrame]:
    """The DEA's published figures that claims are checked against, every version (the agency's word)."""
    rows = official.agency_figures
    rows = rows.loc[rows["in_checks"].astype(bool)]
    yield pd.DataFrame(
        {
            "value": rows["value"].astype("float64"),
            "unit": rows["unit"],
            "metric": rows["metric"],
            "substance": rows["substance"],
            "measure": "DEA's published figure: " + rows["measure"] + " (" + rows["qualifier"].str.replace("_", " ") + ")",
            "place": "United States",
            "window": rows["period_as_stated"],
            "series": dea.DATASET,
            "release": rows["published"],
        }
    )


_FINAL_MEASURES = {
    "deaths": ("overdose_deaths", "deaths", "NCHS final deaths"),
    "rate_age_adjusted": ("death_rate", "per_100k", "NCHS final age-adjusted death rate"),
    "rate_crude": ("death_rate", "per_100k", "NCHS final crude death rate"),
}


def _final(official: series.Series) -> Iterator[pd.DataFrame]:
    """NCHS's final annual counts and rates: a series apart from the provisional counts, and named so."""
    order = official.final_deaths["dataset"].map({d: i for i, d in enumerate(nchs_final.DATASETS)})
    rows = official.final_deaths.assign(_order=order).sort_values("_order", kind="stable")
    for column, (metric, unit, words) in _FINAL_MEASURES.items():
        # one figure per drug, place and year: the table the checks take it from (nchs_final.DATASETS order)
        part = rows[rows[column].notna()].drop_duplicates(["substance", "geography", "year"])
        yield pd.DataFrame(
            {
                "value": part[column].astype("float64"),
                "unit": unit,
                "metric": metric,
                "substance": part["substance"],
                "measure": words + ": " + part["substance"].map(display.substance_label),
                "place": part["geography"].map(nchs_final.place_name),
                "window": "calendar year " + part["year"].astype(str),
                "series": part["dataset"],
                "release": "",
            }
        )


def candidates(official: series.Series) -> pd.DataFrame:
    """Every official figure a number can be looked up among, one row each (build once, look up many times)."""
    parts = [
        *_deaths(official),
        *_shares(official),
        *_seizures(official),
        *_reference(official),
        *_agency(official),
        *_final(official),
    ]
    frame = pd.concat(parts, ignore_index=True)
    return frame[frame["value"].notna() & (frame["value"] > 0)].reset_index(drop=True)


def lookup(
    figures: pd.DataFrame,
    value: float,
    *,
    unit: str | None = None,
    metric: str | None = None,
    substance: str | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    limit: int = 50,
) -> list[Match]:
    """The official figures within tolerance of value (relative), nearest first; unit, metric and drug narrow them."""
    if not value > 0:
        raise ValueError(f"look up a number above zero, not {value!r}")
    rows = figures
    if unit is not None:
        rows = rows[rows["unit"].isin(_COUNT_UNITS[:1] if unit in _COUNT_UNITS else [unit])]
    if metric is not None:
        rows = rows[rows["metric"] == metric]
    if substance is not None:
        rows = rows[rows["substance"] == substance]
    distance = (rows["value"] - value).abs() / value
    near = rows.assign(distance=distance)[distance <= tolerance]
    # ties: a nation's figure before a part of it
    near = near.assign(_part=~near["place"].isin(["nationwide", "United States", ""]))
    near = near.sort_values(["distance", "series", "_part", "place", "window"], kind="stable").head(limit).drop(columns="_part")
    return [Match(**{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}) for row in near.to_dict("records")]


def frame(matches: list[Match]) -> pd.DataFrame:
    """Matches as a table, for the dashboard and the CLI's csv."""
    columns = ["distance_percent", "value", "unit", "measure", "place", "window", "series", "release", "metric", "substance"]
    return pd.DataFrame([m.as_row() for m in matches], columns=[*columns, "distance"])[columns]
