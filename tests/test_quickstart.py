"""The README's first command, `streamlit run app.py`, as a new user runs it: on a desktop, with nobody typing."""

import os
import stat
from pathlib import Path

import pytest

from tests.stserver import Server

pytestmark = pytest.mark.slow


def test_streamlit_run_on_a_desktop_serves_without_waiting_for_the_email_prompt(tmp_path: Path) -> None:
    # A fresh user: no ~/.streamlit/credentials.toml, so Streamlit would ask for an e-mail address on first run and
    # exit 255 when stdin gives nothing. DISPLAY set makes Streamlit not headless, as on a laptop.
    home = tmp_path / "home"
    home.mkdir()
    # Streamlit opens a browser on Linux with `xdg-open <url>`: a stand-in, so the test never opens a real one. (For an
    # st.App script, as app.py is, Streamlit 1.67 opens none at all: it prints the URL; not headless keeps it free to.)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    xdg_open = bin_dir / "xdg-open"
    xdg_open.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    xdg_open.chmod(xdg_open.stat().st_mode | stat.S_IXUSR)
    env = {key: value for key, value in os.environ.items() if key not in ("WAYLAND_DISPLAY", "STREAMLIT_SERVER_HEADLESS")}
    env.update(HOME=str(home), DISPLAY=":0", PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}")

    log = tmp_path / "server.log"
    server = Server(env=env, headless=False, log=log)
    with server:  # waits for /_stcore/health to answer ok, and fails if the process exits first
        assert server.healthy()
        assert server.process is not None and server.process.poll() is None
    output = log.read_text(encoding="utf-8", errors="replace")
    assert "email" not in output.lower(), output
    assert f"127.0.0.1:{server.port}" in output, output  # the address to open, printed for the reader
