"""Proving that no connection waits on an outside service: a pool of one, a gate, and the probes.

`pool_of_one` gives the process a pool with a single connection, so any work that kept one
checked out while it waits would starve every other request. `Gate` is an outside-service stub
that blocks (threading.Event) until the test opens it. `checked_out` reads the pool's own
statistics (psycopg_pool `get_stats()`), and `open_transactions` asks Postgres whether any other
backend sits in an open transaction (which is what holds row locks).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from dojo import db
from dojo.settings import get_settings

WAIT = 20.0  # seconds a test waits for a stub to be reached before failing (never reached: bug)


@contextmanager
def pool_of_one() -> Iterator[None]:
    """The process pool rebuilt with `DOJO_DB_POOL_MAX=1` for the block, then as it was."""
    before = os.environ.get("DOJO_DB_POOL_MAX")
    os.environ["DOJO_DB_POOL_MAX"] = "1"
    get_settings.cache_clear()
    db.close_pool()
    try:
        assert db.get_pool().max_size == 1
        yield
    finally:
        db.close_pool()
        if before is None:
            del os.environ["DOJO_DB_POOL_MAX"]
        else:
            os.environ["DOJO_DB_POOL_MAX"] = before
        get_settings.cache_clear()


def checked_out() -> int:
    """Connections of the pool lent out right now (its size minus those idle in it)."""
    stats = db.get_pool().get_stats()
    return int(stats.get("pool_size", 0)) - int(stats.get("pool_available", 0))


def open_transactions(sql: psycopg.Connection[Any]) -> list[dict[str, Any]]:
    """Other backends of this database inside a transaction (active or idle in one)."""
    rows: list[dict[str, Any]] = sql.execute(
        "select pid, state, query from pg_stat_activity"
        " where datname = current_database() and pid <> pg_backend_pid()"
        " and backend_type = 'client backend' and xact_start is not null"
    ).fetchall()
    return rows


class Gate:
    """An outside call that blocks until opened: `entered` is set once it is being waited on."""

    def __init__(self, answer: Callable[..., Any]) -> None:
        self.entered = threading.Event()
        self.opened = threading.Event()
        self.calls = 0
        self._answer = answer

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Block the first call until `open()`; every call returns `answer(...)`."""
        self.calls += 1
        if self.calls == 1:
            self.entered.set()
            assert self.opened.wait(WAIT), "the test never opened the gate"
        return self._answer(*args, **kwargs)

    def open(self) -> None:
        """Let the blocked call finish."""
        self.opened.set()


class Background:
    """Run `work()` in a thread and keep what it returned (or raised)."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self.result: Any = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(work,), daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[], Any]) -> None:
        try:
            self.result = work()
        except BaseException as exc:  # handed to the test in `join`
            self.error = exc

    def join(self) -> Any:
        """Wait for the work and return its result (re-raising its error)."""
        self._thread.join(WAIT)
        assert not self._thread.is_alive(), "the background work did not finish"
        if self.error is not None:
            raise self.error
        return self.result
