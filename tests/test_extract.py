"""drugstats extract: figures read from article text, checked like any claim, and the CLI around it."""

from __future__ import annotations

import csv
import io
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest
import yaml

from drugstats import DATA_DIR, cli
from drugstats.claims import load
from drugstats.claims.models import Claim
from drugstats.extract import source as extract_source
from drugstats.extract.check import check_candidates, to_claim
from drugstats.extract.geography import find_geography
from drugstats.extract.numbers import find_numbers, word_value
from drugstats.extract.periods import find_period
from drugstats.extract.reader import extract, sentences
from drugstats.verdicts import pipeline
from drugstats.verdicts.checks import OfficialRecord
from tests.conftest import local_servers_allowed
from tests.extract_score import score

HERE = Path(__file__).parent
ARTICLES = HERE / "articles"
PUBLISHED = date(2023, 4, 13)


def one(text: str, published: date | None = PUBLISHED):
    found = extract(text, published, "Example News")
    assert len(found) == 1, [c.value_text for c in found]
    return found[0]


# ---------------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "text, value_text, value, qualifier, unit",
    [
        ("seized 11,000 pounds", "11,000", 11000, "exact", "lb"),
        ("more than 11,000 pounds", "more than 11,000", 11000, "more_than", "lb"),
        ("nearly 50,000 deaths", "nearly 50,000", 50000, "nearly", "deaths"),
        ("almost 50,000 deaths", "almost 50,000", 50000, "nearly", "deaths"),
        ("roughly 2.5 million pills", "roughly 2.5 million", 2_500_000, "about", "pills"),
        ("at least 300 kilograms", "at least 300", 300, "at_least", "kg"),
        ("up to 50 times", "up to 50", 50, "up_to", "times"),
        ("fewer than 900 people", "fewer than 900", 900, "less_than", "people"),
        ("27,000-plus pounds", "27,000-plus", 27000, "more_than", "lb"),
        ("a record 12,000 pounds", "a record 12,000", 12000, "exact", "lb"),
        ("Two milligrams", "Two", 2, "exact", "mg"),
        ("half a million people", "half a million", 500_000, "exact", "people"),
        ("1.5 million pills", "1.5 million", 1_500_000, "exact", "pills"),
        ("twenty-five percent", "twenty-five", 25, "exact", "percent"),
        ("12.5% of deaths", "12.5", 12.5, "exact", "percent"),
        ("4.5 million fake fentanyl pills", "4.5 million", 4_500_000, "exact", "pills"),
        ("closer to 99,100 deaths", "closer to 99,100", 99100, "about", "deaths"),
    ],
)
def test_numbers_with_qualifier_and_unit(text, value_text, value, qualifier, unit):
    [number] = [n for n in find_numbers(text) if n.unit]
    assert (number.value_text, number.value, number.qualifier, number.unit) == (value_text, value, qualifier, unit)


@pytest.mark.parametrize(
    "words, value", [("two", 2), ("half a million", 500_000), ("a dozen", 12), ("twenty-five", 25), ("one hundred", 100)]
)
def test_number_words(words, value):
    assert word_value(words) == value


def test_phone_numbers_and_money_are_not_numbers_of_anything():
    assert [n.value_text for n in find_numbers("Call 555-123-4567 or pay $1.2 million.")] == []


# ---------------------------------------------------------------------------------------- periods


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("deaths in 2021", date(2021, 1, 1), date(2021, 12, 31)),
        ("last year", date(2022, 1, 1), date(2022, 12, 31)),
        ("so far this year", date(2023, 1, 1), date(2023, 3, 31)),
        ("between February 2022 and January 2023", date(2022, 2, 1), date(2023, 1, 31)),
        ("between October and February", date(2022, 10, 1), date(2023, 2, 28)),
        ("October through February", date(2022, 10, 1), date(2023, 2, 28)),
        ("in fiscal year 2022", date(2021, 10, 1), date(2022, 9, 30)),
        ("seizures from the fiscal year of 2022", date(2021, 10, 1), date(2022, 9, 30)),  # not calendar 2022
        ("in FY21", date(2020, 10, 1), date(2021, 9, 30)),
        ("so far this fiscal year", date(2022, 10, 1), date(2023, 3, 31)),
        ("fiscal year 2023", date(2022, 10, 1), date(2023, 3, 31)),  # not over at publication: to the last whole month
        ("the 12 months ending January 2023", date(2022, 2, 1), date(2023, 1, 31)),
        ("the 12-month period ending in September 2022", date(2021, 10, 1), date(2022, 9, 30)),
        ("the first four months of Fiscal Year 23", date(2022, 10, 1), date(2023, 1, 31)),
        ("the first half of 2021", date(2021, 1, 1), date(2021, 6, 30)),
        ("in March 2022", date(2022, 3, 1), date(2022, 3, 31)),
        ("Between October 1, 2022, and January 31, 2023", date(2022, 10, 1), date(2023, 1, 31)),
        ("this year", date(2023, 1, 1), date(2023, 12, 31)),  # the calendar year; "so far" makes it year to date
        ("the 12-month period ending in March", date(2022, 4, 1), date(2023, 3, 31)),
        ("seized in July", date(2022, 7, 1), date(2022, 7, 31)),  # a month with no year: the latest before publication
        ("March drug seizures", date(2023, 3, 1), date(2023, 3, 31)),
        ("the first six months of 2022", date(2022, 1, 1), date(2022, 6, 30)),
        ("with one month to go in the fiscal year", date(2022, 10, 1), date(2023, 3, 31)),
        ("rose to 19,413 by 2016", date(2016, 1, 1), date(2016, 12, 31)),
    ],
)
def test_periods_against_the_publication_date(text, start, end):
    period = find_period(text, PUBLISHED)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["per year", "a year", "annually", "in a single month"])
