"""Potency and lethal dose: the DEA's reference values, relative potency, and what a seized weight means in doses."""

from __future__ import annotations

import streamlit as st

from drugstats import vocab
from drugstats.claims import safetext
from drugstats.official import queries
from drugstats.pages import overview
from drugstats.pages import potency as potency_page
from drugstats.publish import cite, export
from views import _ui

build = _ui.build()
reference = build.official.reference_values
url = potency_page.parse_dose(_ui.params())

st.title("Potency and lethal dose")
st.markdown(
    'The constants behind sentences like *"two milligrams is a lethal dose"* and *"one kilogram can kill half a '
    'million people"*: what the DEA publishes, what follows from it by arithmetic, and what does not.'
)

st.subheader("Reference values")
st.markdown(
    "The DEA's figures for a potentially lethal dose, the fentanyl in a counterfeit pill and relative potency, each with "
    "the sentence it was read in. (Final annual death counts and rates, the other reference values, are on the Sources page.)"
)
constants = _ui.derived(potency_page.reference_constants, reference)
labels = potency_page.REFERENCE_LABELS
_ui.table(
    constants,
    hide_index=True,
    column_config={
        **{column: st.column_config.TextColumn(label) for column, label in labels.items()},
        "figure": st.column_config.TextColumn(labels["figure"], width="medium"),
        "source_url": st.column_config.LinkColumn(labels["source_url"], validate=r"^https?://"),
        "value": st.column_config.NumberColumn(labels["value"], format="localized"),
        "url_seen": st.column_config.CheckboxColumn(
            labels["url_seen"], help="Unticked: the URL was inferred, the text read in a copy"
        ),
    },
)
st.download_button(
    "Download these reference values (CSV)",
    data=_ui.derived(export.to_csv_bytes, constants),
    file_name="reference-values-dea.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
)

st.subheader("Relative potency")
_ui.show_figure(_ui.derived(potency_page.figure, build))
st.caption(
    "Potency is per unit of weight: fentanyl is active at a hundredth of the dose of morphine. It says nothing about how "
    "much of a drug is in a pill or a seizure."
)

st.subheader("From a seized weight to potentially lethal doses")
dose = potency_page.lethal_dose(reference)
dose_mg = vocab.to_canonical(float(dose["value"]), str(dose["unit"]), "lethal_dose")
dose_citation = cite.reference_citation(dose)
latest = _ui.derived(overview.fentanyl_seizures_headline, build.official)
latest_years = _ui.derived(queries.seizures_by_fiscal_year, build.official.seizures, drug="fentanyl")
latest_full = potency_page.latest_full_year(latest_years)
defaults = {unit: potency_page.default_weight(latest_years, unit) for unit in vocab.MASS_UNITS}

_ui.init_state("potency.weight", url.weight if url.weight is not None else defaults[url.unit])
_ui.init_state("potency.unit", url.unit)


def _unit_changed() -> None:
    # Keep the same quantity when the unit changes.
    st.session_state["potency.weight"] = potency_page.convert_weight(
        float(st.session_state["potency.weight"]),
        st.session_state["potency.previous_unit"],
        st.session_state["potency.unit"],
        defaults,
    )


st.session_state["potency.previous_unit"] = st.session_state["potency.unit"]
left, right = st.columns([2, 1])
weight = left.number_input(
    "Weight seized",
    min_value=0.001,
    max_value=1e9,
    step=100.0,
    format="%g",  # the weight as typed or as CBP states it (12027), not padded to "12027.000"
    key="potency.weight",
    help=f"Starts at CBP's fentanyl seizures in FY{int(latest_full['fiscal_year'])}, nationwide, in whole units.",
)
unit = right.segmented_control("Unit", vocab.MASS_UNITS, key="potency.unit", on_change=_unit_changed) or "lb"
is_default = abs(weight - defaults[unit]) < 1e-9
_ui.sync_query(potency_page.DoseView(None if is_default else float(weight), unit).query())

doses, steps = potency_page.dose_arithmetic(float(weight), unit, dose_mg, dose_citation.text)
st.metric("Potentially lethal doses, if the powder were pure fentanyl", potency_page.doses_headline(doses))
for number, step in enumerate(steps, start=1):
    st.markdown(f"{number}\\. {safetext.escape_markdown(step.text)}  \n:gray[{safetext.escape_markdown(step.source)}]")
_ui.source_line(dose_citation, prefix="Dose")
if is_default:
    _ui.source_line(latest.citation, prefix=f"Weight (fentanyl seized by CBP nationwide in FY{int(latest_full['fiscal_year'])})")

st.markdown("**What this number is not**")
for caveat in potency_page.DOSE_CAVEATS:
    st.markdown(f"- {safetext.escape_markdown(caveat)}")

one_kg, kg_steps = potency_page.dose_arithmetic(1.0, "kg", dose_mg, dose_citation.text)
with st.expander('The same arithmetic for one kilogram ("one kilogram can kill half a million people")'):
    for number, step in enumerate(kg_steps, start=1):
        st.markdown(f"{number}\\. {safetext.escape_markdown(step.text)}  \n:gray[{safetext.escape_markdown(step.source)}]")
    st.markdown(
        f"So 1 kg holds at most **{potency_page.doses_headline(one_kg)}** potentially lethal doses of pure fentanyl. "
        'Said of "one kilogram of '
        'the drug" as seized, it overstates twice: seized powder is not pure, and a dose is not a death.'
    )
