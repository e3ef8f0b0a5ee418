"""A `streamlit run` server on loopback for benchmarks and fault tests, and a minimal client of its websocket protocol.

The client speaks what Streamlit's browser client speaks over `/_stcore/stream`: binary protobuf frames, a
BackMsg with `rerun_script` (a ClientState naming the page by its URL path and the query string) going up,
ForwardMsgs coming down until `script_finished`. Everything talks to 127.0.0.1 only and every wait is bounded.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
# The browser the benches and the browser tests drive: Debian's chromium, never `playwright install`.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
MAX_FRAME_BYTES = 64 * 1024 * 1024  # a page's figures can exceed websockets' 1 MiB default
FINISHED = {
    ForwardMsg.FINISHED_SUCCESSFULLY: "ok",
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile_error",
    ForwardMsg.FINISHED_EARLY_FOR_RERUN: "rerun",
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "fragment",
}

# url path -> query string: every page of app.py with its default view ("" is the default page, Overview)
PAGES: dict[str, str] = {
    "": "",
    "deaths": "",
    "seizures": "",
    "potency": "",
    "claims": "",
    "check": "",
    "article": "",
    "statements": "",
    "sources": "",
    "downloads": "",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def rss_bytes(pid: int) -> int:
    """Resident set size of a process: psutil when installed, else VmRSS from /proc."""
    try:
        import psutil  # type: ignore[import-not-found]

        return psutil.Process(pid).memory_info().rss
    except ImportError:
        pass
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def open_files(pid: int) -> int:
    """Open file descriptors of a process (sockets included)."""
    return len(os.listdir(f"/proc/{pid}/fd"))


@dataclass
class Server:
    """`python -m streamlit run <app>` on a free loopback port; stop() (or the context manager) always ends it."""

    app: str = "app.py"
    port: int = field(default_factory=free_port)
    env: dict[str, str] | None = None
    extra_args: Sequence[str] = ()
    log: Path | None = None  # the server's stdout and stderr go here; discarded when None
    run_times: Path | None = None  # when set, each script run's server-side time is appended here (bench.timed_streamlit)
    headless: bool = True  # False leaves it to Streamlit, as a plain `streamlit run` does: headless only without a display
    process: subprocess.Popen | None = None
    started_at: float = 0.0

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def stream_url(self) -> str:
        return f"ws://{HOST}:{self.port}/_stcore/stream"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> Server:
        env = dict(os.environ if self.env is None else self.env)
        env.setdefault("PYTHONUNBUFFERED", "1")
        runner = "streamlit"
        if self.run_times is not None:
            env["BENCH_RUN_TIMES"] = str(self.run_times)
            runner = "bench.timed_streamlit"
        command = [
            sys.executable, "-m", runner, "run", self.app,
            *(["--server.headless", "true"] if self.headless else []),
            "--server.port", str(self.port), "--server.address", HOST,
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *self.extra_args,
        ]  # fmt: skip
        self.started_at = time.monotonic()
        out = open(self.log, "wb") if self.log is not None else subprocess.DEVNULL  # noqa: SIM115 (closed with the process)
        try:
            # No input, as under a service manager or a script: nothing may wait for a keypress.
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
            )
        finally:
            if self.log is not None:
                out.close()  # the child holds its own copy
        return self

    def script_times(self) -> list[tuple[str, float]]:
        """(page, ms) of every script run so far, in order, as the server timed them (needs run_times)."""
        if self.run_times is None or not self.run_times.exists():
            return []
        rows = [json.loads(line) for line in self.run_times.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [(row["page"], row["ms"]) for row in rows]

    def healthy(self, timeout: float = 2.0) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=timeout) as response:
                return response.status == 200 and response.read().strip() == b"ok"
        except OSError:
            return False

    def wait_healthy(self, timeout: float = 60.0) -> float:
        """Seconds from start() until /_stcore/health answers ok; raises if the process dies or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"streamlit run {self.app} exited with {self.process and self.process.returncode}")
            if self.healthy(timeout=1.0):
                return time.monotonic() - self.started_at
            time.sleep(0.05)
        raise TimeoutError(f"streamlit run {self.app} not healthy on {self.base} after {timeout:.0f} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def __enter__(self) -> Server:
        if self.process is None:
            self.start()
        self.wait_healthy()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def rerun_request(page: str = "", query: str = "") -> bytes:
    """The BackMsg the browser sends to run a page: its URL path as page_name, and the query string."""
    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page
    msg.rerun_script.page_script_hash = ""
    return msg.SerializeToString()


@dataclass
class Run:
    """One script run as the client saw it."""

    seconds: float  # from sending the rerun request to script_finished
    status: str  # "ok", "compile_error", "timeout", "closed"
    messages: int = 0
    exceptions: list[str] = field(default_factory=list)  # st.exception elements (tracebacks or error notices)
    errors: list[str] = field(default_factory=list)  # st.error elements
    charts: int = 0  # plotly charts drawn with data (not the blank chart a first view gets while the data load)
    texts: list[str] = field(default_factory=list)  # markdown, headings, captions, code: what a reader sees
    query_strings: list[str] = field(default_factory=list)  # the URL query the server wrote back (page_info_changed)
    elements: list = field(default_factory=list)  # every new element's proto, when asked for (keep_elements)
    session_id: str = ""  # from new_session: what a browser sends back to resume its session after a reconnect

    @property
    def failed(self) -> bool:
        return self.status != "ok" or bool(self.exceptions)


def _collect(run: Run, msg: ForwardMsg, keep_elements: bool) -> None:
    if msg.WhichOneof("type") == "new_session" and msg.new_session.initialize.session_id:
        run.session_id = msg.new_session.initialize.session_id
    if msg.WhichOneof("type") == "page_info_changed":
        run.query_strings.append(msg.page_info_changed.query_string)
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return
    element = msg.delta.new_element
    if keep_elements:
        run.elements.append(element)
    kind = element.WhichOneof("type")
    if kind == "exception":
        run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
    elif kind == "alert" and element.alert.format == element.alert.ERROR:
        run.errors.append(element.alert.body)
    elif kind == "plotly_chart" and json.loads(element.plotly_chart.spec or "{}").get("data"):
        run.charts += 1
    elif kind in ("markdown", "heading", "code", "metric"):
        run.texts.append(str(getattr(element, kind)))


def _quick_ack(ws) -> None:
    sock = ws.transport.get_extra_info("socket") if getattr(ws, "transport", None) else None
    if sock is not None and hasattr(socket, "TCP_QUICKACK"):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)


