"""The official record, loaded: every raw dataset read from disk, checked against its provenance, and parsed.

Each dataset's own format lives in its module of drugstats.official (cdc_vsrr, cbp, reference), provenance in
provenance.py; the questions asked of the frames in queries.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from drugstats import DATA_DIR
from drugstats.claims import files, load
from drugstats.errors import DataError, Problem
from drugstats.official import (
    cbp,
    cbp_places,
    cdc_vsrr,
    census,
    dea,
    fields,
    fields_deaths,  # noqa: F401 (declares the final and county tables)
    nchs_county_bands,
    nchs_final,
    parsecache,
    provenance,
    queries,
    reference,
    vsrr_county,
)
from drugstats.official.provenance import DatasetMeta

CDC_VSRR = cdc_vsrr.DATASET
CBP_SEIZURES = cbp.DATASET
CENSUS = census.DATASET
FIGURES = reference.DATASET
DEA_FIGURES = dea.DATASET
COUNTY = vsrr_county.DATASET
COUNTY_BANDS = nchs_county_bands.DATASET
# Data without these still load: crude rates, DEA figures, final counts, age-adjusted rates or county counts are then
# not used.
OPTIONAL = frozenset({CENSUS, DEA_FIGURES, *nchs_final.DATASETS, COUNTY, COUNTY_BANDS})


@dataclass(frozen=True)
class Series:
    """The official series, validated: three tidy frames and the provenance of their raw datasets."""

    overdose_deaths: pd.DataFrame
    seizures: pd.DataFrame
    reference_values: pd.DataFrame
    datasets: Mapping[str, DatasetMeta]
    population: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["geography", "year", "population"]))
    cbp_states: Mapping[str, cbp_places.StateAreas] = field(default_factory=dict)  # data/cbp_places.yaml, by state
    agency_figures: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=dea.COLUMNS))  # the DEA's word
    # NCHS final annual deaths and rates (drugstats.official.nchs_final), a series apart from the provisional counts
    final_deaths: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=nchs_final.FINAL_COLUMNS))
    # VSRR provisional 12-month counts by county (drugstats.official.vsrr_county)
    county_deaths: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=vsrr_county.COUNTY_COLUMNS))
    # NCHS model-based county rate bands 1999-2016 (drugstats.official.nchs_county_bands): context only, never a verdict
    county_rate_bands: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=nchs_county_bands.BAND_COLUMNS))


def read_dataset(data_dir: Path, dataset: str) -> tuple[DatasetMeta | None, dict[str, bytes], list[Problem]]:
    """A raw dataset's metadata and file contents, each file checked against its recorded sha256."""
    folder = Path(data_dir) / "raw" / dataset
    meta_path = folder / "metadata.yaml"
    try:
        raw = files.read_bytes(meta_path, files.MAX_METADATA_BYTES, str(meta_path), root=data_dir)
    except files.FileRefused as err:
        return None, {}, err.problems
    # The hardened reader of every YAML file: an alias bomb or 5,000-deep nesting is refused, not expanded.
    lines: dict[tuple, int] = {}
    doc, problems = load.parse_document(raw, str(meta_path), lines)
    if problems:
        return None, {}, problems
    meta, problems = provenance.parse_metadata(doc, str(meta_path), lines)
    if meta is None:
        return None, {}, problems
    if meta.dataset != dataset:
        problems.append(Problem(str(meta_path), None, None, "dataset", f"says {meta.dataset!r}, expected {dataset!r}"))
    contents = {}
    for raw in meta.files:
        path = folder / raw.name
        try:
            data = files.read_bytes(path, files.MAX_RAW_BYTES, str(path), root=data_dir)
        except files.FileRefused as err:
            if err.missing:
                problems.append(Problem(str(path), None, None, None, f"is listed in {meta_path.name} but missing"))
            else:
                problems += err.problems
            continue
        digest = provenance.sha256_hex(data)
        if digest != raw.sha256:
            problems.append(
                Problem(
                    str(path),
                    None,
                    None,
                    "sha256",
                    f"the file's sha256 is {digest}, {meta_path.name} records {raw.sha256}: "
                    "the file changed since it was recorded",
                )
            )
        contents[raw.name] = data
    listed = {raw.name for raw in meta.files}
    for stray in sorted(p.name for p in folder.glob("*.csv") if p.name not in listed):
        problems.append(
            Problem(
                str(folder / stray),
                None,
                None,
                None,
                f"is not listed in {meta_path.name}: list it with its provenance, or remove it",
            )
        )
    return meta, contents, problems


def _check_rows(meta: DatasetMeta, folder: Path, counts: Mapping[str, int]) -> list[Problem]:
    return [
        Problem(str(folder / raw.name), None, None, "rows", f"has {counts[raw.name]} data rows, metadata.yaml records {raw.rows}")
        for raw in meta.files
        if raw.name in counts and counts[raw.name] != raw.rows
    ]


