"""How things are shown to people, declared once: names, colours and symbols of verdicts, substances, drugs and places.

Charts, the Streamlit layer, the export and the field metadata all read these tables; none retypes them.
The palette is Okabe & Ito (2008), distinguishable with the common colour-vision deficiencies.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from drugstats import vocab

OKABE_ITO = MappingProxyType(
    {
        "black": "#000000",
        "orange": "#E69F00",
        "sky_blue": "#56B4E9",
        "bluish_green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish_purple": "#CC79A7",
    }
)
GREY = "#8C8C8C"
LIGHT_GREY = "#D9D9D9"
DARK_PURPLE = "#5E3C99"  # the palette has 7 line colours and CDC 10 series: two dark extras
DARK_OLIVE = "#7F6000"
# Yellow is too pale for lines on white; it is kept for fills only.
LINE_COLORS = tuple(OKABE_ITO[k] for k in ("black", "vermillion", "blue", "orange", "sky_blue", "bluish_green", "reddish_purple"))


# ---------------------------------------------------------------------------------------------
# Verdicts
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerdictStyle:
    """Everything about a verdict that is shown: its name, what it means, and how it is drawn everywhere."""

    label: str
    meaning: str
    color: str  # charts; verdicts differ in colour and in marker shape, so no reader depends on colour alone
    symbol: str  # plotly marker
    badge: str  # st.badge colour
    icon: str  # st.badge icon
    fill: str  # a table cell's background
    rating: int | None  # schema.org ClaimReview ratingValue (1 worst, 5 best); None: not rated
    verb: str = (
        ""  # how drugstats.verdicts.checks' explanation words the outcome of a comparison: "The claim (...) overstates ..."
    )


# Every verdict drugstats.verdicts.checks can give, in the order it lists them (checks.VERDICTS is read from here).
VERDICTS = MappingProxyType(
    {
        "consistent": VerdictStyle(
            "Consistent",
            "The official record supports the number as qualified.",
            OKABE_ITO["bluish_green"],
            "circle",
            "green",
            ":material/check_circle:",
            "#d7f0e6",
            5,
            "is consistent with",
        ),
        "overstated": VerdictStyle(
            "Overstated",
            "The number is higher than the official record allows.",
            OKABE_ITO["vermillion"],
            "triangle-up",
            "red",
            ":material/arrow_upward:",
            "#fbe0d0",
            2,
            "overstates",
        ),
        "understated": VerdictStyle(
            "Understated",
            "The number is lower than the official record allows.",
            OKABE_ITO["blue"],
            "triangle-down",
            "blue",
            ":material/arrow_downward:",
            "#d6e7f5",
            3,
            "understates",
        ),
        "wrong_measure": VerdictStyle(
            "Wrong measure",
            "The number matches a different official measure from the one the claim names.",
            OKABE_ITO["reddish_purple"],
            "x",
            "violet",
            ":material/swap_horiz:",
            "#f5e0ec",
            1,
        ),
        "unverifiable": VerdictStyle(
            "Unverifiable",
            "No official series in drugstats can settle it (no period, another agency, or no data).",
            GREY,
            "diamond-open",
            "gray",
            ":material/help:",
            "#ececec",
            None,
        ),
    }
)


def verdict_label(verdict: str) -> str:
    style = VERDICTS.get(verdict)
    return style.label if style else verdict


def verdict_style(verdict: str) -> VerdictStyle:
    """The verdict's style; an unknown verdict is drawn as unverifiable but keeps its own name."""
    style = VERDICTS.get(verdict)
    if style is None:
        base = VERDICTS["unverifiable"]
        return VerdictStyle(verdict, "", base.color, base.symbol, base.badge, "", base.fill, None)
    return style


# ---------------------------------------------------------------------------------------------
# Substances (death statistics) and drugs (CBP's drug types)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubstanceStyle:
    label: str  # short, for legends and menus; what the id covers is in drugstats.vocab.SUBSTANCES
    color: str | None  # None: the next free line colour