def test_rates_without_a_year_have_no_dates(text):
    period = find_period(text, PUBLISHED)
    assert period.start is None and period.end is None and period.note


def test_relative_periods_need_a_publication_date():
    assert find_period("last year", None).start is None


def test_a_running_total_to_a_month_end_has_an_end_and_no_start():
    c = one("CBP seized 9,337 pounds of fentanyl by the end of July.")
    assert (c.period_start, c.period_end) == (None, date(2022, 7, 31))
    assert c.missing == ["no start of the period stated"]


@pytest.mark.parametrize(
    "text, published, which, start, end",
    [
        # the period next to the figure, not the first one in the sentence
        ("In 2020, more than 93,000 Americans died of overdoses, the biggest jump since 2016.", PUBLISHED, 0,
         date(2020, 1, 1), date(2020, 12, 31)),
        ("A total 52,404 people died of overdoses in 2015, up from the 29,813 overdose deaths in 2005.", PUBLISHED, 1,
         date(2005, 1, 1), date(2005, 12, 31)),
        ("During fiscal year 2022, agents seized 316 pounds of fentanyl—triple that of the same period in fiscal year 2021.",
         PUBLISHED, 0, date(2021, 10, 1), date(2022, 9, 30)),
        # a bare month yields to a dated period elsewhere in the sentence
        ("Between October 1, 2022, and January 31, 2023, CBP seized 12,017 pounds of fentanyl, according to its report for "
         "January.", PUBLISHED, 0, date(2022, 10, 1), date(2023, 1, 31)),
        # "the same period" and "the year prior" move the sentence's other period
        ("CBP seized 2,390 pounds of fentanyl so far this fiscal year, compared to 10,183 pounds in the same period in "
         "fiscal year 2022.", PUBLISHED, 1, date(2021, 10, 1), date(2022, 3, 31)),
        ("CBP seized 1.4 million fentanyl pills in fiscal year 2019, up from 400,000 pills seized the year prior.", PUBLISHED, 1,
         date(2017, 10, 1), date(2018, 9, 30)),
        # "as of April 28" cuts the year short
        ("As of April 28, the DEA had seized 3,100 pounds of fentanyl in 2025.", date(2025, 5, 1), 0,
         date(2025, 1, 1), date(2025, 4, 28)),
    ],
)  # fmt: skip
def test_each_figure_takes_its_own_period(text, published, which, start, end):
    c = extract(text, published, None)[which]
    assert (c.period_start, c.period_end) == (start, end)


# ---------------------------------------------------------------------------------------- places, agencies, attribution


@pytest.mark.parametrize(
    "text, code",
    [
        ("in Texas", "US-TX"),
        ("in Ariz. last year", "US-AZ"),
        ("New Mexico", "US-NM"),
        ("Washington state", "US-WA"),
        ("officials in Washington said", None),
        ("nationwide", "US"),
        ("in the U.S. last year", "US"),
        ("across America", "US"),
        ("in Mexico", None),
        # a state that places the speaker, not the figure
        ("Sen. Jane Doe, Ohio Democrat, said", None),
        ("Rep. Jane Doe, R-Texas, said", None),
        ("he told a rally in Charlotte, North Carolina", None),
        # a state's people name the state; not people who may be a city's or another country's
        ("more than 5,000 Ohioans died", "US-OH"),
        ("almost 900 Texans died", "US-TX"),
        ("New Yorkers", None),
    ],
)
def test_geography(text, code):
    assert find_geography(text) == code


def test_a_states_people_are_a_count_of_people_in_that_state():
    c = one("More than 5,000 Ohioans died of overdoses in 2021.")
    assert (c.value, c.unit, c.metric, c.geography) == (5000, "people", "overdose_deaths", "US-OH")


def test_a_state_figure_is_placed_in_the_state():
    c = one("Fentanyl killed 2,000 people in Ohio in 2021, the state health department said.")
    assert c.geography == "US-OH"


def test_a_national_figure_defaults_to_the_us_and_a_sector_is_its_cbp_area_unchecked_against_the_nation():
    assert one("Overdoses killed 107,000 people in 2021.").geography == "US"
    sector = one("Agents in the El Paso sector seized 41 pounds of fentanyl in fiscal 2021, CBP said.")
    assert (sector.geography, sector.cbp_area, sector.field_sources["geography"]) == ("US-TX", "EL PASO SECTOR", "stated")
    assert not sector.complete or "cbp_area" in Claim.model_fields  # never CBP's nationwide total


