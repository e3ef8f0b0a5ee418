"""drugstats refresh against a real HTTP server on 127.0.0.1: good files change the data, bad ones nothing."""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import io
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest
import yaml

from drugstats import DATA_DIR, cli, refresh
from drugstats.errors import DataError
from drugstats.official import download, queries, series
from drugstats.publish import changes
from drugstats.verdicts import pipeline
from tests.conftest import local_servers_allowed

T404 = DATA_DIR / "raw" / "cdc-vsrr" / "cdc_api_provisional_overdose_counts.csv"
CBP_FY23 = DATA_DIR / "raw" / "cbp-seizures" / "nationwide-drugs-fy23-fy26-dec.csv"
US_T404_FEB_2026 = (
    'US,2026,February,12 month-ending,"Synthetic opioids, excl. methadone (T40.4)",100,0.5,'
    "United States,Underreported due to incomplete data.,*,36000,36900\n"
)
CBP_JAN_2026 = "2026 (FYTD),JAN,Office of Field Operations,Southwest Border,Land Only,TUCSON FIELD OFFICE,Fentanyl,2,10.5\r\n"


def later_t404() -> bytes:
    """A made-up later API pull, for tests only: one value revised, one month added."""
    lines = T404.read_text().splitlines(keepends=True)
    us_january_2023 = [i for i, line in enumerate(lines) if line.startswith("US,2023,January,")]
    assert len(us_january_2023) == 1 and lines[us_january_2023[0]].endswith(",75390,76033\n")
    lines[us_january_2023[0]] = lines[us_january_2023[0]].replace(",75390,76033\n", ",75391,76033\n")
    return ("".join(lines) + US_T404_FEB_2026).encode()


