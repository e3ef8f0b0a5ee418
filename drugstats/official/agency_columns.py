"""The columns of the published agency figures (drugstats.official.dea): (name, type, description, required), declared
in drugstats.official.fields like every exported column."""

from __future__ import annotations

TITLE = "Published agency figures"
DESCRIPTION = (
    "The DEA's own figures as it published them (fentanyl pills and powder seized, laboratory shares of pills with a "
    "potentially lethal dose), each with its sentence, address and date; where the DEA published two versions, both, "
    "dated. Statements of the agency, not a measured series. Read from dea-figures/dea_figures.csv."
)
COLUMNS = (
    ("figure_id", "string", "Identifier of the figure in dea_figures.csv", True),
    ("agency", "string", "The agency whose figure it is", True),
    ("metric", "string", "What the number measures (drugstats vocabulary); empty where no claim is checked against it"),
    ("substance", "string", "Which drug the number is about (drugstats vocabulary)", True),
    ("value", "number", "The number as published, in unit (a share as a percentage)", True),
    ("unit", "string", "Unit of value: pills, lb or percent; empty for other figures"),
    ("qualifier", "string", "How the agency qualified it (exact, more_than, nearly, about)", True),
    ("period_start", "date", "First day of the period the figure covers", True),
    ("period_end", "date", "Last day of the period (of the month or year where only that is stated)", True),
    ("published", "string", "When it was published, as the page read gives it", True),
    ("published_by", "date", "The last day it can have been published by; empty where the page is undated"),
    ("measure", "string", "What the figure is, in words", True),
    ("sentence", "string", "The sentence the number was read in, verbatim", True),
    ("url", "string", "The official address where it was published, or 'not seen' and the release", True),
    ("read_from", "string", "The page or file actually read, and whether primary or secondary", True),
    ("unit_as_stated", "string", "The unit column of dea_figures.csv, verbatim", True),
    ("period_as_stated", "string", "The period columns of dea_figures.csv, verbatim", True),
    ("in_checks", "boolean", "True when claims are checked against it", True),
    ("not_in_checks", "string", "Why claims are not checked against it (another agency's count, low trust)"),
)
