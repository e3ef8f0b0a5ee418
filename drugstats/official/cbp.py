"""CBP's nationwide drug seizures: what the files say, read into the seizures frame."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from drugstats import vocab
from drugstats.errors import Problem
from drugstats.official import csvtable, periods

DATASET = "cbp-seizures"


CBP_COLUMNS = {
    "FY": "fy",
    "Month (abbv)": "month_abbv",
    "Component": "component_name",
    "Region": "region",
    "Land Filter": "land_filter",
    "Area of Responsibility": "area",
    "Drug Type": "drug_type",
    "Count of Event": "events",
    "Sum Qty (lbs)": "seized_lb",
}


CBP_COMPONENT = {"Office of Field Operations": "OFO", "U.S. Border Patrol": "USBP"}


CBP_REGIONS = ("Southwest Border", "Northern Border", "Coastal/Interior")


CBP_LAND_FILTERS = ("Land Only", "Other")


CBP_DRUG = {
    "Cocaine": "cocaine",
    "Ecstasy": "ecstasy",
    "Fentanyl": "fentanyl",
    "Heroin": "heroin",
    "Ketamine": "ketamine",
    "Khat (Catha Edulis)": "khat",
    "Lsd": "lsd",
    "Marijuana": "marijuana",
    "Methamphetamine": "methamphetamine",
    "Other Drugs**": "other",
}


CBP_MONTHS = ("OCT", "NOV", "DEC", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP")


_CBP_FY = re.compile(r"^(\d{4})( \(FYTD\))?$")


FIRST_FISCAL_YEAR = 2003  # CBP was formed in March 2003
MAX_EVENTS = 1_000_000  # a month's seizure events of one drug in one area are at most a few thousand
MAX_POUNDS = 100_000_000  # all of CBP's drug seizures in a year are about a million pounds


LB_KG = 0.45359237  # exact, by the international yard and pound agreement
assert LB_KG * 1_000_000 == vocab.MG_PER_UNIT["lb"]


PARSED_COLUMNS = [
    "fiscal_year",
    "month",
    "partial_year",
    "component",
    "component_name",
    "region",
    "area",
    "land_filter",
    "drug",
    "events",
    "seized_lb",
    "seized_kg",
    "source_url",  # None here: drugstats.official.series fills it from the dataset's metadata.yaml
    "_path",
    "_line",
    "_record",
]


def parse_cbp(data: bytes, path: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a CBP nationwide drug seizures CSV into one row per month, area, land filter and drug type."""
    table, problems = csvtable.read_table(data, path, CBP_COLUMNS, {}, str.strip)
    if table is None:
        return pd.DataFrame(columns=PARSED_COLUMNS), problems
    f = table.frame
    f["_record"] = f["fy"] + " " + f["month_abbv"] + " " + f["area"] + " (" + f["land_filter"] + ") " + f["drug_type"]
    fy = f["fy"].str.extract(_CBP_FY)
    problems += table.rows(fy[0].isna(), "fy", lambda v: f"{v!r} is not a fiscal year such as 2023 or 2026 (FYTD)")
    problems += table.rows(
        pd.to_numeric(fy[0], errors="coerce") < FIRST_FISCAL_YEAR,
        "fy",
        lambda v: f"{v!r} is before {FIRST_FISCAL_YEAR}, CBP's first fiscal year",
    )
    problems += table.rows(
        ~f["month_abbv"].isin(CBP_MONTHS), "month_abbv", lambda v: f"{v!r} is not a month abbreviation such as OCT"
    )
    problems += table.rows(
        ~f["component_name"].isin(list(CBP_COMPONENT)),
        "component_name",
        lambda v: f"{v!r} is not a known component ({', '.join(CBP_COMPONENT)})",
    )
    problems += table.rows(
        ~f["region"].isin(CBP_REGIONS), "region", lambda v: f"{v!r} is not a known region ({', '.join(CBP_REGIONS)})"
    )
    problems += table.rows(
        ~f["land_filter"].isin(CBP_LAND_FILTERS),
        "land_filter",
        lambda v: f"{v!r} is not a known land filter ({', '.join(CBP_LAND_FILTERS)})",
    )
    problems += table.rows(f["area"].str.strip() == "", "area", lambda v: "is empty")
    problems += table.rows(
        ~f["drug_type"].isin(list(CBP_DRUG)),
        "drug_type",
        lambda v: f"{v!r} is not a known drug type; add it to drugstats.official.cbp.CBP_DRUG if CBP has added it",
    )
    events_ok = f["events"].str.fullmatch(r"\d+")
    problems += table.rows(~events_ok, "events", lambda v: f"expected a whole number of events, 0 or more, got {v!r}")
    events = pd.to_numeric(f["events"].where(events_ok), errors="coerce")
    problems += table.rows(events > MAX_EVENTS, "events", lambda v: f"is more than {MAX_EVENTS:,} events in a month: {v!r}")
    events_ok &= ~(events > MAX_EVENTS)
    pounds, empty, bad = csvtable.numbers(f["seized_lb"])
    problems += table.rows(bad | empty, "seized_lb", lambda v: f"expected a number, got {v!r}")
    problems += table.rows(pounds < 0, "seized_lb", lambda v: f"must be zero or more, got {v!r}")
    problems += table.rows(
        pounds > MAX_POUNDS, "seized_lb", lambda v: f"is more than {MAX_POUNDS:,} lb, a hundred times a year's seizures: {v!r}"
    )

    fiscal_year = pd.to_numeric(fy[0], errors="coerce").astype("Int64")
    month_index = f["month_abbv"].map({m: i for i, m in enumerate(CBP_MONTHS)})
    # CBP lists months in fiscal order from October: fiscal year N runs from October of N-1 to September of N.
    calendar_month = (month_index + periods.FISCAL_YEAR_FIRST_MONTH - 1) % 12 + 1
    calendar_year = fiscal_year - (calendar_month >= periods.FISCAL_YEAR_FIRST_MONTH).astype("Int64")
    month = pd.to_datetime(
        calendar_year.astype(str) + "-" + calendar_month.astype("Int64").astype(str) + "-1", format="%Y-%m-%d", errors="coerce"
    )
    out = pd.DataFrame(
        {
            "fiscal_year": fiscal_year,
            "month": month.astype("datetime64[s]"),
            "partial_year": fy[1].notna(),
            "component": f["component_name"].map(CBP_COMPONENT),
            "component_name": f["component_name"],
            "region": f["region"],
            "area": f["area"],
            "land_filter": f["land_filter"],
            "drug": f["drug_type"].map(CBP_DRUG),
            "events": pd.to_numeric(f["events"].where(events_ok), errors="coerce").astype("Int64"),
            "seized_lb": pounds,
            "seized_kg": pounds * LB_KG,
            "source_url": None,
            "_path": path,
            "_line": f["_line"],
            "_record": f["_record"],
        }
    )
    return out, problems


