"""Score drugstats.extract.reader on a labelled corpus file: precision, recall and per-field accuracy.

    python -m bench.extract_quality tests/extract_corpus/dev.yaml [--errors]

The scorer lives with the tests (tests/extract_score.py), which hold the dev score to a floor; this is its command.
"""

from __future__ import annotations

import sys

from tests.extract_score import main

if __name__ == "__main__":
    sys.exit(main())
