"""Column metadata, declared once: name, type, unit and meaning of every exported column.

Exports (CSV, datapackage.json), charts (axis titles) and docs read from here.
Types are Frictionless table-schema types.
"""

from __future__ import annotations

from dataclasses import dataclass

from drugstats.display import VERDICTS
from drugstats.official.cdc_vsrr import VSRR_SUBSTANCE
from drugstats.vocab import RATE_BASES, SUBSTANCES

_VERDICTS = tuple(VERDICTS)  # every verdict drugstats.verdicts.checks gives

# CBP records each seized quantity either to 0.0001 lb or to 0.00001 kg (converted at 2.20462262 lb/kg: its smallest
# quantity, 2.20462262e-05 lb, is 0.00001 kg); every row of the two files we hold is one or the other. Five decimals
# keep both, in pounds and in kilograms, and drop only the digits float arithmetic added.
_SEIZED = 5
_CONVERTED = 5  # a stated weight converted to kg, like the seized weights
# An official value checked against a claim (a count, a share in percent, a weight in lb summed from CBP's rows):
# hundredths are finer than any figure the news prints. The verdict is reached on the unrounded value.
_OFFICIAL = 2


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # string | integer | number | date | boolean
    description: str
    unit: str | None = None
    required: bool = False
    enum: tuple[str, ...] | None = None
    # A number column computed by drugstats is written rounded to this many decimal places (drugstats.publish.export), the
    # precision its inputs have: float arithmetic leaves 0.23840999980007158 where the source recorded 0.23841. None for
    # a number written as stated or published (a claim's value), whose digits are the source's own.
    decimals: int | None = None
    # Decimals a person reads in a table on a page (drugstats.pages.tables): 27,022.9 lb, not 27022.8509; None: as written.
    shown: int | None = None

    def __post_init__(self) -> None:
        for what, n in (("decimals", self.decimals), ("shown decimals", self.shown)):
            if n is not None and (self.type != "number" or n < 0):
                raise ValueError(f"{self.name}: {what} are for number columns, 0 or more, got {n} on a {self.type}")

    def frictionless(self) -> dict:
        description = self.description
        if self.decimals is not None:
            description += f"; rounded to {self.decimals} decimal places"
        spec: dict = {"name": self.name, "type": self.type, "description": description}
        if self.unit:
            spec["unit"] = self.unit
        constraints: dict = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            spec["constraints"] = constraints
        return spec


def _f(*args, **kwargs) -> Field:
    return Field(*args, **kwargs)


TABLES: dict[str, dict] = {}


def table(name: str, title: str, description: str, fields: list[Field], primary_key: list[str] | None = None) -> None:
    """Declare an exported table. Called once per table, at import time."""
    if name in TABLES:
        raise ValueError(f"table {name} declared twice")
    TABLES[name] = {"title": title, "description": description, "fields": fields, "primary_key": primary_key}


def columns(name: str) -> list[str]:
    return [f.name for f in TABLES[name]["fields"]]


def decimals(name: str) -> dict[str, int]:
    """Column -> decimal places, for the number columns of a table that declare them."""
    return {f.name: f.decimals for f in TABLES[name]["fields"] if f.decimals is not None}


def decimals_by_column() -> dict[str, int]:
    """Column -> decimal places over every declared table: a column means the same wherever it appears (a test holds
    that no two tables declare one name with two precisions), so a page's joined table is rounded as the bundle is."""
    return {name: n for table in TABLES for name, n in decimals(table).items()}


def shown_by_column() -> dict[str, int]:
    """Column -> decimals shown on a page, over every declared table (a column means the same wherever it appears)."""
    return {f.name: f.shown for spec in TABLES.values() for f in spec["fields"] if f.shown is not None}


def field(table_name: str, column: str) -> Field:
    for f in TABLES[table_name]["fields"]:
        if f.name == column:
            return f
    raise KeyError(f"{table_name}.{column}")