@pytest.mark.parametrize(
    "text, agency",
    [
        ("Border Patrol agents seized 500 pounds of fentanyl in March 2022.", "CBP"),
        ("Officers of the Office of Field Operations seized 500 pounds of fentanyl in March 2022.", "CBP"),
        ("The DEA seized 500 pounds of fentanyl in March 2022.", "DEA"),
        ("Homeland Security Investigations seized 500 pounds of fentanyl in March 2022.", "HSI"),
        ("Federal agents seized 500 pounds of fentanyl in March 2022.", "federal"),
        ("Federal authorities seized 500 pounds of fentanyl in March 2022, according to CBP statistics.", "CBP"),
    ],
)
def test_seizing_agency(text, agency):
    assert one(text).seized_by == agency


@pytest.mark.parametrize(
    "text, who",
    [
        ("Overdoses killed 107,000 people in 2021, according to the Centers for Disease Control and Prevention.", "CDC"),
        ("Overdoses killed 107,000 people in 2021, the CDC said.", "CDC"),
        ("The CDC reported that overdoses killed 107,000 people in 2021.", "CDC"),
        ("Overdoses killed 107,000 people in 2021, according to the Drug Enforcement Administration (DEA).", "DEA"),
        ("Overdoses killed 107,000 people in 2021, according to federal data.", "federal"),
        ("Overdoses killed 107,000 people in 2021, according to the Ohio Department of Health.", "Ohio Department of Health"),
        ("Overdoses killed 107,000 people in 2021.", None),
        ("Overdoses killed 107,000 people in 2021, according to researchers from RAND Corp.", "RAND"),
        ("The National Center for Health Statistics (NCHS) stated that overdoses killed 107,000 people in 2021.", "NCHS"),
        ("DEA Administrator Anne Milgram hailed the work and said overdoses killed 107,000 people in 2021.", "DEA"),
        ("Sen. Claire McCaskill, Missouri Democrat, said overdoses killed 107,000 people in 2021.", "Claire McCaskill"),
        ("Police officials said overdoses killed 107,000 people in 2021.", None),
        # a state agency whose name holds "Department of State" is not the State Department: it is itself
        (
            "The Texas Department of State Health Services reported 206 overdose deaths in 2022.",
            "Texas Department of State Health Services",
        ),
        # a source named in lower case, as written
        ("Overdoses killed 400 people in 2021, according to medical examiners.", "medical examiners"),
        (
            "Overdoses killed 400 people in 2021, according to the state Department of Public Health.",
            "state Department of Public Health",
        ),
    ],
)
def test_attribution(text, who):
    assert one(text).attributed_to == who


# ---------------------------------------------------------------------------------------- metrics and substances


@pytest.mark.parametrize(
    "text, metric, substance, unit",
    [
        ("More than 70,000 people died of a fentanyl overdose in 2021.", "overdose_deaths", "fentanyl", "people"),
        ("There were 107,000 drug overdose deaths in 2021.", "overdose_deaths", "all_drugs", "deaths"),
        ("Overdose deaths topped 100,000 in 2021.", "overdose_deaths", "all_drugs", "deaths"),
        ("Heroin deaths fell to 9,000 in 2021.", "overdose_deaths", "heroin", "deaths"),
        ("CBP seized 2,000 pounds of methamphetamine in March 2022.", "drug_seized", "methamphetamine", "lb"),
        ("CBP seized 1.5 million pills in March 2022.", "drug_seized", None, "pills"),
        ("Just 2 milligrams of fentanyl can be a lethal dose.", "lethal_dose", "fentanyl", "mg"),
        ("Fentanyl is 50 times more potent than heroin.", "potency_ratio", "fentanyl", "times"),
        ("Six out of 10 fentanyl pills contain a potentially lethal dose.", "lethal_pill_share", "fentanyl", "percent"),
        ("Fentanyl was involved in 66% of overdose deaths in 2021.", "death_share", "fentanyl", "percent"),
        ("The overdose death rate was 32.4 per 100,000 in 2021.", "death_rate", "all_drugs", "per_100k"),
        # the drug named by how the deaths are told
        ("Last year 120 residents overdosed on fentanyl in the county.", "overdose_deaths", "fentanyl", "people"),
        ("Fentanyl, which is often pressed into fake pills, caused 300 deaths in 2021.", "overdose_deaths", "fentanyl", "deaths"),
        ("Cocaine was cited as the cause of 25 deaths in 2020.", "overdose_deaths", "cocaine", "deaths"),
        ("Twelve of the opioid deaths in 2019 involved fentanyl.", "overdose_deaths", "fentanyl", "deaths"),
        # potency against a drug named before, with no "than"
        ("It acts like morphine but is 50 times stronger.", "potency_ratio", None, "times"),
    ],
)
def test_metric_and_substance(text, metric, substance, unit):
    c = one(text)
    assert (c.metric, c.substance, c.unit) == (metric, substance, unit)


