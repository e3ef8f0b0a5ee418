"""The shipped data still give the verdicts and figures recorded in tests/golden.csv (see tests/golden.py)."""

from __future__ import annotations

import difflib

from drugstats import DATA_DIR
from drugstats.verdicts import pipeline
from tests import golden


def test_the_shipped_data_give_the_golden_verdicts_and_figures():
    computed = golden.to_csv(golden.rows(pipeline.build(DATA_DIR)))
    stored = golden.GOLDEN.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(stored.splitlines(True), computed.splitlines(True), "golden.csv", "data"))
    assert computed == stored, (
        "The shipped data no longer give the recorded verdicts and figures. If the data changed on purpose (a refresh, "
        "an edited claim), run `python -m tests.golden --update` and review the diff; otherwise the code changed them:\n" + diff
    )


def test_the_golden_file_covers_every_shipped_claim_once():
    claims = {c.id for c in pipeline.build(DATA_DIR).dataset.claims}
    recorded = [ident for (kind, ident) in golden._stored() if kind == "claim"]
    assert sorted(recorded) == sorted(claims) and len(claims) > 0
