"""The one hardened YAML reader: libyaml's C parser, its events built into located nodes holding plain data only.

Every YAML file the core reads comes through here (claims, statements, sources, reference values, each raw
dataset's metadata.yaml). What it refuses, and why:

- anchors and aliases (`&a`, `*a`): a few hundred bytes of nested aliases expand to gigabytes (an alias bomb);
- nesting deeper than the data need: a file of 5,000 `[` is refused at the ninth, before any recursion;
- tags other than `!!str` (`!custom`, `!!python/name:...`, `!!timestamp`, `!!float "x"`): data, not objects;
- plain scalars YAML 1.1 reads against intuition (`NO` as false, `012` as 10, `1:30` as 90): kept as `Ambiguous`
  for the field's validator to explain;
- byte-order marks, text that is not UTF-8, and invisible characters (controls, bidi overrides, zero-width and
  Unicode tag characters) anywhere in the file.

libyaml parses; this module only walks its events (a parser's events: nothing is constructed from them). The one
loader used is `yaml.safe_load`: a plain scalar that YAML 1.1 types (a number, a date, a boolean) is read by it,
once per distinct text, so every value is what `safe_load` would give.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date
from typing import Any

import yaml
from yaml import events
from yaml.resolver import Resolver

from drugstats.claims.models import Ambiguous

try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml; its wheels ship it
    CParser = None

MAX_DEPTH = 8  # list > record > field > list item is 4; anything deeper is not ours

NO_LIBYAML = (
    "cannot read YAML: PyYAML was installed without libyaml, its C parser; "
    "reinstall it from a wheel (pip install --force-reinstall --only-binary :all: pyyaml)"
)

# Characters that hide or reorder text (Trojan Source), zero-width and other invisible format characters, Unicode
# tag characters (invisible text that can smuggle instructions), and C0/C1 controls other than tab and newline.
_INVISIBLE = {
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    0x200E,
    0x200F,
    0x061C,
    *range(0x200B, 0x200E),
    *range(0x2060, 0x2065),
    0xFEFF,
    0x00AD,
    0x180E,
}
_FORBIDDEN = re.compile(
    "[" + "".join(sorted(chr(c) for c in _INVISIBLE)) + r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\U000E0000-\U000E007F]"
)

_CORE = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP = (_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
_COLLECTION_TAGS = {events.MappingStartEvent: (None, _CORE + "map"), events.SequenceStartEvent: (None, _CORE + "seq")}
_RESOLVERS = Resolver.yaml_implicit_resolvers  # YAML 1.1's implicit types, exactly as SafeLoader resolves them
_BOOL_WORDS = {"true", "false"}
_DECIMAL = re.compile(r"[1-9][0-9]*|0")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MAX_NUMBER_CHARS = 40  # a figure is at most ~15 significant digits; a 400-digit integer is no figure
# (pattern of a plain scalar YAML 1.1 retypes surprisingly, what to write instead)
_NUMBER_TRAPS = (
    (re.compile(r"^[-+]?0[0-9_]+$"), "YAML reads a leading zero as octal: drop the zero, or quote it if it is text"),
    (re.compile(r"^[-+]?0[xXbBoO]"), "YAML reads this as hexadecimal, binary or octal: write a decimal number"),
    (re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$"), "YAML 1.1 reads a:b as base 60 (a time): quote it"),
    (re.compile(r"^[-+]?\.(inf|nan)$", re.IGNORECASE), "not a finite number"),
)


class YamlRefused(Exception):
    """A YAML file, or one value in it, that is refused; `line` (1-based) where known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


class Scalar:
    """A scalar as written: its text, its explicit tag (None if untagged), whether it was plain (unquoted)."""

    __slots__ = ("value", "tag", "plain", "line")

    def __init__(self, value: str, tag: str | None, plain: bool, line: int):
        self.value, self.tag, self.plain, self.line = value, tag, plain, line


class Sequence:
    __slots__ = ("items", "line")

    def __init__(self, line: int):
        self.items: list[Node] = []
        self.line = line


class Mapping:
    """A mapping's (key, value) pairs in the order written; duplicate keys are left for the reader to name."""

    __slots__ = ("items", "line")

    def __init__(self, line: int):
        self.items: list[Node] = []  # key, value, key, value, ... while parsing
        self.line = line

    @property
    def pairs(self) -> list[tuple[Node, Node]]:
        return list(zip(self.items[0::2], self.items[1::2], strict=True))


