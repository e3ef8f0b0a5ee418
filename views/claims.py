"""Claims: every claim with its verdict, found by search and counted facets, sorted, each quote readable whole with
its number marked; one claim in detail at ?claim=<id>, drawn over its official series."""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from drugstats import display
from drugstats.claims import query, safetext
from drugstats.pages import claim_scores
from drugstats.pages import claims as claims_page
from drugstats.publish import cite, claimplot, export, revisions
from drugstats.site import api
from drugstats.verdicts import checks, scorecards
from views import _site, _ui

build = _ui.build()
table = _ui.derived(claims_page.claims_table, build.claims, build.verdicts)
options = _ui.derived(claims_page.facet_options, table)
url = claims_page.parse_claims(_ui.params(), table["id"], options)
had_claim_param = "claim" in _ui.params()

FACET_LABELS = {
    "metric": ("What is measured", display.metric_label),
    "substance": ("Drug", display.substance_label),
    "claimant": ("Who said it", str),
    "attributed_to": ("Whom it cites", str),
    "source_id": ("Where it was published", None),
    "verdict": ("Verdict", display.verdict_label),
}
source_titles = {
    row.id: f"{cite.published_in(row.publisher, row.title)} ({row.published})" for row in build.sources.itertuples(index=False)
}


def _back_to_list() -> None:
    st.query_params.pop("claim", None)


def show_claim(claim_id: str) -> None:
    """The claim, its verdict and chart first (what a reader came for), then who said it and the official figure."""
    claim = build.claims.loc[build.claims["id"] == claim_id].iloc[0]
    verdict = build.verdict_by_id[claim_id]
    st.button("All claims", icon=":material/arrow_back:", on_click=_back_to_list)
    st.title("Claim")
    _ui.quote_block(claim["quote"])
    when = claim["claimed_on"].date().isoformat() if pd.notna(claim["claimed_on"]) else claim["source_published"]
    st.caption(
        safetext.escape_markdown(f"{claim['claimant']}, {when}; attributed to {claim['attributed_to']}. ")
        + safetext.markdown_link("Read the source", claim["source_url"])
    )
    st.subheader("Verdict")
    vintages = claims_page.then_and_now(verdict)
    if vintages is None:
        _ui.verdict_badge(verdict.verdict)
    else:  # checked against the release of its day and against the newest: both, the one of its day first
        for column, v in zip(st.columns(2), vintages, strict=True):
            column.markdown(
                f"**{v.when}** {_ui.badge_text(v.verdict)}  \n"
                + safetext.escape_markdown(f"CDC counted {v.value:,.0f} in the release of {v.release}.")
            )
    st.markdown(safetext.escape_markdown(verdict.explanation))
    if verdict.revised_since and vintages is None:
        st.caption("CDC has revised its provisional counts since the claim was made; the verdict uses the newest release.")

    figure = _ui.derived(claimplot.claim, build, claim_id)
    if figure is not None:
        _ui.show_figure(figure)
    else:
        st.info("There is no official series to draw this claim against.")
    window = claims_page.revisions_view(claim, verdict)
    revised = _ui.derived(revisions.figure, build, *window, f"claims?claim={claim_id}") if window else None
    if revised is not None:
        then = verdict.measure_at_claim
        st.markdown(
            "**The same window in each CDC release held**: the count in the release of the claim's day ("
            + safetext.escape_markdown(then.release_name if then is not None else "")
            + ") and how later releases revised it."
        )
        _ui.show_figure(revised)

    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("Who, where, when")
        _ui.field_line("Said by", claim["claimant"])
        _ui.field_line("Attributed to", claim["attributed_to"])
        _ui.field_line("When", when)
        st.markdown(
            "**Published in:** "
            + safetext.markdown_link(cite.published_in(claim["source_publisher"], claim["source_title"]), claim["source_url"])
        )
        stated = f"{claim['qualifier'].replace('_', ' ')} {float(claim['value']):,g} {display.unit_label(claim['unit'])}"
        _ui.field_line("The number", stated)
        _ui.field_line(
            "What it measures", f"{display.metric_label(claim['metric'])}; {display.substance_label(claim['substance'])}"
        )
        if pd.notna(claim["period_start"]):
            _ui.field_line("Period", checks.describe_window(claim["period_start"].date(), claim["period_end"].date()))
        if pd.notna(claim["geography"]):
            _ui.field_line("Place", display.place_name(str(claim["geography"]).removeprefix("US-")))
        for label, column in (("Seized by", "seized_by"), ("Compared with", "relative_to"), ("Per", "per")):
            if pd.notna(claim[column]):
                _ui.field_line(label, claim[column])
        if pd.notna(claim["notes"]):
            _ui.field_line("Curator's note", claim["notes"])
    with right:
        st.subheader("The official figure")
        m = verdict.measure
        if m is None:
            st.markdown("drugstats holds no official figure for this claim.")
        else:
            _ui.field_line("Value", f"{m.value:,.1f} {display.unit_label(m.unit)}".replace(".0 ", " "))
            _ui.field_line("Measure", m.label)
            if m.window:
                _ui.field_line("Window", m.window)
            _ui.field_line("Release", m.release_name)
            _ui.field_line(
                "Kind",
                {
                    "measurement": "a measurement",
                    "reference": "an agency's reference value",
                    "derived": "derived by arithmetic",
                }.get(m.kind, m.kind),
            )
            if m.citation:
                _ui.field_line("Source", m.citation)
        if verdict.derivation:
            _ui.field_line("Derivation", verdict.derivation)
        if verdict.ratio is not None and verdict.ratio == verdict.ratio:
            st.markdown(safetext.escape_markdown(claims_page.ratio_sentence(verdict.ratio)))
        if verdict.alternative is not None:
            a = verdict.alternative
            _ui.field_line("The number fits instead", f"{a.value:,.0f} {display.unit_label(a.unit)}: {a.label}, {a.window}")
    link = claims_page.claim_link(claim_id, st.context.url, os.environ.get("DRUGSTATS_SITE_URL"))
    st.caption("Link to this claim: " + safetext.escape_markdown(link))
    if _site.serving():
        st.caption(
            f"To share: [the claim's page]({api.claim_path(claim_id)}), which previews with its chart and needs no "
            f"JavaScript; the claim and its verdict as [JSON]({api.claim_json_path(claim_id)})."
        )


