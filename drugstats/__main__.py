"""Entry point for `python -m drugstats`."""

import sys

from drugstats.cli import main

sys.exit(main())
