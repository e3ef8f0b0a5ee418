"""Seizures page: CBP's seizures by fiscal year, by month and year to date, with the claims drawn on them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from drugstats import vocab
from drugstats.claims import query
from drugstats.official import cbp, cbp_places, periods, queries, series
from drugstats.pages import seizure_charts
from drugstats.publish import charts, cite
from drugstats.publish.cite import Citation
from drugstats.verdicts.pipeline import Build

REGION_SLUGS = {query.slug(r): r for r in cbp.CBP_REGIONS}


SEIZURES_DEFAULTS: dict[str, Any] = {
    "drug": ("fentanyl",),
    "component": tuple(vocab.CBP_COMPONENTS),
    "region": tuple(REGION_SLUGS),
    "unit": "lb",
    "ytd": "fentanyl",
    "area": "",
}


@dataclass(frozen=True)
class SeizuresView:
    drug: tuple[str, ...]
    component: tuple[str, ...]
    region: tuple[str, ...]  # slugs of CBP's region names
    unit: str
    ytd: str
    area: str = ""  # one CBP field office or Border Patrol sector, by its slug (cbp_places.slug); "": components and regions

    def query(self) -> dict[str, str]:
        return query.query_from(self.__dict__, SEIZURES_DEFAULTS)

    @property
    def regions(self) -> list[str]:
        """CBP's region names for the selected slugs."""
        return [REGION_SLUGS[r] for r in self.region]

    @property
    def nationwide(self) -> bool:
        """True when every component and region is selected and no one area: the totals are CBP's nationwide ones."""
        return not self.area and set(self.component) == set(vocab.CBP_COMPONENTS) and set(self.region) == set(REGION_SLUGS)


def parse_seizures(params: Mapping[str, Any], areas: Mapping[str, str] | None = None) -> SeizuresView:
    """The view in the URL; `areas` are the field offices and sectors a view may draw, by slug (area_choices)."""
    d = SEIZURES_DEFAULTS
    return SeizuresView(
        drug=query.parse_multi(params.get("drug"), vocab.SEIZED_DRUGS, d["drug"]),
        component=query.parse_multi(params.get("component"), vocab.CBP_COMPONENTS, d["component"]),
        region=query.parse_multi(params.get("region"), REGION_SLUGS, d["region"]),
        unit=query.parse_choice(params.get("unit"), vocab.MASS_UNITS, d["unit"]),
        ytd=query.parse_choice(params.get("ytd"), vocab.SEIZED_DRUGS, d["ytd"]),
        area=query.parse_choice(params.get("area"), list(areas or ()), d["area"]),
    )


def area_choices(seizures: pd.DataFrame) -> dict[str, str]:
    """CBP's field offices and Border Patrol sectors by slug, as people write them (regions have their own filter)."""
    regions = {cbp_places.slug(r) for r in cbp.CBP_REGIONS}
    return {k: v for k, v in cbp_places.choices(seizures).items() if k not in regions}


def _area(seizures: pd.DataFrame, view: SeizuresView) -> cbp_places.Place | None:
    return cbp_places.find(seizures, view.area) if view.area else None


def _seizure_filters(view: SeizuresView, seizures: pd.DataFrame) -> dict[str, Any]:
    place = _area(seizures, view)
    if place is not None:  # one field office or sector: its rows, whatever the component and region filters say
        return dict(cbp_places.filters(place))
    return {"component": list(view.component), "region": view.regions}


def seizures_fy_rows(seizures: pd.DataFrame, view: SeizuresView) -> pd.DataFrame:
    """Totals per fiscal year and drug for the view's filters; partial_year marks CBP's FYTD year."""
    parts = []
    for drug in view.drug:
        frame = queries.seizures_by_fiscal_year(seizures, drug=drug, **_seizure_filters(view, seizures))
        frame.insert(0, "drug", drug)
        parts.append(frame)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["drug", "fiscal_year"])
    drop = "seized_kg" if view.unit == "lb" else "seized_lb"
    return out.drop(columns=[drop], errors="ignore")


def seizures_month_rows(seizures: pd.DataFrame, view: SeizuresView) -> pd.DataFrame:
    """Totals per month and drug for the view's filters; months with no seizure of a drug count as zero."""
    rows = queries.filter_seizures(seizures, drug=list(view.drug), **_seizure_filters(view, seizures))
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