@pytest.mark.parametrize(
    "text, expected",
    [
        # a count with its unit left to a death word further back, and the drug carried from the figure before
        ("Drug overdose deaths skyrocketed during the pandemic, jumping from 31 in July 2019 to a high of 87 in May 2021.",
         [(31, "overdose_deaths", "all_drugs"), (87, "overdose_deaths", "all_drugs")]),
        ("There were 133 opioid-related deaths among children in 2021, up from 67 in 2020 and 51 in 2019.",
         [(133, "overdose_deaths", "opioids"), (67, "overdose_deaths", "opioids"), (51, "overdose_deaths", "opioids")]),
        ("In 2011, 2,666 fentanyl deaths occurred, a number that rose to 19,413 by 2016 and 74,225 by 2022.",
         [(2666, "overdose_deaths", "fentanyl"), (19413, "overdose_deaths", "fentanyl"), (74225, "overdose_deaths", "fentanyl")]),
        # the drug of a part and of the whole
        ("There were 107,543 overdose deaths in 2023, with 74,702 of those involving fentanyl.",
         [(107543, "overdose_deaths", "all_drugs"), (74702, "overdose_deaths", "fentanyl")]),
        ("Data showed that 74,702 of the 107,543 total drug overdose deaths in 2023 involved synthetic opioids.",
         [(74702, "overdose_deaths", "fentanyl"), (107543, "overdose_deaths", "all_drugs")]),
        ("About 33,091 of overdose deaths in 2015 involved opioids.", [(33091, "overdose_deaths", "opioids")]),
        # an age is not a figure
        ("There were 133 opioid deaths among children younger than 3 last year.", [(133, "overdose_deaths", "opioids")]),
        ("We're losing 300,000 people a year to fentanyl.", [(300000, "overdose_deaths", "fentanyl")]),
        ("Deaths from this drug and other synthetic opioids have increased from 3,000 in 2013 to more than 30,000 in 2018.",
         [(3000, "overdose_deaths", "fentanyl"), (30000, "overdose_deaths", "fentanyl")]),
        # fractions as shares
        ("In 2017, drug overdoses led to 70,237 deaths, and more than two-thirds involved opioids.",
         [(70237, "overdose_deaths", "all_drugs"), (66.7, "death_share", "opioids")]),
        ("Officials said half of fentanyl pills remain powerful enough to kill.", [(50, "lethal_pill_share", "fentanyl")]),
        ("Fentanyl was tied to 78% of the first-half 2021 overdose deaths.", [(78, "death_share", "fentanyl")]),
        ("Lab tests found that 27 percent of the counterfeit tablets seized by agents across the country during the first "
         "quarter of 2019 contained potentially lethal doses of fentanyl.",
         [(27, "lethal_pill_share", "fentanyl")]),
        # seizure changes: a fall is negative; the drug is the one the change follows
        ("The DEA seized about 29% less fentanyl in 2024 compared to the prior year.", [(-29, "seizure_change", "fentanyl")]),
        ("March drug seizures: fentanyl up 24%, cocaine up 32%.",
         [(24, "seizure_change", "fentanyl"), (32, "seizure_change", "cocaine")]),
        ("Coast Guard crews are offloading 23,000 pounds of cocaine and 6,900 pounds of pot.",
         [(23000, "drug_seized", "cocaine"), (6900, "drug_seized", "marijuana")]),
        # the earlier count after a percentage, and counts far from their noun
        ("Overdose deaths totaled 900 in 2020, up 10% from 818 the year before.",
         [(900, "overdose_deaths", "all_drugs"), (818, "overdose_deaths", "all_drugs")]),
        ("Fentanyl overdose deaths soared by a stunning 500% over just a handful of recent years, growing from 20 in 2016 "
         "to 120 in 2022.",
         [(20, "overdose_deaths", "fentanyl"), (120, "overdose_deaths", "fentanyl")]),
    ],
)  # fmt: skip
def test_figures_and_their_drugs(text, expected):
    found = extract(text, PUBLISHED, None)
    assert [(c.value, c.metric, c.substance) for c in found] == expected


def test_pounds_counted_by_a_seizing_agency_or_period_by_period_are_seizures():
    found = extract("Fentanyl also fell from 388 pounds in FY2018 to 210 pounds this year.", date(2019, 9, 23), None)
    assert [(c.value, c.metric, c.substance) for c in found] == [
        (388, "drug_seized", "fentanyl"),
        (210, "drug_seized", "fentanyl"),
    ]
    # "this year" in a sentence that counts in fiscal years: this fiscal year so far
    assert (found[1].period_start, found[1].period_end) == (date(2018, 10, 1), date(2019, 8, 31))
    c = one(
        "That contrasts with just 9.5 pounds of heroin in fiscal 2020, according to data from U.S. Customs and Border Protection."
    )
    assert (c.metric, c.substance, c.seized_by) == ("drug_seized", "heroin", "CBP")
    # a mass restating another in a lethality claim is not a seizure
    c = one("One kilogram, just over two pounds, of fentanyl can kill 500,000 people, the DEA says.")
    assert c.metric == "deaths_per_mass"


