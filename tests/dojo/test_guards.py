"""The layer's request guard: bodies bounded before they are read, NUL refused everywhere, and
no exception leaving the app (so a kept-alive connection survives a 500)."""

from __future__ import annotations

import asyncio
import http.client
import json
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from pydantic import BaseModel

from dojo.guards import (
    _JSON_NUL,
    BINARY_BODY_LIMIT_BYTES,
    BODY_LIMIT_BYTES,
    LAMBDA_PAYLOAD_BYTES,
    _NulScanner,
)
from dojo.http import create_app
from dojo_local.server import BackgroundServer


class Note(BaseModel):
    text: str


def _app(upload_limit: int = 100):
    app = create_app("probe", title="probe", body_limits={"/big/": lambda: upload_limit})

    @app.post("/notes")
    def note(body: Note) -> dict[str, int]:
        return {"chars": len(body.text)}

    @app.get("/echo/{word}")
    def echo(word: str, q: str = "") -> dict[str, str]:
        return {"word": word, "q": q}

    @app.put("/big/{name}")
    async def big(name: str, request: Request) -> dict[str, int]:
        size = 0
        async for piece in request.stream():
            size += len(piece)
        return {"bytes": size}

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    @app.get("/nul-in-db")
    def nul_in_db() -> None:
        with psycopg.connect(_DB["url"]) as conn:
            conn.execute("select %s::text", ("a\x00b",))

    return app


_DB: dict[str, str] = {}


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message"] and error["request_id"]
    assert response.headers["x-request-id"] == error["request_id"]
    return error


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("/echo/a%00b", "path"),
        ("/echo/a?q=x%00y", "query"),
        ("/echo/a?q%00=1", "query"),
    ],
)
def test_nul_in_the_url_is_422(path: str, where: str) -> None:
    error = _error(TestClient(_app()).get(path), 422, "validation_error")
    assert error["details"] == [{"loc": [where], "msg": "NUL characters (U+0000) are not allowed"}]


@pytest.mark.parametrize(
    "body",
    [
        b'{"text": "a\\u0000b"}',
        b'{"text": "a\\\\\\u0000b"}',  # an escaped backslash, then the escape
        b'{"te\\u0000xt": "a"}',  # in a key
        b'{"text": "a\x00b"}',  # a raw NUL byte
        '{"text": "ab"}'.encode("utf-16"),  # UTF-16 JSON hides its escapes between NULs
    ],
)
def test_nul_in_a_json_body_is_422(body: bytes) -> None:
    client = TestClient(_app())
    response = client.post("/notes", content=body, headers={"content-type": "application/json"})
    assert _error(response, 422, "validation_error")["details"][0]["loc"] == ["body"]


