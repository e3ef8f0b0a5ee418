"""A seizure claim is checked against the rows of the place it names (a CBP region, field office, sector, or a state
whose areas are known exactly), and never against the nation's total in its stead."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from drugstats.claims.models import Claim, claim_rules
from drugstats.official import cbp, cbp_places
from drugstats.verdicts import checks
from drugstats.verdicts.record import OfficialRecord
from drugstats.verdicts.tolerance import compare, printed_as
from drugstats.verdicts.transform import claims_frame

# FY2022 (Oct 2021 - Sep 2022): TUCSON FIELD OFFICE 100 lb a month, TUCSON SECTOR 10, DETROIT FIELD OFFICE 1,000.
_MONTHS = pd.date_range("2020-10-01", "2022-09-01", freq="MS")
_AREAS = (
    ("TUCSON FIELD OFFICE", "OFO", "Southwest Border", 100.0),
    ("TUCSON SECTOR", "USBP", "Southwest Border", 10.0),
    ("DETROIT FIELD OFFICE", "OFO", "Northern Border", 1000.0),
)


def seizures() -> pd.DataFrame:
    frames = [
        pd.DataFrame({"month": _MONTHS, "drug": "fentanyl", "seized_lb": lb, "events": 1, "component": c, "region": r, "area": a})
        for a, c, r, lb in _AREAS
    ]
    frame = pd.concat(frames, ignore_index=True)
    frame["seized_kg"] = frame["seized_lb"] * 0.45359237
    return frame


def state(geography: str, areas: list[str], exact: bool) -> cbp_places.StateAreas:
    return cbp_places.StateAreas(
        id="s",
        geography=geography,
        areas=areas,
        exact=exact,
        why="Area X spans two states.",
        known_from="a sentence read",
        urls=["https://example.org/a"],
        read_on=date(2026, 1, 1),
    )


def record(states=None) -> OfficialRecord:
    return OfficialRecord(pd.DataFrame(), seizures(), pd.DataFrame(), cbp_states=states or {})


def claim(**over):
    base = dict(
        id="c",
        quote="q",
        metric="drug_seized",
        substance="fentanyl",
        value=1200,
        unit="lb",
        qualifier="exact",
        period_start="2021-10-01",
        period_end="2022-09-30",
        claimant="X",
        attributed_to="CBP",
        source="s",
        seized_by="CBP",
    )
    return claims_frame([Claim.model_validate(base | over)], {}).iloc[0]


def test_a_field_office_figure_is_checked_against_that_field_office():
    v = checks.check_claim(claim(cbp_area="Tucson Field Office", geography="US-AZ"), record())
    assert v.verdict == "consistent"
    assert v.measure.value == pytest.approx(1200)
    assert "Tucson Field Office" in v.explanation and "nationwide" not in v.explanation


def test_a_field_office_figure_the_size_of_the_nations_is_overstated_not_consistent():
    nation = 12 * (100 + 10 + 1000)
    v = checks.check_claim(claim(value=nation, cbp_area="TUCSON FIELD OFFICE"), record())
    assert v.verdict == "overstated"
    assert v.measure.value == pytest.approx(1200)


def test_a_sector_and_a_region_are_their_own_rows():
    assert checks.check_claim(claim(value=120, cbp_area="tucson  sector"), record()).verdict == "consistent"
    v = checks.check_claim(claim(value=1320, cbp_area="Southwest Border"), record())
    assert (v.verdict, v.measure.value) == ("consistent", pytest.approx(1320))


def test_a_name_not_in_cbps_file_is_unverifiable_not_the_nation():
    v = checks.check_claim(claim(cbp_area="Southwest Land Border"), record())
    assert v.verdict == "unverifiable" and v.measure is None
    assert "no region or Area of Responsibility named 'Southwest Land Border'" in v.explanation


def test_a_state_without_a_known_mapping_is_unverifiable():
    v = checks.check_claim(claim(geography="US-OH", value=13320), record())
    assert v.verdict == "unverifiable" and v.measure is None
    assert "Ohio" in v.explanation and "never used for a state" in v.explanation


def test_a_state_whose_areas_span_states_is_unverifiable_with_the_reason():
    v = checks.check_claim(claim(geography="US-AZ", value=1320), record({"US-AZ": state("US-AZ", ["TUCSON SECTOR"], False)}))
    assert v.verdict == "unverifiable" and v.explanation.endswith("Area X spans two states.")


def test_a_state_whose_areas_are_exact_is_the_sum_of_them():
    states = {"US-AZ": state("US-AZ", ["TUCSON FIELD OFFICE", "TUCSON SECTOR"], True)}
    v = checks.check_claim(claim(geography="US-AZ", value=1320), record(states))
    assert (v.verdict, v.measure.value) == ("consistent", pytest.approx(1320))


def test_the_nation_still_sums_every_area():
    v = checks.check_claim(claim(geography="US", value=13320), record())
    assert (v.verdict, v.measure.value) == ("consistent", pytest.approx(13320))
    assert "nationwide" in v.measure.label


def test_another_country_is_unverifiable():
    assert checks.check_claim(claim(geography="MX", value=13320), record()).verdict == "unverifiable"


def test_a_change_at_a_field_office_compares_that_field_offices_years():
    c = claim(
        metric="seizure_change",
        value=50,
        unit="percent",
        cbp_area="Tucson Field Office",
        compared_to_start="2020-10-01",
        compared_to_end="2021-09-30",
        direction="up",
    )
    # 1,200 lb both years at the field office: no change, whereas a 50% rise is claimed
    v = checks.check_claim(c, record())
    assert v.verdict == "overstated" and v.measure.value == pytest.approx(0)


def test_cbp_area_is_only_for_cbp_seizure_claims():
    base = dict(id="c", quote="q", substance="fentanyl", claimant="X", attributed_to="DEA", source="s", cbp_area="Tucson Sector")
    dea = Claim.model_validate(base | dict(metric="drug_seized", value=5, unit="lb", qualifier="exact", seized_by="DEA"))
    assert [f for f, _ in claim_rules(dea)] == ["cbp_area"]
    deaths = Claim.model_validate(base | dict(metric="overdose_deaths", value=5, unit="deaths", qualifier="exact"))
    assert "cbp_area" in [f for f, _ in claim_rules(deaths)]


def test_state_areas_file_problems_name_file_record_and_field(tmp_path):
    path = tmp_path / "cbp_places.yaml"
    path.write_text(
        "- id: arizona\n  geography: US-AZ\n  areas: [TUCSON SECTR]\n  exact: maybe\n  why: w\n  known_from: k\n"
        "  urls: [https://example.org/a]\n  read_on: 2026-01-01\n"
        "- id: ohio\n  geography: US-OH\n  areas: [TUCSON SECTR]\n  exact: false\n  why: w\n  known_from: k\n"
        "  urls: [https://example.org/a]\n  read_on: 2026-01-01\n",
        encoding="utf-8",
    )
    states, problems = cbp_places.parse_state_areas(path, "cbp_places.yaml")
    assert [str(p) for p in problems] == ["cbp_places.yaml:4: arizona: exact: expected true or false, got the text 'maybe'"]
    assert [str(p) for p in cbp_places.check_areas(states, seizures(), "cbp_places.yaml")] == [
        "cbp_places.yaml: ohio: areas: 'TUCSON SECTR' is not an Area of Responsibility in CBP's file"
    ]


def test_no_state_areas_file_means_no_state_is_read():
    assert cbp_places.parse_state_areas(__import__("pathlib").Path("/nonexistent/cbp_places.yaml"), "x") == ({}, [])


@pytest.mark.parametrize(
    ("stated", "official", "expected"),
    [
        (4500, 4597.4, True),  # cut to hundreds
        (2300, 2268.2, True),  # rounded
        (4500, 4600.0, False),  # the next hundred
        (4500, 4449.0, False),  # rounds to 4,400
        (30, 39.0, False),  # one significant digit says nothing of the next
    ],
)
def test_a_number_is_printed_as_its_value_cut_or_rounded_at_its_last_digit(stated, official, expected):
    assert printed_as(stated, official) is expected
    assert (compare(stated, "exact", official) == "consistent") is (expected or abs(official / stated - 1) <= 0.02)


def test_a_claims_area_cbps_file_does_not_name_is_a_problem_naming_file_line_claim_and_field():
    base = dict(quote="q", metric="drug_seized", substance="fentanyl", value=5, unit="lb", qualifier="exact")
    base |= dict(claimant="X", attributed_to="CBP", source="s", seized_by="CBP")
    claims = [Claim(id="good", cbp_area="tucson sector", **base), Claim(id="bad", cbp_area="Tucson Secter", **base)]
    where = {("claim", "good"): ("claims/a.yaml", 1), ("claim", "bad"): ("claims/a.yaml", 12)}
    assert [str(p) for p in cbp_places.claim_problems(claims, seizures(), where)] == [
        "claims/a.yaml:12: bad: cbp_area: 'Tucson Secter' is not a region, field office or Border Patrol sector in CBP's "
        "seizure file (it names e.g. Southwest Border, Tucson Field Office, Tucson Sector)"
    ]


def test_a_drug_cbp_does_not_count_apart_is_unverifiable_and_says_so():
    v = checks.check_claim(claim(substance="all_drugs", cbp_area="Tucson Field Office"), record())
    assert v.verdict == "unverifiable" and "counts each drug type apart" in v.explanation


def test_the_parser_keeps_each_rows_component_region_and_area():
    body = (
        "FY,Month (abbv),Component,Region,Land Filter,Area of Responsibility,Drug Type,Count of Event,Sum Qty (lbs)\r\n"
        "2023,OCT,Office of Field Operations,Southwest Border,Land Only,TUCSON FIELD OFFICE,Fentanyl,3,10\r\n"
        "2023,OCT,U.S. Border Patrol,Northern Border,Land Only,SWANTON SECTOR,Fentanyl,1,2\r\n"
    )
    frame, problems = cbp.parse_cbp(body.encode(), "x.csv")
    assert problems == []
    assert frame[["component", "region", "area"]].values.tolist() == [
        ["OFO", "Southwest Border", "TUCSON FIELD OFFICE"],
        ["USBP", "Northern Border", "SWANTON SECTOR"],
    ]
    place = cbp_places.find(frame, "Swanton Sector")
    assert (place.kind, place.region, place.areas) == ("area", "Northern Border", ("SWANTON SECTOR",))