if url.claim:
    _ui.sync_query(url.query(options))
    show_claim(url.claim)
    st.stop()

st.title("Claims")
if had_claim_param:
    st.info("The link did not name a claim drugstats holds, so here is the list of all claims.")

SECTIONS = {"list": "Every claim", "scorecards": "Scorecards", "repeats": "Repeated figures"}
_ui.init_state("claims.section", query.parse_choice(_ui.params().get("show"), SECTIONS, "list"))
section = st.segmented_control(
    "Show", list(SECTIONS), key="claims.section", format_func=SECTIONS.get, label_visibility="collapsed"
)
section = section or "list"
listed = table
SCOPE_TITLES = {"outlet": "Outlets", "claimant": "Who said it", "cited": "Whom it cites"}

if section == "scorecards":
    _ui.sync_query({"show": "scorecards"})
    cards = _ui.derived(scorecards.scorecards, listed)
    kinds = dict(zip(build.sources["id"], build.sources["kind"], strict=True))
    outlets, speakers = _ui.derived(claim_scores.news_names, listed, tuple(sorted(kinds.items())))
    st.markdown(
        "Which outlets and speakers print figures the official record does not bear out. **Wrong** counts the "
        "checkable claims found overstated, understated or the wrong measure; the share is of the checkable claims "
        "(those an official series can settle). **A scorecard resting on a handful of claims says little**, and each "
        "says how many it rests on. Open a row's claims, or only its wrong ones, from its links (Open wrong, Open all); click a "
        "header to sort by it."
    )
    _ui.init_state("claims.score-order", claim_scores.DEFAULT_ORDER)
    order = st.selectbox(
        "Order",
        list(claim_scores.ORDERS),
        key="claims.score-order",
        format_func=lambda k: claim_scores.ORDERS[k][0],
    )
    titles = [title for title, _ in claim_scores.SECTIONS.values()]
    for tab, (key, (_, about)) in zip(st.tabs(titles), claim_scores.SECTIONS.items(), strict=True):
        with tab:
            rows = _ui.derived(claim_scores.section_rows, cards, key, outlets, speakers, order)
            st.caption(f"{about} {len(rows)} in all.")
            _ui.table(
                rows,
                column_order=[
                    "name",
                    "wrong",
                    "wrong_share",
                    "wrong_link",
                    "checkable",
                    "claims",
                    "link",
                    *checks.VERDICTS,
                    "rests_on",
                ],
                height=min(38 + 35 * len(rows), 740),
                column_config={
                    "name": st.column_config.TextColumn("Name", width=250, pinned=True),
                    "wrong": st.column_config.NumberColumn("Wrong", help="Overstated + understated + wrong measure"),
                    "wrong_share": st.column_config.NumberColumn("Wrong, of checkable", format="percent"),
                    "checkable": st.column_config.NumberColumn("Checkable"),
                    "claims": st.column_config.NumberColumn("Claims"),
                    **{v: st.column_config.NumberColumn(display.verdict_label(v)) for v in checks.VERDICTS},
                    "rests_on": st.column_config.TextColumn("Rests on", width="medium"),
                    "link": st.column_config.LinkColumn("Its claims", display_text="Open all"),
                    "wrong_link": st.column_config.LinkColumn("Wrong ones", display_text="Open wrong"),
                },
            )
    st.stop()

