"""Test data for sessions and webhooks: a persona, a company's material, Vapi settings."""

from __future__ import annotations

import json
import uuid
from typing import Any

import psycopg

from dojo.settings import get_settings
from dojo_local.offline.embeddings import offline_vector

OBJECTIONS = [
    "O plano Pro custa 2.000 reais por mês, caro demais para o nosso porte.",
    "Tenho medo de que a migração dos dados pare a operação da loja.",
]
HIDDEN_FACTS = [
    {
        "fact": "Nosso contrato atual com o concorrente vence em março e tem multa de rescisão.",
        "reveal_when": "quando perguntarem sobre o contrato ou o fornecedor atual",
    },
    {
        "fact": "Quem aprova a compra é o CEO, e o orçamento do ano já foi aprovado.",
        "reveal_when": "quando perguntarem quem decide ou sobre o orçamento",
    },
]
MATERIAL = [
    "A Nuvem Fiscal emite notas fiscais automaticamente. O plano Pro custa R$ 2.000 por mês"
    " com notas ilimitadas.",
    "A migração dos dados é feita pela nossa equipe em um fim de semana, sem parar a operação.",
    "O suporte funciona por chat de segunda a sexta, das 8h às 18h.",
]
PRIVATE_KEY = "vapi-private-key-TEST-0001"
PUBLIC_KEY = "vapi-public-key-TEST-0002"
WEBHOOK_SECRET = "vapi-webhook-secret-TEST-0003"
VAPI = "https://api.vapi.ai"


def insert_persona(
    sql: psycopg.Connection[Any], company_id: uuid.UUID, **overrides: Any
) -> uuid.UUID:
    """A persona row written directly (the personas function is not needed)."""
    values: dict[str, Any] = {
        "name": "Carla Menezes",
        "role": "Diretora Financeira",
        "seniority": "diretoria",
        "company_profile": {"segment": "varejo", "size": "200 funcionários", "region": "SP"},
        "traits": ["cética", "objetiva"],
        "goals": ["reduzir custos com impostos"],
        "pains": ["a emissão de notas hoje é manual e atrasa o fechamento do mês"],
        "objections": [{"text": t, "chunk_ids": []} for t in OBJECTIONS],
        "hidden_facts": HIDDEN_FACTS,
        "difficulty": "medium",
        "end_conditions": ["se o vendedor insistir em fechar sem responder às objeções"],
        "speaking_style": "direta, frases curtas",
        "voice_id": "EXAVITQu4vr4xnSDxMaL",
        "first_message": "Alô, aqui é a Carla. Quem fala?",
        "status": "active",
    }
    values.update(overrides)
    columns = ", ".join(values)
    marks = ", ".join(["%s"] * len(values))
    params = [json.dumps(v) if isinstance(v, list | dict) else v for v in values.values()]
    row = sql.execute(
        f"insert into public.personas (company_id, {columns}) values (%s, {marks}) returning id",
        [company_id, *params],
    ).fetchone()
    assert row is not None
    return uuid.UUID(str(row["id"]))


def insert_material(
    sql: psycopg.Connection[Any], company_id: uuid.UUID, chunks: list[str] = MATERIAL
) -> list[int]:
    """A ready document and its chunks with offline embeddings."""
    model = get_settings().active_embedding_model
    doc = sql.execute(
        "insert into public.documents (company_id, storage_path, filename, status)"
        " values (%s, %s, 'material.md', 'ready') returning id",
        (company_id, f"{company_id}/{uuid.uuid4()}/material.md"),
    ).fetchone()
    assert doc is not None
    ids = []
    for index, text in enumerate(chunks):
        vector = "[" + ",".join(f"{v:.6f}" for v in offline_vector(text)) + "]"
        row = sql.execute(
            "insert into public.knowledge_base (company_id, document_id, chunk_index, content,"
            " content_hash, embedding, embedding_model) values (%s, %s, %s, %s, md5(%s), %s, %s)"
            " returning id",
            (company_id, doc["id"], index, text, text, vector, model),
        ).fetchone()
        assert row is not None
        ids.append(int(row["id"]))
    return ids


def insert_voice_session(
    sql: psycopg.Connection[Any],
    user_id: uuid.UUID,
    company_id: uuid.UUID,
    persona_id: uuid.UUID,
    call_id: str,
    status: str = "active",
) -> uuid.UUID:
    """A voice session bound to a Vapi call id."""
    row = sql.execute(
        "insert into public.training_sessions (company_id, user_id, persona_id, mode, status,"
        " vapi_call_id, rubric_version, persona_snapshot, started_at)"
        " values (%s, %s, %s, 'voice', %s, %s, '2026-11-v1', '{}', now()) returning id",
        (company_id, user_id, persona_id, status, call_id),
    ).fetchone()
    assert row is not None
    return uuid.UUID(str(row["id"]))


def vapi_env(monkeypatch: Any, *, mode: str = "bearer", credential: str = "") -> None:
    """Configure Vapi for a test (settings re-read)."""
    monkeypatch.setenv("DOJO_VAPI_PRIVATE_KEY", PRIVATE_KEY)
    monkeypatch.setenv("DOJO_VAPI_PUBLIC_KEY", PUBLIC_KEY)
    monkeypatch.setenv("DOJO_VAPI_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("DOJO_VAPI_AUTH_MODE", mode)
    monkeypatch.setenv("DOJO_VAPI_CREDENTIAL_ID", credential)
    monkeypatch.setenv("DOJO_VAPI_BASE_URL", VAPI)
    monkeypatch.setenv("DOJO_VAPI_RETRY_WAIT_SECONDS", "0")
    monkeypatch.setenv("DOJO_VAPI_MAX_RETRIES", "2")
    monkeypatch.setenv("DOJO_RECORDING_COPY_WAIT_SECONDS", "0")
    get_settings.cache_clear()


# A recording as Vapi's storage serves it: a WAV header and a little silence.
WAV = b"RIFF$\x00\x00\x00WAVEfmt " + bytes(16) + b"data" + bytes(64)
VAPI_STORAGE = "https://storage.vapi.ai/"


def serve_recordings(mock_http: Any) -> Any:
    """Vapi's recording storage on respx: every recording URL answers the WAV."""
    import httpx

    return mock_http.get(url__startswith=VAPI_STORAGE).mock(
        return_value=httpx.Response(200, content=WAV, headers={"content-type": "audio/wav"})
    )
