"""drugstats dashboard: navigation and the shared, validated data; each page is a thin file under views/.

Run by `streamlit run app.py` (app.py serves this script and loads the data as the server starts) or directly.
"""

from __future__ import annotations

import os

os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")  # before pyarrow loads; see app.py

import streamlit as st  # noqa: E402

from views import _ui  # noqa: E402

st.set_page_config(page_title="drugstats", page_icon=":material/fact_check:", layout="wide", initial_sidebar_state="auto")

# The pages live in views/, not pages/: Streamlit runs a pages/ directory's files as pages of their own (without
# this file: no navigation, no run slots) until some session has called st.navigation, so after every restart the
# first visitor arriving by a deep link got a different app. tests/test_browser.py checks a deep link first.
# The URL path names the page (e.g. /claims?claim=<id>); drugstats.publish.export.claim_url relies on "claims".
PAGES = {
    "Figures": [
        st.Page("views/overview.py", title="Overview", icon=":material/home:", url_path="overview", default=True),
        st.Page("views/deaths.py", title="Overdose deaths", icon=":material/show_chart:", url_path="deaths"),
        st.Page("views/seizures.py", title="Seizures", icon=":material/inventory_2:", url_path="seizures"),
        st.Page("views/potency.py", title="Potency and lethal dose", icon=":material/science:", url_path="potency"),
    ],
    "Claims": [
        st.Page("views/claims.py", title="Claims", icon=":material/fact_check:", url_path="claims"),
        st.Page("views/check.py", title="Check a figure", icon=":material/calculate:", url_path="check"),
        st.Page("views/article.py", title="Check an article", icon=":material/newspaper:", url_path="article"),
        st.Page("views/statements.py", title="Statements", icon=":material/record_voice_over:", url_path="statements"),
    ],
    "About": [
        st.Page("views/sources.py", title="Sources and method", icon=":material/menu_book:", url_path="sources"),
        st.Page("views/downloads.py", title="Downloads", icon=":material/download:", url_path="downloads"),
    ],
}

page = st.navigation(PAGES)

# Loaded and validated once per version of the files; on bad data every page shows the error panel instead.
build = _ui.build()

st.sidebar.caption(
    f"{len(build.dataset.claims)} claims checked against CDC, CBP and DEA figures; sources read up to {build.reviewed_on}."
)

with _ui.RUN_SLOTS:
    page.run()
