"""Load over Streamlit's websocket: concurrent sessions per page, 200 idle sessions, memory against a one-chart app.

Run from the repository root (each starts its own `streamlit run` on a free 127.0.0.1 port and stops it):

    python -m bench.load_ws                           # every mode below, about 10 minutes on 2 cores
    python -m bench.load_ws --mode pages              # N = 1, 10, 50, 100 concurrent sessions on each page
    python -m bench.load_ws --mode pages --sessions 10 --pages deaths seizures
    python -m bench.load_ws --mode idle               # 200 idle sessions held, closed; memory and open files after
    python -m bench.load_ws --mode baseline           # server RSS under 100 sessions against bench/one_chart_app.py
                                                      # and bench/peer_app.py (the Overview's charts with pandas)
    python -m bench.load_ws --mode warm               # warm rerun script time of every page, one session

Script time is what a browser waits for: from sending the rerun request (a BackMsg, as the browser sends on
load) to the script_finished message, so it includes queueing behind other sessions' runs. A session's first
run and its reruns are reported apart. Server RSS is sampled every 0.1 s (psutil if installed, else /proc).
Not a test: nothing here gates CI. Every loop is bounded in count and in time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tests.stserver import PAGES, ROOT, Run, Server, connect, open_files, percentile, rss_bytes, run_page

LEVELS = (1, 10, 50, 100)
RUN_TIMEOUT = 120.0  # one script run, however long the queue in front of it
LEVEL_TIMEOUT = 600.0  # one (page, N) level, all sessions together
BASELINE_APP = "bench/one_chart_app.py"
PEER_APP = "bench/peer_app.py"  # the Overview's two charts as a user would write them: pandas + plotly, no drugstats
MB = 1e6
SERVER_OPTIONS: list[str] = []  # extra `streamlit run` options for every server (--option), for A/B runs


class RssSampler:
    """Samples a process's RSS in a thread until stopped; keeps the peak."""

    def __init__(self, pid: int, every: float = 0.1):
        self.pid, self.every, self.peak = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, rss_bytes(self.pid))
            except (OSError, RuntimeError):
                return
            self._stop.wait(self.every)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


@dataclass
class Level:
    page: str
    sessions: int
    errors: int = 0
    error_kinds: list[str] = field(default_factory=list)
    first_median_ms: float = float("nan")
    first_p95_ms: float = float("nan")
    warm_median_ms: float = float("nan")
    warm_p95_ms: float = float("nan")
    wall_s: float = 0.0
    rss_before_mb: float = 0.0
    rss_peak_mb: float = 0.0
    rss_held_mb: float = 0.0  # every session still open, all runs done
    rss_after_mb: float = 0.0  # sessions closed


class _Progress:
    """Counts sessions whose runs are over (or failed); `all_ran` is set when every one is."""

    def __init__(self, total: int):
        self.total, self.ran = total, 0
        self.go, self.all_ran, self.release = asyncio.Event(), asyncio.Event(), asyncio.Event()

    def one_ran(self) -> None:
        self.ran += 1
        if self.ran >= self.total:
            self.all_ran.set()


async def _session(server: Server, page: str, query: str, reruns: int, progress: _Progress) -> list[Run]:
    counted = False
    try:
        async with connect(server, timeout=RUN_TIMEOUT) as ws:
            await progress.go.wait()
            runs = [await run_page(ws, page, query, RUN_TIMEOUT)]
            for _ in range(reruns):
                if runs[-1].status == "closed":
                    break
                runs.append(await run_page(ws, page, query, RUN_TIMEOUT))
            progress.one_ran()
            counted = True
            await progress.release.wait()  # hold the session open until every session has run, to measure memory held
            return runs
    finally:
        if not counted:
            progress.one_ran()