def test_an_escaped_backslash_before_u0000_is_just_text() -> None:
    client = TestClient(_app())
    body = b'{"text": "C:\\\\u0000"}'  # the text C:\u0000, no NUL in it
    response = client.post("/notes", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert response.json() == {"chars": len("C:\\u0000")}


def test_a_form_body_with_nul_is_422() -> None:
    client = TestClient(_app())
    response = client.post(
        "/notes",
        content=b"text=a%00b",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    _error(response, 422, "validation_error")


def test_the_scanner_finds_an_escape_split_across_chunks() -> None:
    body = b'{"text": "' + b"x" * 50 + b'\\\\\\u0000"}'
    for cut in range(1, len(body)):
        scanner = _NulScanner(_JSON_NUL, json=True)
        found = scanner.feed(body[:cut]) or scanner.feed(body[cut:])
        assert found, cut
    harmless = b'{"text": "' + b"\\\\" * 40 + b'u0000"}'
    for cut in range(1, len(harmless)):
        scanner = _NulScanner(_JSON_NUL, json=True)
        assert not (scanner.feed(harmless[:cut]) or scanner.feed(harmless[cut:])), cut


def test_chunked_json_with_a_split_escape_is_422() -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "abc\\u00'
        yield b'00"}'

    response = TestClient(_app()).post(
        "/notes", content=chunks(), headers={"content-type": "application/json"}
    )
    _error(response, 422, "validation_error")


def test_limits_match_production() -> None:
    assert LAMBDA_PAYLOAD_BYTES == 6 * 1024 * 1024
    assert BODY_LIMIT_BYTES == LAMBDA_PAYLOAD_BYTES  # Lambda's 6 MB binds before API GW's 10 MB
    assert BINARY_BODY_LIMIT_BYTES == 4.5 * 1024 * 1024  # base64 in the event: 3/4 of it


class _Wire:
    """An ASGI receive that hands out a body in chunks and counts how much was taken."""

    def __init__(self, size: int, chunk: int = 64 * 1024) -> None:
        self.left = size
        self.chunk = chunk
        self.taken = 0

    async def receive(self) -> dict[str, Any]:
        piece = min(self.chunk, self.left)
        self.left -= piece
        self.taken += piece
        return {"type": "http.request", "body": b"a" * piece, "more_body": self.left > 0}


def _call(
    app: Any, method: str, path: str, headers: list[tuple[bytes, bytes]], wire: _Wire
) -> dict[str, Any]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": headers, "client": ("127.0.0.1", 1), "server": ("t", 80),
    }  # fmt: skip
    asyncio.run(app(scope, wire.receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    return {"status": start["status"], "json": json.loads(body), "headers": headers}


def test_a_declared_length_over_the_limit_is_413_before_reading_a_byte() -> None:
    wire = _Wire(BODY_LIMIT_BYTES + 1)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(wire.left).encode())]
    answer = _call(_app(), "POST", "/notes", headers, wire)
    assert answer["status"] == 413
    assert answer["json"]["error"]["details"] == {
        "max_bytes": BODY_LIMIT_BYTES,
        "reason": "body_too_large",
    }
    assert wire.taken == 0
    assert answer["headers"]["connection"] == "close"  # the unread rest is still on the wire


def test_a_chunked_body_is_cut_off_just_past_the_limit() -> None:
    wire = _Wire(3 * BODY_LIMIT_BYTES)
    answer = _call(_app(), "POST", "/notes", [(b"content-type", b"application/json")], wire)
    assert answer["status"] == 413
    assert BODY_LIMIT_BYTES < wire.taken <= BODY_LIMIT_BYTES + wire.chunk


def test_binary_bodies_get_three_quarters() -> None:
    wire = _Wire(BINARY_BODY_LIMIT_BYTES + 1)
    headers = [
        (b"content-type", b"multipart/form-data; boundary=x"),
        (b"content-length", str(wire.left).encode()),
    ]
    answer = _call(_app(), "POST", "/notes", headers, wire)
    assert answer["status"] == 413 and wire.taken == 0


def test_a_route_with_its_own_limit() -> None:
    small = _Wire(100)
    answer = _call(
        _app(upload_limit=100), "PUT", "/big/x", [(b"content-type", b"application/pdf")], small
    )
    assert (answer["status"], answer["json"]) == (200, {"bytes": 100})
    over = _Wire(10_000, chunk=30)
    answer = _call(
        _app(upload_limit=100), "PUT", "/big/x", [(b"content-type", b"application/pdf")], over
    )
    assert answer["status"] == 413 and over.taken <= 120


def test_a_value_postgres_refuses_is_422_not_500(db_url: str) -> None:
    _DB["url"] = db_url
    response = TestClient(_app(), raise_server_exceptions=False).get("/nul-in-db")
    _error(response, 422, "validation_error")


def test_a_500_keeps_the_connection_alive() -> None:
    server = BackgroundServer(app=_app()).start()
    try:
        conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
        conn.request("GET", "/boom")
        first = conn.getresponse()
        body = json.loads(first.read())
        assert first.status == 500 and body["error"]["code"] == "internal_error"
        assert "secret" not in json.dumps(body)
        assert (first.getheader("connection") or "").lower() != "close"
        sock = conn.sock
        conn.request("GET", "/echo/again")  # the same socket: the server kept it open
        second = conn.getresponse()
        assert second.status == 200 and json.loads(second.read())["word"] == "again"
        assert conn.sock is sock
        conn.close()
    finally:
        server.stop()
