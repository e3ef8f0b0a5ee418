"""Sources and method: every citation, the official datasets and their releases, and how verdicts are decided."""

from __future__ import annotations

import streamlit as st

from drugstats import display
from drugstats.claims import safetext
from drugstats.official import queries, series
from drugstats.pages import sources as sources_page
from drugstats.publish import changes, cite, export
from drugstats.verdicts import checks, pipeline
from views import _ui

build = _ui.build()
_ui.sync_query({})

st.title("Sources and method")

st.header("How to cite drugstats")
citation = cite.dataset(build.reviewed_on, export.SITE_URL)
st.code(citation.plain, language=None, wrap_lines=True)
with st.expander("BibTeX"):
    st.code(citation.bibtex, language="bibtex")
st.caption("Cite the CDC release date with any CDC number: the provisional counts are revised every month.")

st.header("Documents cited")
st.markdown(
    "Every document a claim or statement comes from. Where we read a copy rather than the original, the copy is named "
    "(*republished by*), and where the official URL was inferred rather than read, *URL read* is unticked."
)
st.markdown(_ui.derived(sources_page.documents_markdown, build.sources))  # one element for the list
with st.expander("BibTeX for every document"):
    st.code(_ui.derived(cite.documents_bibtex, build.sources), language="bibtex")
sources_table = _ui.opened_expander(f"The same as a table ({len(build.sources)} documents)", key="sources-table")
if sources_table is not None:
    _ui.table(
        build.sources,
        container=sources_table,
        hide_index=True,
        column_config={
            "url": st.column_config.LinkColumn("URL", validate=r"^https?://"),
            "republished_url": st.column_config.LinkColumn("Copy read", validate=r"^https?://"),
            "url_seen": st.column_config.CheckboxColumn("URL read"),
            "secondary_copy": st.column_config.CheckboxColumn("Read in a copy"),
            "accessed": st.column_config.DateColumn("Accessed", format="YYYY-MM-DD"),
        },
    )
st.download_button(
    "Download the sources (CSV)",
    _ui.derived(export.to_csv_bytes, build.sources),
    "sources.csv",
    "text/csv",
    icon=":material/download:",
    on_click="ignore",
)

st.header("Official datasets")
st.subheader("What each death series covers")
st.markdown(
    "CDC's provisional counts and NCHS's final data are different series: a calendar year is checked against the final "
    "count where one is held, else against the provisional count of the 12 months ending December, and a chart never "
    "joins them in one line. A death rate is checked against NCHS's rate of its own basis (age-adjusted unless the "
    "claim says crude). A county count CDC suppressed (1 to 9 deaths) or that the copy held lost (1,000 or more) is "
    "never read as zero."
)
_ui.table(
    _ui.derived(sources_page.coverage_rows, build.official),
    hide_index=True,
    column_config={
        "series": "Dataset",
        "status": "Final or provisional",
        "measure": "Measure",
        "drug": "Drug",
        "places": "Places",
        "covers": "Periods",
    },
)
for meta in build.official.datasets.values():
    with st.container(border=True):
        st.subheader(safetext.escape_markdown(meta.title))
        if meta.url:
            st.markdown("**Published at:** " + safetext.markdown_link(meta.url, meta.url))
        _ui.field_lines(
            [
                ("Producer", meta.producer),
                *([("Series", sources_page.SERIES_STATUS[meta.dataset])] if meta.dataset in sources_page.SERIES_STATUS else []),
                ("License", meta.license),
                (
                    "Newest release",
                    meta.release_name(meta.release) if meta.release else "not dated by the producer; see each file",
                ),
            ]
        )
        if meta.dataset == series.CDC_VSRR:
            st.markdown(
                "**Releases held.** Every release is kept: a claim is checked against the newest and against the "
                "release of its day. A date marked *estimated* is ours, not CDC's (the files' release basis says how)."
            )
            _ui.table(
                _ui.derived(sources_page.release_rows, meta),
                hide_index=True,
                column_config={
                    "release": "Release",
                    "date": "Its date",
                    "latest_month": "Latest month counted",
                    "files": "Files",
                    "rows": "Rows",
                },
            )
        st.markdown("**Files**")
        _ui.table(_ui.derived(sources_page.dataset_files, meta), hide_index=True)

latest = _ui.derived(changes.latest, _ui.data_dir())
st.subheader("What the latest refresh changed")
if latest is None:
    st.markdown(
        "No refresh has been run on these data: `drugstats refresh cdc-vsrr` adds CDC's newest release and lists "
        "here every verdict it changes."
    )
elif latest.problem is not None:
    st.warning(f"data/{changes.FOLDER}/{latest.name}: {latest.problem.message}")