async def _load(server: Server, plan: list[tuple[str, str]], reruns: int) -> tuple[list[list[Run] | BaseException], float, int]:
    """Open one session per (page, query) in `plan`, start their runs together, hold them open, then close them."""
    progress = _Progress(len(plan))
    tasks = [asyncio.create_task(_session(server, page, query, reruns, progress)) for page, query in plan]
    await asyncio.sleep(0.5)  # let the connections open, so the runs start together
    started = time.perf_counter()
    progress.go.set()
    try:
        await asyncio.wait_for(progress.all_ran.wait(), LEVEL_TIMEOUT)
    except TimeoutError:
        pass  # the sessions still running are cancelled below and counted as errors
    wall = time.perf_counter() - started
    await asyncio.sleep(1.0)
    held = rss_bytes(server.pid)
    progress.release.set()
    for task in tasks:
        if not task.done() and not progress.all_ran.is_set():
            task.cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    return list(results), wall, held


def summarize(page: str, results: list[list[Run] | BaseException], wall: float) -> Level:
    level = Level(page=page or "overview", sessions=len(results), wall_s=round(wall, 2))
    first, warm = [], []
    for result in results:
        if isinstance(result, BaseException):
            level.errors += 1
            level.error_kinds.append(type(result).__name__)
            continue
        for i, run in enumerate(result):
            if run.failed:
                level.errors += 1
                level.error_kinds.append(run.status if run.status != "ok" else f"exception: {run.exceptions[0][:80]}")
                continue
            (first if i == 0 else warm).append(run.seconds * 1000)
    if first:
        level.first_median_ms, level.first_p95_ms = round(statistics.median(first), 1), round(percentile(first, 95), 1)
    if warm:
        level.warm_median_ms, level.warm_p95_ms = round(statistics.median(warm), 1), round(percentile(warm, 95), 1)
    level.error_kinds = sorted(set(level.error_kinds))
    return level


def run_level(server: Server, plan: list[tuple[str, str]], reruns: int, label: str) -> Level:
    before = rss_bytes(server.pid)
    with RssSampler(server.pid) as sampler:
        results, wall, held = asyncio.run(_load(server, plan, reruns))
    time.sleep(1.0)
    level = summarize(label, results, wall)
    level.rss_before_mb = round(before / MB, 1)
    level.rss_peak_mb = round(max(sampler.peak, held) / MB, 1)
    level.rss_held_mb = round(held / MB, 1)
    level.rss_after_mb = round(rss_bytes(server.pid) / MB, 1)
    return level


def warm_up(server: Server, pages: list[str]) -> None:
    """One run of each page, so the process-wide caches (the validated build) are filled before measuring."""

    async def go() -> None:
        for page in pages:
            async with connect(server) as ws:
                run = await run_page(ws, page, PAGES.get(page, ""), RUN_TIMEOUT)
                if run.failed:
                    raise RuntimeError(f"warm-up run of page {page!r} failed: {run.status} {run.exceptions}")

    asyncio.run(go())


def mode_pages(pages: list[str], levels: list[int], reruns: int) -> list[Level]:
    out = []
    with Server(extra_args=SERVER_OPTIONS) as server:
        warm_up(server, pages)
        for page in pages:
            for n in levels:
                level = run_level(server, [(page, PAGES.get(page, ""))] * n, reruns, page)
                print(_row(level), flush=True)
                out.append(level)
    return out


# What each app imports before its first run, measured alone in a fresh interpreter: the part of the RSS that no
# session and no data adds. app.py also imports its pages' modules (drugstats.pages.*) as each page first runs.
IMPORTS = {
    "one_chart_app": "import streamlit, plotly.graph_objects",
    "peer_app": "import streamlit, plotly.graph_objects, pandas",
    "drugstats": (
        "import os; os.environ.setdefault('ARROW_DEFAULT_MEMORY_POOL', 'system'); "
        "import streamlit, views._ui, drugstats.pages.overview"
    ),
}


def import_rss_mb(code: str) -> float:
    """Peak RSS (MB) of a fresh interpreter that runs `code` (imports), from the repository root."""
    probe = f"{code}; import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    return round(int(out.stdout.split()[-1]) * 1024 / MB, 1)  # ru_maxrss is in KiB on Linux


