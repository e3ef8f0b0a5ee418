"""Error types of the core: every data problem is a Problem, raised together as a DataError."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, located as precisely as we know it."""

    path: str
    line: int | None
    record: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.record or '-'}: {self.field or '-'}: {self.message}"


class DataError(Exception):
    """Raised when data fails validation; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple:  # pickled with its problems, not its message (a build in a child process raises it)
        return (type(self), (self.problems,))


def public_problems(problems: Iterable[Problem], data_dir: Path | str) -> list[Problem]:
    """Problems as a public page may show them: the server's path to the data folder cut to the folder's name.

    `/srv/app/data/raw/cdc-vsrr/metadata.yaml` becomes `data/raw/cdc-vsrr/metadata.yaml`, as the YAML loader
    already names its files; a reader learns which file, not where the server keeps it.
    """
    folder = Path(data_dir)
    prefixes = sorted({str(folder.absolute()), os.path.realpath(folder)}, key=len, reverse=True)
    name = folder.absolute().name or "data"

    def cut(text: str | None) -> str | None:
        for prefix in prefixes:
            if text and prefix != os.sep:
                text = text.replace(prefix + os.sep, name + os.sep)
        return text

    return [replace(p, path=cut(p.path) or p.path, message=cut(p.message) or p.message) for p in problems]


class FetchError(Exception):
    """Raised when a download fails (network, HTTP status, truncated body)."""


class RenderError(Exception):
    """Raised when static figures cannot be rendered (no browser for kaleido, or a render that failed)."""
