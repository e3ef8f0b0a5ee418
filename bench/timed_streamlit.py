"""`python -m bench.timed_streamlit run APP ...`: Streamlit's own command line, each script run timed inside the server.

tests.stserver.Server(run_times=PATH) starts the server this way. Every script run appends one JSON line to PATH
(`$BENCH_RUN_TIMES`): the page asked for and the milliseconds ScriptRunner._run_script took on the script thread,
from the start of the run to the end of Streamlit's post-run clean-up (its gc.collect included). That is the
server-side script time, free of the network and of the delayed-ACK stall a client sees (bench/README.md).
Bench only: the dashboard never imports this.
"""

from __future__ import annotations

import json
import os
import threading
import time

from streamlit.runtime.scriptrunner import script_runner
from streamlit.web.cli import main

_PATH = os.environ["BENCH_RUN_TIMES"]
_LOCK = threading.Lock()
_run_script = script_runner.ScriptRunner._run_script


def _timed_run_script(self, rerun_data) -> None:  # noqa: ANN001 (Streamlit's private types)
    started = time.perf_counter()
    try:
        _run_script(self, rerun_data)
    finally:
        line = json.dumps({"page": rerun_data.page_name, "ms": round((time.perf_counter() - started) * 1000, 2)})
        with _LOCK, open(_PATH, "a", encoding="utf-8") as out:
            out.write(line + "\n")


script_runner.ScriptRunner._run_script = _timed_run_script

if __name__ == "__main__":
    main(prog_name="streamlit")
