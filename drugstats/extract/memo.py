"""Read once per sentence: what each figure of a sentence asks about the whole sentence, kept (pure).

The reader's work per sentence must not grow with the figures in it, or a sentence packed with figures reads in time
quadratic in its length (issue 24, bench/extract_worst.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from drugstats.extract.geography import find_geography
from drugstats.extract.places import find_place, town


class Once:
    """A value computed on first use and kept."""

    def __init__(self, compute: Callable[[], Any]):
        self.compute, self.done, self.value = compute, False, None

    def __call__(self) -> Any:
        if not self.done:
            self.value, self.done = self.compute(), True
        return self.value


# Where a sentence is, asked by each of its figures. Each is a pure function of its arguments; Place is frozen.
cached_place = functools.lru_cache(maxsize=256)(find_place)
cached_town = functools.lru_cache(maxsize=256)(town)
cached_geography = functools.lru_cache(maxsize=256)(find_geography)
