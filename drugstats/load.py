"""Read and validate the curated YAML (sources, claims, statements), reporting every problem at once."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from drugstats.errors import DataError, Problem
from drugstats.models import LIST_FIELDS, Ambiguous, Claim, Source, Statement, check_url, claim_rules

MAX_FILE_BYTES = 1_000_000  # the whole shipped dataset is a few dozen KiB
MAX_DEPTH = 8  # list > record > field > list item is 4; anything deeper is not ours

# Characters that hide or reorder text (Trojan Source) and C0/C1 controls other than tab/newline.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
_FORBIDDEN = re.compile("[" + "".join(sorted(_BIDI)) + r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

_BOOL_WORDS = {"true", "false"}
_SCHEME = re.compile(r"^\s*[A-Za-z][A-Za-z0-9+.-]*:")
# (pattern of a plain scalar YAML 1.1 retypes surprisingly, what to write instead)
_NUMBER_TRAPS = (
    (re.compile(r"^[-+]?0[0-9_]+$"), "YAML reads a leading zero as octal: drop the zero, or quote it if it is text"),
    (re.compile(r"^[-+]?0[xXbBoO]"), "YAML reads this as hexadecimal, binary or octal: write a decimal number"),
    (re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$"), "YAML 1.1 reads a:b as base 60 (a time): quote it"),
    (re.compile(r"^[-+]?\.(inf|nan)$", re.IGNORECASE), "not a finite number"),
)


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


class _YamlRefused(Exception):
    def __init__(self, message: str, mark: Any = None, line: int | None = None):
        super().__init__(message)
        self.line = mark.line + 1 if mark is not None else line


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases and caps nesting while composing the node tree."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _YamlRefused("anchors and aliases (&name, *name) are not allowed: write each value out", event.start_mark)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _YamlRefused(f"nested deeper than {MAX_DEPTH} levels", event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _decode(path: Path, raw: bytes) -> str:
    if not raw.strip():
        raise _YamlRefused("file is empty")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise _YamlRefused("file starts with a byte-order mark: save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise _YamlRefused(f"not UTF-8 text (byte 0x{raw[err.start]:02x}): save the file as UTF-8", line=line) from None
    bad = _FORBIDDEN.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        code = f"U+{ord(bad.group()):04X}"
        name = unicodedata.name(bad.group(), "")
        label = f"{name} ({code})" if name else code
        raise _YamlRefused(f"contains the invisible control character {label}: delete it", line=line)
    return text


def _scalar(loader: _Loader, node: yaml.ScalarNode) -> Any:
    """Build a scalar, refusing YAML 1.1 readings that a human would not expect."""
    if node.style is None:  # only plain (unquoted) scalars are retyped by YAML
        raw = node.value
        if node.tag.endswith(":bool") and raw.lower() not in _BOOL_WORDS:
            return Ambiguous(raw, f"the boolean {str(loader.construct_object(node)).lower()}")
        if node.tag.endswith((":int", ":float")):
            for pattern, hint in _NUMBER_TRAPS:
                if pattern.match(raw):
                    return Ambiguous(raw, f"the number {loader.construct_object(node)}", hint)
        if node.tag.endswith(":null") and raw not in ("", "~", "null"):
            return Ambiguous(raw, "nothing (null)")
    try:
        value = loader.construct_object(node)
    except ValueError as err:  # e.g. 2023-02-30 is tagged a timestamp but is no date
        raise _YamlRefused(f"{raw_or(node)!r} is not a real date ({err})", node.start_mark) from None
    return value


def raw_or(node: yaml.Node) -> str:
    return node.value if isinstance(node.value, str) else ""


def read_records(path: Path, display: str, problems: list[Problem]) -> list[Located]:
    """Parse one curated YAML file into located records, hardened against hostile input.

    File-level and field-level reading problems go to `problems`; validate each record with
    `validate_record`. Used for every human-edited YAML file: claims, statements, sources and
    reference values.
    """
    try:
        raw = path.read_bytes()
    except OSError as err:
        problems.append(Problem(display, None, None, None, f"cannot read file: {err.strerror}"))
        return []
    if len(raw) > MAX_FILE_BYTES:
        problems.append(Problem(display, None, None, None, f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}"))
        return []
    try:
        text = _decode(path, raw)
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except _YamlRefused as err:
        problems.append(Problem(display, err.line, None, None, str(err)))
        return []
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        message = " ".join(str(x) for x in (err.context, err.problem) if x)
        if "expected a single document" in message:
            message = "holds more than one YAML document (---); keep one list per file"
        elif "\\t" in message or "'\\t'" in message:
            message = "tab character used for indentation; indent with spaces"
        problems.append(Problem(display, mark.line + 1 if mark else None, None, None, f"not valid YAML: {message}"))
        return []
    except yaml.YAMLError as err:
        problems.append(Problem(display, None, None, None, f"not valid YAML: {err}"))
        return []
    if root is None:
        problems.append(Problem(display, None, None, None, "file holds no records: expected a list"))
        return []
    if not isinstance(root, yaml.SequenceNode):
        problems.append(Problem(display, root.start_mark.line + 1, None, None, "top level must be a list of records (- id: ...)"))
        return []
    records = []
    for item in root.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            problems.append(Problem(display, line, None, None, "each list item must be a record of fields (key: value)"))
            continue
        records.append(_record(loader, item, display, problems))
    return records


def _record(loader: _Loader, node: yaml.MappingNode, display: str, problems: list[Problem]) -> Located:
    record = Located(display, node.start_mark.line + 1, {}, {})
    pending: list[Problem] = []
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            pending.append(Problem(display, line, None, None, "field names must be plain text"))
            continue
        key = key_node.value
        if key in record.values:
            pending.append(Problem(display, line, None, key, f"duplicate field (first given on line {record.lines[key]})"))
            continue
        record.lines[key] = value_node.start_mark.line + 1
        try:
            record.values[key] = _field_value(loader, key, value_node)
        except _YamlRefused as err:
            pending.append(Problem(display, err.line or line, None, key, str(err)))
            record.failed.add(key)
    # Name the record in every problem once its id is known.
    problems.extend(Problem(p.path, p.line, record.id, p.field, p.message) for p in pending)
    return record


def _field_value(loader: _Loader, key: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return _scalar(loader, node)
    if isinstance(node, yaml.SequenceNode) and key in LIST_FIELDS:
        items = []
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode):
                raise _YamlRefused("list items must be single values", item.start_mark)
            items.append(_scalar(loader, item))
        return items
    shape = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
    raise _YamlRefused(f"expected a single value, got {shape}", node.start_mark)


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


def _yaml_files(directory: Path) -> list[Path]:
    return sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])


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

    for path in _yaml_files(data_dir / "claims"):
        for record in read_records(path, _display(path, data_dir), problems):
            claim = validate_record(Claim, record, problems)
            if claim is not None:
                _add(dataset, "claim", claim.id, record, problems)  # ids are unique even among invalid claims
                if _claim_ok(claim, record, dataset, problems, allow_url=False):
                    dataset.claims.append(claim)

    for path in _yaml_files(data_dir / "statements"):
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
