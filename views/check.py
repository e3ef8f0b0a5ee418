"""Check a figure: a reader's number, unit, qualifier, metric, drug, place and period, checked like any claim."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from drugstats import display, vocab
from drugstats.claims import query, safetext
from drugstats.official import cbp_places
from drugstats.pages import check as check_page
from drugstats.pages import deaths as deaths_page
from drugstats.verdicts import lookup
from views import _ui

build = _ui.build()
places = _ui.derived(deaths_page.death_places, build.official.overdose_deaths)
areas = cbp_places.choices(build.official.seizures)  # CBP's regions and areas, by slug
url = check_page.parse_check(_ui.params(), places, areas)
IGNORED = check_page.ignored(_ui.params(), places, areas)  # read before the widgets rewrite the address

st.title("Check a figure")
st.markdown(
    "Read a number about drugs? Enter it as it was written: drugstats checks it against the official record the way "
    "it checks every claim it holds, and shows the verdict, the arithmetic and the chart. The link to this page "
    "keeps what you entered, so you can share the check."
)

PERIOD_METRICS = ("overdose_deaths", "death_share", "drug_seized", "seizure_change", "lethal_pill_share")
PLACE_METRICS = ("overdose_deaths", "death_share", "death_rate", "drug_seized", "seizure_change")
YEARS = list(range(query.FIRST_YEAR + 1, date.today().year + 2))
MONTHS = [f"{y}-{m:02d}" for y in YEARS for m in range(1, 13)]
PERIOD_KINDS = {"year": "Year", "fiscal": "Fiscal year", "months": "Months"}
DIRECTION_LABELS = {"up": "Up (a rise)", "down": "Down (a fall)"}

if IGNORED:  # a link with a value or period the page cannot read: say which, never check a default in silence
    st.info(
        "Not read from the address, so the check below uses the page's default for each: "
        + "; ".join(f"**{name}** ({safetext.escape_markdown(must)})" for name, must in IGNORED)
        + ".",
        icon=":material/info:",
    )


def _period_state(prefix: str, period: str) -> None:
    parsed = query.parse_period(period)
    start, end = parsed if parsed else (date(2022, 2, 1), date(2023, 1, 31))
    kind = "year" if period.isdigit() else "fiscal" if period.startswith("fy") else "months"
    _ui.init_state(f"{prefix}.kind", kind)
    _ui.init_state(f"{prefix}.year", start.year if start.year in YEARS else YEARS[-2])
    _ui.init_state(f"{prefix}.fy", end.year if end.year in YEARS else YEARS[-2])
    _ui.init_state(f"{prefix}.from", f"{start:%Y-%m}" if f"{start:%Y-%m}" in MONTHS else MONTHS[0])
    _ui.init_state(f"{prefix}.to", f"{end:%Y-%m}" if f"{end:%Y-%m}" in MONTHS else MONTHS[-1])


def period_picker(prefix: str, label: str) -> str:
    """The period widgets; returns the period in its URL form (query.parse_period)."""
    kind = st.segmented_control(label, list(PERIOD_KINDS), key=f"{prefix}.kind", format_func=PERIOD_KINDS.get) or "year"
    if kind == "year":
        year = st.selectbox("Year", YEARS, key=f"{prefix}.year")
        return str(year)
    if kind == "fiscal":
        fy = st.selectbox("Fiscal year", YEARS, key=f"{prefix}.fy", format_func=lambda y: f"FY{y} (Oct {y - 1} to Sep {y})")
        return f"fy{fy}"
    first, last = st.columns(2)
    month_name = lambda m: f"{pd.Timestamp(m + '-01'):%B %Y}"  # noqa: E731
    start = first.selectbox("From", MONTHS, key=f"{prefix}.from", format_func=month_name)
    end = last.selectbox("To (inclusive)", MONTHS, key=f"{prefix}.to", format_func=month_name)
    return f"{start}/{end}"


_ui.init_state("check.metric", url.metric)
_ui.init_state("check.value", url.value)
_ui.init_state("check.unit", url.unit)
_ui.init_state("check.qualifier", url.qualifier)
_ui.init_state("check.substance", url.substance)
_ui.init_state("check.place", url.place)
_ui.init_state("check.by", url.by)
_ui.init_state("check.rel", url.rel)
_ui.init_state("check.per", url.per)
_ui.init_state("check.area", url.area)
_ui.init_state("check.direction", url.direction)
_period_state("check.period", url.period)
_period_state("check.vs", url.vs or "fy2021")


def _metric_changed() -> None:
    units = vocab.METRICS[st.session_state["check.metric"]][1]
    if st.session_state["check.unit"] not in units:
        st.session_state["check.unit"] = units[0]


with st.container(border=True):
    metric = st.selectbox(
        "What the number measures",
        check_page.CHECK_METRICS,
        key="check.metric",
        format_func=display.metric_label,
        on_change=_metric_changed,
    )
    a, b, c = st.columns(3)
    qualifier = a.selectbox(
        "As written",
        list(vocab.QUALIFIERS),
        key="check.qualifier",
        format_func=lambda q: q.replace("_", " "),
        help="How the number was qualified: 'more than 100,000', 'about 70 percent', 'nearly 500,000'.",
    )
    value = b.number_input("Number", min_value=0.0, max_value=1e12, step=1.0, format="%g", key="check.value")
    unit = c.selectbox("Unit", vocab.METRICS[metric][1], key="check.unit", format_func=display.unit_label)
    d, e = st.columns(2)
    drugs = check_page.drug_choices(metric)
    if st.session_state["check.substance"] not in drugs:
        st.session_state["check.substance"] = drugs[0]
    substance = d.selectbox("Drug", drugs, key="check.substance", format_func=lambda drug: check_page.drug_label(metric, drug))
    place, by, rel, per = url.place, url.by, url.rel, url.per
    if metric in PLACE_METRICS:
        place = e.selectbox("Place", places, key="check.place", format_func=display.place_name)
    area = ""
    if metric in check_page.SEIZURE_METRICS:
        by = e.selectbox("Seized by", list(vocab.AGENCIES), key="check.by")
        area = d.selectbox(
            "Where (CBP's region, field office or sector)",
            ["", *areas],
            key="check.area",
            format_func=lambda slug: areas.get(slug, "Not a CBP area: the place above"),
            help="CBP counts seizures by region, field office and Border Patrol sector, not by state: a figure for one "
            "of them is checked against its rows only, and a state's only where CBP's areas make it up exactly.",
        )
    if metric == "potency_ratio":
        rels = check_page.relative_choices()
        if st.session_state["check.rel"] not in rels:  # the address named one not offered: IGNORED says so
            st.session_state["check.rel"] = check_page.CHECK_DEFAULTS["rel"]
        rel = e.selectbox("Compared with", rels, key="check.rel", format_func=display.substance_label)
    if metric == "deaths_per_mass":
        per = e.selectbox("Per", list(vocab.MG_PER_UNIT), key="check.per", format_func=display.unit_label)
    period, vs = url.period, url.vs
    if metric in PERIOD_METRICS:
        period = period_picker("check.period", "Period")
    direction = url.direction
    if metric == "seizure_change":
        vs = period_picker("check.vs", "Compared with the period")
        direction = (
            st.segmented_control(
                "Which way the figure went", list(vocab.DIRECTIONS), key="check.direction", format_func=DIRECTION_LABELS.get
            )
            or url.direction
        )

view = check_page.CheckView(
    metric=metric,
    value=float(value),
    unit=unit,
    qualifier=qualifier,
    substance=substance,
    place=place,
    period=period,
    vs=vs if metric == "seizure_change" else "",
    direction=direction,
    by=by,
    rel=rel,
    per=per,
    area=area,
)
_ui.sync_query(view.query())


def which_figure() -> None:
    """The reverse lookup: which official figures this number could be, whatever the metric, drug or place."""
    box = _ui.opened_expander("Which official figure is this number?", key="check.lookup")
    if box is None:
        return
    with box:
        rows = _ui.derived(check_page.lookup_rows, _ui.derived(lookup.candidates, build.official), view)
        if rows.empty:
            st.markdown(f"No official figure in drugstats is within 5% of {query.format_number(view.value)} {view.unit}.")
            return
        st.caption(
            "Every CDC count (reported and predicted, every drug and place), death share, CBP total (by fiscal and "
            "calendar year, nationwide, by region and component) and reference value within 5% of the number, "
            "nearest first. The same number can match several: the claim's own words say which it means."
        )
        _ui.table(
            rows,
            hide_index=True,
            column_config={
                "distance_percent": st.column_config.NumberColumn("Off by", format="%.2f%%"),
                "value": st.column_config.NumberColumn("Official figure", format="localized"),
                "unit": st.column_config.TextColumn("Unit"),
                "measure": st.column_config.TextColumn("What it counts", width="large"),
                "place": st.column_config.TextColumn("Place"),
                "window": st.column_config.TextColumn("Period"),
                "series": st.column_config.TextColumn("Series"),
                "release": st.column_config.TextColumn("Release"),
            },
        )


result = _ui.derived(check_page.reader_check, build, view)
if result.problems:
    st.warning("This figure cannot be checked as entered. " + " ".join(safetext.escape_markdown(p) for p in result.problems))
    which_figure()
    st.stop()
if result.verdict is None:
    st.warning("drugstats could not check this combination. Try another unit, drug or period.")
    which_figure()
    st.stop()
verdict = result.verdict

st.subheader("Verdict")
_ui.verdict_badge(verdict.verdict)
st.markdown(safetext.escape_markdown(verdict.explanation))
if verdict.derivation:
    _ui.field_line("Derivation", verdict.derivation)
if verdict.measure is not None:
    _ui.field_line("Official source", verdict.measure.citation)

if result.figure is not None:
    _ui.show_figure(result.figure)
which_figure()
st.caption(
    "Verdicts follow the rules on the Sources and method page: how close the official value must be depends on the "
    "qualifier (exact, about, more than, nearly, less than)."
)