def test_the_coast_guard_seizes_for_dhs():
    assert one("Coast Guard crews offloaded 23,000 pounds of cocaine in March 2022.").seized_by == "DHS"


def test_potency_names_what_it_is_compared_with():
    found = extract("Fentanyl is 50 times more potent than heroin and 100 times more potent than morphine.", None, None)
    assert [(c.value, c.substance, c.relative_to) for c in found] == [(50, "fentanyl", "heroin"), (100, "fentanyl", "morphine")]
    found = extract("With effects similar to morphine but 50 times more potent, fentanyl is found in fake pills.", None, None)
    assert [(c.value, c.substance, c.relative_to) for c in found] == [(50, "fentanyl", "morphine")]


def test_deaths_per_mass_takes_its_mass():
    c = one("One kilogram of fentanyl can kill half a million people.")
    assert (c.metric, c.value, c.per, c.substance) == ("deaths_per_mass", 500_000, "kg", "fentanyl")


def test_a_pronoun_takes_the_drug_of_the_sentence_before():
    found = extract("Fentanyl is flooding in. CBP seized 4,000 pounds of it in March 2022.", PUBLISHED, None)
    assert [(c.metric, c.substance) for c in found] == [("drug_seized", "fentanyl")]


@pytest.mark.parametrize(
    "text",
    [
        "A 25-year-old man died of an overdose in 2021.",
        "He was sentenced to 10 years in prison for selling fentanyl in 2021.",
        "Police arrested 300 people in a fentanyl sweep in 2021.",
        "The city spent $1.2 million on overdose prevention in 2021.",
        "In 2021, the fentanyl crisis deepened.",
        "Call 1-800-662-4357 for help with an overdose.",
        "About 40% of voters said fentanyl was a problem in 2022.",
        "The seized pills could have killed more than 700,000 Americans.",
        "The program saved 14,000 lives in 2022.",
        "Deaths from overdoses rose 29 percent from the previous year.",
        "Already this year, enough fentanyl has been seized at the U.S.–Mexico border to kill more than 700 million people.",
        # a share of one drug's deaths is not a death_share (a share of all overdose deaths)
        "In 2020, 70 percent of cocaine overdose deaths involved fentanyl.",
        "Fentanyl was responsible for at least half of the deaths attributed to opioid overdoses in 2016.",
    ],
)
def test_distractors_are_not_candidates(text):
    assert extract(text, PUBLISHED, None) == []


# ---------------------------------------------------------------------------------------- incomplete candidates


def test_incomplete_candidates_say_what_is_missing():
    assert one("Overdoses kill more than 100,000 people a year.").missing == ["a year with no year stated"]
    assert one("Overdoses killed 100,000 people.").missing == ["no period stated"]
    assert one("Agents seized 500 pounds of fentanyl in March 2022.").missing == ["no seizing agency named"]
    assert one("CBP seized 500 pounds in March 2022.").missing == ["no drug named"]
    assert one("Overdoses killed 100,000 people last year.", published=None).missing == ["no publication date to read it against"]


def test_a_complete_candidate_is_a_valid_claim():
    c = one("CBP seized 500 pounds of fentanyl in March 2022.")
    assert c.missing == []
    claim = to_claim(c, "https://example.org/a")
    assert (claim.metric, claim.seized_by, claim.period_start, claim.claimed_on) == (
        "drug_seized",
        "CBP",
        date(2022, 3, 1),
        PUBLISHED,
    )
    assert claim.attributed_to == "Example News"  # the outlet's own figure when it cites no one


def test_quote_is_the_whole_sentence_and_offsets_point_at_the_figure():
    text = "Intro line here. Fentanyl killed over 105,000 people in America in 2022, the CDC said. Next sentence."
    [c] = extract(text, PUBLISHED, None)
    assert c.quote == "Fentanyl killed over 105,000 people in America in 2022, the CDC said."
    assert text[c.start : c.end] == "over 105,000"


def test_sentences_do_not_split_after_abbreviations():
    text = "The U.S. Drug Enforcement Administration said so. Jan. 26 was the day. Fine."
    assert [text[a:b] for a, b in sentences(text)] == [
        "The U.S. Drug Enforcement Administration said so.",
        "Jan. 26 was the day.",
        "Fine.",
    ]


# ---------------------------------------------------------------------------------------- checked like any claim


def tiny_record() -> OfficialRecord:
    deaths = pd.DataFrame(
        {
            "period_end": pd.to_datetime(["2021-12-31", "2021-12-31"]),
            "geography": "US",
            "substance": ["all_drugs", "fentanyl"],
            "window_months": 12,
            "deaths_reported": pd.array([1000, 600], dtype="Int64"),
            "release": pd.Timestamp("2026-02-14"),
        }
    )
    reference = pd.DataFrame(
        [
            {
                "metric": "lethal_dose",
                "substance": "fentanyl",
                "relative_to": None,
                "value": 2,
                "unit": "mg",
                "publisher": "DEA",
                "figure": "Potentially lethal dose",
                "source_url": "https://example.org/dea",
                "published": "2024-05-09",
                "source_title": "T",
            }
        ]
    )
    seizures = pd.DataFrame(columns=["month", "drug", "seized_lb", "seized_kg", "events", "component", "region"])
    return OfficialRecord(deaths, seizures, reference)


