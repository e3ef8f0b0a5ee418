"""Command line: the same core as the dashboard, with exit codes (0 ok, 1 bad data, 2 usage or I/O)."""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import date
from pathlib import Path

import pandas as pd

from drugstats import DATA_DIR, refresh
from drugstats.errors import DataError, FetchError, RenderError
from drugstats.official import cbp_places, series
from drugstats.verdicts import checks


def _print_problems(err: DataError) -> None:
    for problem in err.problems:
        print(problem, file=sys.stderr)
    print(f"{len(err.problems)} problem(s) found", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    from drugstats.claims import load

    if args.paths:
        dataset = load.load_dataset(args.data, extra_claim_files=args.paths)
        print(
            f"{len(dataset.extra_claims)} claims in {len(args.paths)} file(s), checked against {len(dataset.sources)} sources: OK"
        )
        return 0
    # Everything the dashboard loads (pipeline.build reads the same two), so that OK here means the site loads.
    problems = []
    dataset = official = None
    try:
        dataset = load.load_dataset(args.data)
    except DataError as err:
        problems += err.problems
    try:
        official = series.load_series(args.data)
    except DataError as err:
        problems += err.problems
    if not problems:
        problems += cbp_places.claim_problems(dataset.claims, official.seizures, dataset.where)
    if problems:
        raise DataError(problems)
    raw_files = sum(len(meta.files) for meta in official.datasets.values())
    rows = len(official.overdose_deaths) + len(official.seizures) + len(official.final_deaths) + len(official.county_deaths)
    print(f"{len(dataset.claims)} claims, {len(dataset.statements)} statements, {len(dataset.sources)} sources: OK")
    print(
        f"{raw_files} raw files of {len(official.datasets)} datasets (metadata, sha256, {rows:,} rows), "
        f"{len(official.reference_values)} reference values: OK"
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from drugstats.publish import export

    written = export.export_bundle(args.data, args.out, zip_path=args.zip)
    for path in written:
        print(path)
    return 0


def cmd_figures(args: argparse.Namespace) -> int:
    from drugstats.site import figures
    from drugstats.verdicts import pipeline

    written = figures.write_figures(pipeline.build(args.data), args.out)
    for path in written:
        print(path)
    print(f"{len(written)} files written to {args.out}")
    return 0


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def cmd_check(args: argparse.Namespace) -> int:
    from drugstats.publish import export
    from drugstats.verdicts import pipeline

    build = pipeline.build(args.data, extra_claim_files=args.files)
    frame = build.claims[["id", "value", "unit", "qualifier"]].merge(build.verdicts, on="id")
    if args.format == "csv":
        sys.stdout.buffer.write(export.to_csv_bytes(build.verdicts, "verdicts"))
        return 0
    for row in frame.itertuples(index=False):
        official = "" if pd.isna(row.official_value) else f"official {_number(row.official_value)} {row.official_unit}"
        ratio = "" if pd.isna(row.ratio) else f"ratio {row.ratio:.2f}"
        stated = f"{row.qualifier.replace('_', ' ')} {_number(row.value)} {row.unit}"
        print(f"{row.verdict.upper():<14} {row.id}")
        print(f"{'':<14} claim {stated}; {official}; {ratio}".rstrip("; "))
        print(textwrap.fill(row.explanation, width=100, initial_indent=" " * 15, subsequent_indent=" " * 15))
    counts = frame["verdict"].value_counts()
    print(", ".join(f"{counts.get(v, 0)} {v}" for v in checks.VERDICTS))
    return 0


def _iso_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD") from None


def cmd_extract(args: argparse.Namespace) -> int:
    from drugstats.extract import check as extract_check
    from drugstats.extract import reader
    from drugstats.extract import report as extract_report
    from drugstats.extract import source as extract_source
    from drugstats.verdicts import pipeline

    batches, failed, build = [], 0, None
    for spec in args.sources:
        try:
            article = extract_source.read_article(spec, sys.stdin.buffer)
        except extract_source.ArticleError as err:
            print(f"error: {err}", file=sys.stderr)
            failed += 1
            continue
        web = spec.startswith(("http://", "https://"))
        source = spec if web else extract_check.placeholder_source(Path(spec).name if spec != "-" else "stdin")
        if article.note:
            print(f"note: {article.note}", file=sys.stderr)
            batches.append((source, []))
            continue
        claimant = args.claimant or extract_source.outlet_of(article)
        candidates = reader.extract(article.text, args.published or article.published, claimant)
        if build is None and any(c.complete for c in candidates):
            build = pipeline.build(args.data)  # once for the whole batch, and only when there is something to check
        checked = (
            extract_check.check_candidates(candidates, build, source=source, claimant=claimant)
            if build is not None
            else [extract_check.Checked(c, None, None) for c in candidates]
        )
        batches.append((source, checked))
    sys.stdout.write(extract_report.FORMATS[args.format](batches))
    return 1 if failed else 0


def cmd_lookup(args: argparse.Namespace) -> int:
    from drugstats.publish import export
    from drugstats.verdicts import lookup, pipeline

    official = pipeline.build(args.data).official
    matches = lookup.lookup(
        lookup.candidates(official),
        args.value,
        unit=args.unit,
        metric=args.metric,
        substance=args.substance,
        tolerance=args.tolerance / 100,
        limit=args.limit,
    )
    if args.format == "csv":
        sys.stdout.buffer.write(export.to_csv_bytes(lookup.frame(matches)))
        return 0
    if not matches:
        print(f"no official figure within {args.tolerance:g}% of {_number(args.value)}")
        return 0
    print(f"official figures within {args.tolerance:g}% of {_number(args.value)}, nearest first (off by, figure, what):")
    for m in matches:
        what = "; ".join(part for part in (m.measure, m.place, m.window) if part and part != "n/a")
        print(f"{m.distance * 100:6.2f}%  {_number(m.value):>12} {m.unit:<7} {what}")
    return 0


def _positive(text: str) -> float:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number above zero")
    return value


def _iso_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD") from None


def cmd_refresh(args: argparse.Namespace) -> int:
    report = refresh.refresh(args.data, args.dataset, args.source, release=args.release, timeout=args.timeout)
    for line in report.lines():
        print(line)
    return 0


def _add_refresh(sub: argparse._SubParsersAction) -> None:
    """`drugstats refresh cdc-vsrr|cbp-seizures`, one subcommand per dataset refresh.DEFAULT_SOURCES knows."""
    parser = sub.add_parser(
        "refresh",
        help="download a dataset's newest official file, check it, and replace the raw copy (nothing changes if any check fails)",
    )
    datasets = parser.add_subparsers(dest="dataset", required=True, metavar="DATASET")
    helps = {
        series.CDC_VSRR: "CDC VSRR provisional drug overdose death counts (data.cdc.gov xkb8-kh2a)",
        series.CBP_SEIZURES: "CBP nationwide drug seizures",
    }
    for dataset, default in refresh.DEFAULT_SOURCES.items():
        p = datasets.add_parser(dataset, help=helps[dataset])
        p.add_argument(
            "--from",
            dest="source",
            default=default,
            metavar="URL_OR_PATH",
            help=f"where to read the new file (default: {default.replace('%', '%%')})",
        )
        p.add_argument(
            "--release",
            type=_iso_date,
            default=None,
            help="release date of the file, YYYY-MM-DD (default: the server's Last-Modified date)",
        )
        p.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for the server (default: 120)")
        p.set_defaults(run=cmd_refresh)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="drugstats", description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="data directory (default: the shipped data/)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "validate",
        help="validate everything the dashboard loads (claims, statements, sources, reference values, raw files with "
        "their metadata and sha256), or claims files against the shipped sources",
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="a claims YAML file to check")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("export", help="write cleaned CSVs and datapackage.json")
    p.add_argument("--out", type=Path, default=Path("out"), help="output directory (default: out/)")
    p.add_argument("--zip", type=Path, default=None, help="also write the bundle as this zip file")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("figures", help="write every chart of the dashboard (default views) as PNG, SVG and HTML, with an index")
    p.add_argument("--out", type=Path, default=Path("figures"), help="output directory (default: figures/)")
    p.set_defaults(run=cmd_figures)

    p = sub.add_parser("check", help="check the shipped claims, and the claims in each FILE, against the record")
    p.add_argument("files", nargs="*", type=Path, metavar="FILE", help="a claims YAML file (source may be a URL)")
    p.add_argument("--format", choices=("table", "csv"), default="table", help="output format (default: table)")
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("extract", help="find the drug figures in articles and check each against the record")
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="a text or HTML file, an http(s) URL, or - for standard input")
    p.add_argument("--published", type=_iso_day, default=None, help="publication date, YYYY-MM-DD (default: the page's own)")
    p.add_argument("--claimant", default=None, help="the outlet that printed the figures (default: the page's site name)")
    p.add_argument("--format", choices=("yaml", "csv", "table"), default="table", help="output format (default: table)")
    p.set_defaults(run=cmd_extract)

    from drugstats import vocab

    p = sub.add_parser("lookup", help="which official figure is this number? every series, place and window near it")
    p.add_argument("value", type=_positive, help="the number as a plain figure, e.g. 109745")
    p.add_argument("--unit", choices=list(vocab.UNITS), help="only figures in this unit (deaths and people are one)")
    p.add_argument("--metric", choices=list(vocab.METRICS), help="only figures of this metric")
    p.add_argument("--substance", help="only figures of this drug (a drugstats substance or CBP drug id)")
    p.add_argument("--tolerance", type=_positive, default=5.0, help="how near, in percent of VALUE (default: 5)")
    p.add_argument("--limit", type=int, default=20, help="at most this many figures (default: 20)")
    p.add_argument("--format", choices=("table", "csv"), default="table")
    p.set_defaults(run=cmd_lookup)

    _add_refresh(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except DataError as err:
        _print_problems(err)
        return 1
    except FetchError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except RenderError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
