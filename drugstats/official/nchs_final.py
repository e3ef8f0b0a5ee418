"""NCHS final overdose mortality: annual deaths, crude and age-adjusted rates by state and by drug type, read into one frame.

Three published tables of the same final data (the multiple-cause-of-death files, ICD-10 X40-X44, X60-X64, X85, Y10-Y14),
each a raw dataset of its own:
- NCHS "Drug Poisoning Mortality by State" (data.cdc.gov jx6g-fdh6): deaths, population, crude and age-adjusted rates,
  every state, DC and the US, 1999-2016;
- CDC/NCHS's state map table ("sosmap"): age-adjusted rate and deaths by state, 1999, 2005, 2014-2021;
- Health, United States "Drug overdose death rates, by drug type" (95ax-ymtc): US crude and age-adjusted rates by drug.
Final counts are not provisional counts: they are kept apart from the VSRR frame (drugstats.official.cdc_vsrr), in
their own frame, and never drawn on one line with it. Places are CDC's codes; a final "NY" is the whole state
(final data count New York City within it, unlike VSRR's "NY").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

import pandas as pd

from drugstats import display
from drugstats.errors import Problem
from drugstats.official import csvtable

STATE = "nchs-drug-poisoning-mortality-state"
SOSMAP = "cdc-sosmap-drug-overdose-by-state"
DRUG_TYPE = "nchs-drug-overdose-rates-by-drug-type-us"
DATASETS = (STATE, SOSMAP, DRUG_TYPE)  # the order a figure is taken in where two tables hold it

FIRST_YEAR = 1999
LAST_YEAR = 2100
MAX_DEATHS = 10_000_000
MAX_RATE = 1_000.0  # per 100,000; the highest state rate published is under 100
MAX_POPULATION = 1_000_000_000

FINAL_COLUMNS = [
    "year",
    "geography",
    "substance",
    "deaths",
    "population",
    "rate_crude",
    "rate_age_adjusted",
    "dataset",
    "source_url",
    "_path",
    "_line",
    "_record",
]
_PARSED = [*FINAL_COLUMNS, "_keep", "_measure"]

# Final data count New York City within New York State: the state's name is its code here (unlike VSRR's "NY").
_CODE_OF_NAME = {name: code for code, name in display.PLACE_NAMES.items()} | {"New York": "NY"}


def place_name(code: str) -> str:
    """A place of the final tables in words: New York is the whole state here."""
    return "New York State (New York City included)" if code == "NY" else display.place_name(code)


# Health, United States panels -> drugstats substance ids (verbatim panel names).
DRUG_TYPE_SUBSTANCE = {
    "All drug overdose deaths": "all_drugs",
    "Drug overdose deaths involving any opioid": "opioids",
    "Drug overdose deaths involving natural and semisynthetic opioids": "natural_semisynthetic_opioids",
    "Drug overdose deaths involving methadone": "methadone",
    "Drug overdose deaths involving other synthetic opioids (other than methadone)": "fentanyl",
    "Drug overdose deaths involving heroin": "heroin",
}
_AGE_ADJUSTED = "Deaths per 100,000 resident population, age-adjusted"
_CRUDE = "Deaths per 100,000 resident population, crude"

# CDC's state map table has Arizona and Arkansas swapped in 2014 (both copies found, downloaded in 2021 and 2023, carry
# it; the NCHS state dataset has them the right way round): those two rows are never read as figures.
SOSMAP_KNOWN_WRONG = {(2014, "AZ"): "swapped with Arkansas in CDC's table", (2014, "AR"): "swapped with Arizona in CDC's table"}


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=_PARSED)


def _year(table: csvtable.Table, column: str) -> tuple[pd.Series, list[Problem]]:
    f = table.frame
    text = f[column].str.strip()
    ok = text.str.fullmatch(r"\d{4}")
    year = pd.to_numeric(text.where(ok), errors="coerce")
    problems = table.rows(
        ~ok | (year < FIRST_YEAR) | (year > LAST_YEAR), column, lambda v: f"{v!r} is not a year from {FIRST_YEAR}"
    )
    return year.astype("Int64"), problems


def _number(
    table: csvtable.Table, column: str, limit: float, *, whole: bool = False, required: pd.Series | None = None
) -> tuple[pd.Series, list[Problem]]:
    """A column of numbers, 0 to limit (whole numbers if `whole`); empty allowed except where `required`."""
    values, empty, bad = csvtable.numbers(table.frame[column], thousands=True)
    problems = table.rows(bad, column, lambda v: f"expected a number, got {v!r}")
    kind = "a whole number" if whole else "a number"
    wrong = ~bad & ~empty & ((values < 0) | (values > limit) | ((values % 1 != 0) if whole else False))
    problems += table.rows(wrong, column, lambda v: f"expected {kind} from 0 to {limit:,g}, got {v!r}")
    if required is not None:
        problems += table.rows(empty & required, column, lambda v: "is empty")
    return values.where(~wrong), problems


def parse_state(data: bytes, path: str, *, whole: bool = False) -> tuple[pd.DataFrame, list[Problem]]:
    """NCHS Drug Poisoning Mortality by State: one row per row of the file; the all-ages, both-sexes, all-races rows of
    each place and year are kept (_keep)."""
    columns = {
        "state": "state",
        "year": "year",
        "sex": "sex",
        "age group": "age",
        "race and hispanic origin": "race",
        "deaths": "deaths",
        "population": "population",
        "crude death rate": "rate_crude",
        "age-adjusted rate": "rate_age_adjusted",
    }
    table, problems = csvtable.read_table(data, path, columns, {}, lambda h: h.strip().lower(), whole=whole)
    if table is None:
        return _empty(), problems
    f = table.frame
    f["_record"] = f["state"] + " " + f["year"] + " " + f["sex"] + " " + f["age"] + " " + f["race"]
    code = f["state"].map(lambda n: "US" if n == "United States" else _CODE_OF_NAME.get(n))
    problems += table.rows(code.isna(), "state", lambda v: f"{v!r} is not a state drugstats knows by name")
    year, found = _year(table, "year")
    problems += found
    keep = (f["sex"] == "Both Sexes") & (f["age"] == "All Ages") & (f["race"] == "All Races-All Origins")
    deaths, found = _number(table, "deaths", MAX_DEATHS, whole=True, required=keep)
    problems += found
    population, found = _number(table, "population", MAX_POPULATION, whole=True, required=keep)
    problems += found
    crude, found = _number(table, "rate_crude", MAX_RATE, required=keep)
    problems += found
    adjusted, found = _number(table, "rate_age_adjusted", MAX_RATE, required=keep)
    problems += found
    out = pd.DataFrame(
        {
            "year": year,
            "geography": code,
            "substance": "all_drugs",
            "deaths": deaths.round().astype("Int64"),
            "population": population.round().astype("Int64"),
            "rate_crude": crude,
            "rate_age_adjusted": adjusted,
            "dataset": STATE,
            "source_url": None,
            "_path": path,
            "_line": f["_line"],
            "_record": f["_record"],
            "_keep": keep.to_numpy(),
            "_measure": "all",
        }
    )
    return out, problems


def parse_sosmap(data: bytes, path: str, *, whole: bool = False) -> tuple[pd.DataFrame, list[Problem]]:
    """CDC's state map table (YEAR, STATE, RATE, DEATHS): age-adjusted rate and deaths by state and year. The rows
    SOSMAP_KNOWN_WRONG names are read and checked but not kept."""
    columns = {"year": "year", "state": "state", "rate": "rate_age_adjusted", "deaths": "deaths"}
    table, problems = csvtable.read_table(data, path, columns, {}, lambda h: h.strip().lower(), whole=whole)
    if table is None:
        return _empty(), problems
    f = table.frame
    f["_record"] = f["state"] + " " + f["year"]
    known = f["state"].isin([c for c in display.PLACE_NAMES if c not in ("US", "YC")])
    problems += table.rows(~known, "state", lambda v: f"{v!r} is not a state's two-letter code")
    year, found = _year(table, "year")
    problems += found
    every = pd.Series(True, index=f.index)
    deaths, found = _number(table, "deaths", MAX_DEATHS, whole=True, required=every)
    problems += found
    adjusted, found = _number(table, "rate_age_adjusted", MAX_RATE, required=every)
    problems += found
    # The map shows a rate of 0 for a state with deaths but too few (under 20) for a reliable rate: not shown, not 0.
    adjusted = adjusted.mask((adjusted == 0) & (deaths > 0))
    wrong = pd.Series([(y, s) in SOSMAP_KNOWN_WRONG for y, s in zip(year, f["state"], strict=True)], index=f.index)
    out = pd.DataFrame(
        {
            "year": year,
            "geography": f["state"],
            "substance": "all_drugs",
            "deaths": deaths.round().astype("Int64"),
            "population": pd.array([pd.NA] * len(f), dtype="Int64"),
            "rate_crude": float("nan"),
            "rate_age_adjusted": adjusted,
            "dataset": SOSMAP,
            "source_url": None,
            "_path": path,
            "_line": f["_line"],
            "_record": f["_record"],
            "_keep": (~wrong).to_numpy(),
            "_measure": "all",
        }
    )
    return out, problems


_TITLE = re.compile(rb"^[^,\n]*\r?\n")


def parse_drug_type(data: bytes, path: str, *, whole: bool = False) -> tuple[pd.DataFrame, list[Problem]]:
    """Health, United States drug overdose death rates by drug type: a title line, then one row per estimate. The
    all-persons, all-ages rows of each drug, year and unit are kept; CDC's "*" (not shown) is an empty estimate."""
    title = _TITLE.match(data)
    if title is None or b"INDICATOR" in title.group(0).upper():
        return _empty(), [Problem(path, 1, None, None, "expected a title line (the dataset's name) before the header")]
    columns = {
        "panel": "panel",
        "unit": "unit",
        "stub_name": "stub",
        "stub_label": "label",
        "year": "year",
        "age": "age",
        "estimate": "estimate",
        "flag": "flag",
    }
    table, problems = csvtable.read_table(data[title.end() :], path, columns, {}, lambda h: h.strip().lower(), whole=whole)
    problems = [replace(p, line=p.line + 1) if p.line else p for p in problems]  # lines of the whole file
    if table is None:
        return _empty(), problems
    f = table.frame
    f["_line"] = f["_line"] + 1
    f["_record"] = f["panel"] + " " + f["unit"] + " " + f["label"] + " " + f["year"]
    problems += table.rows(
        ~f["panel"].isin(list(DRUG_TYPE_SUBSTANCE)),
        "panel",
        lambda v: f"{v!r} is not a drug type we read; add it to drugstats.official.nchs_final.DRUG_TYPE_SUBSTANCE",
    )
    problems += table.rows(~f["unit"].isin([_AGE_ADJUSTED, _CRUDE]), "unit", lambda v: f"{v!r} is not a rate unit we read")
    year, found = _year(table, "year")
    problems += found
    shown = f["flag"].str.strip() != "*"
    rate, found = _number(table, "estimate", MAX_RATE, required=shown)
    problems += found
    problems += table.rows(~shown & rate.notna(), "estimate", lambda v: f"is marked '*' (not shown) but has a value: {v!r}")
    keep = (f["stub"] == "Total") & (f["label"] == "All persons") & (f["age"] == "All ages")
    adjusted = f["unit"] == _AGE_ADJUSTED
    out = pd.DataFrame(
        {
            "year": year,
            "geography": "US",
            "substance": f["panel"].map(DRUG_TYPE_SUBSTANCE),
            "deaths": pd.array([pd.NA] * len(f), dtype="Int64"),
            "population": pd.array([pd.NA] * len(f), dtype="Int64"),
            "rate_crude": rate.where(~adjusted),
            "rate_age_adjusted": rate.where(adjusted),
            "dataset": DRUG_TYPE,
            "source_url": None,
            "_path": path,
            "_line": f["_line"],
            "_record": f["_record"],
            "_keep": keep.to_numpy(),
            "_measure": f["unit"].to_numpy(),
        }
    )
    return out, problems


