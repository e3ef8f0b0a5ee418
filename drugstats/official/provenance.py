"""Provenance of the raw official files: the metadata.yaml beside each dataset, validated by a pydantic model."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, StrictBool, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from drugstats.claims.files import confined_name
from drugstats.claims.models import IsoDate, Text, Url
from drugstats.errors import Problem

ORIGINS = ("copied_from", "downloaded_from", "compiled_from")


@dataclass(frozen=True)
class RawFile:
    """One raw file as its dataset's metadata.yaml describes it."""

    name: str
    title: str
    release: str | None  # ISO date of the official release the file comes from, if known
    release_basis: str  # how the release date was established
    data_through: str | None  # ISO date: last day the data cover
    retrieved: str  # ISO date we took this copy
    rows: int
    sha256: str
    copied_from: Mapping[str, str] | None = None  # repo, commit, path of the copy we took
    downloaded_from: str | None = None  # URL or path `drugstats refresh` read
    compiled_from: str | None = None
    note: str | None = None
    release_estimated: bool = False  # the release date is our estimate (release_basis says how), not the producer's

    def to_dict(self) -> dict:
        out: dict[str, Any] = {
            "name": self.name,
            "title": self.title,
            "release": self.release,
            "release_basis": self.release_basis,
        }
        if self.release_estimated:
            out["release_estimated"] = True
        out["data_through"] = self.data_through
        for key in ("copied_from", "downloaded_from", "compiled_from", "note"):
            if getattr(self, key) is not None:
                out[key] = dict(self.copied_from) if key == "copied_from" else getattr(self, key)
        out.update(retrieved=self.retrieved, rows=self.rows, sha256=self.sha256)
        return out


@dataclass(frozen=True)
class DatasetMeta:
    """Who produced a dataset, where it is published, and the raw files we hold of it."""

    dataset: str
    producer: str
    title: str
    url: str | None
    license: str
    files: tuple[RawFile, ...]

    @property
    def release(self) -> str | None:
        """The newest release among the files, ISO date; None when no file states one."""
        releases = [f.release for f in self.files if f.release]
        return max(releases) if releases else None

    def release_estimated(self, release: str) -> bool:
        """Whether the date of this release (ISO) is our estimate: any file of it says so."""
        return any(f.release == release[:10] and f.release_estimated for f in self.files)

    def release_name(self, release: str) -> str:
        """A release as readers see it: its date where the producer stated it, "about October 2017 (estimated)" where
        we estimated it (the day of an estimated date stands for its month)."""
        return release_name(release[:10], self.release_estimated(release))

    def file_url(self, raw: RawFile) -> str | None:
        """Where the official file a raw file holds is published: the http(s) address `drugstats refresh` downloaded
        it from, else the dataset's page (a copy taken from elsewhere, or a download from a local path, is that
        producer's file too, but its own address is not known)."""
        if raw.downloaded_from is not None and raw.downloaded_from.startswith(("https://", "http://")):
            return raw.downloaded_from
        return self.url

    def to_dict(self) -> dict:
        return {
            "dataset": self.dataset,
            "producer": self.producer,
            "title": self.title,
            "url": self.url,
            "license": self.license,
            "files": [f.to_dict() for f in self.files],
        }


# ---------------------------------------------------------------------------------------------
# The model of a metadata.yaml: every field checked, every problem named
# ---------------------------------------------------------------------------------------------


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise PydanticCustomError("count", "expected a whole number, 0 or more, got {v}", {"v": repr(value)})
    return value


def _sha256(value: Any) -> str:
    if not isinstance(value, str) or re.fullmatch(r"[0-9a-f]{64}", value) is None:
        raise PydanticCustomError("sha256", "expected 64 lowercase hex digits, got {v}", {"v": repr(value)})
    return value


def _mapping(value: Any) -> dict:
    if not isinstance(value, dict) or not value:
        raise PydanticCustomError("mapping", "expected a mapping, got {v}", {"v": repr(value)})
    return value


