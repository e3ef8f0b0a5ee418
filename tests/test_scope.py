"""Death verdicts that may not stand: figures quoted from state or local offices, and New York State against CDC's NY."""

from __future__ import annotations

import pandas as pd
import pytest

from drugstats.verdicts import checks, scope
from drugstats.verdicts.checks import OfficialRecord
from tests.test_checks import REFERENCE, claim, deaths_rows, seizure_rows

ODH = "Ohio Department of Health"


def with_state(code: str, count: int) -> OfficialRecord:
    deaths = deaths_rows()
    state = deaths[deaths["substance"] == "all_drugs"].assign(
        geography=code, deaths_reported=pd.array([count] * 3, dtype="Int64")
    )
    return OfficialRecord(pd.concat([deaths, state], ignore_index=True), seizure_rows(), REFERENCE)


@pytest.mark.parametrize(
    ("cited", "office"),
    [
        ("Ohio Department of Health", "Ohio Department of Health"),
        ("Oregon Health Authority", "Oregon Health Authority"),
        ("Texas Department of State Health Services", "Texas Department of State Health Services"),
        ("Ohio county coroners", "Ohio county coroners"),
        ("Pima County Office of the Medical Examiner", "Pima County Office of the Medical Examiner"),
        ("CDC", None),
        ("NCHS (CDC)", None),
        ("CDC (CDC WONDER)", None),
        ("National Vital Statistics System", None),  # NCHS's own death records, not a state's vital statistics office
        ("NVSS", None),
        ("Arizona Department of Health Services Vital Statistics", "Arizona Department of Health Services Vital Statistics"),
        ("DEA", None),
        ("", None),
        (None, None),
    ],
)
def test_a_state_or_local_office_is_told_from_cdc_and_national_bodies(cited, office):
    assert scope.local_counter(cited) == office


def test_a_state_office_figure_that_differs_from_cdc_is_not_judged_and_cdc_is_given_for_context():
    record = with_state("OH", 5_000)
    verdict = checks.check_claim(claim(value=4_050, qualifier="exact", geography="US-OH", attributed_to=ODH), record)
    assert verdict.verdict == "unverifiable" and verdict.measure is None
    assert verdict.explanation.startswith(
        "The claim quotes Ohio Department of Health, which counts deaths by its own definitions"
    )
    assert "CDC's provisional count of drug overdose deaths in Ohio for 12 months ending December 2021 was 5,000 deaths" in (
        verdict.explanation
    )
    # The same figure cited to CDC is judged.
    assert checks.check_claim(claim(value=4_050, qualifier="exact", geography="US-OH"), record).verdict == "understated"


def test_a_state_office_figure_that_agrees_with_cdc_keeps_its_verdict():
    record = with_state("OH", 5_000)
    verdict = checks.check_claim(claim(value=5_000, qualifier="exact", geography="US-OH", attributed_to=ODH), record)
    assert verdict.verdict == "consistent" and verdict.measure.value == 5_000
    assert verdict.explanation.endswith("The claim quotes Ohio Department of Health; CDC's count agrees with it.")


def test_new_york_state_is_never_judged_against_cdcs_count_without_new_york_city():
    record = with_state("NY", 3_000)
    verdict = checks.check_claim(claim(value=6_000, qualifier="exact", geography="US-NY"), record)
    assert verdict.verdict == "unverifiable" and verdict.measure is None
    assert "leave out New York City" in verdict.explanation and "was 3,000 deaths" in verdict.explanation
    # Even a figure that happens to match CDC's NY is another place's.
    assert checks.check_claim(claim(value=3_000, qualifier="exact", geography="US-NY"), record).verdict == "unverifiable"
