"""Questions asked of the official series, each answered once: the rows a chart draws, the figure a check compares.

Pure functions of the tidy frames drugstats.official.series builds; no file is read here.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from drugstats import vocab
from drugstats.official import cbp, cdc_vsrr, periods

DEATH_COUNTS = ("reported", "predicted")


def deaths_rows(
    deaths: pd.DataFrame, place: str, substances: Sequence[str], counts: Sequence[str], release: str | None = None
) -> pd.DataFrame:
    """12-month-ending counts from each window's newest release (or only the release given, ISO date), for the place
    and substances, as charted."""
    rows = latest_release(deaths) if release is None else deaths[deaths["release"] == pd.Timestamp(release)]
    rows = rows[(rows["geography"] == place) & rows["substance"].isin(substances) & (rows["window_months"] == 12)]
    order = {s: i for i, s in enumerate(substances)}
    rows = rows.assign(_order=rows["substance"].map(order)).sort_values(["_order", "period_end"], kind="stable")
    columns = ["period_end", "window_months", "geography", "substance", "indicator"]
    columns += [f"deaths_{c}" for c in DEATH_COUNTS if c in counts] + ["flag", "release"]
    return rows[columns].reset_index(drop=True)


def death_releases(deaths: pd.DataFrame) -> list[str]:
    """The releases held, ISO dates, newest first."""
    return [d.date().isoformat() for d in sorted(pd.to_datetime(deaths["release"].unique()), reverse=True)]


def window_across_releases(deaths: pd.DataFrame, place: str, substance: str, end: str | date | pd.Timestamp) -> pd.DataFrame:
    """One 12-month window's count in every release that has it, oldest release first: how it grew as late reports
    arrived."""
    end = pd.Timestamp(end) + pd.offsets.MonthEnd(0)
    rows = deaths[
        (deaths["geography"] == place)
        & (deaths["substance"] == substance)
        & (deaths["window_months"] == 12)
        & (deaths["period_end"] == end)
        & deaths["deaths_reported"].notna()
    ]
    columns = ["release", "period_end", "geography", "substance", "indicator", "deaths_reported", "deaths_predicted", "flag"]
    return rows[columns].sort_values("release", kind="stable").reset_index(drop=True)


def revised_windows(deaths: pd.DataFrame, place: str, substance: str) -> pd.Series:
    """For each 12-month window of the place and substance, how many releases count it; most first, then newest."""
    rows = deaths[
        (deaths["geography"] == place)
        & (deaths["substance"] == substance)
        & (deaths["window_months"] == 12)
        & deaths["deaths_reported"].notna()
    ]
    counts = rows.groupby("period_end")["release"].nunique()
    order = pd.DataFrame({"n": counts, "end": counts.index}).sort_values(["n", "end"], ascending=False)
    return order["n"]


def share_rows(deaths: pd.DataFrame, place: str, substance: str) -> pd.DataFrame:
    """Share of all drug deaths involving the substance, per 12-month window, oldest first.

    Both counts of a window come from one release (the newest that has both): a share is never a ratio of counts
    from two releases, which CDC revises at different times.
    """
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


_DERIVED: dict[tuple[int, Hashable], tuple[weakref.ref, Any]] = {}


def per_frame(frame: pd.DataFrame, name: Hashable, build: Callable[[pd.DataFrame], Any]) -> Any:
    """build(frame), computed once per frame and name: an index that turns a question asked per claim into a lookup,
    or a page's list of choices asked on every rerun. The result is shared: never change it in place.

    The official frames are built once per load and never changed in place, so what is derived from one stays true
    for as long as it lives; a frame that is gone (a reload) frees its entry on the next miss.
    """
    key = (id(frame), name)
    hit = _DERIVED.get(key)
    if hit is not None and hit[0]() is frame:
        return hit[1]
    for stale in [k for k, (ref, _) in _DERIVED.items() if ref() is None]:
        del _DERIVED[stale]
    value = build(frame)
    _DERIVED[key] = (weakref.ref(frame), value)
    return value


@dataclass(frozen=True)
class _Lookup:
    """Row positions by a key of small codes, as two sorted int64 arrays: a dict of 150,000 tuple keys held ~68 MB,
    these hold 2.4 MB (bench/README.md, memory)."""

    keys: np.ndarray  # sorted
    positions: np.ndarray  # the row position of each key

    def get(self, key: int | None) -> int | None:
        if key is None:
            return None
        at = int(np.searchsorted(self.keys, key))
        return int(self.positions[at]) if at < len(self.keys) and self.keys[at] == key else None


@dataclass(frozen=True)
class _DeathIndex:
    """Where each death window's row is: for the newest release and for each release, and each series' span."""

    series: dict[tuple, int]  # (substance, geography, window_months) -> its code
    ends: dict[int, int]  # period_end as int ns -> its code
    release_codes: dict[int, int]  # release as int ns -> its code
    newest: _Lookup  # (series, period_end) -> the row of the newest release
    by_release: _Lookup  # (series, release, period_end) -> the row
    spans: dict[tuple, tuple]  # (substance, geography, window_months) -> first and last period_end
    release_spans: dict[tuple, tuple]  # the same key and the release -> first and last period_end
    releases: tuple[str, ...]

    def position(self, substance: str, geography: str, window_months: int, end: int, release: int | None) -> int | None:
        """The row of the window ending `end` (int ns), of the newest release or of `release` (int ns); None if none."""
        series, period = self.series.get((substance, geography, window_months)), self.ends.get(end)
        if series is None or period is None:
            return None
        if release is None:
            return self.newest.get(series * len(self.ends) + period)
        code = self.release_codes.get(release)
        return None if code is None else self.by_release.get((series * len(self.release_codes) + code) * len(self.ends) + period)


def _codes(values: list[int]) -> tuple[np.ndarray, dict[int, int]]:
    codes, uniques = pd.factorize(np.asarray(values, dtype="int64"))
    return codes.astype("int64"), dict(zip(uniques.tolist(), range(len(uniques)), strict=True))


def _death_index(deaths: pd.DataFrame) -> _DeathIndex:
    series_key = ["substance", "geography", "window_months"]
    key = [*series_key, "period_end"]
    frame = deaths[[*key, "release"]].assign(_pos=np.arange(len(deaths))).sort_values("release", kind="stable")
    series_codes, series_found = pd.MultiIndex.from_frame(frame[series_key]).factorize()
    series = dict(zip(series_found, range(len(series_found)), strict=True))
    # Dates as int nanoseconds (_stamp): building ~60,000 Timestamp keys took most of the build's query time.
    end_codes, ends = _codes(_stamps(frame["period_end"]))
    release_codes, releases_held = _codes(_stamps(frame["release"]))
    frame = frame.assign(_series=series_codes.astype("int64"), _end=end_codes, _release=release_codes)

    def lookup(code: np.ndarray) -> _Lookup:
        # A code stands for one key; the last of each after the sort by release is the newest release, then the last row
        rows = frame.assign(_key=code).drop_duplicates("_key", keep="last")
        order = np.argsort(rows["_key"].to_numpy(), kind="stable")
        return _Lookup(rows["_key"].to_numpy()[order], rows["_pos"].to_numpy().astype("int64")[order])

    n_ends, n_releases = len(ends), len(releases_held)
    newest = lookup(frame["_series"].to_numpy() * n_ends + end_codes)
    by_release = lookup((frame["_series"].to_numpy() * n_releases + release_codes) * n_ends + end_codes)

    def spans(columns: list[str]) -> dict[tuple, tuple]:
        found = frame.groupby(columns, sort=False)["period_end"].agg(["min", "max"])
        return dict(zip(found.index, zip(found["min"], found["max"], strict=True), strict=True))

    releases = tuple(sorted({d.date().isoformat() for d in deaths["release"].unique()}))
    return _DeathIndex(
        series, ends, releases_held, newest, by_release, spans(series_key), spans([*series_key, "release"]), releases
    )


def _stamps(column: pd.Series) -> list[int]:
    return column.astype("datetime64[ns]").to_numpy().astype("int64").tolist()


def _stamp(value: pd.Timestamp) -> int:
    """A date as the death index keys it: int nanoseconds since the epoch."""
    return pd.Timestamp(value).as_unit("ns").value


def _seizure_arrays_by_drug(seizures: pd.DataFrame) -> dict[str, tuple[np.ndarray, ...]]:
    """drug -> its rows' month, events, seized_lb and seized_kg as arrays, in the frame's order (so sums are the same)."""
    columns = ["month", "events", "seized_lb", "seized_kg"]
    return {drug: tuple(rows[c].to_numpy() for c in columns) for drug, rows in seizures.groupby("drug", sort=False)}


class NoSeriesData(LookupError):
    """The official series has no value for what was asked."""


def latest_release(deaths: pd.DataFrame) -> pd.DataFrame:
    """For every substance, jurisdiction and window, only the row of the newest release.

    Computed once per frame (every claim's chart asks): the frame returned is shared, so select from it, never
    change it in place.
    """
    return per_frame(deaths, "latest_release", _latest_release)


def _latest_release(deaths: pd.DataFrame) -> pd.DataFrame:
    key = [k for k in cdc_vsrr.DEATHS_KEY if k != "release"]
    newest = deaths.sort_values("release", kind="stable").drop_duplicates(key, keep="last")
    return newest.sort_values(key, ignore_index=True)


def deaths_in_window(
    deaths: pd.DataFrame,
    substance: str,
    geography: str,
    month_ending: str | date | pd.Timestamp,
    *,
    release: str | date | None = None,
    window_months: int = cdc_vsrr.VSRR_WINDOW_MONTHS,
) -> pd.Series:
    """Deaths involving substance in geography in the window_months ending with the month given.

    Returns the row (deaths_reported, deaths_predicted, release, flag, ...) of the newest release,
    or of the release given. Raises NoSeriesData when there is none.
    """
    if substance not in vocab.SUBSTANCES:
        raise ValueError(f"{substance!r} is not a substance id in drugstats.vocab.SUBSTANCES")
    end = periods.month_end(month_ending)
    index = per_frame(deaths, "death_index", _death_index)  # asked up to seven times a claim: a lookup, not a scan
    if release is None:
        position = index.position(substance, geography, window_months, _stamp(end), None)
        span = index.spans.get((substance, geography, window_months))
    else:
        stamp = pd.Timestamp(release)
        position = index.position(substance, geography, window_months, _stamp(end), _stamp(stamp))
        span = index.release_spans.get((substance, geography, window_months, stamp))
    if position is not None:
        return deaths.iloc[position]
    if span is None:
        raise NoSeriesData(
            f"no {window_months}-month {substance} deaths for {geography}"
            + (
                f" in the release of {pd.Timestamp(release).date()} (releases: {', '.join(index.releases)})"
                if release is not None
                else ""
            )
        )
    raise NoSeriesData(
        f"no {window_months}-month {substance} deaths for {geography} ending {end.date()}; "
        f"the series runs {span[0].date()} to {span[1].date()}"
    )


def _reference_positions(reference: pd.DataFrame) -> dict[tuple[str, str], list[int]]:
    out: dict[tuple[str, str], list[int]] = {}
    for position, key in enumerate(zip(reference["metric"], reference["substance"], strict=True)):
        out.setdefault(key, []).append(position)
    return out


def reference_row(reference: pd.DataFrame, metric: str, substance: str, relative_to: str | None = None) -> pd.Series | None:
    """The first reference value of the metric for the substance (compared with relative_to, if given); None if none."""
    for position in per_frame(reference, "reference_positions", _reference_positions).get((metric, substance), ()):
        row = reference.iloc[position]
        if relative_to is None or row["relative_to"] == relative_to:
            return row
    return None


def _as_list(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def filter_seizures(
    seizures: pd.DataFrame,
    *,
    drug: str | Iterable[str] | None = None,
    component: str | Iterable[str] | None = None,
    region: str | Iterable[str] | None = None,
    area: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Rows for the drugs, components (OFO, USBP or CBP's names), regions and Areas of Responsibility (as CBP's file
    spells them) given; None means all."""
    mask = pd.Series(True, index=seizures.index)
    names = {v: k for k, v in cbp.CBP_COMPONENT.items()}
    for column, wanted, allowed in (
        ("drug", _as_list(drug), list(vocab.SEIZED_DRUGS)),
        ("component", _as_list(component), list(vocab.CBP_COMPONENTS)),
        ("region", _as_list(region), list(cbp.CBP_REGIONS)),
    ):
        if wanted is None:
            continue
        if column == "component":
            wanted = [cbp.CBP_COMPONENT.get(w, w) for w in wanted]
        unknown = [w for w in wanted if w not in allowed]
        if unknown:
            hint = f" (or {', '.join(names.values())})" if column == "component" else ""
            raise ValueError(f"unknown {column} {', '.join(map(repr, unknown))}; use {', '.join(allowed)}{hint}")
        mask &= seizures[column].isin(wanted)
    areas = _as_list(area)
    if areas is not None:
        unknown = sorted(set(areas) - set(per_frame(seizures, "areas", lambda frame: set(frame["area"].unique()))))
        if unknown:
            raise ValueError(f"unknown area {', '.join(map(repr, unknown))}: not an Area of Responsibility in CBP's file")
        mask &= seizures["area"].isin(areas)
    return seizures[mask]


def seizures_in_months(seizures: pd.DataFrame, first_month: str | date, last_month: str | date, **filters) -> pd.Series:
    """Events and quantity seized from the start of first_month to the end of last_month.

    Filters as in filter_seizures. Raises NoSeriesData when the data do not cover every month.
    """
    start, end = periods.month_start(first_month), periods.month_start(last_month)
    if end < start:
        raise ValueError(f"{end.date()} is before {start.date()}")
    wanted = pd.date_range(start, end, freq="MS")
    covered = per_frame(seizures, "months", lambda frame: set(frame["month"].unique()))
    missing = [m for m in wanted if m not in covered]
    if missing:
        raise NoSeriesData(
            f"the seizure data do not cover {', '.join(m.strftime('%Y-%m') for m in missing)}; "
            f"they run {seizures['month'].min():%Y-%m} to {seizures['month'].max():%Y-%m}"
        )
    totals = {"first_month": start, "last_month": end, "months": len(wanted)}
    by_drug = per_frame(seizures, "arrays_by_drug", _seizure_arrays_by_drug)
    if set(filters) == {"drug"} and filters["drug"] in by_drug:  # a check's question, once per seizure claim
        month, events, lb, kg = by_drug[filters["drug"]]
        within = (month >= start.to_datetime64()) & (month <= end.to_datetime64())
        sums = {"events": int(events[within].sum()), "seized_lb": float(lb[within].sum()), "seized_kg": float(kg[within].sum())}
        return pd.Series({**totals, **sums})
    rows = filter_seizures(seizures, **filters)
    rows = rows[(rows["month"] >= start) & (rows["month"] <= end)]
    return pd.Series(
        {
            **totals,
            "events": int(rows["events"].sum()),
            "seized_lb": float(rows["seized_lb"].sum()),
            "seized_kg": float(rows["seized_kg"].sum()),
        }
    )


def _yearly(seizures: pd.DataFrame, year: pd.Series, name: str, **filters) -> pd.DataFrame:
    months = seizures.groupby(year)["month"].nunique().rename("months")
    rows = filter_seizures(seizures, **filters)
    sums = rows.groupby(year[rows.index])[["events", "seized_lb", "seized_kg"]].sum()
    out = pd.concat([months, sums], axis=1).fillna({"events": 0, "seized_lb": 0.0, "seized_kg": 0.0})
    out = out.astype({"events": "int64"}).rename_axis(name).reset_index()
    return out


def seizures_by_fiscal_year(seizures: pd.DataFrame, **filters) -> pd.DataFrame:
    """Totals per fiscal year: fiscal_year, partial_year, months, events, seized_lb, seized_kg."""
    out = _yearly(seizures, seizures["fiscal_year"], "fiscal_year", **filters)
    partial = seizures.groupby("fiscal_year")["partial_year"].any()
    out.insert(1, "partial_year", out["fiscal_year"].map(partial).astype(bool))
    return out


def seizures_by_calendar_year(seizures: pd.DataFrame, **filters) -> pd.DataFrame:
    """Totals per calendar year: calendar_year, partial_year (fewer than 12 months in the data), months, ..."""
    out = _yearly(seizures, seizures["month"].dt.year.rename("calendar_year"), "calendar_year", **filters)
    out.insert(1, "partial_year", out["months"] < 12)
    return out


def partial_fiscal_years(seizures: pd.DataFrame) -> list[int]:
    """Fiscal years CBP marks as to date (FYTD)."""
    return sorted(int(y) for y in seizures.loc[seizures["partial_year"], "fiscal_year"].unique())