SUBSTANCES = MappingProxyType(
    {
        "all_drugs": SubstanceStyle("All drugs", OKABE_ITO["black"]),
        "opioids": SubstanceStyle("Any opioid", OKABE_ITO["orange"]),
        "fentanyl": SubstanceStyle("Fentanyl (synthetic opioids, T40.4)", OKABE_ITO["vermillion"]),
        "heroin": SubstanceStyle("Heroin", OKABE_ITO["reddish_purple"]),
        "cocaine": SubstanceStyle("Cocaine", OKABE_ITO["sky_blue"]),
        "methamphetamine": SubstanceStyle("Meth (psychostimulants, T43.6)", OKABE_ITO["blue"]),
        "prescription_opioids": SubstanceStyle("Prescription opioids (T40.2, T40.3)", OKABE_ITO["bluish_green"]),
        "natural_semisynthetic_opioids": SubstanceStyle("Natural & semi-synthetic opioids", GREY),
        "methadone": SubstanceStyle("Methadone", DARK_PURPLE),
        "natural_semisynthetic_synthetic_opioids": SubstanceStyle("Opioids excl. heroin (T40.2-T40.4)", DARK_OLIVE),
        "benzodiazepines": SubstanceStyle("Benzodiazepines", None),
        "morphine": SubstanceStyle("Morphine", None),
        # counted only in CBP's seizures (vocab.SEIZURE_ONLY_SUBSTANCES): labels for menus; never a death series line
        "marijuana": SubstanceStyle("Marijuana", None),
        "ecstasy": SubstanceStyle("Ecstasy (MDMA)", None),
        "ketamine": SubstanceStyle("Ketamine", None),
        "khat": SubstanceStyle("Khat", None),
        "lsd": SubstanceStyle("LSD", None),
    }
)

DRUG_COLORS = MappingProxyType(
    {
        "fentanyl": OKABE_ITO["vermillion"],
        "methamphetamine": OKABE_ITO["blue"],
        "cocaine": OKABE_ITO["sky_blue"],
        "heroin": OKABE_ITO["reddish_purple"],
        "marijuana": OKABE_ITO["bluish_green"],
        "ecstasy": OKABE_ITO["orange"],
        "ketamine": DARK_PURPLE,
        "khat": DARK_OLIVE,
        "lsd": GREY,
        "other": OKABE_ITO["black"],
    }
)


def substance_label(substance: str) -> str:
    style = SUBSTANCES.get(substance)
    return style.label if style else substance.replace("_", " ").capitalize()


def substance_color(substance: str, index: int = 0, *, fallback: str | None = None) -> str:
    """The substance's line colour; for one without its own, fallback if given, else the index-th palette colour."""
    style = SUBSTANCES.get(substance)
    if style and style.color:
        return style.color
    return fallback or LINE_COLORS[index % len(LINE_COLORS)]


def drug_color(drug: str, index: int = 0) -> str:
    return DRUG_COLORS.get(drug, LINE_COLORS[index % len(LINE_COLORS)])


def drug_label(drug: str) -> str:
    """CBP drug type for people: CBP's own spelling, from the vocabulary."""
    return vocab.SEIZED_DRUGS.get(drug, drug).split(" (")[0]


def metric_label(metric: str) -> str:
    return vocab.METRICS[metric][0] if metric in vocab.METRICS else metric


def unit_label(unit: str) -> str:
    return vocab.UNITS[unit][0] if unit in vocab.UNITS else unit


# ---------------------------------------------------------------------------------------------
# Places: CDC's jurisdiction codes
# ---------------------------------------------------------------------------------------------

PLACE_NAMES = MappingProxyType(
    {
        "US": "United States",
        "AK": "Alaska",
        "AL": "Alabama",
        "AR": "Arkansas",
        "AZ": "Arizona",
        "CA": "California",
        "CO": "Colorado",
        "CT": "Connecticut",
        "DC": "District of Columbia",
        "DE": "Delaware",
        "FL": "Florida",
        "GA": "Georgia",
        "HI": "Hawaii",
        "IA": "Iowa",
        "ID": "Idaho",
        "IL": "Illinois",
        "IN": "Indiana",
        "KS": "Kansas",
        "KY": "Kentucky",
        "LA": "Louisiana",
        "MA": "Massachusetts",
        "MD": "Maryland",
        "ME": "Maine",
        "MI": "Michigan",
        "MN": "Minnesota",
        "MO": "Missouri",
        "MS": "Mississippi",
        "MT": "Montana",
        "NC": "North Carolina",
        "ND": "North Dakota",
        "NE": "Nebraska",
        "NH": "New Hampshire",
        "NJ": "New Jersey",
        "NM": "New Mexico",
        "NV": "Nevada",
        "NY": "New York (excluding New York City)",
        "OH": "Ohio",
        "OK": "Oklahoma",
        "OR": "Oregon",
        "PA": "Pennsylvania",
        "PR": "Puerto Rico",
        "RI": "Rhode Island",
        "SC": "South Carolina",
        "SD": "South Dakota",
        "TN": "Tennessee",
        "TX": "Texas",
        "UT": "Utah",
        "VA": "Virginia",
        "VT": "Vermont",
        "WA": "Washington",
        "WI": "Wisconsin",
        "WV": "West Virginia",
        "WY": "Wyoming",
        "YC": "New York City",
    }
)


def place_name(code: str) -> str:
    return PLACE_NAMES.get(code, code)
