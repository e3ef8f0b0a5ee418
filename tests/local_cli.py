"""`python -m tests.local_cli ARGS`: the drugstats command line, allowed to download from a test server on 127.0.0.1
(tests.conftest.local_servers_allowed), for tests that run it in a subprocess."""

import sys

from drugstats import cli
from tests.conftest import local_servers_allowed

if __name__ == "__main__":
    with local_servers_allowed():
        code = cli.main(sys.argv[1:])
    sys.exit(code)
