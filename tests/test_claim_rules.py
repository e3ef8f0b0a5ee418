"""A claim's field rules beyond the YAML reader: dates in range, sane values, visible text, URLs that parse (issue 13)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from drugstats import vocab
from drugstats.claims import models

CLAIM = {
    "id": "c",
    "quote": "Two milligrams of fentanyl is considered a lethal dose.",
    "metric": "lethal_dose",
    "substance": "fentanyl",
    "value": 2,
    "unit": "mg",
    "qualifier": "exact",
    "claimant": "Example News",
    "attributed_to": "DEA",
    "source": "https://example.org/a",
}


def messages(**changes) -> list[str]:
    try:
        claim = models.Claim(**{**CLAIM, **changes})
    except ValidationError as err:
        return [f"{e['loc'][0]}: {e['msg']}" for e in err.errors()]
    return [f"{field}: {message}" for field, message in models.claim_rules(claim)]


def test_a_sound_claim_has_no_problems():
    assert messages() == []


def test_tomorrow_is_refused_and_today_accepted():
    assert messages(claimed_on=date.today()) == []
    tomorrow = date.today() + timedelta(days=1)
    assert messages(claimed_on=tomorrow) == [f"claimed_on: {tomorrow.isoformat()} is in the future"]


def test_a_period_must_have_begun_by_the_claims_day_but_may_end_after_it():
    period = {"period_start": date(2022, 1, 1), "period_end": date(2022, 12, 31)}
    assert messages(**period, claimed_on=date(2022, 12, 20)) == []  # "seized in 2022", said on 2022-12-20
    assert messages(**period, claimed_on=date(2021, 12, 30)) == [
        "period_start: 2022-01-01 is after the claim was made (claimed_on 2021-12-30)"
    ]


@pytest.mark.parametrize("unit", sorted(vocab.UNITS))
def test_every_unit_has_a_range(unit):
    low, high = vocab.UNIT_RANGE[unit]
    assert 0 < low < high < 1e20


@pytest.mark.parametrize(("value", "unit"), [(1e308, "mg"), (5e-324, "mg"), (0.5, "deaths"), (150_000, "per_100k")])
def test_values_outside_their_units_range_are_refused(value, unit):
    (problem,) = [m for m in messages(value=value, unit=unit) if not m.startswith("unit:")]
    assert problem.startswith(f"value: {value:g} is outside the range of a figure in {unit}")


def test_a_whole_number_too_big_for_a_float_is_a_message_not_an_overflow():
    assert messages(value=10**400) == ["value: a whole number of 401 digits is too large: write at most 15 digits"]


@pytest.mark.parametrize("text", ["\u200b", "\u3164", "\u2800\u2800", " \u00a0 "])
def test_a_quote_needs_visible_text(text):
    (problem,) = messages(quote=text)
    assert problem in ("quote: has no visible text, only blank or invisible characters", "quote: must not be empty")


@pytest.mark.parametrize(
    ("url", "why"),
    [("https://[::1/article", "Invalid IPv6 URL"), ("https://example.org:99999999/a", "Port out of range 0-65535")],
)
def test_a_source_url_that_does_not_parse_is_a_message_on_the_field(url, why):
    with pytest.raises(ValidationError) as caught:
        models.Source(id="s", kind="news", publisher="P", title="T", url=url, published="2024", accessed=date(2024, 1, 1))
    (error,) = caught.value.errors()
    assert error["loc"] == ("url",) and error["msg"] == f"{url!r} is not a valid URL ({why})"