@dataclass(frozen=True)
class Reader:
    """How one official dataset is read: each file parsed on its own, then the files combined into its frame."""

    parse: Callable[[bytes, str, str | None, bool], tuple[pd.DataFrame, list[Problem]]]
    combine: Callable[[Sequence[pd.DataFrame]], tuple[pd.DataFrame, list[Problem]]]


def _parse_vsrr(data: bytes, path: str, release: str | None, whole: bool) -> tuple[pd.DataFrame, list[Problem]]:
    if release is None:
        return pd.DataFrame(columns=cdc_vsrr.PARSED_COLUMNS), [
            Problem(path, None, None, "release", "a VSRR file needs its release date")
        ]
    return cdc_vsrr.parse_vsrr(data, path, release, whole=whole)


READERS = {
    CDC_VSRR: Reader(_parse_vsrr, cdc_vsrr.overdose_deaths_frame),
    CBP_SEIZURES: Reader(lambda data, path, release, whole: cbp.parse_cbp(data, path), cbp.seizures_frame),
    CENSUS: Reader(lambda data, path, release, whole: census.parse_census(data, path, whole=whole), census.population_frame),
    **{
        dataset: Reader(lambda data, path, release, whole, parse=parse: parse(data, path, whole=whole), nchs_final.stack)
        for dataset, parse in nchs_final.PARSERS.items()
    },
    COUNTY: Reader(vsrr_county.parse_county, vsrr_county.county_frame),
    COUNTY_BANDS: Reader(
        lambda data, path, release, whole: nchs_county_bands.parse_bands(data, path, whole=whole), nchs_county_bands.bands_frame
    ),
}


def parse_file(
    dataset: str, data: bytes, path: str, release: str | None, *, whole: bool = False
) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse one raw file of a dataset (cdc-vsrr or cbp-seizures); rows keep _path, _line and _record.

    whole: the bytes match the sha256 in metadata.yaml (a held file), so a missing final line break is not truncation.
    """
    if dataset not in READERS:
        raise ValueError(f"no reader for dataset {dataset!r}")
    return READERS[dataset].parse(data, path, release, whole)


def combine_files(dataset: str, parts: Sequence[pd.DataFrame]) -> tuple[pd.DataFrame, list[Problem]]:
    """The dataset's frame from its parsed files, with the checks that span files."""
    return READERS[dataset].combine(parts)


def _parse_held(dataset: str, data: bytes, path: str, release: str | None) -> tuple[pd.DataFrame, list[Problem]]:
    """A held file's rows: read back from the parse cache when an earlier build kept them (a claim edit rebuilds without
    parsing 12 MB of CSV again), else parsed and kept there.

    No copy is kept in memory: a second copy of every parsed file held ~190 MB of a server's RSS to save ~0.2 s of
    Parquet reading per rebuild, and rebuilds happen only when a file under data/ changes (bench/README.md, memory).
    """
    key = (dataset, provenance.sha256_hex(data), release)
    frame = parsecache.load(*key)  # parsed by an earlier build (drugstats.official.parsecache): skips the CSV
    if frame is None:
        frame, problems = parse_file(dataset, data, path, release, whole=True)
        if problems:
            return frame, problems
        parsecache.save(*key, frame)
    frame["_path"] = path  # the cache holds the path of the build that wrote it; this frame is this call's own
    return frame, []


