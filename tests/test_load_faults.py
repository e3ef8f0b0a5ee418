"""Faults of a real server: bad data at start-up, and a server SIGKILLed under load and started again.

Each test starts `streamlit run app.py` on a free 127.0.0.1 port (tests.stserver) and talks to it as a browser
does, over /_stcore/stream. Everything is bounded: a few sessions, a few seconds, every wait with a deadline.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import time
from pathlib import Path

import pytest
import websockets

from drugstats.claims import load
from tests.stserver import PAGES, Run, Server, connect, one_run, run_page

from .conftest import ROOT

pytestmark = pytest.mark.slow  # each test starts a streamlit server

CLAIMS_FILE = "news-2024-02-01-dailycaller.yaml"


def _env(data: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DRUGSTATS_DATA"}
    if data is not None:
        env["DRUGSTATS_DATA"] = str(data)
    return env


@pytest.fixture
def corrupt_data(tmp_path) -> Path:
    """The shipped data with a claims file cut off mid-record and bytes appended to a raw CDC file."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    claims = data / "claims" / CLAIMS_FILE
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text[: len(text) // 2] + '\n  quote: "unterminated\n', encoding="utf-8")
    raw = next((data / "raw" / "cdc-vsrr").glob("*.csv"))
    raw.write_bytes(raw.read_bytes() + b"\x00\xff garbage\n")
    return data


def wait_for_line(log: Path, text: str, timeout: float = 60.0) -> str:
    """The first line of a server's log containing `text`, waiting for it to be written."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [line for line in log.read_text(errors="replace").splitlines() if text in line]
        if lines:
            return lines[0]
        assert time.monotonic() < deadline, f"no {text!r} in the server log after {timeout:.0f} s:\n{log.read_text()[-2000:]}"
        time.sleep(0.1)


def test_the_server_loads_the_data_as_it_starts_before_any_visitor(tmp_path):
    # `streamlit run app.py` builds the data in a thread at start-up (app.py's lifespan), so the first visitor does not
    # wait for it. No session connects here until the log says the data are loaded.
    log = tmp_path / "server.log"
    with Server(env=_env(), log=log) as server:
        line = wait_for_line(log, "drugstats: data loaded")
        shipped = len(load.load_dataset(ROOT / "data").claims)
        assert f" {shipped} claims" in line and str(ROOT / "data") in line
        run = asyncio.run(one_run(server, "", timeout=60))
        assert run.status == "ok" and not run.exceptions and run.charts == 2  # the Overview: deaths line and verdicts


def test_corrupt_data_at_start_up_shows_the_error_panel_and_the_server_stays_up(corrupt_data, tmp_path):
    log = tmp_path / "server.log"
    with Server(env=_env(corrupt_data), log=log) as server:
        assert "pages show them" in wait_for_line(log, "failed validation")  # said once, at start-up, in the log
        for page in ("", "deaths", "claims"):
            run = asyncio.run(one_run(server, page, timeout=60))
            assert run.status == "ok" and not run.exceptions, (page, run.status, run.exceptions)
            assert len(run.errors) == 1 and "failed validation" in run.errors[0], (page, run.errors)
            shown = "\n".join(run.texts)
            assert CLAIMS_FILE in shown and "cdc-vsrr" in shown  # every problem named, with its file
            assert "Traceback" not in shown and run.charts == 0
            assert server.healthy()
        assert server.process.poll() is None


def test_a_burst_on_a_cold_server_serves_every_page_to_every_session():
    # 18 sessions arrive together before the data is loaded: they wait on one build, then on the run slots
    # (views/_ui.RUN_SLOTS); none may fail, deadlock or see another's error.
    pages = list(PAGES) * 2

    async def burst(server: Server) -> list[Run]:
        return list(await asyncio.gather(*(one_run(server, page, timeout=90) for page in pages)))

    with Server(env=_env()) as server:
        started = time.monotonic()
        runs = asyncio.run(burst(server))
        assert time.monotonic() - started < 90
        assert [r.status for r in runs] == ["ok"] * len(pages)
        assert not any(r.exceptions or r.errors for r in runs)
        assert sum(r.charts for r in runs) == 2 * 9  # overview 2, deaths 2, seizures 3, potency 1, check 1
        assert server.healthy()


async def _light_load(server: Server, sessions: int, seconds: float) -> list[list[Run]]:
    """`sessions` clients each rerunning a page until the connection drops or `seconds` pass (at most 200 runs each)."""
    pages = ["", "deaths", "claims", "potency"]

    async def client(i: int) -> list[Run]:
        runs: list[Run] = []
        deadline = time.monotonic() + seconds
        try:
            async with connect(server, timeout=20) as ws:
                while time.monotonic() < deadline and len(runs) < 200:
                    run = await run_page(ws, pages[i % len(pages)], timeout=max(0.1, deadline - time.monotonic()))
                    runs.append(run)
                    if run.status == "closed":
                        break
        except (OSError, TimeoutError, websockets.WebSocketException) as err:
            runs.append(Run(0.0, f"refused: {type(err).__name__}"))
        return runs

    return list(await asyncio.gather(*(client(i) for i in range(sessions))))


def test_server_killed_under_load_comes_back_and_serves_new_and_returning_sessions():
    server = Server(env=_env())
    try:
        server.start()
        server.wait_healthy(timeout=60)
        assert asyncio.run(one_run(server, "deaths", timeout=60)).status == "ok"  # the data is loaded

        async def load_then_kill() -> tuple[list[list[Run]], str]:
            async with connect(server) as ws:  # a session that will try to come back, as a browser does
                first = await run_page(ws, "", timeout=60)
            clients = asyncio.create_task(_light_load(server, sessions=3, seconds=20))
            await asyncio.sleep(1.5)
            os.kill(server.pid, signal.SIGKILL)  # no clean shutdown: the process is gone mid-run
            return await asyncio.wait_for(clients, 30), first.session_id

        results, old_session = asyncio.run(load_then_kill())
        server.process.wait(timeout=10)
        assert server.process.returncode == -signal.SIGKILL
        assert all(runs for runs in results)
        assert all(runs[-1].status in ("closed", "timeout") or runs[-1].status.startswith("refused") for runs in results), [
            r[-1].status for r in results
        ]
        assert sum(r.status == "ok" for runs in results for r in runs) >= 1  # the load was real before the kill
        assert not server.healthy(timeout=1)

        restarted = Server(env=_env(), port=server.port)  # the same address, as a supervisor would restart it
        server = restarted
        started = time.monotonic()
        server.start()
        server.wait_healthy(timeout=60)
        assert time.monotonic() - started < 60

        new = asyncio.run(one_run(server, "claims", timeout=60))
        assert new.status == "ok" and not new.exceptions and not new.errors and new.session_id

        async def returning() -> Run:
            async with connect(server, resume=old_session) as ws:  # the browser's reconnect names its old session
                return await run_page(ws, "deaths", timeout=60)

        back = asyncio.run(returning())
        assert back.status == "ok" and not back.exceptions and back.charts == 2  # the counts, a window across releases
        assert back.session_id and back.session_id != old_session  # the old one died with the process: a fresh one
    finally:
        server.stop()
