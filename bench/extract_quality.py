"""Score drugstats.extract on a labelled corpus: a sentence file, or a folder of whole articles.

    python -m bench.extract_quality tests/extract_corpus/dev.yaml [--errors]      # sentences, one at a time
    python -m bench.extract_quality tests/article_corpus/dev [--errors]           # articles read whole, with yield

The scorers live with the tests (tests/extract_score.py, tests/article_score.py), which hold the dev scores to
floors; this is their command.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests import article_score, extract_score


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    corpus = next((a for a in argv if not a.startswith("-")), None)
    if corpus and Path(corpus).is_dir():
        return article_score.main(argv)
    return extract_score.main(argv)


if __name__ == "__main__":
    sys.exit(main())