def _file_name(value: str) -> str:
    # The name is joined to the dataset's folder and the file read: `/etc/passwd` or `../x` would read outside it.
    why = confined_name(value)
    if why is not None:
        raise PydanticCustomError("file_name", "{why}, got {v}", {"why": why, "v": repr(value)})
    return value


Count = Annotated[int, BeforeValidator(_count)]
Sha256 = Annotated[str, BeforeValidator(_sha256)]
Mapping_ = Annotated[dict, BeforeValidator(_mapping)]
FileName = Annotated[Text, AfterValidator(_file_name)]


class _FileDoc(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    name: FileName
    title: Text
    release: IsoDate | None = None
    release_basis: Text
    data_through: IsoDate | None = None
    retrieved: IsoDate
    rows: Count
    sha256: Sha256
    copied_from: Mapping_ | None = None
    downloaded_from: Text | None = None
    compiled_from: Text | None = None
    note: Text | None = None
    release_estimated: StrictBool = False

    @model_validator(mode="after")
    def _one_origin(self) -> _FileDoc:
        found = sum(getattr(self, key) is not None for key in ORIGINS)
        if found != 1:
            raise PydanticCustomError(
                "origin", "give exactly one of {names} (found {n})", {"names": ", ".join(ORIGINS), "n": found}
            )
        return self


class _DatasetDoc(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    dataset: Text
    producer: Text
    title: Text
    license: Text
    url: Url | None = None  # cited with every chart: never javascript: or data:
    files: list[Any]


def _problems(err: ValidationError, path: str, record: str | None, lines: Mapping[tuple, int], where: tuple) -> list[Problem]:
    out = []
    for e in err.errors():
        field = str(e["loc"][0]) if e["loc"] else ("copied_from" if e["type"] == "origin" else None)
        message = "is required" if e["type"] == "missing" else e["msg"]
        found = repr(e.get("input"))
        if e["type"] not in ("missing", "value_error") and e["loc"] and found not in message:  # ours say what they got
            message += f" (found {found if len(found) <= 60 else found[:57] + '...'})"
        out.append(Problem(path, lines.get((*where, field)) or lines.get(where), record, field, message))
    return out


def parse_metadata(doc: Any, path: str, lines: Mapping[tuple, int] | None = None) -> tuple[DatasetMeta | None, list[Problem]]:
    """Check a loaded metadata.yaml and turn it into a DatasetMeta; every problem named by file, line (when `lines`,
    from yamlread.key_lines, is given), file entry and field."""
    lines = lines or {}
    if not isinstance(doc, dict):
        return None, [Problem(path, None, None, None, "expected a mapping with dataset, producer, title, files")]
    problems: list[Problem] = []
    head = None
    try:
        head = _DatasetDoc.model_validate(doc)
    except ValidationError as err:
        problems += _problems(err, path, None, lines, ())
    raw_files = doc.get("files")
    if not isinstance(raw_files, list) or not raw_files:
        problems = [p for p in problems if p.field != "files"]
        problems.append(Problem(path, None, None, "files", "must list at least one file"))
        raw_files = []
    files: list[RawFile] = []
    for index, entry in enumerate(raw_files):
        name = entry.get("name") if isinstance(entry, dict) else None
        record = name if isinstance(name, str) else None
        try:
            file = _FileDoc.model_validate(entry)
        except ValidationError as err:
            problems += _problems(err, path, record, lines, ("files", index))
            continue
        if file.name in {f.name for f in files}:
            problems.append(Problem(path, None, file.name, "name", "listed twice"))
            continue
        values = file.model_dump()
        for key in ("release", "data_through", "retrieved"):
            values[key] = values[key].isoformat() if values[key] is not None else None
        files.append(RawFile(**values))
    if problems or head is None:
        return None, problems
    return DatasetMeta(head.dataset, head.producer, head.title, head.url, head.license, tuple(files)), []


def release_name(release: str, estimated: bool) -> str:
    """ "2026-02-14", or "about October 2017 (estimated)": the one way a release date is written for readers."""
    if not estimated:
        return release
    return f"about {date.fromisoformat(release):%B %Y} (estimated)"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