if section == "repeats":
    _ui.sync_query({"show": "repeats"})
    repeated = _ui.derived(scorecards.repeats, listed)
    st.markdown(
        "The same figure (metric, drug, place and period, and a number within the rounding either was written to) "
        "printed by more than one outlet, from its first appearance on; the figures printed most widely first."
    )
    if repeated.empty:
        st.info("No figure in the claims drugstats holds appears in more than one outlet yet.")
        st.stop()
    present = [v for v in checks.VERDICTS if v in set(repeated["verdict"])]
    wanted = st.pills(
        "Show figures with an appearance found",
        present,
        selection_mode="multi",
        key="claims.repeats-verdict",
        format_func=display.verdict_label,
    )
    _ui.init_state("claims.repeats-page", 1)
    shown_page = _ui.derived(
        claim_scores.repeats_page, repeated, tuple(wanted or ()), int(st.session_state["claims.repeats-page"])
    )
    st.caption(
        f"{shown_page.matching} figures; page {shown_page.page} of {shown_page.pages}, {claim_scores.PER_PAGE} figures a page."
    )
    for group in shown_page.groups:
        with st.container(border=True):
            first = group.iloc[0]
            st.markdown(
                f"**{safetext.escape_markdown(query.format_number(float(first['value'])))} "
                f"{safetext.escape_markdown(display.unit_label(str(first['unit'])))}**, "
                f"in {group['outlet'].nunique()} outlets  \n:gray[{safetext.escape_markdown(first['figure'])}]"
            )
            lines = []
            for row in group.itertuples(index=False):
                tag = "First: " if row.first_appearance else ""
                lines.append(
                    f"- {_ui.badge_text(row.verdict)} {tag}{safetext.escape_markdown(f'{row.outlet}, {row.said_on}')}: "
                    f"{safetext.escape_markdown(row.quote)} [Open](claims?claim={row.id})"
                )
            st.markdown("\n".join(lines))
    if shown_page.pages > 1:
        st.session_state["claims.repeats-page"] = shown_page.page  # held to the pages a new filter leaves
        st.number_input(
            f"Page (of {shown_page.pages})",
            min_value=1,
            max_value=shown_page.pages,
            step=1,
            key="claims.repeats-page",
        )
    st.stop()

for facet in claims_page.CLAIM_FACETS:
    _ui.init_state(f"claims.{facet}", list(url.facets.get(facet, ())))
_ui.init_state("claims.q", url.q)
_ui.init_state("claims.checkable", url.checkable)
_ui.init_state("claims.sort", url.sort)
_ui.init_state("claims.layout", "cards")

index = _ui.derived(claims_page.search_index, table)
q = st.text_input(
    "Search quotes, names and notes",
    key="claims.q",
    max_chars=100,
    placeholder="e.g. fentanyl 2022, or a number however written: 105000, 105,000, 105k",
)
chosen = {f: tuple(st.session_state.get(f"claims.{f}", ())) for f in claims_page.CLAIM_FACETS}
checkable = bool(st.session_state.get("claims.checkable"))
counts = _ui.derived(claims_page.facet_counts, table, index, tuple(sorted(chosen.items())), query.parse_text(q), checkable)


def _counted(facet: str, fmt):  # noqa: ANN001
    """A facet value's label with how many claims it would list."""
    return lambda value: f"{fmt(value) if fmt else value} ({counts[facet].get(str(value), 0)})"


