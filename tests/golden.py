"""The golden file: the shipped verdicts and headline figures, in one place that a data refresh changes.

Code tests run on small inline fixtures and never pin a shipped number. What the shipped data give (each claim's
verdict and official value, the Overview's headlines, the few official figures tests draw on) is written to
tests/golden.csv instead, and compared by tests/test_golden.py. After `drugstats refresh` (or an edited claim), run

    python -m tests.golden --update

and read the diff of tests/golden.csv before committing it: each changed line is a verdict or a figure that moved.
Without --update it prints the differences and exits 1 when there are any.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from functools import cache
from pathlib import Path

import pandas as pd

from drugstats import DATA_DIR
from drugstats.official import queries
from drugstats.pages import overview
from drugstats.verdicts import pipeline

GOLDEN = Path(__file__).with_name("golden.csv")
COLUMNS = ("kind", "id", "verdict", "value", "unit", "window", "release")

# Official figures some tests read: (id, substance, place, month) of CDC's 12-month counts, newest release ...
DEATHS = (
    ("deaths-us-all-drugs-2021-12", "all_drugs", "US", "2021-12"),
    ("deaths-us-all-drugs-2023-01", "all_drugs", "US", "2023-01"),
    ("deaths-us-fentanyl-2023-01", "fentanyl", "US", "2023-01"),
    ("deaths-us-fentanyl-2022-12", "fentanyl", "US", "2022-12"),
)
# ... and CBP's nationwide fiscal-year totals, (id, drug, fiscal year).
SEIZURES = (("seized-fentanyl-fy2022", "fentanyl", 2022),)


def _number(value: object) -> str:
    return "" if value is None or pd.isna(value) else f"{float(value):.10g}"


def rows(build: pipeline.Build) -> list[dict[str, str]]:
    """Every golden row of a build, in a stable order."""
    out = []
    shipped = {c.id for c in build.dataset.claims}
    verdicts = build.verdicts[build.verdicts["id"].isin(shipped)].sort_values("id")
    for v in verdicts.itertuples(index=False):
        out.append(
            {
                "kind": "claim",
                "id": v.id,
                "verdict": v.verdict,
                "value": _number(v.official_value),
                "unit": v.official_unit if isinstance(v.official_unit, str) else "",
                "window": v.official_window if isinstance(v.official_window, str) else "",
                "release": v.official_release if isinstance(v.official_release, str) else "",
            }
        )
    counts = verdicts["verdict"].value_counts()
    for verdict in sorted(counts.index):
        out.append({"kind": "verdict_count", "id": verdict, "value": str(int(counts[verdict]))})
    official = build.official
    for name, headline in (
        ("latest-deaths", overview.latest_deaths_headline(official)),
        ("fentanyl-share", overview.fentanyl_share_headline(official)),
        ("fentanyl-seizures", overview.fentanyl_seizures_headline(official)),
    ):
        release = headline.citation.release
        out.append({"kind": "headline", "id": name, "value": headline.value, "window": headline.window, "release": release})
    for ident, substance, place, month in DEATHS:
        row = queries.deaths_in_window(official.overdose_deaths, substance, place, month)
        out.append(
            {
                "kind": "figure",
                "id": ident,
                "value": _number(row["deaths_reported"]),
                "unit": "deaths",
                "window": f"12 months ending {month}",
                "release": row["release"].date().isoformat(),
            }
        )
    for ident, drug, year in SEIZURES:
        years = queries.seizures_by_fiscal_year(official.seizures, drug=drug).set_index("fiscal_year")
        out.append(
            {"kind": "figure", "id": ident, "value": _number(years.loc[year, "seized_lb"]), "unit": "lb", "window": f"FY{year}"}
        )
    return [{c: r.get(c, "") for c in COLUMNS} for r in out]


def to_csv(golden_rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(golden_rows)
    return buffer.getvalue()


@cache
def _stored() -> dict[tuple[str, str], dict[str, str]]:
    with GOLDEN.open(encoding="utf-8", newline="") as f:
        return {(r["kind"], r["id"]): r for r in csv.DictReader(f)}


def row(kind: str, ident: str) -> dict[str, str]:
    """A row of the golden file, for tests that need a shipped figure: row("claim", "dc-2023-...")["verdict"]."""
    return _stored()[(kind, ident)]


def value(kind: str, ident: str) -> float:
    """A golden row's value as a number."""
    return float(row(kind, ident)["value"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.golden", description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help=f"rewrite {GOLDEN.name} from the data")
    parser.add_argument("--data", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    text = to_csv(rows(pipeline.build(args.data)))
    if args.update:
        GOLDEN.write_text(text, encoding="utf-8")
        print(f"wrote {GOLDEN}: review its diff before committing")
        return 0
    old = GOLDEN.read_text(encoding="utf-8") if GOLDEN.exists() else ""
    if old == text:
        print(f"{GOLDEN.name}: the data give the same verdicts and figures")
        return 0
    import difflib

    sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), text.splitlines(True), GOLDEN.name, "data"))
    return 1


if __name__ == "__main__":
    sys.exit(main())
