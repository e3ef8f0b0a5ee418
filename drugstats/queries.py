"""Questions asked of the official series, each answered once: the rows a chart draws, the figure a check compares.

Pure functions of the tidy frames drugstats.series builds; no file is read here.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from drugstats import series

DEATH_COUNTS = ("reported", "predicted")


def deaths_rows(deaths: pd.DataFrame, place: str, substances: Sequence[str], counts: Sequence[str]) -> pd.DataFrame:
    """12-month-ending counts from each window's newest release, for the place and substances, as charted."""
    rows = series.latest_release(deaths)
    rows = rows[(rows["geography"] == place) & rows["substance"].isin(substances) & (rows["window_months"] == 12)]
    order = {s: i for i, s in enumerate(substances)}
    rows = rows.assign(_order=rows["substance"].map(order)).sort_values(["_order", "period_end"], kind="stable")
    columns = ["period_end", "window_months", "geography", "substance", "indicator"]
    columns += [f"deaths_{c}" for c in DEATH_COUNTS if c in counts] + ["flag", "release"]
    return rows[columns].reset_index(drop=True)


def share_rows(deaths: pd.DataFrame, place: str, substance: str) -> pd.DataFrame:
    """Share of all drug deaths involving the substance, per 12-month window, oldest first.

    Both counts of a window come from one release (the newest that has both): a share is never a ratio of counts
    from two releases, which CDC revises at different times.
    """
    d = deaths[(deaths["geography"] == place) & (deaths["window_months"] == 12)]
    part = d[d["substance"] == substance][["period_end", "release", "deaths_reported"]]
    whole = d[d["substance"] == "all_drugs"][["period_end", "release", "deaths_reported"]]
    both = part.merge(whole, on=["period_end", "release"], suffixes=("_substance", "_all_drugs")).dropna()
    both = both.sort_values("release").drop_duplicates("period_end", keep="last").sort_values("period_end")
    both["share_percent"] = (
        both["deaths_reported_substance"].astype("float64") / both["deaths_reported_all_drugs"].astype("float64") * 100
    )
    both.insert(1, "substance", substance)
    return both.reset_index(drop=True)