facets: dict[str, tuple[str, ...]] = {
    "verdict": tuple(
        st.pills(
            "Verdict",
            [v for v in checks.VERDICTS if v in options["verdict"]],
            selection_mode="multi",
            wrap=True,
            key="claims.verdict",
            format_func=_counted("verdict", display.verdict_label),
        )
    )
}
others = [f for f in claims_page.CLAIM_FACETS if f != "verdict"]
active = sum(bool(st.session_state.get(f"claims.{f}")) for f in others)
with st.expander(f"More filters ({active} active)" if active else "More filters", expanded=bool(active)):
    columns = st.columns(2)
    for i, facet in enumerate(others):
        label, fmt = FACET_LABELS[facet]
        if facet == "source_id":
            fmt = source_titles.get
        selected = columns[i % 2].multiselect(
            label, options[facet], key=f"claims.{facet}", format_func=_counted(facet, fmt), placeholder="Any"
        )
        facets[facet] = tuple(selected)

left, middle, right = st.columns([2, 2, 1.4], vertical_alignment="bottom")
checkable = left.toggle("Only claims an official series can settle", key="claims.checkable")
sort = middle.selectbox("Order", list(claims_page.SORTS), key="claims.sort", format_func=lambda k: claims_page.SORTS[k][0])
layout = right.segmented_control("Show", ["cards", "table"], key="claims.layout", format_func=str.capitalize) or "cards"

view = claims_page.ClaimsView(claim=None, facets=facets, q=query.parse_text(q), checkable=checkable, sort=sort)
shown = _ui.derived(claims_page.listed_claims, table, index, tuple(sorted(facets.items())), view.q, checkable, sort)
st.caption(f"{len(shown)} of {len(table)} claims. Open a claim to see it over its official series.")

PAGE = 25


def show_cards(rows: pd.DataFrame) -> None:
    """Each claim readable whole: its verdict, the quote with the number it states marked, who said it and when."""
    limit = st.session_state.get("claims.more", PAGE)
    for row in rows.head(limit).itertuples(index=False):
        before, number, after = claims_page.highlighted(str(row.quote), float(row.value))
        quote = safetext.escape_markdown(before)
        if number:
            quote += f":orange-background[**{safetext.escape_markdown(number)}**]" + safetext.escape_markdown(after)
        when = row.said_on if isinstance(row.said_on, str) else "date not recorded"
        with st.container(border=True):
            st.markdown(
                f"{_ui.badge_text(row.verdict)}\n\n> {quote}\n\n"
                + safetext.escape_markdown(f"{row.claimant}, {when}; cites {row.attributed_to}. ")
                + f"[Open the claim](claims?claim={row.id})"
            )
    if len(rows) > limit:
        if st.button(f"Show {min(PAGE, len(rows) - limit)} more", key="claims.show-more"):
            st.session_state["claims.more"] = limit + PAGE
            st.rerun()


if layout == "cards":
    show_cards(shown)
    event = None
else:
    rows_shown = shown.assign(
        verdict=_ui.verdict_cells(shown["verdict"]),
        metric=shown["metric"].map(display.metric_label),
        substance=shown["substance"].map(display.substance_label),
        detail="claims?claim=" + shown["id"],
    )[
        [
            "verdict",
            "quote",
            "claimant",
            "said_on",
            "attributed_to",
            "metric",
            "substance",
            "value",
            "unit",
            "qualifier",
            "source_url",
            "detail",
        ]
    ]
    event = _ui.table(
        rows_shown,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="claims.table",
        column_config={
            **_ui.CLAIM_COLUMNS,
            "said_on": st.column_config.TextColumn("When"),
            "attributed_to": st.column_config.TextColumn("Cites"),
            "metric": st.column_config.TextColumn("Measures"),
            "substance": st.column_config.TextColumn("Drug"),
            "unit": st.column_config.TextColumn("Unit"),
            "qualifier": st.column_config.TextColumn("As written"),
            "value": st.column_config.NumberColumn("Number", format="localized"),
            "source_url": st.column_config.LinkColumn("Source", display_text="Source", validate=r"^https?://"),
        },
    )

st.download_button(
    "Download these claims with their verdicts (CSV)",
    data=_ui.derived(export.to_csv_bytes, _ui.derived(claims_page.claims_download, shown)),
    file_name="claims-with-verdicts.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
)

picked = event.selection.rows if event is not None else []
if picked:
    view = claims_page.ClaimsView(
        claim=str(shown.iloc[picked[0]]["id"]), facets=facets, q=view.q, checkable=view.checkable, sort=view.sort
    )
    _ui.sync_query(view.query(options))
    st.rerun()
_ui.sync_query(view.query(options))
