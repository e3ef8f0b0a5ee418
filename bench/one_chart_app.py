"""Baseline for the benchmarks: the smallest Streamlit app that draws one plotly chart.

bench/load_ws.py and bench/first_chart.py start it exactly as they start app.py, so a ratio against it
measures what drugstats adds (its data, pages and figures), not Streamlit or plotly themselves.
"""

import plotly.graph_objects as go
import streamlit as st

st.title("One chart")
months = list(range(1, 121))
st.plotly_chart(go.Figure(go.Scatter(x=months, y=[100 + (m * 37) % 50 for m in months], mode="lines")), theme=None)
