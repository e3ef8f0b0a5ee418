"""Reading a visitor's article off the server's path: in a forked process, under a time limit (for the dashboard).

The article reader is linear in its input (bench/extract_worst.py), but a server must not bet its other visitors on
that: a page read in the server's own process holds the interpreter while it runs, so one hostile paste slowed every
other session and /api/check with it (issue 24). Here the reading runs in a child process forked for it: the session
that asked waits for it without holding the interpreter, a reading that runs past its time limit is killed, and
nothing a reading leaves behind (a parser's caches, trafilatura's state) outlives it.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from drugstats.extract.source import ArticleError

READ_SECONDS = 30.0  # a 1 MB article reads in a few seconds on the slowest machine we run on
T = TypeVar("T")
GENERIC = "This could not be read as an article; paste its text instead."


def _child(conn: Any, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        result: tuple[str, Any] = ("ok", fn(*args))
    except ArticleError as err:
        result = ("article", str(err))
    except Exception:  # a parser broken by a visitor's file: a message, never a traceback on the page
        result = ("failed", traceback.format_exc(limit=3))
    try:
        conn.send(result)
    finally:
        conn.close()


def run(fn: Callable[..., T], *args: Any, seconds: float = READ_SECONDS, what: str = "the article") -> T:
    """fn(*args) in a forked child, its result sent back; ArticleError when it fails or runs past `seconds`.

    Where fork is not available (not Linux or macOS) it runs here, without the isolation.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return fn(*args)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, fn, args), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise ArticleError(f"{what}: reading it took more than {seconds:g} s; stopped")
        try:
            kind, value = receiver.recv()
        except (EOFError, OSError):
            raise ArticleError(f"{what}: the reader stopped before it finished") from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
    if kind == "ok":
        return value
    if kind == "article":
        raise ArticleError(value)
    raise ArticleError(GENERIC)
