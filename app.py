"""drugstats dashboard server: `streamlit run app.py` serves streamlit_app.py, the data loaded while the server starts.

Streamlit runs a script only when a browser connects, so the first visitor after a start used to wait for the data
to be read, checksummed, validated and checked (~1.3 s on 2 cores) on top of loading the page. Here the build starts
in a thread as the server starts, followed by the Overview's figures (the default page); the browser loads Streamlit's
frontend meanwhile, and a visitor arriving before the end waits for that one build (bench/README.md, first chart).
`streamlit run streamlit_app.py` serves the same dashboard without the head start (Streamlit Community Cloud picks
that file by default).

Beside the dashboard, the server answers the site's own addresses (views/_site.py, drugstats.site.api): the data as CSV
and JSON under /data/, the check API under /api/, a page per claim at /claim/<id> that needs no JavaScript, and
/sitemap.xml.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

# Before anything imports pyarrow: its own allocator keeps ~30 MB of the memory freed after the raw series are parsed,
# the system allocator returns it (bench/README.md, memory). An operator's own setting wins.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

import streamlit as st  # noqa: E402

from views import _site  # noqa: E402  (Starlette only: the data load in the preload thread)


def _preload() -> None:
    started = time.monotonic()
    from views import _ui  # imported here: pandas, pyarrow and pydantic load in this thread, not before the server

    path = _ui.data_dir()
    loaded = _ui.load(path)  # a DataError is kept too: every page then shows the error panel
    took = f"{time.monotonic() - started:.1f} s"
    if loaded.build is not None:
        print(f"drugstats: data loaded from {path} in {took}: {len(loaded.build.dataset.claims)} claims", file=sys.stderr)
        # Then the default page's figures: a first visitor arriving meanwhile waits for these, not for a second copy.
        from drugstats.pages import overview

        _ui.derived(overview.page, loaded.build)
    else:
        problems = len(loaded.error.problems) if loaded.error else 0
        print(f"drugstats: the data in {path} failed validation ({problems} problems); pages show them", file=sys.stderr)


@asynccontextmanager
async def _lifespan(_app: st.App) -> AsyncIterator[None]:
    threading.Thread(target=_preload, name="drugstats-preload", daemon=True).start()
    yield


app = st.App("streamlit_app.py", lifespan=_lifespan, routes=_site.routes())
