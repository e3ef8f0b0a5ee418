"""drugstats dashboard: a thin Streamlit layer over the drugstats core."""

from __future__ import annotations

import streamlit as st

from drugstats import DATA_DIR, load, transform
from drugstats.errors import DataError

st.set_page_config(page_title="drugstats", layout="wide")


@st.cache_resource(show_spinner=False)
def dataset():
    """Load and validate the shipped data once per process."""
    return load.load_dataset(DATA_DIR)


st.title("drugstats")
st.caption("Drug-policy figures in the news, checked against the official record.")

try:
    data = dataset()
except DataError as err:
    st.error("The data failed validation, so nothing is shown. Problems found:")
    st.code("\n".join(str(p) for p in err.problems), language=None)
    st.stop()

claims = transform.claims_frame(data.claims, data.sources)
st.subheader(f"{len(claims)} claims")
st.dataframe(
    claims[["id", "quote", "value", "unit", "qualifier", "metric", "substance", "claimant", "attributed_to", "source_url"]],
    hide_index=True,
    column_config={"source_url": st.column_config.LinkColumn("source")},
)
