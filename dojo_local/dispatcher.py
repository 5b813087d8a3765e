"""The local pg_net: drains `net.http_request_queue` and POSTs each request over real HTTP.

Like pg_net it sends at most once (the row is deleted before sending) and records the outcome in
`net._http_response`; failures are left for the sweepers, exactly as in production.
"""

from __future__ import annotations

import contextlib
import json
import threading
from typing import Any

import httpx
import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

_TAKE = """
delete from net.http_request_queue
 where id in (select id from net.http_request_queue order by id limit %s for update skip locked)
returning id, method, url, headers, body, timeout_milliseconds
"""


def _send(client: httpx.Client, request: dict[str, Any]) -> dict[str, Any]:
    headers = request["headers"] or {}
    body = bytes(request["body"] or b"{}")
    try:
        response = client.request(
            request["method"],
            request["url"],
            content=body,
            headers=headers,
            timeout=request["timeout_milliseconds"] / 1000,
        )
    except httpx.TimeoutException:
        return {"status_code": None, "timed_out": True, "error_msg": "Timeout was reached"}
    except httpx.HTTPError as exc:
        return {"status_code": None, "timed_out": False, "error_msg": str(exc)}
    return {
        "status_code": response.status_code,
        "content_type": response.headers.get("content-type"),
        "headers": dict(response.headers),
        "content": response.text[:10_000],
        "timed_out": False,
        "error_msg": None,
    }


def drain(url: str, batch: int = 50, client: httpx.Client | None = None) -> int:
    """Send everything queued now; returns how many requests were sent."""
    sent = 0
    own = client is None
    http = client or httpx.Client()
    try:
        with psycopg.connect(url, autocommit=True, row_factory=dict_row) as conn:
            while True:
                with conn.transaction():
                    rows = conn.execute(_TAKE, (batch,)).fetchall()
                if not rows:
                    return sent
                for row in rows:
                    outcome = _send(http, row)
                    conn.execute(
                        "insert into net._http_response (id, status_code, content_type, headers,"
                        " content, timed_out, error_msg) values (%s, %s, %s, %s, %s, %s, %s)",
                        (
                            row["id"],
                            outcome.get("status_code"),
                            outcome.get("content_type"),
                            Jsonb(outcome.get("headers") or {}),
                            outcome.get("content"),
                            outcome.get("timed_out"),
                            outcome.get("error_msg"),
                        ),
                    )
                    sent += 1
    finally:
        if own:
            http.close()


def pending(url: str) -> list[dict[str, Any]]:
    """What is queued now (for tests and `dojo` status output)."""
    with psycopg.connect(url, autocommit=True, row_factory=dict_row) as conn:
        rows = conn.execute(
            "select id, url, headers, convert_from(body, 'UTF8') as body"
            " from net.http_request_queue order by id"
        ).fetchall()
    for row in rows:
        row["body"] = json.loads(row["body"]) if row["body"] else None
    return rows


class Dispatcher(threading.Thread):
    """A background thread that drains the queue every `interval` seconds until stopped."""

    def __init__(self, url: str, interval: float = 0.25) -> None:
        super().__init__(name="dojo-dispatcher", daemon=True)
        self.url = url
        self.interval = interval
        self._stop_event = threading.Event()

    def run(self) -> None:
        with httpx.Client() as client:
            while not self._stop_event.is_set():
                # the database restarting: try again on the next tick
                with contextlib.suppress(psycopg.Error):
                    drain(self.url, client=client)
                self._stop_event.wait(self.interval)

    def stop(self) -> None:
        """Ask the thread to finish after its current tick."""
        self._stop_event.set()
