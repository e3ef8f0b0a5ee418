"""Peer for the memory benchmark: the Overview's two charts as a user would write them without drugstats.

pandas reads the same CDC files the Overview's deaths line is drawn from (the newest release holding each line:
all drugs from the 2026-02-14 US file, fentanyl from the 2026-06-27 API pull) and the shipped claims' verdicts,
and plotly draws the two charts; `st.cache_data` keeps the frames, the figures are made on every run. No drugstats
import, no validation, no checksums, no claims on the line. The verdicts are drugstats' own (tests/golden.csv): a
user without drugstats would keep such a table by hand. bench/load_ws.py starts it as it starts app.py.
"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

CDC = "data/raw/cdc-vsrr/"


@st.cache_data
def us_deaths() -> pd.DataFrame:
    every = pd.read_csv(CDC + "vsrr_20260214_US_number_of_drug_overdose_deaths.csv").rename(
        columns={"State": "state", "Year": "year", "Month": "month", "Period": "period"}
    )
    every = every.rename(columns={"Data Value": "data_value", "Predicted Value": "predicted_value"}).assign(drug="All drugs")
    fentanyl = pd.read_csv(CDC + "cdc_api_provisional_overdose_counts.csv").assign(drug="Fentanyl (T40.4)")
    rows = pd.concat([every, fentanyl[fentanyl["state"] == "US"]], ignore_index=True)
    rows = rows[rows["period"] == "12 month-ending"]
    rows["month_end"] = pd.to_datetime(rows["month"] + " " + rows["year"].astype(str), format="%B %Y") + pd.offsets.MonthEnd(0)
    return rows[["drug", "month_end", "data_value", "predicted_value"]].sort_values(["drug", "month_end"])


@st.cache_data
def verdict_counts() -> pd.Series:
    claims = pd.read_csv("tests/golden.csv")
    return claims[claims["kind"] == "claim"]["verdict"].value_counts()


st.title("Overdose deaths and claims")

deaths = us_deaths()
line = go.Figure()
for drug, rows in deaths.groupby("drug"):
    line.add_scatter(x=rows["month_end"], y=rows["data_value"], mode="lines", name=f"{drug}, reported")
    line.add_scatter(x=rows["month_end"], y=rows["predicted_value"], mode="lines", line_dash="dot", name=f"{drug}, predicted")
line.update_layout(title="US overdose deaths in the 12 months ending each month (CDC VSRR)", yaxis_title="Deaths")
st.plotly_chart(line, theme=None)

counts = verdict_counts()
bars = go.Figure(go.Bar(x=counts.to_numpy(), y=counts.index, orientation="h", text=counts.to_numpy()))
bars.update_layout(title="Verdicts on the claims", xaxis_title="Claims", yaxis_autorange="reversed", height=340)
st.plotly_chart(bars, theme=None)
