"""Read and validate the curated YAML (sources, claims, statements), reporting every problem at once."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from drugstats.claims import files, yamlread
from drugstats.claims.models import LIST_FIELDS, Claim, Source, Statement, check_url, claim_rules
from drugstats.errors import DataError, Problem

MAX_FILE_BYTES = 1_000_000  # the whole shipped dataset is a few dozen KiB
MAX_DEPTH = yamlread.MAX_DEPTH

_SCHEME = re.compile(r"^\s*[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass
class Located:
    """A record read from YAML, with the line of the record and of each of its fields."""

    path: str
    line: int
    values: dict[str, Any]
    lines: dict[str, int]
    failed: set[str] = field(default_factory=set)  # fields already reported while reading YAML

    @property
    def id(self) -> str | None:
        value = self.values.get("id")
        return value if isinstance(value, str) else None


@dataclass
class Dataset:
    sources: dict[str, Source] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    extra_claims: list[Claim] = field(default_factory=list)  # from files given on the command line
    where: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)  # (kind, id) -> (path, line)


def _read_bytes(path: Path) -> bytes:
    """The bytes of one YAML file, refused above MAX_FILE_BYTES: the one place this module opens a file."""
    try:  # a FIFO or /dev/zero is refused before any read, a file over the limit before it is read whole
        return files.read_bytes(path, MAX_FILE_BYTES)
    except files.FileRefused as err:
        if err.missing:
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT)) from None
        raise yamlread.YamlRefused(err.problems[0].message) from None


def _parse(path: Path, display: str, problems: list[Problem]) -> tuple[bool, yamlread.Node | None]:
    """Read and parse one YAML file; (False, None) after reporting why it could not be."""
    try:
        return True, yamlread.parse(_read_bytes(path))
    except OSError as err:
        problems.append(Problem(display, None, None, None, f"cannot read file: {err.strerror or err}"))
    except yamlread.YamlRefused as err:
        problems.append(Problem(display, err.line, None, None, str(err)))
    return False, None


def read_records(path: Path, display: str, problems: list[Problem]) -> list[Located]:
    """Parse one curated YAML file into located records, hardened against hostile input (drugstats.claims.yamlread).

    File-level and field-level reading problems go to `problems`; validate each record with
    `validate_record`. Used for every human-edited YAML file: claims, statements, sources and
    reference values.
    """
    read, root = _parse(path, display, problems)
    if not read:
        return []
    if root is None:
        problems.append(Problem(display, None, None, None, "file holds no records: expected a list"))
        return []
    if not isinstance(root, yamlread.Sequence):
        problems.append(Problem(display, root.line, None, None, "top level must be a list of records (- id: ...)"))
        return []
    records = []
    for item in root.items:
        if not isinstance(item, yamlread.Mapping):
            problems.append(Problem(display, item.line, None, None, "each list item must be a record of fields (key: value)"))
            continue
        records.append(_record(item, display, problems))
    return records


def read_document(path: Path, display: str, problems: list[Problem]) -> Any:
    """A whole YAML document as plain data (a metadata.yaml), hardened like the records; None after a problem."""
    read, root = _parse(path, display, problems)
    if not read:
        return None
    return document(root, display, problems)


def document(root: yamlread.Node | None, display: str, problems: list[Problem]) -> Any:
    """Parsed nodes as plain data; every refused value or key reported with its line and field; None if any."""
    found: list[tuple[int | None, str | None, str]] = []
    doc = yamlread.plain_data(root, found)
    problems.extend(Problem(display, line, None, key, message) for line, key, message in found)
    return None if found else doc


def parse_document(raw: bytes, display: str, lines: dict[tuple, int] | None = None) -> tuple[Any, list[Problem]]:
    """The bytes of a YAML file read as one document of plain data, hardened like the records, and its problems;
    `lines`, when given, is filled with the line of each key and list item (yamlread.key_lines)."""
    problems: list[Problem] = []
    try:
        root = yamlread.parse(raw)
    except yamlread.YamlRefused as err:
        return None, [Problem(display, err.line, None, None, str(err))]
    if lines is not None:
        lines.update(yamlread.key_lines(root))
    return document(root, display, problems), problems


def _record(node: yamlread.Mapping, display: str, problems: list[Problem]) -> Located:
    record = Located(display, node.line, {}, {})
    pending: list[Problem] = []
    values, lines = record.values, record.lines
    for key_node, value_node in node.pairs:
        line = key_node.line
        if not isinstance(key_node, yamlread.Scalar) or key_node.tag is not None:
            pending.append(Problem(display, line, None, None, "field names must be plain text"))
            continue
        key = key_node.value
        if key in values:
            pending.append(Problem(display, line, None, key, f"duplicate field (first given on line {lines[key]})"))
            continue
        lines[key] = value_node.line
        try:
            values[key] = _field_value(key, value_node)
        except yamlread.YamlRefused as err:
            pending.append(Problem(display, err.line or line, None, key, str(err)))
            record.failed.add(key)
    # Name the record in every problem once its id is known.
    if pending:
        problems.extend(Problem(p.path, p.line, record.id, p.field, p.message) for p in pending)
    return record


def _field_value(key: str, node: yamlread.Node) -> Any:
    if isinstance(node, yamlread.Scalar):
        return yamlread.value(node)
    if isinstance(node, yamlread.Sequence) and key in LIST_FIELDS:
        items = []
        for item in node.items:
            if not isinstance(item, yamlread.Scalar):
                raise yamlread.YamlRefused("list items must be single values", item.line)
            items.append(yamlread.value(item))
        return items
    shape = "a list" if isinstance(node, yamlread.Sequence) else "a mapping"
    raise yamlread.YamlRefused(f"expected a single value, got {shape}", node.line)


_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field",
}


def validate_record(model: type[BaseModel], record: Located, problems: list[Problem]) -> BaseModel | None:
    # A field left empty in YAML (`notes:`) is the same as leaving it out.
    values = {k: v for k, v in record.values.items() if v is not None}
    try:
        model_obj = model.model_validate(values)
    except ValidationError as err:
        for error in err.errors(include_url=False):
            name = str(error["loc"][0]) if error["loc"] else None
            if name in record.failed:
                continue
            message = _MESSAGES.get(error["type"], error["msg"])
            if error["type"] == "extra_forbidden":
                allowed = ", ".join(model.model_fields)
                message = f"unknown field; allowed fields are: {allowed}"
            line = record.lines.get(name, record.line) if name else record.line
            problems.append(Problem(record.path, line, record.id, name, message))
        return None
    return None if record.failed else model_obj


def _display(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base.parent))
    except ValueError:
        return str(path)


def _yaml_files(directory: Path, data_dir: Path, problems: list[Problem]) -> list[Path]:
    found, refused = files.yaml_files(directory, _display(directory, data_dir), root=data_dir)
    problems += refused
    return found


def load_dataset(data_dir: Path, extra_claim_files: Iterable[Path] = ()) -> Dataset:
    """Load and validate sources, claims and statements; raise DataError listing every problem.

    `extra_claim_files` are claims files given by a user: checked against the shipped sources,
    and their `source` may be an http(s) URL instead of a source id.
    """
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    dataset = Dataset()

    sources_path = data_dir / "sources.yaml"
    for record in read_records(sources_path, _display(sources_path, data_dir), problems):
        source = validate_record(Source, record, problems)
        if source is not None:
            _add(dataset, "source", source.id, record, problems)
            dataset.sources.setdefault(source.id, source)

    for path in _yaml_files(data_dir / "claims", data_dir, problems):
        for record in read_records(path, _display(path, data_dir), problems):
            claim = validate_record(Claim, record, problems)
            if claim is not None:
                _add(dataset, "claim", claim.id, record, problems)  # ids are unique even among invalid claims
                if _claim_ok(claim, record, dataset, problems, allow_url=False):
                    dataset.claims.append(claim)

    for path in _yaml_files(data_dir / "statements", data_dir, problems):
        for record in read_records(path, _display(path, data_dir), problems):
            statement = validate_record(Statement, record, problems)
            if statement is not None:
                _check_source(statement.source, record, dataset, problems, allow_url=False)
                _add(dataset, "statement", statement.id, record, problems)
                dataset.statements.append(statement)

    for path in extra_claim_files:
        path = Path(path)
        for record in read_records(path, str(path), problems):
            claim = validate_record(Claim, record, problems)
            if claim is not None:
                _add(dataset, "claim", claim.id, record, problems)
                if _claim_ok(claim, record, dataset, problems, allow_url=True):
                    dataset.extra_claims.append(claim)

    if problems:
        raise DataError(_in_reading_order(problems))
    return dataset


def _in_reading_order(problems: list[Problem]) -> list[Problem]:
    """Files in the order they were read (sources, claims, statements, user files), lines in order."""
    unique = list(dict.fromkeys(problems))
    file_rank = {path: rank for rank, path in enumerate(dict.fromkeys(p.path for p in unique))}
    return sorted(unique, key=lambda p: (file_rank[p.path], p.line or 0))


def _add(dataset: Dataset, kind: str, ident: str, record: Located, problems: list[Problem]) -> None:
    first = dataset.where.get((kind, ident))
    if first is not None:
        problems.append(
            Problem(
                record.path,
                record.lines.get("id", record.line),
                ident,
                "id",
                f"duplicate {kind} id (first defined at {first[0]}:{first[1]})",
            )
        )
        return
    dataset.where[(kind, ident)] = (record.path, record.lines.get("id", record.line))


def _check_source(ref: str, record: Located, dataset: Dataset, problems: list[Problem], allow_url: bool) -> bool:
    if ref in dataset.sources:
        return True
    line = record.lines.get("source", record.line)
    if allow_url and _SCHEME.match(ref):
        try:
            check_url(ref)
            return True
        except PydanticCustomError as err:
            problems.append(Problem(record.path, line, record.id, "source", str(err)))
            return False
    hint = " or an http(s) URL" if allow_url else ""
    problems.append(Problem(record.path, line, record.id, "source", f"{ref!r} is not a source id in sources.yaml{hint}"))
    return False


def _claim_ok(claim: Claim, record: Located, dataset: Dataset, problems: list[Problem], allow_url: bool) -> bool:
    ok = _check_source(claim.source, record, dataset, problems, allow_url)
    for name, message in claim_rules(claim):
        problems.append(Problem(record.path, record.lines.get(name, record.line), claim.id, name, message))
        ok = False
    return ok