PARSERS = {STATE: parse_state, SOSMAP: parse_sosmap, DRUG_TYPE: parse_drug_type}


def stack(parts: Sequence[pd.DataFrame]) -> tuple[pd.DataFrame, list[Problem]]:
    """One dataset's kept rows, one per place, drug and year (the drug-type table's crude and age-adjusted rows of a
    year become one row); a key repeated within a dataset is a problem."""
    frames = [p for p in parts if len(p)]
    if not frames:
        return pd.DataFrame(columns=FINAL_COLUMNS), []
    rows = pd.concat(frames, ignore_index=True)
    rows = rows[rows["_keep"].astype(bool)]
    key = ["dataset", "substance", "geography", "year"]
    problems = csvtable.duplicates(rows, [*key, "_measure"], "place, drug, year and measure")
    measures = ["deaths", "population", "rate_crude", "rate_age_adjusted"]
    # The drug-type table gives a year's crude and age-adjusted rates on two rows: one row per key, each measure from
    # the row that has it.
    merged = rows.groupby(key, sort=False, as_index=False).agg(
        {**{c: "first" for c in FINAL_COLUMNS if c not in key and c not in measures}, **{m: "first" for m in measures}}
    )
    return merged[FINAL_COLUMNS].sort_values(key, ignore_index=True), problems


