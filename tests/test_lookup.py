"""drugstats.verdicts.lookup: which official figure is this number? On small inline series, never the shipped numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from drugstats import cli
from drugstats.official import series
from drugstats.verdicts import lookup


def _deaths() -> pd.DataFrame:
    rows = [
        ("all_drugs", "US", "2023-01-31", 109_745, 111_311, "2026-02-14"),
        ("all_drugs", "US", "2023-01-31", 109_000, 110_000, "2025-06-01"),  # an older release of the same window
        ("fentanyl", "US", "2023-01-31", 75_390, 76_436, "2026-02-14"),
        ("all_drugs", "US", "2022-12-31", 109_413, 111_000, "2026-02-14"),
        ("all_drugs", "TX", "2023-01-31", 5_000, 5_100, "2026-02-14"),
    ]
    return pd.DataFrame(
        {
            "period_end": pd.to_datetime([r[2] for r in rows]),
            "window_months": 12,
            "geography": [r[1] for r in rows],
            "substance": [r[0] for r in rows],
            "deaths_reported": pd.array([r[3] for r in rows], dtype="Int64"),
            "deaths_predicted": pd.array([r[4] for r in rows], dtype="Int64"),
            "release": pd.to_datetime([r[5] for r in rows]),
        }
    )


def _seizures() -> pd.DataFrame:
    months = pd.date_range("2021-10-01", "2022-09-01", freq="MS")
    frame = pd.DataFrame(
        {"month": months, "fiscal_year": 2022, "partial_year": False, "drug": "fentanyl", "region": "Southwest Border"}
    )
    frame = pd.concat([frame.assign(component="OFO", seized_lb=1000.0), frame.assign(component="USBP", seized_lb=225.0)])
    frame["seized_kg"] = frame["seized_lb"] * 0.45359237
    return frame.reset_index(drop=True)


REFERENCE = pd.DataFrame(
    [{"value": 2.0, "unit": "mg", "metric": "lethal_dose", "substance": "fentanyl", "figure": "Potentially lethal dose",
      "geography": None, "period": "n/a", "published": "2024-05-09"}]
)  # fmt: skip


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return lookup.candidates(series.Series(_deaths(), _seizures(), REFERENCE, {}))


def test_a_death_count_is_found_in_its_window_and_release(figures):
    (first, *rest) = lookup.lookup(figures, 109_745)
    assert (first.value, first.place, first.window, first.release, first.distance) == (
        109_745,
        "United States",
        "12 months ending January 2023",
        "2026-02-14",
        0,
    )
    assert first.measure == "CDC provisional deaths: All drugs (reported)"
    assert not any(m.release == "2025-06-01" for m in rest)  # only each window's newest release
    assert [m.window for m in rest][:1] == ["calendar year 2022 (12 months ending December)"]  # 109,413: 0.3% off


def test_nearest_first_and_within_the_tolerance(figures):
    found = lookup.lookup(figures, 110_000, tolerance=0.01)
    assert [m.value for m in found] == sorted([m.value for m in found], key=lambda v: abs(v - 110_000))
    assert all(m.distance <= 0.01 for m in found) and {109_745, 110_000 * 1.0} & {m.value for m in found}
    assert lookup.lookup(figures, 50_000) == []


def test_unit_metric_and_drug_narrow_the_candidates(figures):
    assert {m.unit for m in lookup.lookup(figures, 14_700, tolerance=0.01)} == {"lb"}
    fy = lookup.lookup(figures, 14_700, unit="lb", tolerance=0.01)
    assert fy[0].window == "FY2022 (12 months)" and fy[0].place == "nationwide" and fy[0].value == pytest.approx(14_700)
    assert lookup.lookup(figures, 14_700 * 0.45359237, unit="kg")[0].unit == "kg"
    assert lookup.lookup(figures, 12_000, unit="lb", tolerance=0.001)[0].place == "OFO (Office of Field Operations)"
    assert lookup.lookup(figures, 75_390, substance="all_drugs", tolerance=0.01) == []
    assert lookup.lookup(figures, 5_000, unit="people")[0].place == "Texas"  # people and deaths are one count
    assert lookup.lookup(figures, 2, unit="mg")[0].measure == "Potentially lethal dose"


def test_a_share_of_deaths_is_a_candidate_too(figures):
    share = lookup.lookup(figures, 68.7, unit="percent", tolerance=0.01)
    assert share and share[0].metric == "death_share" and share[0].value == pytest.approx(75_390 / 109_745 * 100)


def test_the_number_must_be_above_zero(figures):
    with pytest.raises(ValueError, match="above zero"):
        lookup.lookup(figures, 0)


def test_cli_lists_the_shipped_all_drug_deaths_for_january_2023(capsys):
    assert cli.main(["lookup", "109745", "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert "All drugs (reported); United States; 12 months ending January 2023" in out.splitlines()[1]
    assert cli.main(["lookup", "109,745", "--unit", "lb", "--tolerance", "0.001"]) == 0
    assert "no official figure within 0.001% of 109,745" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli.main(["lookup", "-5"])


def test_final_counts_and_rates_are_candidates_named_as_final_once_per_figure():
    import types

    from drugstats.official import nchs_final

    final = pd.DataFrame(
        {
            "dataset": [nchs_final.STATE, nchs_final.SOSMAP],
            "substance": "all_drugs",
            "geography": "TX",
            "year": 2012,
            "deaths": pd.array([2500, 2500], dtype="Int64"),
            "rate_crude": [9.6, float("nan")],
            "rate_age_adjusted": [9.8, 9.8],
        }
    )
    official = types.SimpleNamespace(final_deaths=final)
    rows = pd.concat(list(lookup._final(official)), ignore_index=True)
    assert sorted(rows["measure"].str.split(":").str[0]) == [
        "NCHS final age-adjusted death rate",
        "NCHS final crude death rate",
        "NCHS final deaths",
    ]  # the map table's copy of Texas 2012 is not listed twice
    assert set(rows["series"]) == {nchs_final.STATE} and set(rows["window"]) == {"calendar year 2012"}
