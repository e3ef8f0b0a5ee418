"""bench/peer_app.py draws what the Overview draws: else its memory would be a peer of another chart.

The peer names the CDC files the Overview's line comes from today; a refresh that moves a line to another release
fails here, and the file names in bench/peer_app.py are then to be updated (bench/README.md, memory).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from drugstats import DATA_DIR
from drugstats.pages import overview
from drugstats.verdicts import pipeline
from tests.test_app import figures, values

pytestmark = pytest.mark.slow  # AppTest and the shipped build

PEER = str(Path(__file__).parents[1] / "bench" / "peer_app.py")
LINES = {"all_drugs": "All drugs", "fentanyl": "Fentanyl (T40.4)"}


@pytest.fixture(scope="module")
def drawn() -> tuple[list[dict], overview.Overview]:
    at = AppTest.from_file(PEER, default_timeout=60).run()
    assert not at.exception, at.exception
    return figures(at), overview.page(pipeline.build(DATA_DIR))


def _numbers(array) -> list[float | None]:
    return [None if v is None or v != v else float(v) for v in values(array)]


def test_the_peer_draws_the_overviews_deaths_lines_point_for_point(drawn):
    charts, page = drawn
    traces = {trace["name"]: trace for trace in charts[0]["data"]}
    assert len(traces) == 2 * len(LINES)
    for substance, name in LINES.items():
        rows = page.trend.rows[page.trend.rows["substance"] == substance].sort_values("period_end")
        assert len(rows) > 100
        reported, predicted = traces[f"{name}, reported"], traces[f"{name}, predicted"]
        assert [str(x)[:10] for x in values(reported["x"])] == [f"{d:%Y-%m-%d}" for d in rows["period_end"]], name
        assert _numbers(reported["y"]) == _numbers(rows["deaths_reported"].astype("float64")), name
        assert _numbers(predicted["y"]) == _numbers(rows["deaths_predicted"].astype("float64")), name


def test_the_peer_draws_the_overviews_verdict_counts(drawn):
    charts, page = drawn
    bars = charts[1]["data"][0]
    counts = page.verdicts.rows.set_index("verdict")["claims"]
    drawn_counts = dict(zip(values(bars["y"]), values(bars["x"]), strict=True))
    assert sum(drawn_counts.values()) > 0
    assert drawn_counts == {v: n for v, n in counts.items() if n}