else:
    what = f"The refresh of {latest.dataset} on {latest.day}"
    if latest.rows.empty:
        st.markdown(f"{what} changed no verdict and no official value a claim is checked against.")
    else:
        st.markdown(f"{what} changed the verdict or the official value of {len(latest.rows)} claims:")
        _ui.table(
            # the release as people read it ("about June 2026 (estimated)"), else its date for an older changes file
            latest.rows.assign(
                detail="claims?claim=" + latest.rows["id"],
                official_release_before=latest.rows["official_release_before_name"].fillna(
                    latest.rows["official_release_before"]
                ),
                official_release_after=latest.rows["official_release_after_name"].fillna(latest.rows["official_release_after"]),
            ).drop(columns=["id", *changes.RELEASE_NAMES]),
            hide_index=True,
            column_config={
                "verdict_before": st.column_config.TextColumn("Verdict before"),
                "verdict_after": st.column_config.TextColumn("Verdict after"),
                "official_value_before": st.column_config.NumberColumn("Official before", format="localized"),
                "official_value_after": st.column_config.NumberColumn("Official after", format="localized"),
                "official_release_before": "Release before",
                "official_release_after": "Release after",
                "quote": st.column_config.TextColumn("Quote", width="large"),
                "detail": st.column_config.LinkColumn("Claim", display_text="Open"),
            },
        )

st.header("Reference values")
st.markdown(
    "Constants (the DEA's potentially lethal dose, relative potency) and final annual death counts, each with the "
    "sentence it was read in and where it was read."
)
reference = _ui.derived(pipeline.Build.tables, build)["reference_values"]
_ui.table(
    reference,
    hide_index=True,
    # Headers and help from the field metadata; days, not "2023-01-01 00:00:00"
    column_config=_ui.table_columns("reference_values", source_url=st.column_config.LinkColumn("Source", validate=r"^https?://")),
)
st.download_button(
    "Download the reference values (CSV)",
    _ui.derived(export.to_csv_bytes, reference),
    "reference_values.csv",
    "text/csv",
    icon=":material/download:",
    on_click="ignore",
)

st.header("Published agency figures")
st.markdown(
    "What the DEA itself published: fentanyl pills and powder it seized, and the share of pills its laboratory found "
    "with a potentially lethal dose, each with its sentence, where it was published and when. These are the agency's "
    "statements, not a measured series: a DEA figure in a claim is checked against them and the verdict says so. "
    "Where the DEA published two versions of a figure (a year-end count, revised later), both are here, dated; a "
    "claim that fits either is consistent, and its explanation names the version in force on the claim's date. A "
    "figure for one DEA field division is never checked against a national one. Rows the checks leave out say why."
)
agency = _ui.derived(pipeline.Build.tables, build)["agency_figures"]
_ui.table(
    agency,
    hide_index=True,
    column_config=_ui.table_columns("agency_figures", url=st.column_config.TextColumn("Published at", width="medium")),
)
st.download_button(
    "Download the published agency figures (CSV)",
    _ui.derived(export.to_csv_bytes, agency),
    "agency_figures.csv",
    "text/csv",
    icon=":material/download:",
    on_click="ignore",
)

st.header("Method")
cdc = build.official.datasets[series.CDC_VSRR]
releases = [cdc.release_name(r) for r in reversed(queries.death_releases(build.official.overdose_deaths))]
st.subheader("12-month-ending windows")
st.markdown(
    "CDC's provisional counts are totals for the **12 months ending** in a given month: the figure for January 2023 "
    "covers February 2022 to January 2023. A claim about a calendar year is compared with NCHS's final count of that "
    "year where drugstats holds one, else with the window ending in December; a claim about any other 12 months with "
    "the window ending in its last month. A claim about a period that is not 12 whole months cannot be compared with "
    "these counts and is marked unverifiable."
)
st.subheader("Fiscal and calendar years")
st.markdown(
    "CBP counts seizures by federal **fiscal year**, October to September, named by the year it ends in: FY2023 runs "
    "from October 2022 to September 2023. Its latest year is published **to date** (FYTD) and holds only the months "
    "so far; drugstats marks it as partial and never compares it with whole years. A claim about a calendar year or "
    "any run of whole months is compared with CBP's monthly counts summed over exactly those months."
)
st.subheader("Seizures by place")
st.markdown(
    "CBP counts seizures by **region** (Southwest Border, Northern Border, Coastal/Interior) and by **Area of "
    "Responsibility**: an Office of Field Operations field office (ports of entry) or a Border Patrol sector (between "
    "them), never by state. A claim about a region, field office or sector is checked against that place's rows "
    "only; a regional or local figure is never compared with a nationwide total. A state's figure is checked only "
    "where CBP's areas make the state up exactly, which drugstats records with how it is known; elsewhere it is "
    "unverifiable and the explanation says why."
)
_ui.table(
    _ui.derived(sources_page.cbp_state_rows, build.official.cbp_states),
    hide_index=True,
    column_config={
        "state": "State",
        "areas": st.column_config.TextColumn("CBP areas known to lie in it", width="medium"),
        "checked": "Checked",
        "why": st.column_config.TextColumn("Why", width="large"),
        "known_from": st.column_config.TextColumn("Known from", width="large"),
        "read_on": "Read on",
    },
)
partial = queries.partial_fiscal_years(build.official.seizures)
if partial:
    st.caption(f"Partial (to date) in the data now: FY{', FY'.join(map(str, partial))}.")
