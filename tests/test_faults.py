"""Faults: a refresh killed midway (SIGKILL) leaves the last good data in place and loadable."""

from __future__ import annotations

import hashlib
import http.server
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from drugstats.official import series

from .conftest import ROOT

pytestmark = pytest.mark.slow  # refreshes killed midway in subprocesses

RELEASE_FILE = ROOT / "data" / "raw" / "cdc-vsrr" / "cdc_api_provisional_overdose_counts.csv"


class _SlowHandler(http.server.BaseHTTPRequestHandler):
    """Sends a real file's first part, then stalls (bounded) so the client can be killed mid-download."""

    stall_seconds = 20.0

    def do_GET(self):  # noqa: N802 (http.server's naming)
        body = RELEASE_FILE.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 3])
        self.wfile.flush()
        deadline = time.monotonic() + self.stall_seconds
        while time.monotonic() < deadline and not self.server.stopping.is_set():
            time.sleep(0.05)

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SlowHandler)
    server.stopping = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.stopping.set()
    server.shutdown()
    server.server_close()


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".part")
    }


def test_refresh_killed_midway_leaves_the_old_data_intact(slow_server, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    before = _digests(data)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.local_cli", "--data", str(data), "refresh", "cdc-vsrr", "--from", f"{slow_server}/x.csv"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    folder = data / "raw" / "cdc-vsrr"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not any(p.name.endswith(".part") and p.stat().st_size for p in folder.iterdir()):
        time.sleep(0.05)
    assert process.poll() is None, "refresh ended before it could be interrupted"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert _digests(data) == before  # every file but the abandoned partial download is byte-identical
    official = series.load_series(data)  # and the data still load and validate
    assert len(official.overdose_deaths) > 0
    left = [p.name for p in folder.iterdir() if p.name.endswith(".part")]
    assert left  # the killed run's partial download, which nothing reads
    # The next refresh, even one that fails, removes it once it holds the dataset's lock.
    failed = subprocess.run(
        [sys.executable, "-m", "drugstats", "--data", str(data), "refresh", "cdc-vsrr", "--from", str(tmp_path / "nope.csv")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert failed.returncode == 1 and "nothing was changed" in failed.stderr
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".part")]
    assert _digests(data) == before