class Routes:
    """What the test server answers, by path: (status, headers, body, how to send it)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes, str]] = {}

    def add(
        self, path: str, body: bytes = b"", status: int = 200, headers: dict[str, str] | None = None, mode: str = "whole"
    ) -> None:
        self.routes[path] = (status, headers or {}, body, mode)


@pytest.fixture()
def server() -> Iterator[tuple[str, Routes]]:
    routes = Routes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            status, headers, body, mode = routes.routes.get(self.path, (404, {}, b"not found", "whole"))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if mode != "no-length":
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.send_body(body, mode)
            except OSError:  # the client hung up (a refresh that stopped reading): not the server's error
                pass
            self.close_connection = True

        def send_body(self, body: bytes, mode: str) -> None:
            if mode == "truncate":  # announce the whole body, send half, hang up
                self.wfile.write(body[: len(body) // 2])
            elif mode == "drip":  # a byte at a time, each soon enough for any per-read timeout, until the client leaves
                for byte in body:
                    if stopping.wait(0.2):
                        break
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
            else:
                self.wfile.write(body)
            self.wfile.flush()

        def log_message(self, *args) -> None:
            pass

    stopping = threading.Event()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        with local_servers_allowed():
            yield f"http://127.0.0.1:{httpd.server_address[1]}", routes
    finally:
        stopping.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under folder, hidden ones included."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def run(data: Path, *args: str) -> int:
    return cli.main(["--data", str(data), "refresh", *args, "--timeout", "10"])


# --- good downloads ------------------------------------------------------------------------


def test_cdc_refresh_adds_a_release_and_keeps_every_older_one(server, data_copy, capsys):
    base, routes = server
    routes.add("/resource/xkb8-kh2a.csv?$limit=50000", later_t404(), headers={"Last-Modified": "Sat, 14 Nov 2026 12:00:00 GMT"})
    before = {p.name for p in (data_copy / "raw" / "cdc-vsrr").iterdir()}
    assert run(data_copy, "cdc-vsrr", "--from", f"{base}/resource/xkb8-kh2a.csv?$limit=50000") == 0

    out = capsys.readouterr()
    assert "rows added: 1; rows removed: 0; values revised: 1" in out.out
    assert "newest period: 2026-01-31 -> 2026-02-28" in out.out
    assert "release: 2026-11-14 (the server's Last-Modified header: Sat, 14 Nov 2026 12:00:00 GMT)" in out.out
    assert "replaced: nothing; kept: " in out.out and "cdc_api_provisional_overdose_counts.csv" in out.out
    assert "downloading" in out.err  # the progress line

    folder = data_copy / "raw" / "cdc-vsrr"
    # a new release is added; every release held before is kept, the extract of June 2026 it covers too
    assert {p.name for p in folder.iterdir()} == before | {"vsrr_api_20261114.csv"}
    assert {"vsrr_20260214_US_by_drug.csv", "vsrr_20260214_US_number_of_drug_overdose_deaths.csv"} <= before
    meta = yaml.safe_load((folder / "metadata.yaml").read_text())
    entry = meta["files"][-1]
    assert entry["name"] == "vsrr_api_20261114.csv"
    assert (entry["release"], entry["rows"], entry["data_through"]) == ("2026-11-14", 6917, "2026-02-28")
    assert entry["sha256"] == hashlib.sha256(later_t404()).hexdigest()
    assert entry["downloaded_from"].endswith("/resource/xkb8-kh2a.csv?$limit=50000")

    loaded = series.load_series(data_copy)  # what refresh wrote passes the loader
    deaths = loaded.overdose_deaths
    latest = queries.deaths_in_window(deaths, "fentanyl", "US", "2023-01")
    assert (latest["deaths_reported"], latest["release"]) == (75391, pd.Timestamp("2026-11-14"))
    older = queries.deaths_in_window(deaths, "fentanyl", "US", "2023-01", release="2026-02-14")
    assert older["deaths_reported"] == 75390
    june = queries.deaths_in_window(deaths, "fentanyl", "US", "2023-01", release="2026-06-27")
    assert june["release"] == pd.Timestamp("2026-06-27")  # the release the new one supersedes is still there
    assert queries.deaths_in_window(deaths, "fentanyl", "US", "2026-02")["deaths_predicted"] == 36900
    assert entry.get("release_estimated") is None  # a date from the server is the release's own


def test_a_second_copy_of_the_same_release_takes_the_first_ones_place(server, data_copy, capsys):
    base, routes = server
    routes.add("/resource/xkb8-kh2a.csv?$limit=50000", later_t404(), headers={"Last-Modified": "Sat, 14 Nov 2026 12:00:00 GMT"})
    url = f"{base}/resource/xkb8-kh2a.csv?$limit=50000"
    assert run(data_copy, "cdc-vsrr", "--from", url) == 0
    held = {p.name for p in (data_copy / "raw" / "cdc-vsrr").iterdir()}
    capsys.readouterr()
    assert run(data_copy, "cdc-vsrr", "--from", url) == 0
    assert "replaced: vsrr_api_20261114.csv" in capsys.readouterr().out
    assert {p.name for p in (data_copy / "raw" / "cdc-vsrr").iterdir()} == held
    series.load_series(data_copy)  # one copy of the release: no key twice


def test_cbp_refresh_replaces_the_file_of_the_same_fiscal_years(server, data_copy, capsys):
    base, routes = server
    path = "/sites/default/files/2026-02/nationwide-drugs-fy23-fy26-jan.csv"
    routes.add(path, CBP_FY23.read_bytes() + CBP_JAN_2026.encode())
    assert run(data_copy, "cbp-seizures", "--from", base + path) == 0

    out = capsys.readouterr().out
    assert "rows added: 1; rows removed: 0; values revised: 0" in out
    assert "newest period: 2025-12 -> 2026-01" in out
    assert "replaced: nationwide-drugs-fy23-fy26-dec.csv; kept: nationwide-drugs-fy19-fy22.csv" in out
    assert "release: not stated (not stated by the server (no Last-Modified header); retrieved " in out

    folder = data_copy / "raw" / "cbp-seizures"
    assert sorted(p.name for p in folder.iterdir()) == [
        "metadata.yaml",
        "nationwide-drugs-fy19-fy22.csv",
        "nationwide-drugs-fy23-fy26-jan.csv",
    ]
    seizures = series.load_series(data_copy).seizures
    total = queries.seizures_in_months(seizures, "2026-01", "2026-01", drug="fentanyl")
    assert total["seized_lb"] == 10.5
    assert queries.seizures_by_fiscal_year(seizures, drug="fentanyl").set_index("fiscal_year").loc[2026, "months"] == 4


# --- bad downloads: nothing changes --------------------------------------------------------


@pytest.mark.parametrize(
    ("dataset", "path", "route", "message"),
    [
        (
            "cdc-vsrr",
            "/resource/xkb8-kh2a.csv?$limit=50000",
            {"body": b"", "status": 500},
            "answered HTTP 500 Internal Server Error; nothing was changed",
        ),
        ("cdc-vsrr", "/resource/xkb8-kh2a.csv?$limit=50000", {"mode": "truncate"}, "broke off after"),
        (
            "cdc-vsrr",
            "/resource/xkb8-kh2a.csv?$limit=50000",
            {"mode": "cut"},
            "the last line has no line break: the file looks truncated",
        ),
        ("cdc-vsrr", "/resource/xkb8-kh2a.csv?$limit=50000", {"mode": "header-only"}, "has a header but no data rows"),
        ("cdc-vsrr", "/resource/xkb8-kh2a.csv?$limit=50000", {"mode": "wrong-columns"}, "data_value: required column is missing"),
        (
            "cdc-vsrr",
            "/resource/xkb8-kh2a.csv?$limit=6917",
            {},
            "returned exactly 6,917 rows, the API's row limit: the data are probably cut off",
        ),
        ("cdc-vsrr", "/resource/xkb8-kh2a.csv", {"mode": "thousand"}, "returned exactly 1,000 rows, the API's row limit"),
        (
            "cbp-seizures",
            "/files/nationwide-drugs-fy23-fy26-jan.csv",
            {"mode": "unknown-drug"},
            "Drug Type: 'Xylazine' is not a known drug type",
        ),
        (
            "cbp-seizures",
            "/files/nationwide-drugs-fy22-fy23.csv",
            {"mode": "partial-overlap"},
            "FY: covers fiscal years 2022 of nationwide-drugs-fy19-fy22.csv but not 2019, 2020, 2021: refusing",
        ),
        (
            "cbp-seizures",
            "/files/nationwide-drugs-fy19-fy22.csv",
            {"mode": "same-name"},
            "would overwrite nationwide-drugs-fy19-fy22.csv, which it does not cover entirely",
        ),
    ],
)
def test_failed_refresh_leaves_the_data_byte_identical(server, data_copy, capsys, dataset, path, route, message):
    base, routes = server
    good = later_t404() if dataset == "cdc-vsrr" else CBP_FY23.read_bytes() + CBP_JAN_2026.encode()
    body, mode = route.get("body", good), route.get("mode", "whole")
    if mode == "cut":  # no length announced, connection closed mid-line
        body, mode = good[: len(good) // 2 + 7], "no-length"
    elif mode == "header-only":  # valid header, nothing else: must not pass for a file covering nothing
        body, mode = good.splitlines(keepends=True)[0], "whole"
    elif mode == "wrong-columns":
        body, mode = good.replace(b"data_value", b"value", 1), "whole"
    elif mode == "thousand":
        body, mode = b"".join(good.splitlines(keepends=True)[:1001]), "whole"
    elif mode == "unknown-drug":
        body, mode = good.replace(b",Fentanyl,", b",Xylazine,", 1), "whole"
    elif mode in ("partial-overlap", "same-name"):
        fy22 = [
            line
            for line in (DATA_DIR / "raw" / "cbp-seizures" / "nationwide-drugs-fy19-fy22.csv")
            .read_bytes()
            .splitlines(keepends=True)
            if line.startswith(b"2022,")
        ]
        body = (good if mode == "partial-overlap" else good.splitlines(keepends=True)[0]) + b"".join(fy22)
        mode = "whole"
    routes.add(path, body, status=route.get("status", 200), mode=mode)
    before = digest(data_copy)

    assert run(data_copy, dataset, "--from", base + path) == 1

    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert digest(data_copy) == before


def test_connection_refused_changes_nothing(data_copy, capsys):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    before = digest(data_copy)
    with local_servers_allowed():
        assert run(data_copy, "cdc-vsrr", "--from", f"http://127.0.0.1:{port}/resource/xkb8-kh2a.csv") == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot download http://127.0.0.1:{port}/resource/xkb8-kh2a.csv: ")
    assert err.rstrip().endswith("nothing was changed")
    assert digest(data_copy) == before


def test_missing_local_file_changes_nothing(data_copy, tmp_path, capsys):
    before = digest(data_copy)
    assert run(data_copy, "cbp-seizures", "--from", str(tmp_path / "nope.csv")) == 1
    assert capsys.readouterr().err == (
        f"error: cannot read {tmp_path / 'nope.csv'}: No such file or directory; nothing was changed\n"
    )
    assert digest(data_copy) == before


def test_a_second_refresh_of_the_same_dataset_waits_for_none_and_changes_nothing(server, data_copy, tmp_path, capsys):
    base, routes = server
    routes.add("/resource/xkb8-kh2a.csv?$limit=50000", later_t404())
    folder = data_copy / "raw" / "cdc-vsrr"
    before = digest(data_copy)
    held = os.open(folder, os.O_RDONLY)  # what a running refresh of cdc-vsrr holds
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert run(data_copy, "cdc-vsrr", "--from", f"{base}/resource/xkb8-kh2a.csv?$limit=50000") == 1
        assert capsys.readouterr().err == "error: another drugstats refresh of cdc-vsrr is running; nothing was changed\n"
        assert run(data_copy, "cbp-seizures", "--from", str(tmp_path / "nope.csv")) == 1
        assert "cannot read" in capsys.readouterr().err  # another dataset's refresh is not held up
    finally:
        os.close(held)
    assert digest(data_copy) == before
    assert run(data_copy, "cdc-vsrr", "--from", f"{base}/resource/xkb8-kh2a.csv?$limit=50000") == 0  # released


def test_refresh_refuses_to_build_on_data_that_do_not_check_out(server, data_copy, capsys):
    base, routes = server
    routes.add("/resource/xkb8-kh2a.csv?$limit=50000", later_t404())
    extract = data_copy / "raw" / "cdc-vsrr" / "cdc_api_provisional_overdose_counts.csv"
    extract.write_bytes(extract.read_bytes() + b"\n")
    before = digest(data_copy)
    assert run(data_copy, "cdc-vsrr", "--from", f"{base}/resource/xkb8-kh2a.csv?$limit=50000") == 1
    assert f"{extract}: -: sha256: the file's sha256 is " in capsys.readouterr().err
    assert digest(data_copy) == before


def test_refresh_is_a_registered_subcommand(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["refresh", "cbp-seizures", "--help"])
    assert exit_.value.code == 0
    assert "--from URL_OR_PATH" in capsys.readouterr().out


# --- bounds and sanity (issue 13): wrong numbers refused, every download bounded -----------------


CDC_PATH = "/resource/xkb8-kh2a.csv?$limit=50000"


def refused(data: Path, capsys, *args: str, timeout: str = "10") -> str:
    """Run a refresh that must fail; check it changed nothing and left the dataset's lock free; return its stderr."""
    before = digest(data)
    assert cli.main(["--data", str(data), "refresh", *args, "--timeout", timeout]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert digest(data) == before
    for dataset in ("cdc-vsrr", "cbp-seizures"):
        held = os.open(data / "raw" / dataset, os.O_RDONLY)
        try:
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if the refresh kept it
        finally:
            os.close(held)
    return "".join(line + "\n" for line in err.split("\n")[:-1] if not line.startswith("\rdownloading"))  # no progress


def test_a_download_with_two_spellings_of_one_column_is_refused(server, data_copy, capsys):
    base, routes = server
    lines = later_t404().decode().splitlines(keepends=True)
    header = lines[0].rstrip("\n")
    wrong = [f"{header},Data Value\n"] + [line.rstrip("\n") + ",1\n" for line in lines[1:]]  # the last would win
    assert "data_value" in header
    routes.add(CDC_PATH, "".join(wrong).encode())
    err = refused(data_copy, capsys, "cdc-vsrr", "--from", base + CDC_PATH)
    assert f"{base}{CDC_PATH}:1: -: Data Value: the header has both 'data_value' and 'Data Value': " in err
    assert "which one holds the data is ambiguous" in err


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("9999", "year: '9999' is not a year from 1999 to the file's release (2026)"),
        ("0001", "year: '0001' is not a year from 1999 to the file's release (2026)"),
    ],
)
def test_cdc_rows_for_impossible_years_are_refused(server, data_copy, capsys, year, message):
    base, routes = server
    routes.add(CDC_PATH, later_t404().replace(b"US,2026,February,", f"US,{year},February,".encode()))
    err = refused(data_copy, capsys, "cdc-vsrr", "--from", base + CDC_PATH, "--release", "2026-11-14")
    assert message in err