def parse_files(
    dataset: str, meta: DatasetMeta, contents: Mapping[str, bytes], folder: Path
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Parse every file of a raw dataset, by file name, checking row counts against the metadata."""
    parts, problems, counts = {}, [], {}
    for raw in meta.files:
        if raw.name not in contents:
            continue
        # read_dataset checked each file's sha256 against metadata.yaml (a mismatch fails the load)
        parts[raw.name], found = _parse_held(dataset, contents[raw.name], str(folder / raw.name), raw.release)
        problems += found
        if not found:  # a count is only worth comparing once the rows themselves are sound
            counts[raw.name] = len(parts[raw.name])
    return parts, problems + _check_rows(meta, folder, counts)


def parse_dataset(
    dataset: str, meta: DatasetMeta, contents: Mapping[str, bytes], folder: Path
) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse and combine every file of a raw dataset (cdc-vsrr or cbp-seizures) into its frame; each row names the
    official file it was read from (source_url, DatasetMeta.file_url)."""
    parts, problems = parse_files(dataset, meta, contents, folder)
    urls = {raw.name: meta.file_url(raw) for raw in meta.files}
    for name, part in parts.items():  # each part is this call's own: set in place, no copy of 12 MB of rows
        part["source_url"] = urls[name]
    frame, found = combine_files(dataset, list(parts.values()))
    return compact(frame), problems + found


def compact(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns with few distinct values (a file's URL on every row, CDC's flag, the indicator, the drug) held as
    categories: one copy of each value and a small code per row. The values, comparisons and exports are unchanged;
    on the nine CDC releases this holds ~35 MB less (bench/README.md, memory against a fair peer)."""
    if len(frame) < _COMPACT_FROM:
        return frame
    for name in frame.columns:
        column = frame[name]
        if (pd.api.types.is_string_dtype(column) or column.dtype == object) and column.nunique() <= len(frame) // 100:
            frame[name] = column.astype("category")
    return frame


_COMPACT_FROM = 50_000  # rows (the CDC and county death files): below this a category saves too little to be worth it


def load_series(data_dir: Path | str = DATA_DIR) -> Series:
    """Read and validate every official series under data_dir; raise DataError listing every problem."""
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    metas: dict[str, DatasetMeta] = {}
    frames: dict[str, pd.DataFrame] = {}
    for dataset in READERS:
        if dataset in OPTIONAL and not (data_dir / "raw" / dataset).exists():
            continue
        meta, contents, found = read_dataset(data_dir, dataset)
        problems += found
        if meta is None:
            continue
        metas[dataset] = meta
        frames[dataset], found = parse_dataset(dataset, meta, contents, data_dir / "raw" / dataset)
        problems += found

    meta, contents, found = read_dataset(data_dir, FIGURES)
    problems += found
    figures: dict[int, dict[str, str]] = {}
    figures_path = str(data_dir / "raw" / FIGURES / "figures.csv")
    if meta is not None:
        metas[FIGURES] = meta
        if "figures.csv" in contents:
            figures, found = reference.parse_figures(contents["figures.csv"], figures_path)
            problems += found + _check_rows(meta, data_dir / "raw" / FIGURES, {"figures.csv": len(figures)})
    reference_path = data_dir / "reference_values.yaml"
    values, found = reference.parse_reference_values(reference_path, str(reference_path), figures, figures_path)
    problems += found
    agency_figures = pd.DataFrame(columns=dea.COLUMNS)
    if (data_dir / "raw" / DEA_FIGURES).exists():
        meta, contents, found = read_dataset(data_dir, DEA_FIGURES)
        problems += found
        if meta is not None and dea.FILE in contents:
            metas[DEA_FIGURES] = meta
            dea_path = data_dir / "raw" / DEA_FIGURES / dea.FILE
            agency_figures, found = dea.parse_dea(contents[dea.FILE], str(dea_path))
            problems += found + _check_rows(meta, dea_path.parent, {dea.FILE: len(agency_figures)} if not found else {})
    places_path = data_dir / cbp_places.PLACES_FILE
    cbp_states, found = cbp_places.parse_state_areas(places_path, str(places_path))
    problems += found
    if CBP_SEIZURES in frames:
        problems += cbp_places.check_areas(cbp_states, frames[CBP_SEIZURES], str(places_path))
    final, found = nchs_final.final_frame({d: frames[d] for d in nchs_final.DATASETS if d in frames})
    problems += found
    if problems:
        raise DataError(problems)
    extra = {"population": frames[CENSUS]} if CENSUS in frames else {}
    extra["final_deaths"] = final
    if COUNTY in frames:
        extra["county_deaths"] = frames[COUNTY]
    if COUNTY_BANDS in frames:
        extra["county_rate_bands"] = frames[COUNTY_BANDS]
    return Series(
        overdose_deaths=frames[CDC_VSRR],
        seizures=frames[CBP_SEIZURES],
        reference_values=values,
        datasets=metas,
        cbp_states=cbp_states,
        agency_figures=agency_figures,
        **extra,
    )


def _with_release_names(deaths: pd.DataFrame, meta: DatasetMeta | None) -> pd.DataFrame:
    """Deaths (by state or county) with release_estimated and release_name beside each release date (metadata.yaml)."""
    days = pd.to_datetime(deaths["release"]).dt.strftime("%Y-%m-%d")  # an empty frame's column is not typed
    estimated = {day: bool(meta and meta.release_estimated(day)) for day in days.unique()}
    names = {day: provenance.release_name(day, guess) for day, guess in estimated.items()}
    return deaths.assign(release_estimated=days.map(estimated).astype(bool), release_name=days.map(names))


def series_tables(series: Series) -> dict[str, pd.DataFrame]:
    """The exported tables, with exactly the columns drugstats.official.fields declares, in that order.

    overdose_deaths holds one row per key, the newest release's (the figure the checks use, queries.latest_release),
    so a sum over its rows never counts a period once per release; overdose_deaths_releases holds every release's
    rows, for studying revisions.
    """
    deaths = _with_release_names(series.overdose_deaths, series.datasets.get(CDC_VSRR))
    tables = {
        "overdose_deaths": queries.latest_release(deaths),
        "overdose_deaths_releases": deaths,
        "seizures": series.seizures,
        "reference_values": series.reference_values,
        "agency_figures": series.agency_figures,
        "overdose_deaths_final": series.final_deaths,
        "overdose_deaths_county": _with_release_names(series.county_deaths, series.datasets.get(COUNTY)),
        "overdose_death_rate_bands_county": series.county_rate_bands,
    }
    return {name: frame[fields.columns(name)].copy() for name, frame in tables.items()}
