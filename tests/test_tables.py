"""Numbers written to the precision declared for their column (issue 16)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from drugstats import export, fields, series

OFFICIAL = Path(__file__).parent / "fixtures" / "official"


@pytest.fixture(scope="module")
def official() -> series.Series:
    return series.load_series(OFFICIAL)


@pytest.fixture(scope="module")
def written(official) -> dict[str, pd.DataFrame]:
    """The official tables as their CSVs say, every cell the text written."""
    out = {}
    for name, frame in series.series_tables(official).items():
        out[name] = pd.read_csv(io.BytesIO(export.to_csv_bytes(frame, name)), dtype=str, keep_default_na=False)
    return out


# --- numbers to their declared precision ----------------------------------------------------------------------------------


def _decimals(text: str) -> int:
    return max(0, -Decimal(text).as_tuple().exponent)


def test_seized_weights_are_written_to_cbps_precision():
    frame = pd.DataFrame(
        {
            "seized_lb": [0.5256040788341999, 2.20462262e-05, 147.04832875399998, np.nan, 4.0],
            "seized_kg": [0.23840999980007158, 1.0000000000e-05, 66.70042, np.nan, 1.81436948],
            "note": ["-1", "x", "y", "z", "w"],
        }
    )
    rows = list(csv.DictReader(io.StringIO(export.to_csv_bytes(frame, "seizures").decode())))
    assert [r["seized_lb"] for r in rows] == ["0.5256", "0.00002", "147.04833", "", "4.0"]
    assert [r["seized_kg"] for r in rows] == ["0.23841", "0.00001", "66.70042", "", "1.81437"]
    assert rows[0]["note"] == "'-1"  # text is still neutralized; the rounded numbers are not taken for formulas
    # without a table, a frame is written as it is
    assert "0.23840999980007158" in export.to_csv_bytes(frame).decode()


def test_no_written_number_has_more_decimals_than_its_column_declares(written):
    checked = 0
    for name, frame in written.items():
        for column, places in fields.decimals(name).items():
            cells = frame[column][frame[column] != ""]
            assert cells.map(_decimals).max() <= places, (name, column)
            assert cells.map(lambda t: Decimal(t).is_finite() and "e" not in t.lower()).all(), (name, column)
            checked += len(cells)
    assert checked > 1000


def test_the_json_rows_carry_the_csvs_rounded_values(official, written):
    frame = series.series_tables(official)["seizures"]
    assert frame["seized_kg"].map(lambda x: len(repr(x)) > 12).any()  # unrounded in memory, as the checks use it
    rows = json.loads(export.to_json_bytes(frame, "seizures"))
    assert len(rows) == len(written["seizures"])
    for column in fields.decimals("seizures"):
        assert [r[column] for r in rows] == [float(t) for t in written["seizures"][column]], column


def test_decimals_are_declared_only_on_number_columns():
    with pytest.raises(ValueError, match="decimals are for number columns"):
        fields.Field("n", "integer", "a count", decimals=2)
    declared = fields.field("seizures", "seized_kg")
    assert declared.decimals == 5 and "rounded to 5 decimal places" in declared.frictionless()["description"]
    assert fields.field("claims", "value").decimals is None  # a stated number keeps the digits it was printed with
