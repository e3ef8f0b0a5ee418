"""The site's own addresses beside the dashboard (/data, /api, /claim, /sitemap.xml) as routes for st.App in app.py.

Each request is answered by drugstats.site.api from the build of the data as they are now (views._ui.load: the same
build the pages use, rebuilt when a file changes), outside any Streamlit session. Only Starlette is imported here at
start: pandas and the data load on the first request or in app.py's preload, not before the server listens.
"""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

FIGURES_DIR = Path(__file__).resolve().parents[1] / "figures"  # where `drugstats figures` writes claims/<id>.png

_SERVING = [False]  # set when app.py serves the routes; `streamlit run streamlit_app.py` does not
_SITES: dict[str, Any] = {}  # data directory -> drugstats.site.api.Site of its current version
_SITES_LOCK = threading.Lock()  # one Site made per version, however many requests arrive at once


def serving() -> bool:
    """Whether this process serves the addresses (pages link to them only then)."""
    return _SERVING[0]


def current_site():  # -> drugstats.site.api.Site | None
    """The Site of the data as they are now, or None while they fail validation."""
    from drugstats.publish import export
    from drugstats.site import api
    from drugstats.verdicts import pipeline
    from views import _ui

    path = _ui.data_dir()
    loaded = _ui.load(path)
    if loaded.build is None:
        return None
    with _SITES_LOCK:
        site = _SITES.get(str(path))
        if site is None or site.build is not loaded.build:
            site = api.Site(
                loaded.build,
                loaded.version,
                FIGURES_DIR,
                files=_ui.derived(export.bundle_files, loaded.build),  # shared with the Downloads page
                tables=_ui.derived(pipeline.Build.tables, loaded.build),
            )
            _SITES[str(path)] = site
    return site


def _site_url(request: Request) -> str:
    """Where documents link to: DRUGSTATS_SITE_URL when the deployment sets it, else "" (links relative to the host).

    Never the request's own Host header: a client sending `Host: attacker.example` would otherwise get (and a shared
    cache keep for everyone) canonical links, og:url, JSON-LD and a sitemap pointing at that host.
    """
    configured = os.environ.get("DRUGSTATS_SITE_URL")
    return configured.rstrip("/") if configured else ""


def answer(request: Request) -> Response:
    """A request to one of the addresses, answered by drugstats.site.api (a plain function: Starlette runs it in a thread)."""
    from drugstats.site import api

    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    asked = api.Request(request.url.path, params, request.headers.get("if-none-match"), _site_url(request))
    site = current_site()
    reply = api.respond(site, asked) if site is not None else api.unavailable(asked.path)
    return starlette_response(reply)


def starlette_response(reply: Any) -> Response:
    """A drugstats.site.api.Response for Starlette: a large body streamed in chunks, a small one whole."""
    if len(reply.body) > STREAM_BYTES:
        return StreamingResponse(_chunks(reply.body), status_code=reply.status, headers=reply.headers)
    return Response(reply.body, status_code=reply.status, headers=reply.headers)


# An answer larger than this goes out in chunks of CHUNK_BYTES, each sent when the client has taken the one before
# (the server's flow control): a client that asks for the 25 MB overdose_deaths_releases.json and never reads holds a
# chunk, not a copy of the whole answer in the server's send buffer (bench/slow_readers.py). The bytes themselves are
# the Site's, made once and shared by every request.
STREAM_BYTES = 1 << 20
CHUNK_BYTES = 1 << 16


async def _chunks(body: bytes) -> AsyncIterator[bytes]:
    view = memoryview(body)
    for start in range(0, len(view), CHUNK_BYTES):
        yield bytes(view[start : start + CHUNK_BYTES])


def routes() -> list[Route]:
    """The routes for st.App(routes=...): GET (and HEAD) under /data/, /api/, /claim/, and /sitemap.xml."""
    _SERVING[0] = True
    paths = ("/data/{rest:path}", "/api/{rest:path}", "/claim/{rest:path}", "/sitemap.xml")
    return [Route(path, answer, methods=["GET"]) for path in paths]
