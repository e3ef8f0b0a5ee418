"""Error types of the core: every data problem is a Problem, raised together as a DataError."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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


class FetchError(Exception):
    """Raised when a download fails (network, HTTP status, truncated body)."""


class RenderError(Exception):
    """Raised when static figures cannot be rendered (no browser for kaleido, or a render that failed)."""
