"""Controlled vocabularies for claims: metrics, substances, units, qualifiers, and their rules.

Every other module reads the allowed values from here; nothing else spells them out.
"""

from __future__ import annotations

from types import MappingProxyType

# metric -> (description, units a claim of that metric may use)
METRICS = MappingProxyType(
    {
        "overdose_deaths": ("Number of drug overdose deaths in a period", ("deaths", "people")),
        "death_rate": ("Age-adjusted overdose death rate", ("per_100k",)),
        "death_share": ("Share of overdose deaths involving a substance", ("percent",)),
        "drug_seized": ("Quantity of a drug seized by an agency in a period", ("lb", "kg", "g", "pills")),
        "seizure_change": ("Change in quantity seized from one period to the next", ("percent",)),
        "lethal_dose": ("Amount of a drug considered a potentially lethal dose", ("mg", "g")),
        "potency_ratio": ("How many times more potent than another opioid", ("times",)),
        "deaths_per_mass": ("Potential deaths from a given mass of a drug", ("deaths", "people")),
        "pill_content": ("Average amount of a drug in a counterfeit pill", ("mg",)),
        "lethal_pill_share": ("Share of tested pills containing a potentially lethal dose", ("percent",)),
    }
)

SUBSTANCES = MappingProxyType(
    {
        "all_drugs": "Any drug (all drug overdose deaths)",
        "opioids": "Any opioid (ICD-10 T40.0-T40.4, T40.6)",
        "fentanyl": "Fentanyl; in death statistics, synthetic opioids other than methadone (T40.4)",
        "heroin": "Heroin (T40.1)",
        "prescription_opioids": "Natural and semi-synthetic opioids and methadone (T40.2, T40.3)",
        "cocaine": "Cocaine (T40.5)",
        "methamphetamine": "Methamphetamine; in death statistics, psychostimulants with abuse potential (T43.6)",
        "benzodiazepines": "Benzodiazepines (T42.4)",
        "morphine": "Morphine",
        # Further CDC VSRR indicators, so every official death series has an id of its own.
        "methadone": "Methadone (T40.3)",
        "natural_semisynthetic_opioids": "Natural and semi-synthetic opioids (T40.2)",
        "natural_semisynthetic_synthetic_opioids": (
            "Natural, semi-synthetic and synthetic opioids, incl. methadone (T40.2-T40.4)"
        ),
        # CBP's other drug types (SEIZED_DRUGS), so a seizure of any drug CBP counts apart can be checked. CDC publishes
        # no death series of them: a death figure naming one is unverifiable, never set beside another drug's count.
        "marijuana": "Marijuana (CBP's drug type; includes cannabis)",
        "ecstasy": "Ecstasy (MDMA; CBP's drug type)",
        "ketamine": "Ketamine (CBP's drug type)",
        "khat": "Khat (Catha edulis; CBP's drug type)",
        "lsd": "LSD (CBP's drug type)",
    }
)

# Substances only CBP's seizure file counts: offered where seizures are chosen, never among the death series.
SEIZURE_ONLY_SUBSTANCES = ("marijuana", "ecstasy", "ketamine", "khat", "lsd")

# unit -> (label for people, kind of quantity)
UNITS = MappingProxyType(
    {
        "deaths": ("deaths", "count"),
        "people": ("people", "count"),
        "lb": ("pounds", "mass"),
        "kg": ("kilograms", "mass"),
        "g": ("grams", "mass"),
        "mg": ("milligrams", "mass"),
        "pills": ("pills", "count"),
        "times": ("times", "ratio"),
        "percent": ("percent", "share"),
        "per_100k": ("deaths per 100,000 population", "rate"),
    }
)

# unit -> (smallest, largest) value a figure in it can take: wide enough for any real claim, narrow enough that a
# value like 1e308 or 5e-324 (which would print "ratio inf" or "more than 0.0 lb") is refused as a typo.
UNIT_RANGE = MappingProxyType(
    {
        "deaths": (1, 1e10),
        "people": (1, 1e10),
        "pills": (1, 1e12),
        "lb": (1e-6, 1e10),
        "kg": (1e-6, 1e10),
        "g": (1e-6, 1e13),
        "mg": (1e-6, 1e16),
        "times": (1e-3, 1e6),
        "percent": (1e-6, 1e6),
        "per_100k": (1e-6, 1e5),
    }
)

# The units a weight of seized drugs is shown in, pounds first (CBP publishes pounds).
MASS_UNITS = ("lb", "kg")

# Mass units in milligrams: exact definitions (1 lb = 453.59237 g by international agreement).
MG_PER_UNIT = MappingProxyType({"mg": 1.0, "g": 1_000.0, "kg": 1_000_000.0, "lb": 453_592.37})