table(
    "claims",
    "Claims",
    "Quantitative claims about drugs as printed in the news and in official documents, one row per claim.",
    [
        _f("id", "string", "Stable identifier of the claim (slug)", required=True),
        _f("quote", "string", "The sentence as printed, verbatim", required=True),
        _f("metric", "string", "What the number measures (drugstats vocabulary)", required=True),
        _f("substance", "string", "Which drug the number is about", required=True, enum=tuple(SUBSTANCES)),
        _f("value", "number", "The number as stated, in the stated unit", required=True),
        _f("unit", "string", "The unit as stated", required=True),
        _f("qualifier", "string", "How the number is qualified (exact, about, more_than, ...)", required=True),
        # Converted or widened by drugstats (948 lb is 430.00556676 kg): five decimals, as seized_kg.
        _f(
            "value_low",
            "number",
            "Lowest true value the qualified claim allows, in unit_canonical; empty if unbounded",
            decimals=_CONVERTED,
        ),
        _f(
            "value_high",
            "number",
            "Highest true value the qualified claim allows, in unit_canonical; empty if unbounded",
            decimals=_CONVERTED,
        ),
        _f("value_canonical", "number", "The stated value expressed in unit_canonical", required=True, decimals=_CONVERTED),
        _f(
            "unit_canonical",
            "string",
            "Canonical unit of the metric (kg for seizures, mg for doses)",
            required=True,
        ),
        _f("period_start", "date", "First day of the period the claim covers; empty for constants"),
        _f("period_end", "date", "Last day of the period the claim covers; empty for constants"),
        _f("geography", "string", "ISO 3166 code of the place the claim covers"),
        _f(
            "cbp_area",
            "string",
            "CBP region, field office or Border Patrol sector a seizure claim covers; empty: nation or state",
        ),
        _f("claimant", "string", "Who made the claim", required=True),
        _f("attributed_to", "string", "Whom the claim cites as its source (e.g. CDC, CBP, DEA)", required=True),
        _f("claimed_on", "date", "When the claim was made or published"),
        _f("seized_by", "string", "Agency that made the seizures (seizure claims)"),
        _f("relative_to", "string", "Substance a potency ratio compares with"),
        _f("per", "string", "Mass unit a per-mass claim is expressed per"),
        _f("compared_to_start", "date", "First day of the earlier period a change is measured from"),
        _f("compared_to_end", "date", "Last day of the earlier period a change is measured from"),
        _f("direction", "string", "Which way a change claim says the figure went: up or down (its value is the size)"),
        _f("notes", "string", "Curator's notes"),
        _f("county_fips", "string", "5-digit county FIPS code of the county a death count is about; empty: the whole place"),
        _f(
            "rate_basis",
            "string",
            "Basis of a death rate: age_adjusted or crude; empty: age-adjusted, as CDC and NCHS publish rates",
            enum=RATE_BASES,
        ),
        _f("source_id", "string", "Identifier of the cited document in sources.csv", required=True),
        _f("source_title", "string", "Title of the cited document"),
        _f("source_publisher", "string", "Publisher of the cited document"),
        _f("source_url", "string", "URL of the cited document"),
        _f("source_published", "string", "Publication date of the cited document (YYYY, YYYY-MM or YYYY-MM-DD)"),
    ],
    primary_key=["id"],
)

table(
    "statements",
    "Statements",
    "Non-numeric statements by officials that bear on the figures, one row per statement.",
    [
        _f("id", "string", "Stable identifier of the statement (slug)", required=True),
        _f("speaker", "string", "Who said it", required=True),
        _f("role", "string", "The speaker's office when they said it", required=True),
        _f("said_on", "string", "When it was said (YYYY, YYYY-MM or YYYY-MM-DD)", required=True),
        _f("quote", "string", "The words as printed", required=True),
        _f("language_note", "string", "Language and translation note"),
        _f("bears_on", "string", "Metrics the statement bears on, separated by semicolons", required=True),
        _f("notes", "string", "Curator's notes"),
        _f("source_id", "string", "Identifier of the cited document in sources.csv", required=True),
        _f("source_title", "string", "Title of the cited document"),
        _f("source_url", "string", "URL of the cited document"),
    ],
    primary_key=["id"],
)

table(
    "sources",
    "Sources",
    "Every document cited by a claim or statement.",
    [
        _f("id", "string", "Stable identifier of the document (slug)", required=True),
        _f("kind", "string", "news, official_statement, official_data or reference", required=True),
        _f("publisher", "string", "Who published it", required=True),
        _f("title", "string", "Headline or title as published; empty where it was not recorded"),
        _f("url", "string", "Canonical URL of the document", required=True),
        _f("url_seen", "boolean", "False when the canonical URL was inferred and not itself read", required=True),
        _f("published", "string", "Publication date (YYYY, YYYY-MM or YYYY-MM-DD)", required=True),
        _f("accessed", "date", "When we read it", required=True),
        _f("republished_by", "string", "Who published the copy we read, when it was not the original"),
        _f("republished_url", "string", "URL of the copy we read, when it was not the original"),
        _f("secondary_copy", "boolean", "True when the text was read in a republication, not the original", required=True),
        _f("note", "string", "Curator's note on the document"),
    ],
    primary_key=["id"],
)