def test_candidates_are_checked_against_the_record():
    text = (
        "Overdoses killed more than 1,000 people in 2021. Fentanyl killed 900 people in 2021. "
        "Two milligrams of fentanyl is a lethal dose. Overdoses kill 5,000 people a year."
    )
    checked = check_candidates(extract(text, PUBLISHED, "Example News"), tiny_record(), source="https://example.org/a")
    assert [(c.verdict.verdict if c.verdict else None) for c in checked] == ["consistent", "overstated", "consistent", None]
    assert checked[1].verdict.measure.value == 600
    assert checked[3].claim is None


def test_a_county_figure_is_not_checked_against_the_nation():
    # Checked as it stood, a county's 239 deaths were 'understated' against the nation's count: the reader is asked
    # for the place instead. (A CBP sector's figure is checked against the sector: tests/test_seizure_place_paths.py.)
    text = "Pima County recorded 239 fentanyl overdose deaths in 2020, the medical examiner said."
    (checked,) = check_candidates(extract(text, PUBLISHED), pipeline.build(DATA_DIR), source="https://example.org/a")
    assert checked.candidate.geography == "US-AZ"  # the county's or sector's state
    assert checked.candidate.county_fips == "04019" or checked.candidate.cbp_area == "TUCSON SECTOR"
    if checked.candidate.county_fips:  # claims carry county_fips: checked against the county's own series only
        assert checked.verdict.measure is None or checked.verdict.measure.series == "vsrr-county"
    else:
        assert checked.verdict is None and any("county, city, sector or region" in m for m in checked.candidate.missing)


def test_a_cbp_sector_figure_names_its_sector_and_is_never_checked_against_the_nation():
    text = "Agents in the Tucson sector seized 57 pounds of fentanyl in fiscal year 2020, CBP said."
    (checked,) = check_candidates(extract(text, PUBLISHED), pipeline.build(DATA_DIR), source="https://example.org/a")
    assert (checked.candidate.geography, checked.candidate.cbp_area) == ("US-AZ", "TUCSON SECTOR")
    assert "Tucson Sector" in checked.verdict.measure.label and "nationwide" not in checked.verdict.measure.label


def test_the_state_is_the_one_the_article_named_before_and_unchecked_when_none_was():
    text = "Florida recorded 5,000 overdose deaths in 2021. Fentanyl caused 1,390 deaths in the state in 2016."
    assert [c.geography for c in extract(text, PUBLISHED)] == ["US-FL", "US-FL"]
    (alone,) = check_candidates(
        extract("Fentanyl caused 1,390 deaths in the state in 2016.", PUBLISHED), pipeline.build(DATA_DIR), source="x"
    )
    # not the nation's count, whatever the article is about: the reader is asked which state
    assert alone.candidate.geography is None and alone.verdict is None
    assert any("no state is named" in m for m in alone.candidate.missing)
    assert one("Overdoses killed 107,000 people in 2021, the State Department said.").geography == "US"


def test_a_state_named_with_its_figure_is_still_checked():
    text = "Arizona recorded 239 fentanyl overdose deaths in 2020, the medical examiner said."
    (checked,) = check_candidates(extract(text, PUBLISHED), pipeline.build(DATA_DIR), source="https://example.org/a")
    assert checked.candidate.geography == "US-AZ" and checked.verdict is not None and not checked.candidate.missing


# ---------------------------------------------------------------------------------------- the seed articles (issue 12, part 6)

SEED_FIELDS = (
    "value", "unit", "qualifier", "metric", "substance", "period_start", "period_end", "geography",
    "seized_by", "attributed_to", "relative_to", "per", "quote",
)  # fmt: skip
SEED_ARTICLES = {
    "dailycaller-2023-04-13-us-mexico-fentanyl": ("2023-04-13-dailycaller-us-mexico-fentanyl.txt", date(2023, 4, 13)),
    "dailycaller-2024-02-01-us-china-working-group": ("2024-02-01-dailycaller-us-china-working-group.txt", date(2024, 2, 1)),
}


@pytest.fixture(scope="module")
def shipped() -> pipeline.Build:
    return pipeline.build(DATA_DIR)


