"""drugstats: drug-policy figures in the news, checked against the official record."""

from pathlib import Path

__version__ = "0.1.0"

# The shipped data lives beside the package in the repository.
DATA_DIR = Path(__file__).resolve().parents[1] / "data"
