"""Seizures: CBP's drug seizures by fiscal year and by month, with the claims about them."""

from __future__ import annotations

import streamlit as st

from drugstats import display, vocab
from drugstats.official import queries
from drugstats.pages import seizures as seizures_page
from views import _ui

build = _ui.build()
seizures = build.official.seizures
areas = _ui.derived(seizures_page.area_choices, seizures)  # field offices and sectors, by slug
url = seizures_page.parse_seizures(_ui.params(), areas)

st.title("Seizures")
st.markdown(
    "Drugs seized by U.S. Customs and Border Protection, from CBP's *Nationwide Drug Seizures* files: at ports of "
    "entry (Office of Field Operations, OFO) and between them (U.S. Border Patrol, USBP). CBP counts by **fiscal "
    "year**, October to September; the latest year is **to date** (FYTD) and is marked as partial. Weights are of "
    "the drug as seized, not of its pure content."
)

for key, value in (
    ("seizures.drug", list(url.drug)),
    ("seizures.component", list(url.component)),
    ("seizures.region", list(url.region)),
    ("seizures.unit", url.unit),
    ("seizures.ytd", url.ytd),
    ("seizures.area", url.area),
):
    _ui.init_state(key, value)

top = st.columns([3, 2])
drugs = top[0].multiselect(
    "Drugs", list(vocab.SEIZED_DRUGS), format_func=display.drug_label, key="seizures.drug", placeholder="Pick a drug"
)
unit = (
    top[1].segmented_control(
        "Unit", vocab.MASS_UNITS, key="seizures.unit", format_func=lambda u: f"{display.unit_label(u)} ({u})"
    )
    or "lb"
)
bottom = st.columns([2, 3])
components = bottom[0].pills(
    "CBP component",
    list(vocab.CBP_COMPONENTS),
    selection_mode="multi",
    wrap=True,
    key="seizures.component",
    help=" ".join(f"{k}: {v}." for k, v in vocab.CBP_COMPONENTS.items()),
)
regions = bottom[1].pills(
    "Region",
    list(seizures_page.REGION_SLUGS),
    selection_mode="multi",
    wrap=True,
    key="seizures.region",
    format_func=seizures_page.REGION_SLUGS.get,
)

area = st.selectbox(
    "One field office or Border Patrol sector",
    ["", *areas],
    key="seizures.area",
    format_func=lambda slug: areas.get(slug, "All of the components and regions above"),
    help="CBP's Area of Responsibility: an Office of Field Operations field office (ports of entry) or a Border Patrol "
    "sector (between them). Its rows alone are drawn, with the claims about it.",
)
ytd_drug = st.session_state["seizures.ytd"]
view = seizures_page.SeizuresView(tuple(drugs), tuple(components), tuple(regions), unit, ytd_drug, area)

if not drugs or not components or not regions:
    _ui.sync_query(view.query())
    st.info("Pick at least one drug, one component and one region to draw the charts.")
    st.stop()

if view.area:
    st.caption(f"{areas[view.area]} alone: only the claims about it are drawn, never a nationwide total.")
elif not view.nationwide:
    st.caption(
        "Claims are drawn over the place they are about: nationwide totals only when every component and region is selected."
    )

st.subheader("By fiscal year")
by_year = _ui.derived(seizures_page.by_fiscal_year, build, view)
_ui.show_figure(by_year)
partial = _ui.derived(queries.partial_fiscal_years, seizures)
if partial:
    st.caption(
        f"FY{', FY'.join(map(str, partial))} is to date: only the months CBP has published so far. Compare it with the "
        "same months of earlier years (the year-to-date chart below), not with whole years."
    )

st.subheader("By month")
_ui.show_figure(_ui.derived(seizures_page.by_month, build, view))

st.subheader("Fiscal year to date")
ytd_drug = st.selectbox(
    "Drug for the year-to-date comparison", list(vocab.SEIZED_DRUGS), format_func=display.drug_label, key="seizures.ytd"
)
view = seizures_page.SeizuresView(tuple(drugs), tuple(components), tuple(regions), unit, ytd_drug, area)
_ui.sync_query(view.query())
_ui.show_figure(_ui.derived(seizures_page.year_to_date, build, view))
_ui.source_line(by_year.sources[0])

st.subheader("Claims about CBP seizures")
cbp = _ui.derived(seizures_page.seizure_claim_markers, build.claims, build.verdicts, unit)
if len(cbp):
    table = cbp.assign(
        verdict=_ui.verdict_cells(cbp["verdict"]),
        drawn_on=cbp["chart"].map(
            {"fiscal_year": "fiscal-year and year-to-date charts", "ytd": "year-to-date chart", "": "not drawn"}
        ),
        detail="claims?claim=" + cbp["id"],
    )[["verdict", "quote", "claimant", "claimed_on", f"claimed_{unit}", "period_start", "period_end", "drawn_on", "detail"]]
    _ui.table(
        table,
        hide_index=True,
        column_config={
            **_ui.CLAIM_COLUMNS,
            f"claimed_{unit}": st.column_config.NumberColumn(f"Claimed ({unit})", format="localized"),
            "claimed_on": st.column_config.DateColumn("Claimed on", format="YYYY-MM-DD"),
            "period_start": st.column_config.DateColumn("From", format="YYYY-MM-DD"),
            "period_end": st.column_config.DateColumn("To", format="YYYY-MM-DD"),
        },
    )
st.caption(
    "Seizure figures of other agencies (DEA, HSI, USPIS, HIDTA) are never checked against CBP's series; they are listed "
    "with their verdicts on the Claims page."
)