def final_frame(frames: Mapping[str, pd.DataFrame]) -> tuple[pd.DataFrame, list[Problem]]:
    """Every final figure held, one row per dataset, drug, place and year, with the check that spans tables: where the
    NCHS state dataset and CDC's map table both hold a state and year, their deaths must agree and their age-adjusted
    rates round to within 0.1 of each other (the map table rounds to one decimal)."""
    held = [frames[d] for d in DATASETS if d in frames and len(frames[d])]
    if not held:
        return pd.DataFrame(columns=FINAL_COLUMNS), []
    out = pd.concat(held, ignore_index=True)
    problems = []
    if STATE in frames and SOSMAP in frames:
        both = frames[STATE].merge(frames[SOSMAP], on=["substance", "geography", "year"], suffixes=("", "_map"))
        rate_gap = (both["rate_age_adjusted"].astype(float) - both["rate_age_adjusted_map"].astype(float)).abs()
        for row in both[(both["deaths"] != both["deaths_map"]) | (rate_gap > 0.1 + 1e-9)].to_dict("records"):
            problems.append(
                Problem(
                    row["_path_map"],
                    int(row["_line_map"]),
                    row["_record_map"],
                    None,
                    f"disagrees with {STATE} ({row['_path']}:{row['_line']}): deaths {row['deaths_map']} vs "
                    f"{row['deaths']}, age-adjusted rate {row['rate_age_adjusted_map']} vs {row['rate_age_adjusted']}",
                )
            )
    columns = {c: out[c] for c in FINAL_COLUMNS}
    frame = pd.DataFrame(columns)
    frame["year"] = frame["year"].astype("int64")
    for c in ("deaths", "population"):
        frame[c] = frame[c].astype("Int64")
    for c in ("rate_crude", "rate_age_adjusted"):
        frame[c] = pd.to_numeric(frame[c]).astype("float64")
    return frame.reset_index(drop=True), problems[: csvtable.CAP]


def final_row(final: pd.DataFrame, substance: str, geography: str, year: int, column: str) -> pd.Series | None:
    """The first held row (in DATASETS order) with a value of `column` for the drug, place and year; None if none."""
    if final is None or final.empty:
        return None
    rows = final[
        (final["substance"] == substance) & (final["geography"] == geography) & (final["year"] == year) & final[column].notna()
    ]
    if rows.empty:
        return None
    order = rows["dataset"].map({d: i for i, d in enumerate(DATASETS)})
    return rows.loc[order.idxmin()]
