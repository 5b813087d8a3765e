"""Every internal hook checks the shared secret before it looks at the body."""

from __future__ import annotations

import pytest

HOOKS = ("/internal/onboarding/hook", "/internal/personas/hook", "/internal/grading/hook")


@pytest.mark.parametrize("path", HOOKS)
@pytest.mark.parametrize(
    "headers", [{}, {"X-Dojo-Hook-Secret": ""}, {"X-Dojo-Hook-Secret": "wrong"}]
)
@pytest.mark.parametrize("body", [{}, {"type": "nope"}, {"document_id": "x", "extra": 1}])
def test_without_the_secret_it_is_401_whatever_the_body(api, sql, path, headers, body):
    response = api.post(path, json=body, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert "type" not in response.text and "document_id" not in response.text
    assert sql.execute("select count(*) as n from net.http_request_queue").fetchone()["n"] == 0


@pytest.mark.parametrize("path", HOOKS)
def test_with_the_secret_a_malformed_body_is_422(api, world, path):
    headers = {"X-Dojo-Hook-Secret": world.env.hook_secret}
    assert api.post(path, json={"type": "nope"}, headers=headers).status_code == 422


def test_no_secret_configured_refuses_everything(api, monkeypatch, world):
    from dojo.settings import get_settings

    monkeypatch.setenv("DOJO_HOOK_SECRET", "")
    get_settings.cache_clear()
    try:
        for path in HOOKS:
            response = api.post(path, json={}, headers={"X-Dojo-Hook-Secret": ""})
            assert response.status_code == 401
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