def test_cdc_rows_for_a_month_after_today_are_refused(server, data_copy):
    base, routes = server
    routes.add(CDC_PATH, later_t404().replace(b"US,2026,February,", b"US,2026,December,"))
    before = digest(data_copy)
    with pytest.raises(DataError) as caught:
        refresh.refresh(
            data_copy, "cdc-vsrr", base + CDC_PATH, release="2026-11-14", today=date(2026, 11, 14), progress=io.StringIO()
        )
    assert [str(p) for p in caught.value.problems] == [
        f"{base}{CDC_PATH}:6918: US 2026 December Synthetic opioids, excl. methadone (T40.4): year: "
        "is for December 2026, after today (2026-11-14)"
    ]
    assert digest(data_copy) == before


def test_cbp_rows_for_fiscal_year_9999_or_before_cbp_are_refused(server, data_copy, capsys):
    base, routes = server
    path = "/files/nationwide-drugs-fy23-fy26-jan.csv"
    routes.add(path, CBP_FY23.read_bytes() + CBP_JAN_2026.replace("2026 (FYTD)", "9999").encode())
    err = refused(data_copy, capsys, "cbp-seizures", "--from", base + path)
    assert "FY: is for January 9999, after today" in err
    routes.add(path, CBP_FY23.read_bytes() + CBP_JAN_2026.replace("2026 (FYTD)", "0001").encode())
    assert "FY: '0001' is before 2003, CBP's first fiscal year" in refused(
        data_copy, capsys, "cbp-seizures", "--from", base + path
    )