table(
    "verdicts",
    "Verdicts",
    "Each claim checked against the official record or against other figures, one row per claim.",
    [
        _f("id", "string", "Identifier of the claim in claims.csv", required=True),
        _f(
            "verdict",
            "string",
            ", ".join(_VERDICTS[:-1]) + " or " + _VERDICTS[-1],
            required=True,
            enum=_VERDICTS,
        ),
        _f(
            "official_value",
            "number",
            "The official value the claim was compared with, in official_unit",
            decimals=_OFFICIAL,
            shown=1,
        ),
        _f("official_unit", "string", "Unit of official_value"),
        _f("official_measure", "string", "What the official value measures, in words"),
        _f("official_window", "string", "The period the official value covers"),
        _f("official_release", "string", "Release or publication date of the official value"),
        _f("official_release_estimated", "boolean", "True when that date is drugstats' estimate, not the producer's"),
        _f("official_release_name", "string", "That release as the dashboard names it: 'about June 2026 (estimated)'"),
        _f("official_series", "string", "Dataset the official value comes from (cdc-vsrr, cbp-seizures, reference)"),
        _f("official_kind", "string", "measurement, reference or statement (an agency's stated value), or derived"),
        _f("ratio", "number", "The claim's value divided by the official value", decimals=4, shown=2),
        _f("derivation", "string", "The arithmetic behind a derived official value"),
        _f("revised_since", "boolean", "True when the official figure comes from a release later than the claim"),
        _f("alternative_measure", "string", "For wrong_measure: the other official measure the number matches"),
        _f("alternative_value", "number", "For wrong_measure: the value of that other measure", decimals=_OFFICIAL),
        _f(
            "verdict_at_claim",
            "string",
            "The verdict against the latest CDC release published on or before the claim's date (claimed_on, else its "
            "source's published date), if it came out at most two months before it; empty where drugstats holds no such release "
            "with the claim's window",
            enum=_VERDICTS,
        ),
        _f(
            "official_value_at_claim",
            "number",
            "The official value of that release, in official_unit",
            decimals=_OFFICIAL,
        ),
        _f("release_at_claim", "string", "That release's date (older release dates are estimated: see metadata.yaml)"),
        _f("release_at_claim_estimated", "boolean", "True when release_at_claim is drugstats' estimate, not CDC's"),
        _f("release_at_claim_name", "string", "That release as the dashboard names it: 'about July 2019 (estimated)'"),
        _f("explanation", "string", "One sentence a reader understands", required=True),
    ],
    primary_key=["id"],
)

# --- official series (drugstats.official.series) ---
# The vocabulary supplies the allowed ids; imported here, below the tables above, so that they stay untouched.
from drugstats import vocab as _vocab  # noqa: E402

_SOURCE_URL = _f(
    "source_url",
    "string",
    "The official file the row was read from: the address drugstats refresh downloaded it from, else the page where "
    "the producer publishes the dataset (the raw dataset's metadata.yaml)",
    required=True,
)

# A CDC release revises the counts of earlier months: the same key appears once in each release that holds it.
_DEATHS_FIELDS = [
    _f("period_end", "date", "Last day of the window the count covers (the month CDC names)", required=True),
    _f("window_months", "integer", "Length of the window ending at period_end", unit="months", required=True),
    _f(
        "geography",
        "string",
        "Jurisdiction code as CDC gives it: US, a state, DC, PR, or YC for New York City",
        required=True,
    ),
    _f(
        "substance",
        "string",
        "What the deaths involved (drugstats id; one per CDC indicator, e.g. fentanyl for "
        "synthetic opioids other than methadone, T40.4)",
        required=True,
        enum=tuple(VSRR_SUBSTANCE.values()),
    ),
    _f("indicator", "string", "CDC's indicator label, verbatim", required=True),
    _f(
        "deaths_reported",
        "integer",
        "Provisional count reported (CDC's Data Value); empty where CDC did not show "
        "it (low data quality, or fewer than 10 deaths)",
        unit="deaths",
    ),
    _f(
        "deaths_predicted",
        "integer",
        "Count adjusted by CDC for reporting delays (Predicted Value); empty where CDC gives none",
        unit="deaths",
    ),
    _f(
        "flag",
        "string",
        "CDC's footnote for the row, in words, spacing and full stops made uniform across releases "
        "(e.g. Underreported due to incomplete data.)",
    ),
    _f(
        "release",
        "date",
        "Date of the CDC release the row comes from; how it was established is in the raw "
        "dataset's metadata.yaml (release_basis)",
        required=True,
    ),
    _f("release_estimated", "boolean", "True when the release date is drugstats' estimate, not stated by CDC", required=True),
    _f("release_name", "string", "The release as people read it: its date, or 'about May 2017 (estimated)'", required=True),
    _f("dataset", "string", "Raw dataset the row was read from (data/raw/<dataset>/)", required=True),
    _SOURCE_URL,
]
_DEATHS_KEY = ["substance", "geography", "window_months", "period_end"]
_DEATHS_ABOUT = (
    "Reported and predicted provisional counts of drug overdose deaths in 12-month windows, by jurisdiction and "
    "drug, from CDC/NCHS Vital Statistics Rapid Release (data.cdc.gov xkb8-kh2a)."
)