# The unit each metric is expressed in once canonicalised.
CANONICAL_UNIT = MappingProxyType(
    {
        "overdose_deaths": "deaths",
        "death_rate": "per_100k",
        "death_share": "percent",
        "drug_seized": "kg",
        "seizure_change": "percent",
        "lethal_dose": "mg",
        "potency_ratio": "times",
        "deaths_per_mass": "deaths",
        "pill_content": "mg",
        "lethal_pill_share": "percent",
    }
)

# What a qualifier asserts about the true value X, given the stated value v.
# Bounds are (low, high); None means open. The tolerances are the only numbers here
# and are shared with drugstats.verdicts.checks, so the rule is written down once.
QUALIFIERS = MappingProxyType(
    {
        "exact": "the true value is v, to the precision it is written in",
        "about": "the true value is within ABOUT_TOLERANCE of v, either side",
        "more_than": "the true value is above v",
        "at_least": "the true value is v or above",
        "nearly": "the true value is below v but within NEARLY_TOLERANCE of it",
        "less_than": "the true value is below v",
        "up_to": "the true value is v or below",
    }
)
ABOUT_TOLERANCE = 0.05
NEARLY_TOLERANCE = 0.10

# Fields a claim must carry for a given metric (beyond the always-required ones).
METRIC_REQUIRES = MappingProxyType(
    {
        "drug_seized": ("seized_by",),
        "seizure_change": ("seized_by", "direction"),
        "potency_ratio": ("relative_to",),
        "deaths_per_mass": ("per",),
        "overdose_deaths": ("period_start", "period_end"),
        "death_rate": ("period_start", "period_end"),
        "death_share": ("period_start", "period_end"),
    }
)

# How a death rate per 100,000 is computed: age-adjusted to the 2000 US standard population (what CDC and NCHS publish),
# or crude (deaths over residents).
RATE_BASES = ("age_adjusted", "crude")

SOURCE_KINDS = ("news", "official_statement", "official_data", "reference")
# Which way a change claim says a figure went: "rose 45%" is up, "fell 45%" down. A change's value is its size.
DIRECTIONS = ("up", "down")
CHANGE_METRICS = ("seizure_change",)
AGENCIES = ("CBP", "DEA", "DHS", "HSI", "HIDTA", "USPIS", "OCDETF", "federal")


def bounds(value: float, qualifier: str) -> tuple[float | None, float | None]:
    """The interval a qualified claim asserts, per the QUALIFIERS table above."""
    match qualifier:
        case "exact":
            return value, value
        case "about":
            return value * (1 - ABOUT_TOLERANCE), value * (1 + ABOUT_TOLERANCE)
        case "more_than" | "at_least":
            return value, None
        case "nearly":
            return value * (1 - NEARLY_TOLERANCE), value
        case "less_than" | "up_to":
            return None, value
    raise ValueError(f"unknown qualifier {qualifier!r}")


def canonical_unit(metric: str, unit: str) -> str:
    """The unit a claim's value is canonicalised to: the metric's, unless the unit is of another kind.

    A seizure counted in pills has no weight, so it stays in pills rather than pretending to be kg.
    """
    target = CANONICAL_UNIT[metric]
    return target if UNITS[unit][1] == UNITS[target][1] else unit


def convert_mass(value: float, unit: str, target: str) -> float:
    """A mass in unit expressed in target (both in MG_PER_UNIT): 1 kg -> 2.2046... lb."""
    return value * MG_PER_UNIT[unit] / MG_PER_UNIT[target]


def to_canonical(value: float, unit: str, metric: str) -> float:
    """Express value (in unit) in the claim's canonical unit (see canonical_unit)."""
    target = canonical_unit(metric, unit)
    if unit == target:
        return value
    if unit in MG_PER_UNIT and target in MG_PER_UNIT:
        return convert_mass(value, unit, target)
    if UNITS[unit][1] == "count" and UNITS[target][1] == "count":
        return value  # people and deaths are the same count in a death claim
    raise ValueError(f"cannot express {unit} as {target} for {metric}")


# Drug types in CBP's seizure statistics, as drugstats ids.
SEIZED_DRUGS = MappingProxyType(
    {
        "fentanyl": "Fentanyl",
        "methamphetamine": "Methamphetamine",
        "cocaine": "Cocaine",
        "heroin": "Heroin",
        "marijuana": "Marijuana",
        "ecstasy": "Ecstasy",
        "ketamine": "Ketamine",
        "khat": "Khat (Catha edulis)",
        "lsd": "LSD",
        "other": "Other drugs (CBP's catch-all drug type)",
    }
)

# CBP components that report seizures, by their usual short codes.
CBP_COMPONENTS = MappingProxyType(
    {
        "OFO": "Office of Field Operations (at ports of entry)",
        "USBP": "U.S. Border Patrol (between ports of entry)",
    }
)