@pytest.mark.parametrize("value", ["1e308", "99999999999"])
def test_a_count_beyond_any_year_of_deaths_is_refused(server, data_copy, capsys, value):
    base, routes = server
    routes.add(CDC_PATH, later_t404().replace(b",36000,36900\n", f",{value},36900\n".encode()))
    err = refused(data_copy, capsys, "cdc-vsrr", "--from", base + CDC_PATH)
    assert f"data_value: is more than 10,000,000, more deaths than the US has in a year: '{value}'" in err


@pytest.mark.parametrize(
    "stamp",
    [
        "Mon, 01 Jan 0001 00:00:00 GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Wed, 01 Jan 2098 00:00:00 GMT",
    ],
)
def test_an_impossible_last_modified_is_refused(server, data_copy, capsys, stamp):
    base, routes = server
    routes.add(CDC_PATH, later_t404(), headers={"Last-Modified": stamp})
    err = refused(data_copy, capsys, "cdc-vsrr", "--from", base + CDC_PATH)
    assert err == (
        f"error: the server's Last-Modified header ({stamp}) is not a date from 1999-01-01 to today "
        f"({date.today().isoformat()}): give the release date with --release; nothing was changed\n"
    )


def test_a_release_given_in_the_future_is_refused(server, data_copy, capsys):
    base, routes = server
    routes.add(CDC_PATH, later_t404())
    err = refused(data_copy, capsys, "cdc-vsrr", "--from", base + CDC_PATH, "--release", "9999-01-01")
    assert err == (
        f"error: --release 9999-01-01 is not a date from 1999-01-01 to today ({date.today().isoformat()}); nothing was changed\n"
    )


