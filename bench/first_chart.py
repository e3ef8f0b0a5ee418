"""Time to the first chart in a browser, against a one-chart app; and warm rerun time of every page.

Run from the repository root:

    python -m bench.first_chart               # 3 rounds each, then warm reruns (about 2 minutes)
    python -m bench.first_chart --rounds 5

First chart: from starting `streamlit run <app>` to the first chart with data drawn
(`[data-testid="stPlotlyChart"]:has(.trace) .main-svg`: a chart with a plotly trace, not merely a chart's frame, since
drugstats sends a blank chart while its data load to have plotly.js started, views/_ui.py) visible in headless Debian
chromium (Playwright, never `playwright install`), a fresh browser context each time, for app.py and
bench/one_chart_app.py started the same way and alternated within the same run. Goal: at most 1.3x.
Warm rerun: server-side script time of each page on a warm websocket session (bench.load_ws.warm_rerun_ms);
goal: the heaviest page at most 1x the one-chart app's own rerun (a ratio, as the house keeps speed goals; it was
an absolute 30 ms until 2026-11-30, when the one-chart app alone took 54 to 74 ms on the day's machine).
Not a test: nothing here gates CI. Loopback only, all waits bounded.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from bench.load_ws import BASELINE_APP, warm_rerun_ms, warm_up
from tests.stserver import CHROMIUM, CHROMIUM_ARGS, PAGES, Server

CHART = '[data-testid="stPlotlyChart"]:has(.trace) .main-svg'
TIMEOUT_MS = 120_000


def first_chart_seconds(browser, app: str) -> dict[str, float]:
    """Seconds from `streamlit run` to the health check answering, and to the first chart drawn."""
    server = Server(app=app)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        started = time.monotonic()
        server.start()
        healthy = server.wait_healthy(timeout=120)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(server.base)
        page.locator(CHART).first.wait_for(state="visible")
        chart = time.monotonic() - started
        return {"healthy_s": round(healthy, 3), "first_chart_s": round(chart, 3)}
    finally:
        context.close()
        server.stop()


def measure_first_chart(rounds: int) -> dict:
    from playwright.sync_api import sync_playwright

    times: dict[str, list[dict[str, float]]] = {"one_chart_app": [], "drugstats": []}
    apps = {"one_chart_app": BASELINE_APP, "drugstats": "app.py"}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for i in range(rounds):
                order = list(apps) if i % 2 == 0 else list(reversed(apps))  # alternate, so drift hits both alike
                for name in order:
                    result = first_chart_seconds(browser, apps[name])
                    times[name].append(result)
                    print(
                        f"round {i + 1}: {name:14} healthy {result['healthy_s']:.2f} s, "
                        f"first chart {result['first_chart_s']:.2f} s"
                    )
        finally:
            browser.close()
    medians = {name: statistics.median(t["first_chart_s"] for t in runs) for name, runs in times.items()}
    health = {name: statistics.median(t["healthy_s"] for t in runs) for name, runs in times.items()}
    ratio = medians["drugstats"] / medians["one_chart_app"]
    print(
        f"first chart, median of {rounds}: drugstats {medians['drugstats']:.2f} s, one-chart app "
        f"{medians['one_chart_app']:.2f} s: {ratio:.2f}x (goal <= 1.3x); server healthy after "
        f"{health['drugstats']:.2f} s and {health['one_chart_app']:.2f} s",
        flush=True,
    )
    return {"runs": times, "median_s": medians, "healthy_median_s": health, "ratio": round(ratio, 2)}


def measure_warm(reruns: int) -> dict:
    pages = list(PAGES)
    with tempfile.TemporaryDirectory() as tmp:
        with Server(run_times=Path(tmp) / "drugstats") as server:
            warm_up(server, pages)
            result = warm_rerun_ms(server, pages, reruns)
        with Server(app=BASELINE_APP, run_times=Path(tmp) / "baseline") as server:
            baseline = warm_rerun_ms(server, [""], reruns)["overview"]
    heaviest = max(result, key=lambda p: result[p]["script_median_ms"])
    for page, t in sorted(result.items(), key=lambda item: -item[1]["script_median_ms"]):
        print(
            f"warm rerun {page:12} script {t['script_median_ms']:6.1f} ms (p95 {t['script_p95_ms']:6.1f}) in the server, "
            f"{t['server_median_ms']:6.1f} ms to a client acking at once, {t['median_ms']:6.1f} ms as a browser waits"
        )
    ratio = result[heaviest]["script_median_ms"] / baseline["script_median_ms"]
    print(
        f"warm rerun, heaviest page ({heaviest}): script {result[heaviest]['script_median_ms']:.0f} ms in the server, "
        f"one-chart app {baseline['script_median_ms']:.0f} ms: {ratio:.2f}x (goal <= 1x)",
        flush=True,
    )
    return {"pages": result, "heaviest": heaviest, "one_chart_app": baseline}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reruns", type=int, default=20)
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    if not 1 <= args.rounds <= 20 or not 1 <= args.reruns <= 200:
        parser.error("rounds must be 1..20 and reruns 1..200")
    results = {"started": time.strftime("%Y-%m-%d %H:%M:%S")}
    results["first_chart"] = measure_first_chart(args.rounds)
    results["warm"] = measure_warm(args.reruns)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
