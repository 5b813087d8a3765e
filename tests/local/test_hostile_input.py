"""The hostile inputs of issue 12 that answered 500, through the real gateway: each is now a 4xx in
the one error shape, refused by the layer before it reaches a route or the database."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from dojo.guards import BINARY_BODY_LIMIT_BYTES, BODY_LIMIT_BYTES
from dojo.pagination import MAX_LIMIT, MAX_OFFSET

NUL = "\u0000"


def _refused(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message"] and error["request_id"]
    return error


# (role, method, path template, JSON body or query): every text field the issue names.
NUL_CASES = [
    ("seller", "post", "/api/v1/sessions/{session_id}/messages", {"text": f"oi{NUL}"}),
    ("seller", "get", "/api/v1/onboarding/search", {"q": f"preço{NUL}"}),
    ("manager", "patch", "/api/v1/personas/{persona_id}", {"name": f"Carla{NUL}"}),
    ("manager", "post", "/api/v1/personas/generate", {"focus": f"preço{NUL}"}),
    (
        "manager",
        "patch",
        "/api/v1/feedback/sessions/{session_id}",
        {"scores": {"discovery": 80}, "note": f"revisado{NUL}"},
    ),
    (
        "manager",
        "post",
        "/api/v1/auth/members/invite",
        {"email": "nova@nuvem.com.br", "full_name": f"Ana{NUL}"},
    ),
    ("admin", "post", "/api/v1/auth/company", {"name": f"Empresa{NUL}"}),
    ("seller", "post", "/api/v1/sessions/start", {"mode": "text", "focus": NUL}),
    ("seller", "get", "/api/v1/sessions", {"status": f"ended{NUL}"}),
]


@pytest.mark.parametrize(("role", "method", "path", "payload"), NUL_CASES)
def test_nul_in_any_field_or_query_is_422(api, seeded, sql, role, method, path, payload) -> None:
    user = getattr(seeded, role)
    url = path.format(**{k: str(v) for k, v in seeded.ids().items()})
    before = sql.execute("select count(*) as n from public.personas where name like 'Carla%'")
    if method == "get":
        response = api.get(url, params=payload, headers=user.headers)
        where = "query"
    else:
        response = api.request(method, url, json=payload, headers=user.headers)
        where = "body"
    error = _refused(response, 422, "validation_error")
    assert error["details"] == [{"loc": [where], "msg": "NUL characters (U+0000) are not allowed"}]
    after = sql.execute("select count(*) as n from public.personas where name like 'Carla%'")
    assert before.fetchone() == after.fetchone()


def test_nul_in_a_path_segment_is_422(api, seeded) -> None:
    response = api.get("/api/v1/personas/abc%00def", headers=seeded.seller.headers)
    assert _refused(response, 422, "validation_error")["details"][0]["loc"] == ["path"]


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("seller", "/api/v1/sessions"),
        ("seller", "/api/v1/onboarding/documents"),
        ("seller", "/api/v1/personas"),
        ("manager", "/api/v1/auth/members"),
    ],
)
def test_list_routes_bound_offset_and_limit(api, seeded, role, path) -> None:
    headers = getattr(seeded, role).headers
    for params in (
        {"offset": 2**63},
        {"offset": 2**64 + 1},
        {"offset": MAX_OFFSET + 1},
        {"offset": -1},
        {"limit": 10**12},
        {"limit": MAX_LIMIT + 1},
        {"limit": 0},
    ):
        _refused(api.get(path, params=params, headers=headers), 422, "validation_error")
    page = api.get(path, params={"offset": MAX_OFFSET, "limit": MAX_LIMIT}, headers=headers)
    assert page.status_code == 200, page.text
    items = page.json()
    assert (items["items"] if isinstance(items, dict) else items) == []


def test_list_routes_page(api, seeded) -> None:
    headers = seeded.manager.headers
    everyone = api.get("/api/v1/auth/members", headers=headers).json()
    assert len(everyone) == 3
    second = api.get("/api/v1/auth/members", params={"limit": 1, "offset": 1}, headers=headers)
    assert second.json() == everyone[1:2]


class _Wire:
    """An ASGI receive that streams a body and counts what the app took."""

    def __init__(self, size: int, chunk: int = 64 * 1024) -> None:
        self.left, self.chunk, self.taken = size, chunk, 0

    async def receive(self) -> dict[str, Any]:
        piece = min(self.chunk, self.left)
        self.left -= piece
        self.taken += piece
        return {"type": "http.request", "body": b"{" * piece, "more_body": self.left > 0}


def _through_gateway(
    path: str, headers: dict[str, str], wire: _Wire, method: str = "POST"
) -> dict[str, Any]:
    from dojo_local.gateway import build_gateway

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }  # fmt: skip
    asyncio.run(build_gateway()(scope, wire.receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return {"status": status, **json.loads(body)}


def test_an_oversized_message_is_413_before_its_body_is_read(seeded) -> None:
    path = f"/api/v1/sessions/{seeded.session_id}/messages"
    wire = _Wire(BODY_LIMIT_BYTES + 1)
    headers = {
        **seeded.seller.headers,
        "content-type": "application/json",
        "content-length": str(wire.left),
    }
    answer = _through_gateway(path, headers, wire)
    assert answer["status"] == 413 and answer["error"]["code"] == "payload_too_large"
    assert answer["error"]["details"]["max_bytes"] == BODY_LIMIT_BYTES
    assert wire.taken == 0


def test_a_chunked_oversized_body_is_cut_off_at_the_limit(seeded) -> None:
    wire = _Wire(4 * BODY_LIMIT_BYTES)
    headers = {**seeded.manager.headers, "content-type": "application/json"}
    answer = _through_gateway("/api/v1/personas/generate", headers, wire)
    assert answer["status"] == 413
    assert wire.taken <= BODY_LIMIT_BYTES + wire.chunk


def test_an_oversized_upload_is_413_before_it_is_read(seeded, sql) -> None:
    wire = _Wire(BINARY_BODY_LIMIT_BYTES + 1)
    headers = {
        **seeded.manager.headers,
        "content-type": "multipart/form-data; boundary=xyz",
        "content-length": str(wire.left),
    }
    answer = _through_gateway("/api/v1/onboarding/upload-documents", headers, wire)
    assert answer["status"] == 413 and wire.taken == 0
    assert sql.execute("select count(*) as n from public.documents").fetchone()["n"] == 1
