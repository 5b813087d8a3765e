"""Helpers for grading tests: scripted calls, timed transcripts, sessions by SQL, mocked OpenAI."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import psycopg
import pytest
import respx
from psycopg.types.json import Jsonb

from dojo.settings import get_settings
from tests.openai_mock import point_llm_at

FIXTURES = Path(__file__).parent / "fixtures"
OPENAI_BASE = "https://api.openai.test/v1"
COMPLETIONS = f"{OPENAI_BASE}/chat/completions"
LEVEL_ORDER = {"bad": 0, "mediocre": 1, "good": 2}


def load_calls(folder: Path = FIXTURES / "calls") -> dict[str, dict[str, Any]]:
    """The scripted pt-BR calls by name (good_*, mediocre_*, bad_*): the fiscal-software set by
    default, or another set's folder (`CLINIC / "calls"`)."""
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))
    }


# The second set: a clinic-management seller the offline roleplay and grader were not tuned on.
CLINIC = FIXTURES / "clinic"


def timed(turns: list[list[str]], mode: str, pause: float = 0.9) -> list[dict[str, Any]]:
    """A stored transcript from (speaker, text) pairs: 150 wpm speech, `pause` before replies."""
    out: list[dict[str, Any]] = []
    clock = 0.0
    for i, (speaker, text) in enumerate(turns):
        words = len(text.split())
        if i:
            clock += pause if speaker == "salesperson" else 0.6
        length = words / 2.5 if mode == "voice" else 0.0
        out.append(
            {
                "speaker": speaker,
                "text": text,
                "start": round(clock, 2),
                "end": round(clock + length, 2),
                "words": words,
            }
        )
        clock += length if mode == "voice" else 4.0
    return out


def completion(content: str | dict[str, Any], model: str = "gpt-4o-2024-08-06") -> dict[str, Any]:
    """An OpenAI chat.completion body whose message content is `content` (JSON if a dict)."""
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
        "object": "chat.completion",
        "created": 1_780_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text, "refusal": None},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 2400, "completion_tokens": 600, "total_tokens": 3000},
    }


def rate_limited() -> httpx.Response:
    """A 429 as OpenAI sends it; `retry-after-ms: 1` keeps the SDK's retry fast."""
    return httpx.Response(
        429,
        headers={"retry-after-ms": "1"},
        json={"error": {"message": "Rate limit reached", "type": "requests", "code": None}},
    )


@pytest.fixture
def calls() -> dict[str, dict[str, Any]]:
    """The scripted calls."""
    return load_calls()


@pytest.fixture
def clinic_calls() -> dict[str, dict[str, Any]]:
    """The clinic set's scripted calls."""
    return load_calls(CLINIC / "calls")


@pytest.fixture(params=["fiscal", "clinic"])
def any_calls(request: pytest.FixtureRequest) -> dict[str, dict[str, Any]]:
    """Each scripted set in turn: the project's own, then the clinic set."""
    return load_calls(FIXTURES / "calls" if request.param == "fiscal" else CLINIC / "calls")


@pytest.fixture
def recorded() -> Callable[[str], dict[str, Any]]:
    """The recorded model answer for a scripted call."""

    def load(name: str) -> dict[str, Any]:
        return json.loads((FIXTURES / "recorded" / f"{name}.json").read_text(encoding="utf-8"))

    return load


@pytest.fixture
def openai_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Settings that select the model grader against a mocked OpenAI-compatible endpoint."""
    point_llm_at(monkeypatch, OPENAI_BASE, api_key="sk-test-grading", max_retries=1, timeout=2)
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def openai(openai_env: None, mock_http: respx.MockRouter) -> respx.Route:
    """The mocked chat completions route (set `side_effect` per test)."""
    return mock_http.post(COMPLETIONS)


@pytest.fixture
def make_session(
    sql: psycopg.Connection[Any],
) -> Callable[..., uuid.UUID]:
    """Insert a persona and a training session with a transcript (status `ended` by default)."""

    def make(
        user: Any,
        transcript: list[dict[str, Any]],
        *,
        mode: str = "text",
        status: str = "ended",
        persona: dict[str, Any] | None = None,
        rubric_version: str = "2026-11-v1",
        ended_at: str | None = None,
    ) -> uuid.UUID:
        persona = persona or {"name": "Carlos Menezes", "role": "Sócio-diretor"}
        persona_id = sql.execute(
            "insert into public.personas (company_id, name, role) values (%s, %s, %s) returning id",
            (user.company_id, persona["name"], persona["role"]),
        ).fetchone()["id"]
        row = sql.execute(
            "insert into public.training_sessions (company_id, user_id, persona_id, mode, status,"
            " persona_snapshot, rubric_version, transcript, started_at, ended_at)"
            " values (%s, %s, %s, %s, %s, %s, %s, %s, now() - interval '10 minutes',"
            " case when %s = 'ended' then coalesce(%s::timestamptz, now()) end) returning id",
            (
                user.company_id,
                user.id,
                persona_id,
                mode,
                status,
                Jsonb(persona),
                rubric_version,
                Jsonb(transcript),
                status,
                ended_at,
            ),
        ).fetchone()
        return uuid.UUID(str(row["id"]))

    return make


@pytest.fixture
def feedback_rows(sql: psycopg.Connection[Any]) -> Callable[[uuid.UUID], list[dict[str, Any]]]:
    """The feedback rows of a session (to prove there is exactly one)."""

    def rows(session_id: uuid.UUID) -> list[dict[str, Any]]:
        return sql.execute(
            "select * from public.feedback where session_id = %s", (session_id,)
        ).fetchall()

    return rows


@pytest.fixture
def hook_headers(world: Any) -> dict[str, str]:
    """The shared-secret header the trigger sends."""
    return {"X-Dojo-Hook-Secret": world.env.hook_secret}


@pytest.fixture
def kit() -> SimpleNamespace:
    """The helper functions of this module, for tests (conftest modules are not importable)."""
    return SimpleNamespace(
        timed=timed,
        completion=completion,
        rate_limited=rate_limited,
        completions_url=COMPLETIONS,
        level_order=LEVEL_ORDER,
    )
