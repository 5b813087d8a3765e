"""The embeddings provider: batching, retries with backoff on 429/5xx/timeouts, clear failures."""

from __future__ import annotations

import json

import httpx
import pytest

from dojo.errors import ServiceUnavailable, UpstreamError
from dojo.providers import embeddings
from dojo.settings import get_settings
from dojo_local.offline.embeddings import offline_vector

BASE = "https://embeddings.test/v1"


@pytest.fixture
def openai(monkeypatch, mock_http):
    for key, value in {
        "EMBEDDINGS_PROVIDER": "openai",
        "OPENAI_API_KEY": "sk-test",
        "OPENAI_BASE_URL": BASE,
        "OPENAI_MAX_RETRIES": "2",
        "OPENAI_RETRY_WAIT_SECONDS": "0.001",
        "OPENAI_RETRY_WAIT_MAX_SECONDS": "0.01",
    }.items():
        monkeypatch.setenv(f"DOJO_{key}", value)
    get_settings.cache_clear()
    yield mock_http
    get_settings.cache_clear()


def _ok(request: httpx.Request) -> httpx.Response:
    body = json.loads(request.content)
    data = [
        {"object": "embedding", "index": i, "embedding": offline_vector(t)}
        for i, t in reversed(list(enumerate(body["input"])))  # order is by `index`, not position
    ]
    return httpx.Response(
        200,
        json={
            "object": "list",
            "data": data,
            "model": body["model"],
            "usage": {"prompt_tokens": 3, "total_tokens": 3},
        },
    )


def test_batches_of_100_in_order(openai) -> None:
    route = openai.post(f"{BASE}/embeddings").mock(side_effect=_ok)
    texts = [f"texto {i}" for i in range(250)]
    result = embeddings.embed(texts)
    assert result.requests == 3
    assert [len(json.loads(c.request.content)["input"]) for c in route.calls] == [100, 100, 50]
    assert result.vectors[137] == offline_vector("texto 137")
    first = json.loads(route.calls[0].request.content)
    assert first["model"] == "text-embedding-3-small"
    assert first["dimensions"] == 1536
    assert route.calls[0].request.headers["authorization"] == "Bearer sk-test"
    assert result.usage.input_tokens == 9


@pytest.mark.parametrize(
    "failure",
    [httpx.Response(429, json={}), httpx.Response(503, json={}), httpx.ReadTimeout("slow")],
    ids=["429", "503", "timeout"],
)
def test_transient_failures_are_retried(openai, failure) -> None:
    route = openai.post(f"{BASE}/embeddings").mock(side_effect=[failure, _ok])
    result = embeddings.embed(["olá"])
    assert route.call_count == 2
    assert result.requests == 2


def test_gives_up_after_bounded_retries(openai) -> None:
    route = openai.post(f"{BASE}/embeddings").mock(return_value=httpx.Response(500, json={}))
    with pytest.raises(ServiceUnavailable, match="try again shortly"):
        embeddings.embed(["olá"])
    assert route.call_count == 3  # 1 + openai_max_retries


def test_client_errors_are_not_retried(openai) -> None:
    route = openai.post(f"{BASE}/embeddings").mock(return_value=httpx.Response(400, json={}))
    with pytest.raises(UpstreamError):
        embeddings.embed(["olá"])
    assert route.call_count == 1


def test_offline_is_deterministic_normalised_and_accent_insensitive(monkeypatch) -> None:
    monkeypatch.setenv("DOJO_EMBEDDINGS_PROVIDER", "offline")
    get_settings.cache_clear()
    a = offline_vector("Preço do plano")
    assert a == offline_vector("Preço do plano")
    assert a == offline_vector("preco do plano")
    assert abs(sum(v * v for v in a) - 1) < 1e-9
    result = embeddings.embed([f"t{i}" for i in range(201)])
    assert result.requests == 3
    assert result.model == "offline-ngram-1536"
    get_settings.cache_clear()
