"""An article read as a whole: its frame fills what a figure's sentence leaves out, and says where each field came from."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from drugstats import DATA_DIR
from drugstats.extract.check import check_candidates
from drugstats.extract.frame import read_dateline, read_frame
from drugstats.extract.places import CBP_AREAS, Place, find_place
from drugstats.extract.reader import extract
from drugstats.verdicts import pipeline
from tests.article_score import score_dir

ROOT = Path(__file__).resolve().parents[1]

# The Boston Globe, 2022-05-11 (issue 23): the sentences the issue quotes, with its elisions, and a lead with no dateline.
GLOBE = (
    "Deaths from drug overdoses continued rising to record-breaking levels in 2021, nearing 108,000.\n\n"
    "Deaths involving synthetic opioids ... rose to 71,000 from 58,000, while those associated with stimulants like "
    "methamphetamine ... increased to 33,000 from 25,000."
)


@pytest.fixture(scope="module")
def shipped() -> pipeline.Build:
    return pipeline.build(DATA_DIR)


def test_the_boston_globe_story_gives_all_five_figures_each_with_its_period_and_verdict(shipped):
    found = check_candidates(extract(GLOBE, date(2022, 5, 11), "The Boston Globe"), shipped, source="https://example.org/g")
    got = [
        (c.candidate.value, c.candidate.substance, c.candidate.period_start.year, c.candidate.geography, c.verdict.verdict)
        for c in found
    ]
    assert got == [
        (108000, "all_drugs", 2021, "US", "consistent"),
        (71000, "fentanyl", 2021, "US", "consistent"),
        (58000, "fentanyl", 2020, "US", "consistent"),  # "rose to 71,000 from 58,000": the year before
        (33000, "methamphetamine", 2021, "US", "consistent"),
        (25000, "methamphetamine", 2020, "US", "consistent"),
    ]
    assert found[0].candidate.qualifier == "nearly"
    assert found[1].candidate.field_sources["period"] == "article"  # the lead's "in 2021"
    assert found[0].candidate.field_sources["period"] == "stated"


def test_a_boston_paper_on_national_figures_is_not_placed_in_massachusetts():
    (c,) = extract("Overdoses killed 100,000 people in 2021.", date(2022, 5, 11), "The Boston Globe")
    assert (c.geography, c.field_sources["geography"]) == ("US", "default")


@pytest.mark.parametrize(
    "paragraph, place",
    [
        ("EL PASO, Texas (KTSM) — The DEA seized ...", Place("US-TX", city="El Paso")),
        ("TUCSON, Ariz. (KOLD News 13) - Agents ...", Place("US-AZ", city="Tucson")),
        ("PIMA COUNTY, Ariz. - The medical examiner ...", Place("US-AZ", county_fips="04019")),
        ("BOSTON (AP) – Preliminary data ...", Place("US-MA", city="Boston")),
        ("WASHINGTON — The DEA said ...", None),  # federal news: no place
    ],
)
def test_a_dateline_places_the_story(paragraph, place):
    assert read_dateline(paragraph)[1] == place


def test_a_headline_in_capitals_is_not_a_dateline():
    assert read_dateline("FENTANYL DEATHS RISE - a report") is None


def test_a_local_storys_figures_take_its_place_and_stay_unchecked_against_the_state_or_nation():
    text = (
        "PIMA COUNTY, Ariz. - The county's medical examiner released its annual review.\n\n"
        "Fentanyl killed 300 people in 2019, the report said."
    )
    (c,) = extract(text, date(2020, 2, 11), "KVOA")
    assert (c.geography, c.county_fips, c.field_sources["geography"]) == ("US-AZ", "04019", "article")
    # claims carry county_fips: the county's count is checked against the county series, never Arizona's or the nation's
    assert c.complete and c.county_fips == "04019"


def test_the_paragraph_governs_before_the_article():
    text = (
        "In 2021, overdoses rose across Ohio.\n\n"
        "In 2019, Kentucky counted its deaths. Fentanyl killed 1,000 people, the state said."
    )
    (c,) = extract(text, date(2022, 5, 1), "Example")
    assert (c.period_start, c.geography) == (date(2019, 1, 1), "US-KY")
    assert c.field_sources == {"period": "paragraph", "geography": "paragraph", "substance": "stated"}


def test_a_bare_year_under_a_fiscal_lead_is_a_fiscal_year():
    text = (
        "CBP seized record amounts of fentanyl in fiscal year 2022.\n\n"
        "Officers seized 14,700 pounds of fentanyl along the Southwest border, up from 11,200 pounds in 2021, CBP said."
    )
    first, second = extract(text, date(2022, 11, 1), "Example")
    assert (first.period_start, first.period_end) == (date(2021, 10, 1), date(2022, 9, 30))
    assert (second.period_start, second.period_end) == (date(2020, 10, 1), date(2021, 9, 30))
    assert first.cbp_area == "Southwest Border" and first.seized_by == "CBP"


def test_a_seizure_takes_the_agency_its_lead_names():
    text = "The DEA's Phoenix division released its 2022 totals.\n\nAgents seized 10,000 pounds of fentanyl in 2022."
    (c,) = extract(text, date(2023, 1, 5), "Example")
    assert (c.seized_by, c.field_sources["seized_by"]) == ("DEA", "article")


def test_counties_are_read_with_the_state_of_the_story():
    assert find_place("Jefferson County recorded 267 deaths.", "US-AL") == Place("US-AL", county_fips="01073")
    assert find_place("Jefferson County recorded 267 deaths.", None) is None  # 25 states have one
    assert find_place("Agents in the Laredo Field Office seized it.") == Place("US-TX", cbp_area="LAREDO FIELD OFFICE")


def test_the_cbp_areas_are_spelled_as_cbps_file_spells_them():
    areas = set()
    for path in (ROOT / "data" / "raw" / "cbp-seizures").glob("*.csv"):
        with path.open(encoding="utf-8-sig") as f:
            areas |= {row["Area of Responsibility"] for row in csv.DictReader(f)}
    assert areas and areas == set(CBP_AREAS)


def test_the_frame_reads_the_lead_not_the_whole_story():
    text = "Headline about overdoses\n\nIn 2021, 500 people died in Utah.\n\nAgain.\n\nIn 2018, Ohio counted 4,000."
    frame = read_frame(text, date(2022, 1, 1))
    assert (frame.state, frame.period.start) == ("US-UT", date(2021, 1, 1))


# Floors on the dev part of the whole-article corpus (tuned on it; a held-aside part is only scored as totals). On
# 2026-12-06, with the fifth held-aside set moved into dev once spent (81 articles, 460 figures; its labels brought to
# dev's conventions: "people died" is unit people, deaths carry no direction, a daily average is a figure with no
# period), after the rules it showed: recall 0.830, precision 0.957, geography 0.906 as read (0.911 after a check),
# period 0.793, substance 0.911, attributed_to 0.594 (0.660 once a source is read by its office, not its officer, and
# the scorer takes a name and the letters the article gives it as one); 4 wrong verdicts of 460 (4 of 410 before).
# Later that morning, with parts of years, bulleted lists and seized narcotics read: recall 0.852, period 0.837;
# with places read per figure and a CBP-story period kept off DEA's lab share: 2 wrong verdicts. Then the sixth set,
# spent (91 articles, 507 figures): recall 0.848, precision 0.951, geography 0.893, period 0.851, attributed_to 0.635;
# at the session's end: recall 0.868, precision 0.957, geography 0.905, period 0.859, substance 0.925.
# Then (2026-12-06, morning) the seventh set and the eighth (18 articles, 85 figures) spent: 118 articles, 651 figures,
# recall 0.851, precision 0.957, geography 0.912, period 0.866, substance 0.933, attributed_to 0.679.
# Then the ninth set spent (136 articles, 755 figures): recall 0.844, precision 0.967, geography 0.881, period 0.867,
# substance 0.929, county 0.932, CBP area 0.925, attributed_to 0.692.
# Then the tenth set spent at the session's end, its wrong verdicts read but not yet ruled (151 articles, 838
# figures): recall 0.826, precision 0.949, geography 0.848, period 0.861, county 0.918, CBP area 0.916.
# Then (evening) its wrong verdicts ruled: recall 0.826, precision 0.949, geography 0.848, period 0.866, CBP area 0.922;
# then lists without bullets, an earlier share: recall 0.846, precision 0.950, geography 0.845 (a story naming no place
# leaves its figures' place to the reader, where its labeller took the outlet's state), CBP area 0.917.
# Then the eleventh set spent (161 articles, 894 figures): recall 0.838, precision 0.951, geography 0.838, period
# 0.864, substance 0.937, county 0.913, attributed_to 0.682.
# Then the twelfth set spent (173 articles, 958 figures), its four wrong verdicts ruled: recall 0.837, precision
# 0.935 (its labellers marked pill contents and projections the extractor reads otherwise), geography 0.837,
# period 0.865, substance 0.935, seized_by 0.973, attributed_to 0.668.
# Yield depends on the shipped data, so it is reported by bench/extract_quality.py, not held here.
def test_the_dev_articles_score_at_least_their_floors():
    result = score_dir(ROOT / "tests" / "article_corpus" / "dev")
    assert result.labelled >= 950
    assert result.recall >= 0.83 and result.precision >= 0.93
    floors = {"geography": 0.83, "period_start": 0.86, "substance": 0.93, "seized_by": 0.97, "attributed_to": 0.66}
    floors |= {"county_fips": 0.905, "cbp_area": 0.91, "unit": 0.99, "metric": 0.99}
    assert {f: round(result.field_accuracy(f), 3) for f in floors if result.field_accuracy(f) < floors[f]} == {}


def test_the_dev_articles_get_few_wrong_verdicts(shipped):
    # A wrong verdict is worse than none: a figure found and judged, but not as the hand-labelled claim is.
    result = score_dir(ROOT / "tests" / "article_corpus" / "dev", shipped)
    # 0 since the tenth held-aside set's six, dev's last two and the eleventh set's two were ruled (a field office beyond
    # the Southwest named in the lead, a story naming no place nor the nation, a year the story measures from, a count's
    # own noun, a count confirmed by the coroner, a rate after a rate, a drug-crisis story) and the twelfth set's four
    # (a forecast 'will log', 'That year', milligrams, the state examiner's office); a set spent later may bring
    # some, which are read and ruled before the ceiling moves
    assert result.wrong <= 0, result.wrong


def test_the_cli_says_which_fields_were_read_from_the_article(shipped):
    from drugstats.extract import report

    items = check_candidates(extract(GLOBE, date(2022, 5, 11), "The Boston Globe"), shipped, source="https://example.org/g")
    written = report.to_yaml([("https://example.org/g", items)])
    assert "# read from the article, not its sentence: geography by default, period from the article" in written
    rows = report.rows([("https://example.org/g", items)])
    assert rows[1]["filled_from"] == "geography=default; period=article"
    assert "(from the article: " in report.to_table([("https://example.org/g", items)])


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("The state had 1,696 confirmed and estimated opioid-related overdose deaths in 2022.", 1696, "deaths"),
        ("And an overall of at least 417 drug OD’s were confirmed by the coroner’s office in 2022.", 417, "deaths"),
        ("Of the 245 overdose deaths in 2021, 57 are from fentanyl.", 57, "deaths"),
        ("Ohio lost 104 citizens in 2022 to overdoses.", 104, "people"),
        ("Fentanyl is 50 to 100 times more toxic than morphine.", 50, "times"),
    ],
)
def test_figures_a_reader_sees_are_found(text, value, unit):
    assert (value, unit) in [(c.value, c.unit) for c in extract(text, date(2023, 1, 5))]


def test_overdoses_in_a_story_about_one_drugs_deaths_are_that_drugs_once_the_lead_has_said_so():
    text = (
        "Springfield counted 90 overdose deaths in 2021.\n\n"
        "BOSTON — The opioid crisis is getting worse.\n\n"
        "In Holyoke, 27 residents succumbed to overdoses in 2022. Nationally, 107,000 Americans died of overdoses in 2022."
    )
    got = [(c.value, c.substance) for c in extract(text, date(2023, 6, 22))]
    # before the lead names the drug, and a national total: every drug's
    assert got == [(90, "all_drugs"), (27, "opioids"), (107000, "all_drugs")]


def test_a_towns_figure_is_the_towns_not_the_county_the_paragraph_was_about():
    text = (
        "Hampden County saw a record 227 overdose deaths in 2022, the Department of Public Health said. "
        "Thirty-three Chicopee residents died from overdoses in 2022."
    )
    county, chicopee = extract(text, date(2023, 6, 22), "MassLive")
    assert (county.county_fips, county.geography) == ("25013", "US-MA")
    assert (chicopee.city, chicopee.county_fips, chicopee.geography) == ("Chicopee", None, "US-MA")
    assert not chicopee.complete  # a town's count is never checked against its state's


def test_the_storys_place_holds_only_from_where_it_is_said_and_two_states_are_no_one_place():
    before = "Agents seized 500 pounds of fentanyl in March 2022, CBP said.\n\nMost of it was found in Arizona."
    two = "In March 2022 the drugs were found in Arizona and California.\n\nCBP seized 500 pounds of fentanyl in March 2022."
    assert [c.geography for c in extract(before, date(2022, 5, 1))] == ["US"]
    assert [c.geography for c in extract(two, date(2022, 5, 1))] == ["US"]