SEIZURES_KEY = ["month", "component", "region", "area", "land_filter", "drug"]


def seizures_frame(parts: Sequence[pd.DataFrame]) -> tuple[pd.DataFrame, list[Problem]]:
    """Stack parsed CBP files; check no row repeats and each fiscal year is either partial or complete."""
    parsed = pd.concat(list(parts), ignore_index=True) if parts else pd.DataFrame(columns=PARSED_COLUMNS)
    problems = csvtable.duplicates(parsed, SEIZURES_KEY, "month, area, land filter and drug type")
    mixed = parsed.groupby("fiscal_year")["partial_year"].nunique()
    for year in mixed[mixed > 1].index:
        rows = parsed[parsed["fiscal_year"] == year].drop_duplicates("partial_year")
        where = ", ".join(f"{p}:{line}" for p, line in zip(rows["_path"], rows["_line"], strict=True))
        problems.append(
            Problem(
                rows["_path"].iloc[-1],
                int(rows["_line"].iloc[-1]),
                rows["_record"].iloc[-1],
                "FY",
                f"fiscal year {year} is marked to date (FYTD) in some rows but not others ({where})",
            )
        )
    out = parsed.drop(columns=["_path", "_line", "_record"])
    out = out.astype(
        {
            "fiscal_year": "int64",
            "events": "int64",
            "partial_year": bool,
            **{c: str for c in ("component", "component_name", "region", "area", "land_filter", "drug")},
        }
    )
    out = out.sort_values(SEIZURES_KEY, ignore_index=True)
    return out, problems