def test_seed_articles_give_the_six_curated_claims_and_their_verdicts(shipped):
    curated = [c for c in shipped.dataset.claims if c.source in SEED_ARTICLES]
    assert len(curated) == 6
    for source_id, (name, published) in SEED_ARTICLES.items():
        wanted = [c for c in curated if c.source == source_id]
        checked = check_candidates(
            extract((ARTICLES / name).read_text(encoding="utf-8"), published, wanted[0].claimant),
            shipped,
            source=f"https://example.org/{source_id}",
        )
        assert len(checked) == len(wanted), [c.candidate.value_text for c in checked]
        for claim in wanted:
            match = next(c for c in checked if c.claim and c.claim.metric == claim.metric and c.claim.value == claim.value)
            for name_ in SEED_FIELDS:
                got, want = getattr(match.claim, name_), getattr(claim, name_)
                if name_ == "quote":  # the curated quote has plain spaces where the article has a no-break space
                    got, want = " ".join(got.split()), " ".join(want.split())
                assert got == want, (claim.id, name_)
            assert match.verdict.verdict == shipped.verdict_by_id[claim.id].verdict, claim.id


# ---------------------------------------------------------------------------------------- the CLI


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


SEIZURE = "CBP seized more than 1,000 pounds of fentanyl in March 2022. Overdoses kill 100,000 people a year.\n"


def test_cli_yaml_is_a_claims_file_validate_accepts(tmp_path, capsys):
    article = tmp_path / "story.txt"
    article.write_text(SEIZURE)
    code, out, _ = run_cli(
        capsys, "extract", str(article), "--published", "2023-04-13", "--claimant", "Example News", "--format", "yaml"
    )
    assert code == 0
    claims = yaml.safe_load(out)
    assert [c["metric"] for c in claims] == ["drug_seized"]
    assert claims[0]["source"].startswith("https://source.invalid/")
    assert "# verdict: " in out and "# not a claim yet (a year with no year stated)" in out
    path = tmp_path / "claims.yaml"
    path.write_text(out)
    assert len(load.load_dataset(DATA_DIR, [path]).extra_claims) == 1
    assert run_cli(capsys, "validate", str(path))[0] == 0
    # Stable ids: the same article gives the same ids.
    again = run_cli(
        capsys, "extract", str(article), "--published", "2023-04-13", "--claimant", "Example News", "--format", "yaml"
    )[1]
    assert yaml.safe_load(again)[0]["id"] == claims[0]["id"]


def test_cli_yaml_with_no_claims_is_still_a_valid_file(tmp_path, capsys):
    article = tmp_path / "story.txt"
    article.write_text("Nothing to count here, only words about policy.\n")
    code, out, _ = run_cli(capsys, "extract", str(article), "--format", "yaml")
    assert code == 0 and yaml.safe_load(out) == []


def test_cli_csv_has_the_issue_columns(tmp_path, capsys):
    article = tmp_path / "story.txt"
    article.write_text(SEIZURE)
    code, out, _ = run_cli(capsys, "extract", str(article), "--published", "2023-04-13", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 2
    for column in ("quote", "value", "unit", "qualifier", "metric", "substance", "period_start", "period_end", "geography",
                   "seized_by", "attributed_to", "verdict", "official_value", "explanation"):  # fmt: skip
        assert column in rows[0]
    assert rows[0]["period_start"] == "2022-03-01" and rows[0]["verdict"] and rows[0]["seized_by"] == "CBP"
    assert rows[1]["period_start"] == "" and rows[1]["verdict"] == "" and rows[1]["missing"]


def test_cli_table_and_stdin(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"Overdoses kill 100,000 people a year.")))
    code, out, _ = run_cli(capsys, "extract", "-")
    assert code == 0 and "INCOMPLETE" in out and "a year with no year stated" in out