def seizures_ytd_rows(seizures: pd.DataFrame, view: SeizuresView) -> pd.DataFrame:
    """Cumulative quantity of the view's year-to-date drug from October of each fiscal year, month by month."""
    single = SeizuresView((view.ytd,), view.component, view.region, view.unit, view.ytd, view.area)
    rows = seizures_month_rows(seizures, single)
    rows = rows.sort_values("month")
    column = f"seized_{view.unit}"
    rows["month_of_fy"] = rows["month"].map(periods.month_of_fiscal_year)
    rows["fiscal_month"] = rows["month_of_fy"].map(lambda m: periods.FISCAL_MONTHS[m - 1])
    rows[f"cumulative_{column}"] = rows.groupby("fiscal_year")[column].cumsum()
    rows["cumulative_events"] = rows.groupby("fiscal_year")["events"].cumsum()
    columns = ["fiscal_year", "partial_year", "month_of_fy", "fiscal_month", "month", "drug", "events", column]
    return rows[columns + ["cumulative_events", f"cumulative_{column}"]].reset_index(drop=True)


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
        placed = periods.fiscal_year_to_date(row["period_start"], row["period_end"])
        if placed is None:
            return "", None, None
        year, months = placed
        return ("fiscal_year" if months == 12 else "ytd"), year, months

    placed = [where(r) for _, r in rows.iterrows()]
    rows["chart"] = [p[0] for p in placed]
    rows["fiscal_year"] = pd.array([p[1] for p in placed], dtype="Int64")
    rows["month_of_fy"] = pd.array([p[2] for p in placed], dtype="Int64")
    rows[f"claimed_{unit}"] = [vocab.convert_mass(float(v), u, unit) for v, u in zip(rows["value"], rows["unit"], strict=True)]
    columns = ["id", "chart", "fiscal_year", "month_of_fy", "period_start", "period_end", "substance", "value", "unit"]
    columns += [f"claimed_{unit}", "qualifier", "quote", "claimant", "attributed_to", "claimed_on", "source_title", "source_url"]
    columns += ["verdict", "explanation"]
    return rows[columns].sort_values(["period_end", "id"]).reset_index(drop=True)


def seizure_scope(view: SeizuresView) -> str:
    """What the seizure charts cover, for their titles: "nationwide", one area, or the components and regions picked."""
    if view.area:
        return cbp_places.area_label(view.area.replace("-", " "))
    if view.nationwide:
        return "nationwide"
    parts = [" and ".join(view.component)]
    if set(view.region) != set(REGION_SLUGS):
        parts.append(" and ".join(view.regions))
    return ", ".join(parts)


def _seizure_parts(build: Build, view: SeizuresView | None) -> tuple[SeizuresView, Citation, pd.DataFrame]:
    view = view or parse_seizures({})
    source = cite.dataset_citation(build.official.datasets[series.CBP_SEIZURES])
    markers = seizure_claim_markers(build.claims, build.verdicts, view.unit)
    # A claim is drawn over the place it is about only: a nationwide total over the nation, a field office's figure
    # over that field office, never one over the other.
    claims = build.claims.set_index("id")
    areas = claims["cbp_area"].reindex(markers["id"]).fillna("").map(cbp_places.slug).to_numpy()
    places = claims["geography"].reindex(markers["id"]).fillna("US").to_numpy()
    if view.area:
        markers = markers[areas == view.area]
    elif view.nationwide:
        markers = markers[(areas == "") & (places == "US")]
    else:
        markers = markers.iloc[0:0]
    return view, source, markers.reset_index(drop=True)


def by_fiscal_year(build: Build, view: SeizuresView | None = None) -> charts.Figure:
    """Seizures: totals per fiscal year, the year to date marked, whole-year claims drawn."""
    view, source, markers = _seizure_parts(build, view)
    rows = seizures_fy_rows(build.official.seizures, view)
    claims = markers[(markers["chart"] == "fiscal_year") & markers["substance"].isin(view.drug)]
    fig = seizure_charts.seizures_fy_chart(rows, claims, source, unit=view.unit, scope=seizure_scope(view))
    page = charts.page("seizures", view.query())
    return charts.figure(build, f"seizures-by-fiscal-year-{view.unit}", fig, rows, [source], page, claims=claims)


def by_month(build: Build, view: SeizuresView | None = None) -> charts.Figure:
    """Seizures: totals per month, the months of the year to date shaded."""
    view, source, _ = _seizure_parts(build, view)
    rows = seizures_month_rows(build.official.seizures, view)
    fig = seizure_charts.seizures_month_chart(rows, source, unit=view.unit, scope=seizure_scope(view))
    return charts.figure(build, f"seizures-by-month-{view.unit}", fig, rows, [source], charts.page("seizures", view.query()))


def year_to_date(build: Build, view: SeizuresView | None = None) -> charts.Figure:
    """Seizures: running totals from October, each fiscal year against the same months of the others."""
    view, source, markers = _seizure_parts(build, view)
    rows = seizures_ytd_rows(build.official.seizures, view)
    claims = markers[(markers["chart"] != "") & (markers["substance"] == view.ytd)]
    fig = seizure_charts.seizures_ytd_chart(rows, claims, source, unit=view.unit, scope=seizure_scope(view))
    page = charts.page("seizures", view.query())
    return charts.figure(build, f"seizures-year-to-date-{view.unit}", fig, rows, [source], page, claims=claims)