def test_a_dripping_server_is_stopped_at_the_timeout_and_the_lock_released(server, data_copy, capsys):
    base, routes = server
    routes.add(CDC_PATH, later_t404(), mode="drip")  # a byte every 0.2 s: no single read ever times out
    started = time.monotonic()
    err = refused(data_copy, capsys, "cdc-vsrr", "--from", base + CDC_PATH, timeout="1.5")
    # The dripped file would take hours; the bound leaves room for the refresh's own work on a loaded machine (5 s seen)
    assert time.monotonic() - started < 12
    assert f"error: the download of {base}{CDC_PATH} took more than 1.5 s (--timeout) and was stopped after " in err
    assert err.rstrip().endswith("bytes; nothing was changed")


def test_a_gzip_bomb_is_stopped_at_the_cap_after_decompression(server, data_copy, capsys, monkeypatch):
    monkeypatch.setattr(download, "MAX_DOWNLOAD_BYTES", 2_000_000)
    base, routes = server
    bomb = gzip.compress(later_t404() + b"0" * 50_000_000, compresslevel=9)
    assert len(bomb) < 200_000
    routes.add(CDC_PATH, bomb, headers={"Content-Encoding": "gzip"})
    err = refused(data_copy, capsys, "cdc-vsrr", "--from", base + CDC_PATH)
    assert err == (
        f"error: {base}{CDC_PATH} sent more than 2,000,000 bytes (after decompression), more than an official file may "
        "have; stopped, nothing was changed\n"
    )