def test_cli_runs_a_batch_and_reports_a_bad_source_without_stopping(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text(SEIZURE)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    code, out, err = run_cli(capsys, "extract", str(empty), str(good), "--format", "csv")
    assert code == 1
    assert err == f"error: {empty}: is empty; there is no text to read\n"
    assert len(list(csv.DictReader(io.StringIO(out)))) == 2


# ---------------------------------------------------------------------------------------- bad input


def bad(tmp_path, capsys, name: str, data: bytes) -> tuple[int, str, str]:
    path = tmp_path / name
    path.write_bytes(data)
    return run_cli(capsys, "extract", str(path))


def test_bad_input_empty(tmp_path, capsys):
    code, _, err = bad(tmp_path, capsys, "e.txt", b"  \n")
    assert (code, err) == (1, f"error: {tmp_path / 'e.txt'}: is empty; there is no text to read\n")


def test_bad_input_5_mb_of_text(tmp_path, capsys):
    started = time.monotonic()
    code, _, err = bad(tmp_path, capsys, "big.txt", b"Overdoses killed 100 people in 2021. " * 150_000)
    assert code == 1 and err.count("\n") == 1 and "is more than an article" in err
    assert time.monotonic() - started < 2


def test_bad_input_binary(tmp_path, capsys):
    code, _, err = bad(tmp_path, capsys, "x.txt", bytes(range(256)) * 40)
    assert code == 1 and err.endswith("is binary data, not text; give a .txt or .html file, or a web page\n")


def test_bad_input_html_of_scripts_and_styles(tmp_path, capsys):
    page = (
        b"<html><head><style>p{color:red}</style>"
        b"<script>var deaths = 'Fentanyl killed 900 people in 2021.';</script></head><body></body></html>"
    )
    code, _, err = bad(tmp_path, capsys, "p.html", page)
    assert code == 1 and err.endswith("no article text found in the page (only markup, scripts or navigation)\n")


def test_bad_input_non_english(tmp_path, capsys):
    text = "Las muertes por sobredosis de fentanilo superaron 100.000 personas en 2021 según los CDC de Estados Unidos. " * 5
    code, out, err = bad(tmp_path, capsys, "es.txt", text.encode())
    assert code == 0 and "does not look like English text" in err and err.count("\n") == 1
    assert "0 figure(s)" in out


def test_html_article_main_text_and_date_are_read(tmp_path, capsys):
    path = tmp_path / "a.html"
    path.write_text(HTML_ARTICLE)
    article = extract_source.read_article(str(path))
    assert article.published == date(2023, 4, 13) and "var tracker" not in article.text
    code, out, _ = run_cli(capsys, "extract", str(path), "--format", "csv")
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and row["period_start"] == "2022-10-01" and row["period_end"] == "2023-02-28"


HTML_ARTICLE = """<!doctype html><html><head><title>Border seizures</title>
<meta property="article:published_time" content="2023-04-13T09:00:00Z">
<meta property="og:site_name" content="Example News">
<script>var tracker = 'CBP seized 99 pounds of fentanyl in 2020.';</script><style>body{margin:0}</style></head>
<body><nav>Home | World | Politics</nav><article><h1>Border seizures</h1>
<p>Federal authorities have seized more than 11,000 pounds of fentanyl between October and February,
according to Customs and Border Protection statistics.</p>
<p>The agency said most of it was found at ports of entry in Arizona and California, hidden in cars and trucks.</p>
<p>Officials said the trend has continued into the spring, and that more inspections are planned for the summer.</p>
</article><footer>Copyright</footer></body></html>"""


# ---------------------------------------------------------------------------------------- URLs, served from 127.0.0.1


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if self.path == "/article":
            self._send(200, "text/html; charset=utf-8", HTML_ARTICLE.encode())
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/pdf":
            self._send(200, "application/pdf", b"%PDF-1.4 ...")
        elif self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(100):  # no Content-Length: only reading tells it is too big
                self.wfile.write(b"<p>" + b"x" * 65536 + b"</p>")
        elif self.path == "/slow":
            time.sleep(1.5)
            self._send(200, "text/html", b"<p>late</p>")
        elif self.path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(30):
                self.wfile.write(b"<")
                self.wfile.flush()
                time.sleep(0.1)
        else:
            self._send(404, "text/plain", b"no")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # the client hanging up on /huge and /drip is the point of those tests


@pytest.fixture(scope="module")
def server():
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    with local_servers_allowed():
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_article_is_fetched_and_its_url_is_the_source(server, capsys):
    url = f"{server}/article"
    code, out, _ = run_cli(capsys, "extract", url, "--format", "yaml")
    [claim] = yaml.safe_load(out)
    assert code == 0
    assert (claim["source"], claim["claimant"], claim["claimed_on"]) == (url, "Example News", date(2023, 4, 13))
    assert (claim["seized_by"], claim["attributed_to"], claim["period_end"]) == ("CBP", "CBP", date(2023, 2, 28))


@pytest.mark.parametrize(
    "path, message",
    [
        ("/loop", "more than 5 redirects (a redirect loop?)"),
        ("/pdf", "is application/pdf, not a web page or text"),
        ("/huge", "more than 200,000 bytes, more than an article; stopped"),
        ("/slow", "no answer within 0.5 s"),
        ("/drip", "the download took more than 1 s; stopped"),
        ("/missing", "the server answered HTTP 404 Not Found"),
    ],
)
def test_bad_urls_give_one_line_in_bounded_time(server, capsys, monkeypatch, path, message):
    monkeypatch.setattr(extract_source, "MAX_BYTES", 200_000)
    monkeypatch.setattr(extract_source, "TIMEOUT", 0.5)
    monkeypatch.setattr(extract_source, "DEADLINE", 1.0)
    started = time.monotonic()
    code, out, err = run_cli(capsys, "extract", f"{server}{path}")
    assert time.monotonic() - started < 3
    assert code == 1 and err == f"error: {server}{path}: {message}\n"


# ---------------------------------------------------------------------------------------- quality on the dev corpus


def test_dev_corpus_quality_does_not_regress():
    result = score(HERE / "extract_corpus" / "dev.yaml")
    assert result.labelled > 50
    assert result.precision >= 0.95, result.as_dict()
    assert result.recall >= 0.95, result.as_dict()
    assert result.mean_field_accuracy >= 0.94, result.as_dict()
    # the second round's held-aside part, tuned on in the third (tests/extract_corpus/README.md)
    local = score(HERE / "extract_corpus" / "dev-local.yaml")
    assert local.labelled > 50
    assert local.precision >= 0.95, local.as_dict()
    assert local.recall >= 0.94, local.as_dict()
    assert local.mean_field_accuracy >= 0.87, local.as_dict()
