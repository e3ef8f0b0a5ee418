"""Column metadata of the death series beside the provisional state counts: NCHS final figures and VSRR county counts.

Declared in drugstats.official.fields' one registry (fields.table), so exports, the data package and pages read them
as they read every other table; kept here so that fields.py stays one screenful per table.
"""

from __future__ import annotations

from drugstats.official import nchs_county_bands, nchs_final, vsrr_county
from drugstats.official.fields import _SOURCE_URL, _f, table

_RATE = 4  # NCHS's state table gives rates to four decimals; the others to one

table(
    "overdose_deaths_final",
    "Final drug overdose deaths and death rates (NCHS)",
    "Final annual counts of drug overdose deaths and death rates per 100,000, by year, place and drug, from three "
    "NCHS tables of the final mortality data: Drug Poisoning Mortality by State (1999-2016), CDC's state map table "
    "(1999, 2005, 2014-2021) and Health, United States rates by drug type (US, 1999-2018). Final data are a series "
    "apart from CDC's provisional counts (overdose_deaths), never one line with them. Where two tables hold the same "
    "figure, both rows are here; the checks take the first in that order.",
    [
        _f("year", "integer", "Calendar year of death", required=True),
        _f(
            "geography",
            "string",
            "Place as a CDC code: US or a state (DC in the NCHS state table only); NY is the whole state, "
            "New York City included (final data), unlike NY in overdose_deaths",
            required=True,
        ),
        _f(
            "substance",
            "string",
            "What the deaths involved (drugstats id; fentanyl is other synthetic opioids than methadone, T40.4)",
            required=True,
            enum=tuple(dict.fromkeys(["all_drugs", *nchs_final.DRUG_TYPE_SUBSTANCE.values()])),
        ),
        _f("deaths", "integer", "Final count of deaths; empty where the table gives only rates", unit="deaths"),
        _f("population", "integer", "Resident population the crude rate is computed on (NCHS state table)", unit="people"),
        _f(
            "rate_crude",
            "number",
            "Crude death rate per 100,000 residents; empty where the table gives none or did not show it",
            unit="deaths per 100,000",
            decimals=_RATE,
        ),
        _f(
            "rate_age_adjusted",
            "number",
            "Death rate per 100,000 age-adjusted to the 2000 US standard population; empty where the table gives none "
            "or did not show it (fewer than 20 deaths)",
            unit="deaths per 100,000",
            decimals=_RATE,
        ),
        _f(
            "dataset",
            "string",
            "Raw dataset the row was read from (data/raw/<dataset>/)",
            required=True,
            enum=nchs_final.DATASETS,
        ),
        _SOURCE_URL,
    ],
    primary_key=["dataset", "substance", "geography", "year"],
)

table(
    "overdose_deaths_county",
    "Provisional drug overdose deaths by county (CDC VSRR)",
    "Provisional 12-month counts of drug overdose deaths by county of residence, from CDC/NCHS VSRR (data.cdc.gov "
    "gb4e-yj24). A count that is not shown is never zero: count_status says why (suppressed: 1 to 9 deaths; "
    "blanked: 1,000 or more, lost in the copy held), and count_min and count_max bound it.",
    [
        _f("period_end", "date", "Last day of the 12-month window the count covers", required=True),
        _f("window_months", "integer", "Length of the window ending at period_end", unit="months", required=True),
        _f("county_fips", "string", "5-digit county FIPS code (state and county)", required=True),
        _f("county", "string", "County name as CDC gives it", required=True),
        _f("state", "string", "Two-letter state code", required=True),
        _f("deaths_reported", "integer", "Provisional count; empty where CDC did not show it or the copy lost it", unit="deaths"),
        _f(
            "count_status",
            "string",
            "; ".join(f"{k}: {v}" for k, v in vsrr_county.STATUS_MEANING.items()),
            required=True,
            enum=vsrr_county.STATUSES,
        ),
        _f("count_min", "integer", "Smallest the count can be", unit="deaths", required=True),
        _f("count_max", "integer", "Largest the count can be; empty when unbounded", unit="deaths"),
        _f("release", "date", "Date of the release (CDC's Data as of)", required=True),
        _f("release_estimated", "boolean", "True when the release date is drugstats' estimate, not CDC's", required=True),
        _f("release_name", "string", "The release as the dashboard names it", required=True),
        _f("dataset", "string", "Raw dataset the row was read from (data/raw/<dataset>/)", required=True),
        _SOURCE_URL,
    ],
    primary_key=["county_fips", "county", "period_end", "release"],
)

table(
    "overdose_death_rate_bands_county",
    "Model-based drug poisoning death rates by county, in bands (NCHS)",
    "NCHS's small-area model estimates of age-adjusted drug poisoning death rates per 100,000 by county and year, "
    "1999-2016, published only as 2-unit bands (6-7.9, <2, 30+). Estimates of a model, not measured rates: held for "
    "context, never used to judge a claim.",
    [
        _f("year", "integer", "Calendar year", required=True),
        _f("county_fips", "string", "5-digit county FIPS code (state and county)", required=True),
        _f("county", "string", "County and state as NCHS gives them", required=True),
        _f("population", "integer", "Resident population", unit="people", required=True),
        _f("rate_band", "string", "The band as NCHS publishes it (deaths per 100,000, age-adjusted)", required=True),
        _f("rate_band_low", "number", "Lowest rate the band allows", unit="deaths per 100,000", required=True),
        _f(
            "rate_band_high",
            "number",
            "Highest rate the band allows; empty for the open top band (30+)",
            unit="deaths per 100,000",
        ),
        _f(
            "dataset",
            "string",
            "Raw dataset the row was read from (data/raw/<dataset>/)",
            required=True,
            enum=(nchs_county_bands.DATASET,),
        ),
        _SOURCE_URL,
    ],
    primary_key=["county_fips", "year"],
)