st.subheader("Provisional and final counts, and release dates")
st.markdown(
    "CDC's Vital Statistics Rapid Release counts are **provisional**: revised every month as death certificates come "
    "in, and flagged as underreported for the latest months. NCHS publishes **final** counts a year or more later; "
    "they differ slightly from the provisional ones, and are a series of their own: a calendar year is checked against "
    'the final count where one is held (the explanation says "NCHS final count" or "CDC provisional count"), a '
    "figure that misses it but fits the provisional count is judged on that, and a chart draws the final count as a "
    "point apart from the provisional line. Every official row in drugstats names its release. A claim is "
    "checked against the newest release held and, where drugstats holds the release of the claim's day (published "
    "on or before it, at most two months before), against that one too: the claim's page shows both verdicts."
)
st.caption("CDC releases in the data: " + ", ".join(releases) + ".")
st.subheader("How verdicts are decided")
st.markdown(
    "Each claim is compared with the official value for the same measure, drug, place and period. Whether it is "
    "**consistent**, **overstated** or **understated** depends on how it was qualified. A claim that misses the "
    "measure it names but matches another (fentanyl deaths that are in fact all overdose deaths) is a **wrong "
    "measure**. A claim no series in drugstats covers is **unverifiable**: that is not a judgement that it is wrong."
)
st.markdown(
    "A death figure quoted from a **state or local office** (a health department, a coroner, a medical examiner) is "
    "counted by that office's own definitions: residents only, or unintentional deaths only. Where CDC's count agrees, "
    "the verdict stands; where it differs, the claim is **unverifiable** and CDC's count is given for context, since "
    "the difference is not an error in the claim. CDC's provisional counts for **New York** leave out New York City, "
    "so a figure for the whole state is never judged against them; NCHS's final counts of New York are the whole "
    "state, and a calendar-year figure is judged against them where held."
)
st.markdown(
    "A **death rate** per 100,000 is checked against NCHS's final rate of the same basis: age-adjusted (to the 2000 US "
    "standard population, as CDC and NCHS publish rates) unless the claim says crude, and a crude rate is never "
    "judged against an age-adjusted one. A rate that does not say which, and misses the age-adjusted rate, is judged "
    "on the crude rate where it fits it, else left unverifiable. A **county** count is checked against CDC's county "
    "series; a count CDC suppressed (1 to 9 deaths) or that the copy held lost (1,000 or more) leaves the claim "
    "unverifiable, never compared with zero."
)
tolerances = _ui.derived(sources_page.tolerance_rows, checks.DEFAULT_TOLERANCES)
st.markdown("**Tolerances** (from `drugstats.verdicts.checks.Tolerances`)")
_ui.table(tolerances, hide_index=True)
st.markdown("**When a claim is consistent**: the official values each qualified number fits")
_ui.table(
    _ui.derived(sources_page.verdict_rule_rows, checks.DEFAULT_TOLERANCES),
    hide_index=True,
    column_config={
        "claim": st.column_config.TextColumn("The claim says"),
        "case": st.column_config.TextColumn("Case", width="medium"),
        "asserts": st.column_config.TextColumn("Which asserts"),
        "consistent_if_official": st.column_config.TextColumn("Consistent if the official value is", width="large"),
        "consistent_if_official_from": st.column_config.NumberColumn("from"),
        "consistent_if_official_to": st.column_config.NumberColumn("to"),
    },
)
st.markdown("Outside that range the claim **overstates** (the official value is lower) or **understates** it (higher).")
st.caption(
    "The ranges are found by asking the checks' own compare function, so they cannot drift from the rule the checks apply."
)
st.markdown("**The verdicts**")
st.markdown("\n\n".join(f"{_ui.badge_text(v)} {safetext.escape_markdown(display.VERDICTS[v].meaning)}" for v in checks.VERDICTS))
st.subheader("Units")
st.markdown(
    "Seizure weights are compared in pounds, as CBP publishes them; kilograms use 1 lb = 0.45359237 kg exactly. "
    "Doses are in milligrams. People and deaths are the same count in a claim about deaths."
)