def mode_baseline(sessions: int = 100, reruns: int = 1) -> dict:
    """Server RSS under `sessions` sessions: the one-chart app, the pandas + plotly peer of the Overview
    (bench/peer_app.py), drugstats' Overview (the same two charts and its headlines), drugstats' every page."""
    report: dict = {"sessions": sessions, "imports_rss_mb": {name: import_rss_mb(code) for name, code in IMPORTS.items()}}
    cases = (
        ("one_chart_app", BASELINE_APP, [("", "")] * sessions),
        ("peer_app", PEER_APP, [("", "")] * sessions),
        ("drugstats_overview", "app.py", [("", "")] * sessions),
        ("drugstats_all_pages", "app.py", [(p, PAGES[p]) for p in list(PAGES) * (sessions // len(PAGES) + 1)][:sessions]),
    )
    for name, app, plan in cases:
        with Server(app=app, extra_args=SERVER_OPTIONS) as server:
            warm_up(server, sorted({p for p, _ in plan}))
            idle = rss_bytes(server.pid)
            level = run_level(server, plan, reruns, name)
        report[name] = {"rss_idle_mb": round(idle / MB, 1), **asdict(level)}
        print(_row(level), f"(idle after one run of each page: {idle / MB:.0f} MB)", flush=True)
    for base_name in ("one_chart_app", "peer_app"):
        base = report[base_name]
        for name in ("peer_app", "drugstats_overview", "drugstats_all_pages"):
            if name == base_name:
                continue
            key = name if base_name == "one_chart_app" else f"{name}_vs_peer"
            report[f"{key}_rss_ratio"] = round(report[name]["rss_peak_mb"] / base["rss_peak_mb"], 2)
            report[f"{key}_rss_growth_ratio"] = round(
                (report[name]["rss_peak_mb"] - report[name]["rss_idle_mb"]) / max(base["rss_peak_mb"] - base["rss_idle_mb"], 0.1),
                2,
            )
    base, peer = report["one_chart_app"], report["peer_app"]
    print(
        f"imports alone: {', '.join(f'{k} {v:.0f} MB' for k, v in report['imports_rss_mb'].items())}\n"
        f"peak RSS under {sessions} sessions: one-chart app {base['rss_peak_mb']:.0f} MB; "
        f"pandas + plotly peer {peer['rss_peak_mb']:.0f} MB ({report['peer_app_rss_ratio']:.2f}x the one-chart app); "
        f"drugstats Overview {report['drugstats_overview']['rss_peak_mb']:.0f} MB "
        f"({report['drugstats_overview_rss_ratio']:.2f}x; {report['drugstats_overview_vs_peer_rss_ratio']:.2f}x the peer, "
        f"goal <= 1.2x); drugstats every page {report['drugstats_all_pages']['rss_peak_mb']:.0f} MB "
        f"({report['drugstats_all_pages_rss_ratio']:.2f}x; {report['drugstats_all_pages_vs_peer_rss_ratio']:.2f}x the peer)",
        flush=True,
    )
    return report


STORED_SESSIONS = 128  # Streamlit keeps at most this many disconnected sessions for reconnects (MemorySessionStorage)
FDS_PER_SESSION = 3  # each AppSession owns an asyncio event loop: an epoll fd and a socketpair, until it is dropped


def mode_idle(sessions: int = 200, ttl: int = 10, hold: float = 10.0, cycles: int = 2) -> dict:
    """Hold `sessions` sessions after one run each, close them, and see memory and open files come back down.

    Streamlit keeps up to 128 disconnected sessions for server.disconnectedSessionTTL (120 s by default) so a
    browser can reconnect, each with its event loop's 3 file descriptors; the bench sets the TTL to `ttl` seconds,
    waits it out, and lets one more visitor come and go (expired sessions are dropped when the next one is stored).
    Two cycles: if the second ends where the first did, nothing leaks per session.
    """

    async def hold_sessions(server: Server) -> tuple[int, int, int, int]:
        gate = asyncio.Semaphore(20)  # run them 20 at a time: a crowd arriving, not one instant

        async def one(ws) -> Run:
            async with gate:
                return await run_page(ws, "", "", RUN_TIMEOUT)

        sockets = []
        try:
            for _ in range(sessions):
                sockets.append(await connect(server, timeout=RUN_TIMEOUT))
            runs = await asyncio.gather(*(one(ws) for ws in sockets))
            await asyncio.sleep(hold)
            errors = sum(r.failed for r in runs)
            return errors, rss_bytes(server.pid), open_files(server.pid), len(sockets)
        finally:
            await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)

    async def visit(server: Server) -> None:
        async with connect(server) as ws:
            await run_page(ws, "", "", RUN_TIMEOUT)

    report: dict = {"sessions": sessions, "session_ttl_s": ttl, "cycles": []}
    with Server(extra_args=[*SERVER_OPTIONS, "--server.disconnectedSessionTTL", str(ttl)]) as server:
        asyncio.run(visit(server))
        time.sleep(ttl + 2)
        asyncio.run(visit(server))
        time.sleep(1)
        rss_before, fds_before = rss_bytes(server.pid), open_files(server.pid)
        report.update(rss_before_mb=round(rss_before / MB, 1), fds_before=fds_before)
        stored_fds = FDS_PER_SESSION * min(sessions, STORED_SESSIONS)
        for _ in range(cycles):
            errors, rss_held, fds_held, opened = asyncio.run(hold_sessions(server))
            # The sockets close at once; the sessions kept for reconnecting keep their event loops until the TTL.
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and open_files(server.pid) > fds_before + stored_fds + 2:
                time.sleep(0.2)
            fds_closed, rss_closed = open_files(server.pid), rss_bytes(server.pid)
            time.sleep(ttl + 2)
            asyncio.run(visit(server))
            time.sleep(2)
            rss_expired, fds_expired = rss_bytes(server.pid), open_files(server.pid)
            report["cycles"].append(
                {
                    "opened": opened,
                    "errors": errors,
                    "rss_held_mb": round(rss_held / MB, 1),
                    "rss_after_close_mb": round(rss_closed / MB, 1),
                    "rss_after_ttl_mb": round(rss_expired / MB, 1),
                    "rss_per_held_session_kb": round((rss_held - rss_before) / max(opened, 1) / 1e3, 1),
                    "fds_held": fds_held,
                    "fds_after_close": fds_closed,
                    "fds_after_close_expected": fds_before + stored_fds,
                    "fds_after_ttl": fds_expired,
                }
            )
    print(json.dumps(report, indent=2), flush=True)
    return report


def warm_rerun_ms(server: Server, pages: list[str], reruns: int = 20) -> dict[str, dict[str, float]]:
    """Script time of reruns on one warm session per page, in ms: as the client waits for them (`median_ms`, `p95_ms`),
    and with the client acknowledging at once (`server_median_ms`, `server_p95_ms`), which removes the 40 ms
    delayed-ACK stall Streamlit's socket setup adds (see tests.stserver.run_page) and leaves the server's own time.
    The two kinds alternate, so both see the same machine load."""

    async def go() -> dict[str, dict[str, float]]:
        out = {}
        for page in pages:
            query = PAGES.get(page, "")
            async with connect(server) as ws:
                first = await run_page(ws, page, query, RUN_TIMEOUT)
                times: dict[bool, list[float]] = {False: [], True: []}
                for i in range(2 * reruns):
                    quick = bool(i % 2)
                    run = await run_page(ws, page, query, RUN_TIMEOUT, quick_ack=quick)
                    if run.failed:
                        raise RuntimeError(f"rerun of {page!r} failed: {run.status} {run.exceptions}")
                    times[quick].append(run.seconds * 1000)
            inside = [ms for _, ms in server.script_times()[-2 * reruns :]]  # these reruns, timed by the server
            out[page or "overview"] = {
                "first_ms": round(first.seconds * 1000, 1),
                "median_ms": round(statistics.median(times[False]), 1),
                "p95_ms": round(percentile(times[False], 95), 1),
                "server_median_ms": round(statistics.median(times[True]), 1),
                "server_p95_ms": round(percentile(times[True], 95), 1),
                **(
                    {"script_median_ms": round(statistics.median(inside), 1), "script_p95_ms": round(percentile(inside, 95), 1)}
                    if len(inside) == 2 * reruns
                    else {}
                ),
            }
        return out

    return asyncio.run(go())


def mode_warm(pages: list[str], reruns: int = 20, app: str = "app.py") -> dict:
    with tempfile.TemporaryDirectory() as tmp, Server(app=app, extra_args=SERVER_OPTIONS, run_times=Path(tmp) / "runs") as server:
        warm_up(server, pages)
        result = warm_rerun_ms(server, pages, reruns)
    for page, t in result.items():
        print(
            f"{page:12} warm rerun: script {t['script_median_ms']:6.1f} ms (p95 {t['script_p95_ms']:6.1f}) in the server; "
            f"{t['server_median_ms']:6.1f} ms to a client acking at once, {t['median_ms']:6.1f} ms as a browser waits; "
            f"first run {t['first_ms']:.0f} ms",
            flush=True,
        )
    heaviest = max(result, key=lambda p: result[p]["script_median_ms"])
    print(
        f"heaviest page: {heaviest}, script {result[heaviest]['script_median_ms']:.0f} ms median in the server "
        f"({result[heaviest]['median_ms']:.0f} ms as a browser waits); goal: at most the one-chart app's "
        "(python -m bench.first_chart measures both)",
        flush=True,
    )
    return result


HEADER = (
    "| page | sessions | errors | first run median / p95 (ms) | rerun median / p95 (ms) | wall (s) "
    "| RSS before / peak / after (MB) |\n|---|---|---|---|---|---|---|"
)


def _row(level: Level) -> str:
    errors = f"{level.errors} ({', '.join(level.error_kinds)})" if level.errors else "0"
    return (
        f"| {level.page} | {level.sessions} | {errors} | {level.first_median_ms:.0f} / {level.first_p95_ms:.0f} "
        f"| {level.warm_median_ms:.0f} / {level.warm_p95_ms:.0f} | {level.wall_s:.1f} "
        f"| {level.rss_before_mb:.0f} / {level.rss_peak_mb:.0f} / {level.rss_after_mb:.0f} |"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=["all", "pages", "idle", "baseline", "warm"], default="all")
    parser.add_argument("--pages", nargs="*", default=None, help="URL paths; 'overview' for the default page")
    parser.add_argument("--sessions", nargs="*", type=int, default=list(LEVELS))
    parser.add_argument("--reruns", type=int, default=1, help="reruns per session after its first run (pages mode)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument(
        "--option", action="append", default=[], metavar="KEY=VALUE", help="a streamlit option for every server started"
    )
    args = parser.parse_args(argv)
    for option in args.option:
        key, _, value = option.partition("=")
        SERVER_OPTIONS.extend([f"--{key.removeprefix('--')}", value])
    pages = [("" if p == "overview" else p) for p in (args.pages or list(PAGES))]
    unknown = [p for p in pages if p not in PAGES]
    if unknown:
        parser.error(f"unknown pages: {unknown}; choose from overview, {', '.join(p for p in PAGES if p)}")
    if any(n < 1 or n > 500 for n in args.sessions):
        parser.error("sessions must be between 1 and 500")
    results: dict = {"started": time.strftime("%Y-%m-%d %H:%M:%S")}
    if args.mode in ("all", "warm"):
        results["warm"] = mode_warm(pages)
    if args.mode in ("all", "pages"):
        print(HEADER, flush=True)
        results["pages"] = [asdict(level) for level in mode_pages(pages, args.sessions, args.reruns)]
    if args.mode in ("all", "baseline"):
        print(HEADER, flush=True)
        results["baseline"] = mode_baseline()
    if args.mode in ("all", "idle"):
        results["idle"] = mode_idle()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
