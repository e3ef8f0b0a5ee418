"""Column metadata of the reference values (drugstats.official.reference): constants, final counts and rates published
in text.

Declared in drugstats.official.fields' one registry (fields.table), so exports, the data package and pages read them
as they read every other table; kept here so that fields.py stays one screenful per table.
"""

from __future__ import annotations

from drugstats import vocab
from drugstats.official.fields import _f, table
from drugstats.vocab import RATE_BASES

table(
    "reference_values",
    "Reference values",
    "Official constants (e.g. DEA's potentially lethal dose of fentanyl), final annual death counts and US "
    "age-adjusted death rates, each with the sentence it was read in and its citation. Copied from "
    "figures-from-text/figures.csv.",
    [
        _f("id", "string", "Stable identifier of the value (slug)", required=True),
        _f("metric", "string", "What the number measures (drugstats vocabulary)", required=True, enum=tuple(vocab.METRICS)),
        _f("substance", "string", "Which drug the number is about (drugstats vocabulary)", required=True),
        _f("relative_to", "string", "Substance a potency ratio compares with"),
        _f("value", "number", "The number as published, in unit", required=True),
        _f("unit", "string", "Unit of value (drugstats vocabulary: deaths, mg, times, per_100k)", required=True),
        _f(
            "rate_basis",
            "string",
            "A death rate's basis (age_adjusted: to a standard population; crude); empty for other figures",
            enum=RATE_BASES,
        ),
        _f("period", "string", "The period as the source states it (a year, or n/a for constants)", required=True),
        _f("period_start", "date", "First day of the period, for annual counts"),
        _f("period_end", "date", "Last day of the period, for annual counts"),
        _f("geography", "string", "ISO 3166 code of the place the number covers; empty for constants"),
        _f("figure", "string", "What the figure is, as figures.csv names it", required=True),
        _f("quote", "string", "The sentence the number was read in, verbatim", required=True),
        _f("source_title", "string", "Title of the document that publishes the number", required=True),
        _f("source_url", "string", "URL of that document", required=True),
        _f("url_seen", "boolean", "False when source_url was inferred from URL patterns and not itself read", required=True),
        _f("publisher", "string", "Who published the number", required=True),
        _f("published", "string", "Publication date (YYYY, YYYY-MM or YYYY-MM-DD)", required=True),
        _f("read_at", "string", "The page or file the sentence was actually read in", required=True),
        _f(
            "primary_or_secondary",
            "string",
            "primary (read in the official document), secondary copy of primary "
            "(read in a republication of it) or secondary (a summary by others)",
            required=True,
        ),
    ],
    primary_key=["id"],
)