def test_a_body_over_the_cap_is_refused_announced_or_not(server, data_copy, capsys, monkeypatch):
    monkeypatch.setattr(download, "MAX_DOWNLOAD_BYTES", 1_000_000)
    base, routes = server
    big = later_t404() * 2
    routes.add(CDC_PATH, big)
    assert refused(data_copy, capsys, "cdc-vsrr", "--from", base + CDC_PATH) == (
        f"error: {base}{CDC_PATH} announces {len(big):,} bytes, more than the 1,000,000 an official file may have; "
        "nothing was changed\n"
    )
    routes.add(CDC_PATH, big, mode="no-length")
    assert "sent more than 1,000,000 bytes (after decompression)" in refused(
        data_copy, capsys, "cdc-vsrr", "--from", base + CDC_PATH
    )


def test_refresh_from_a_fifo_or_dev_zero_is_refused_at_once(data_copy, tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe.csv")
    assert refused(data_copy, capsys, "cbp-seizures", "--from", str(tmp_path / "pipe.csv")) == (
        f"error: cannot read {tmp_path / 'pipe.csv'}: is a named pipe (FIFO), not a regular file; nothing was changed\n"
    )
    assert refused(data_copy, capsys, "cbp-seizures", "--from", "/dev/zero") == (
        "error: cannot read /dev/zero: is a character device, not a regular file; nothing was changed\n"
    )


def test_a_cdc_release_the_server_does_not_date_is_recorded_as_estimated(server, data_copy, capsys):
    base, routes = server
    routes.add("/resource/xkb8-kh2a.csv?$limit=50000", later_t404())  # no Last-Modified
    assert run(data_copy, "cdc-vsrr", "--from", f"{base}/resource/xkb8-kh2a.csv?$limit=50000") == 0
    assert "ESTIMATED: not stated by the server; this is the retrieval date" in capsys.readouterr().out
    meta = series.load_series(data_copy).datasets["cdc-vsrr"]
    written = meta.files[-1]
    assert written.release == date.today().isoformat() and written.release_estimated
    assert meta.release_name(written.release).endswith("(estimated)")


def test_refresh_reports_and_writes_every_verdict_the_new_release_changes(server, data_copy, capsys):
    # A made-up pull in which US fentanyl deaths for the 12 months ending January 2023 are 106,000, not 75,390:
    # "Fentanyl killed over 105,000 people" would then match the measure it names.
    body = later_t404().replace(b"US,2023,January,", b"US,2023,January,", 1)
    lines = body.decode().splitlines(keepends=True)
    i = next(n for n, line in enumerate(lines) if line.startswith("US,2023,January,"))
    lines[i] = lines[i].replace(",75391,76033\n", ",106000,106500\n")
    base, routes = server
    routes.add("/r.csv", "".join(lines).encode(), headers={"Last-Modified": "Sat, 14 Nov 2026 12:00:00 GMT"})
    assert run(data_copy, "cdc-vsrr", "--from", f"{base}/r.csv") == 0

    out = capsys.readouterr().out
    claim = "dcnf-2024-02-01-fentanyl-deaths-feb2022-jan2023"
    assert f"  {claim}: wrong_measure -> consistent (official 75,390 -> 106,000)" in out
    written = data_copy / "changes" / "cdc-vsrr-2026-11-14.csv"
    assert f"verdict changes written to {written}" in out
    latest = changes.latest(data_copy)
    assert (latest.name, latest.dataset, latest.day, latest.problem) == (written.name, "cdc-vsrr", "2026-11-14", None)
    row = latest.rows.set_index("id").loc[claim]
    assert (row["verdict_before"], row["verdict_after"], row["official_value_after"]) == ("wrong_measure", "consistent", 106000)
    assert row["official_release_before"] == "2026-06-27" and row["official_release_after"] == "2026-11-14"
    # whether each date is ours, beside it, as in verdicts.csv
    assert row["official_release_before_name"] == "about June 2026 (estimated)"
    assert row["official_release_before_estimated"] == "True" and row["official_release_after_estimated"] == "False"
    unchanged = set(pipeline.build(data_copy).verdicts["id"]) - set(latest.rows["id"])
    assert "gazette-2018-08-15-overdose-deaths-2017" in unchanged  # a window the new release does not count


def test_an_unreadable_changes_file_is_named_not_a_crash(data_copy):
    folder = data_copy / "changes"
    folder.mkdir()
    (folder / "cdc-vsrr-2026-11-14.csv").write_text("id,verdict_before\nx,consistent\n")
    (folder / "cdc-vsrr-2026-10-01.csv").write_text(",".join(changes.COLUMNS) + "\n")
    latest = changes.latest(data_copy)
    assert latest.rows is None and latest.name == "cdc-vsrr-2026-11-14.csv"  # the newest, not a readable older one
    assert latest.problem.message.startswith("lacks the columns verdict_after, ") and latest.problem.path.endswith(latest.name)
    assert changes.latest(data_copy.parent / "nowhere") is None


def test_a_changes_row_with_more_fields_than_its_header_is_named_by_line(data_copy):
    folder = data_copy / "changes"
    folder.mkdir()
    row = ["x", "consistent", "overstated", "1", "2", "2026-01-01", "2026-02-01", "more than 1,000"]
    # a file written before the release names were added: its columns are still read
    (folder / "cdc-vsrr-2026-11-14.csv").write_text(",".join(changes.REQUIRED) + "\n" + ",".join(row) + "\n")
    latest = changes.latest(data_copy)
    assert latest.rows is None and (latest.problem.line, latest.problem.record) == (2, "x")
    assert latest.problem.message == "has 9 fields where the header has 8 (a quote with a comma not in quotes?)"
