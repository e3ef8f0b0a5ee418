"""Downloads: the whole bundle as a zip, and each table on its own, as the export command writes them."""

from __future__ import annotations

import streamlit as st

from drugstats import export, fields
from pages import _ui

build = _ui.build()
_ui.sync_query({})

st.title("Downloads")
st.markdown(
    "Everything drugstats shows, as clean CSV files with a [Frictionless](https://frictionlessdata.io/) "
    "`datapackage.json` describing every column and its unit, and `claimreview.json` (schema.org ClaimReview) for "
    "fact-checking tools. The same files as `python -m drugstats export`. Text cells that a spreadsheet would run "
    "as a formula are prefixed with a quote."
)

zipped, files = _ui.bundle()
st.download_button(
    f"Download everything (zip, {len(zipped) / 1e6:.1f} MB)",
    data=zipped,
    file_name="drugstats.zip",
    mime="application/zip",
    type="primary",
    icon=":material/folder_zip:",
    key="download-bundle",
    on_click="ignore",
)
st.caption(f"Checks as of {build.reviewed_on}. Licence: {export.LICENSE['title']}.")

st.subheader("Each table")
for name, frame in build.tables().items():
    spec = fields.TABLES[name]
    with st.container(border=True):
        left, right = st.columns([3, 1], vertical_alignment="center")
        left.markdown(f"**{spec['title']}** (`{name}.csv`, {len(frame):,} rows)  \n{spec['description']}")
        right.download_button(
            f"{name}.csv",
            data=export.to_csv_bytes(frame),
            file_name=f"{name}.csv",
            mime="text/csv",
            key=f"download-{name}",
            icon=":material/download:",
            on_click="ignore",
        )

st.subheader("Descriptions")
for name in ("datapackage.json", "claimreview.json"):
    st.download_button(
        name,
        data=files[name],
        file_name=name,
        mime="application/json",
        key=f"download-{name}",
        icon=":material/download:",
        on_click="ignore",
    )