async def run_page(
    ws, page: str = "", query: str = "", timeout: float = 60.0, *, quick_ack: bool = False, keep_elements: bool = False
) -> Run:
    """Ask for a run of `page` on an open session and read until it finishes (a run ended early by st.rerun continues).

    Streamlit 1.67 binds its listening socket with proto 0, so asyncio never sets TCP_NODELAY on the
    connections it accepts: after the first small frame of a run, the rest wait for the client's delayed
    ACK (40 ms on Linux). A browser pays that on every run. `quick_ack` makes this client ACK at once
    (Linux TCP_QUICKACK), which leaves the server's own time: use it to measure the script, not the stall.
    """
    started = time.perf_counter()
    run = Run(0.0, "timeout")
    deadline = started + timeout
    try:
        if quick_ack:
            _quick_ack(ws)
        await ws.send(rerun_request(page, query))
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                break
            raw = await asyncio.wait_for(ws.recv(), remaining)
            if quick_ack:
                _quick_ack(ws)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            run.messages += 1
            if msg.WhichOneof("type") == "script_finished":
                status = FINISHED.get(msg.script_finished, str(msg.script_finished))
                if status == "rerun":
                    continue
                run.status = status
                break
            _collect(run, msg, keep_elements)
    except TimeoutError:
        pass
    except websockets.ConnectionClosed:
        run.status = "closed"
    run.seconds = time.perf_counter() - started
    return run


def connect(server_or_url: Server | str, timeout: float = 20.0, *, resume: str = "", headers: dict | None = None):
    """A websocket session like the browser's; use with `async with`.

    The browser names the subprotocol "streamlit" and passes, in the same header, an XSRF token and the id of
    the session it had, to resume it after a reconnect (`resume`). `headers` are sent as a browser's own would be
    (the pages read them through st.context.headers: a phone's User-Agent, a client hint).
    """
    url = server_or_url.stream_url if isinstance(server_or_url, Server) else server_or_url
    protocols = ["streamlit", "xsrf", resume] if resume else ["streamlit"]
    return websockets.connect(
        url,
        subprotocols=protocols,
        max_size=MAX_FRAME_BYTES,
        open_timeout=timeout,
        ping_interval=None,
        additional_headers=headers,
    )


async def one_run(
    server_or_url: Server | str,
    page: str = "",
    query: str = "",
    timeout: float = 60.0,
    *,
    keep_elements: bool = False,
    headers: dict | None = None,
) -> Run:
    """Connect, run one page, disconnect."""
    async with connect(server_or_url, timeout=timeout, headers=headers) as ws:
        return await run_page(ws, page, query, timeout, keep_elements=keep_elements)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) by nearest rank; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]