Node = Scalar | Sequence | Mapping


def decode(raw: bytes) -> str:
    """The file's text; refuse an empty file, a byte-order mark, bytes that are not UTF-8, and invisible characters."""
    if not raw.strip():
        raise YamlRefused("file is empty")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise YamlRefused("file starts with a byte-order mark: save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise YamlRefused(f"not UTF-8 text (byte 0x{raw[err.start]:02x}): save the file as UTF-8", line) from None
    bad = _FORBIDDEN.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        code = f"U+{ord(bad.group()):04X}"
        name = unicodedata.name(bad.group(), "")
        label = f"{name} ({code})" if name else code
        raise YamlRefused(f"contains the invisible control character {label}: delete it", line)
    return text


def show_tag(tag: str) -> str:
    shown = "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag
    return shown if len(shown) <= 40 else shown[:37] + "..."


def parse(raw: bytes, max_depth: int = MAX_DEPTH) -> Node | None:
    """The single document in `raw` as located nodes (None if it holds no document); raise YamlRefused.

    Events are pulled one at a time, so a refusal (an anchor, the ninth level of nesting) stops the parse
    where it is found, whatever follows.
    """
    text = decode(raw)
    if CParser is None:
        raise YamlRefused(NO_LIBYAML)
    parser = CParser(raw)
    next_event = parser.get_event
    ScalarEvent, MappingStart, SequenceStart = events.ScalarEvent, events.MappingStartEvent, events.SequenceStartEvent
    ends = (events.MappingEndEvent, events.SequenceEndEvent)
    open_nodes: list[Sequence | Mapping] = []
    root: Node | None = None
    documents = 0
    try:
        while True:
            event = next_event()
            kind = type(event)
            if kind is ScalarEvent:
                if event.anchor is not None:
                    raise _anchor(event)
                if len(open_nodes) >= max_depth:
                    raise _too_deep(event, max_depth)
                node = Scalar(event.value, event.tag, not event.style, event.start_mark.line + 1)
                if open_nodes:
                    open_nodes[-1].items.append(node)
                else:
                    root = node
            elif kind is MappingStart or kind is SequenceStart:
                if event.anchor is not None:
                    raise _anchor(event)
                if len(open_nodes) >= max_depth:
                    raise _too_deep(event, max_depth)
                if event.tag not in _COLLECTION_TAGS[kind]:
                    raise YamlRefused(_tag_message(event.tag), event.start_mark.line + 1)
                open_nodes.append((Mapping if kind is MappingStart else Sequence)(event.start_mark.line + 1))
            elif kind in ends:
                node = open_nodes.pop()
                if open_nodes:
                    open_nodes[-1].items.append(node)
                else:
                    root = node
            elif kind is events.AliasEvent:
                raise _anchor(event)
            elif kind is events.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlRefused(
                        "not valid YAML: holds more than one YAML document (---); keep one list per file",
                        event.start_mark.line + 1,
                    )
            elif kind is events.StreamEndEvent:
                return root
    except yaml.MarkedYAMLError as err:
        raise _syntax(err, text) from None


def _anchor(event: events.Event) -> YamlRefused:
    return YamlRefused("anchors and aliases (&name, *name) are not allowed: write each value out", event.start_mark.line + 1)


def _too_deep(event: events.Event, max_depth: int) -> YamlRefused:
    return YamlRefused(f"nested deeper than {max_depth} levels", event.start_mark.line + 1)


def _tag_message(tag: str) -> str:
    return f"the YAML tag {show_tag(tag)} is not allowed: write the value without a tag, in quotes if it is text"


def _syntax(err: yaml.MarkedYAMLError, text: str) -> YamlRefused:
    mark = err.problem_mark or err.context_mark
    message = " ".join(str(x) for x in (err.context, err.problem) if x)
    if mark is not None:
        lines = text.split("\n")
        at = lines[mark.line] if mark.line < len(lines) else ""
        # libyaml names the tab ("a tab character that violates indentation") or only the token it cannot start
        if "tab character" in message or ("cannot start any token" in message and at[mark.column : mark.column + 1] == "\t"):
            message = "tab character used for indentation; indent with spaces"
    return YamlRefused(f"not valid YAML: {message}", mark.line + 1 if mark is not None else None)


def value(node: Scalar) -> Any:
    """A scalar's value: text, a number, true/false, a date, None, or an `Ambiguous` for YAML 1.1's surprises.

    Raise YamlRefused for a tag (other than `!!str`), an impossible date, or a number too long to be a figure.
    """
    raw = node.value
    if node.tag is not None:
        if node.tag == _STR:
            return raw
        raise YamlRefused(_tag_message(node.tag), node.line)
    if not node.plain:  # only plain (unquoted) scalars are retyped by YAML
        return raw
    tag = _resolve(raw)
    if tag == _STR:
        return raw
    if tag == _INT or tag == _FLOAT:
        if len(raw) > _MAX_NUMBER_CHARS:
            raise YamlRefused(f"{len(raw):,} characters is too long for a number: write at most 15 digits", node.line)
        if tag == _INT and _DECIMAL.fullmatch(raw):
            return int(raw)
        number = _safe_value(raw)
        for pattern, hint in _NUMBER_TRAPS:
            if pattern.match(raw):
                return Ambiguous(raw, f"the number {number}", hint)
        return number
    if tag == _TIMESTAMP:
        try:
            if _DAY.fullmatch(raw):
                return date(int(raw[:4]), int(raw[5:7]), int(raw[8:]))
            return _safe_value(raw)
        except ValueError as err:  # 2023-02-30 has the form of a date but is none
            raise YamlRefused(f"{raw!r} is not a real date ({err})", node.line) from None
    if tag == _BOOL:
        reading = _safe_value(raw)
        return reading if raw.lower() in _BOOL_WORDS else Ambiguous(raw, f"the boolean {str(reading).lower()}")
    if tag == _NULL:
        return None if raw in ("", "~", "null") else Ambiguous(raw, "nothing (null)")
    return raw  # YAML 1.1's `<<` and `=` keys: plain text in a value


def _resolve(raw: str) -> str:
    for tag, pattern in _RESOLVERS.get(raw[:1], ()):
        if pattern.match(raw):
            return tag
    return _STR


@functools.lru_cache(maxsize=4096)
def _safe_value(raw: str) -> Any:
    """A plain scalar as `yaml.safe_load` reads it (the text alone is a valid document: a plain scalar cannot hold
    `: `, ` #` or a leading indicator). Cached: the same numbers and dates recur across records."""
    return yaml.safe_load(raw)


def plain_data(node: Node | None, problems: list[tuple[int | None, str | None, str]], key: str | None = None) -> Any:
    """A whole document as plain Python (dicts, lists, values); each refused value or key goes to `problems`.

    Problems are (line, field, message), the field being the nearest mapping key. For documents read whole, such
    as a metadata.yaml; curated records are read field by field in drugstats.claims.load.
    """
    if node is None:
        return None
    if isinstance(node, Scalar):
        try:
            return value(node)
        except YamlRefused as err:
            problems.append((err.line, key, str(err)))
            return None
    if isinstance(node, Sequence):
        return [plain_data(item, problems, key) for item in node.items]
    out: dict[str, Any] = {}
    first: dict[str, int] = {}
    for key_node, value_node in node.pairs:
        if not isinstance(key_node, Scalar) or key_node.tag is not None:
            problems.append((key_node.line, key, "keys must be plain text"))
            continue
        name = key_node.value
        if name in first:
            problems.append((key_node.line, name, f"duplicate key (first given on line {first[name]})"))
            continue
        first[name] = key_node.line
        out[name] = plain_data(value_node, problems, name)
    return out


def key_lines(node: Node | None, path: tuple = ()) -> dict[tuple, int]:
    """The line of every mapping key and list item in a document, by path (("files", 2, "release") -> 41): a problem
    found after the document became plain data can still name its line."""
    lines: dict[tuple, int] = {}
    if isinstance(node, Sequence):
        for i, item in enumerate(node.items):
            lines[(*path, i)] = item.line
            lines.update(key_lines(item, (*path, i)))
    elif isinstance(node, Mapping):
        for key_node, value_node in node.pairs:
            if isinstance(key_node, Scalar):
                lines.setdefault((*path, key_node.value), key_node.line)  # the first of duplicate keys, as plain_data
                lines.update({k: v for k, v in key_lines(value_node, (*path, key_node.value)).items() if k not in lines})
    return lines