table(
    "overdose_deaths",
    "Provisional drug overdose deaths (CDC VSRR)",
    _DEATHS_ABOUT + " One row per substance, jurisdiction, window and period end: the count of the newest release "
    "that holds it (named in release), the one claims are checked against. Every release's rows, older ones "
    "included, are in overdose_deaths_releases.",
    _DEATHS_FIELDS,
    primary_key=_DEATHS_KEY,
)

table(
    "overdose_deaths_releases",
    "Provisional drug overdose deaths, every release held (CDC VSRR)",
    _DEATHS_ABOUT + " Every row of every release held, for studying revisions: counts are revised every month, so "
    "the same substance, jurisdiction, window and period end appears once per release. Do not sum across releases.",
    _DEATHS_FIELDS,
    primary_key=[*_DEATHS_KEY, "release"],
)

table(
    "seizures",
    "Drug seizures by CBP",
    "Seizure events and quantities by U.S. Customs and Border Protection, by month, component, region, area of "
    "responsibility and drug type, from CBP's Nationwide Drug Seizures files.",
    [
        _f(
            "fiscal_year",
            "integer",
            "Federal fiscal year (October to September), named by the calendar year it ends in",
            required=True,
        ),
        _f(
            "month",
            "date",
            "First day of the calendar month of the seizures; October to December fall in the "
            "calendar year before the fiscal year",
            required=True,
        ),
        _f(
            "partial_year",
            "boolean",
            "True when CBP marks the fiscal year as to date (FYTD): not all its months are in yet",
            required=True,
        ),
        _f(
            "component",
            "string",
            "CBP component: OFO (Office of Field Operations, at ports of entry) or USBP (U.S. Border Patrol, between ports)",
            required=True,
            enum=tuple(_vocab.CBP_COMPONENTS),
        ),
        _f("component_name", "string", "CBP's name for the component, verbatim", required=True),
        _f("region", "string", "CBP region, verbatim: Southwest Border, Northern Border or Coastal/Interior", required=True),
        _f("area", "string", "Area of responsibility (OFO field office or USBP sector), verbatim", required=True),
        _f("land_filter", "string", "CBP's land filter, verbatim: Land Only or Other", required=True),
        _f(
            "drug",
            "string",
            "Drug type (drugstats id; other is CBP's Other Drugs)",
            required=True,
            enum=tuple(_vocab.SEIZED_DRUGS),
        ),
        _f("events", "integer", "Number of seizure events (CBP's Count of Event)", unit="events", required=True),
        _f(
            "seized_lb",
            "number",
            "Quantity seized, in pounds as CBP publishes it (Sum Qty (lbs))",
            unit="lb",
            required=True,
            decimals=_SEIZED,
            shown=1,
        ),
        _f(
            "seized_kg",
            "number",
            "Quantity seized in kilograms, from seized_lb at 1 lb = 0.45359237 kg",
            unit="kg",
            required=True,
            decimals=_SEIZED,
            shown=1,
        ),
        _SOURCE_URL,
    ],
    primary_key=["month", "component", "region", "area", "land_filter", "drug"],
)

from drugstats.official import agency_columns as _agency  # noqa: E402 (the DEA's published figures, drugstats.official.dea)

table(
    "agency_figures",
    _agency.TITLE,
    _agency.DESCRIPTION,
    [_f(name, kind, text, required=bool(rest and rest[0])) for name, kind, text, *rest in _agency.COLUMNS],
    primary_key=["figure_id"],
)

from drugstats.official import fields_findings  # noqa: E402 (scorecards and repeated figures)

fields_findings.declare(table, _f, _VERDICTS)
