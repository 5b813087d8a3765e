"""Fixtures for the personas tests: a company's material in the knowledge base, a fake OpenAI."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import psycopg
import pytest

from dojo.settings import get_settings
from dojo_local import dispatcher
from dojo_local.offline.embeddings import offline_vector
from tests.openai_mock import point_llm_at

MODEL = "offline-ngram-1536"
LLM_BASE = "https://llm.test/v1"

# A Brazilian seller's material: prices, plans, contract terms, SLA, implementation, integrations.
MATERIAL: dict[str, list[str]] = {
    "tabela-de-precos.md": [
        "Tabela de preços 2026. O Plano Essencial custa R$ 349,00/mês e inclui até 200 notas "
        "fiscais por mês, emissão de NF-e e NFS-e e um usuário administrador.",
        "O Plano Profissional custa R$ 1.290,00/mês, com notas ilimitadas, cinco usuários e "
        "conciliação bancária automática com os principais bancos.",
        "Descontos: pagamento anual antecipado tem 15% de desconto. Usuário adicional custa "
        "R$ 59,00 por usuário ao mês.",
    ],
    "contrato-padrao.pdf": [
        "Condições comerciais. A contratação exige fidelidade mínima de 12 meses. Em caso de "
        "cancelamento antecipado incide multa de 30% sobre as mensalidades restantes.",
        "Nível de serviço: garantimos SLA de 99,5% de disponibilidade mensal da plataforma, "
        "medido fora das janelas de manutenção programada.",
        "O reajuste anual pelo IPCA é aplicado no aniversário do contrato.",
    ],
    "apresentacao-produto.docx": [
        "A Nuvem Fiscal automatiza a emissão de notas e a apuração de impostos. Clientes como "
        "escritórios contábeis usam a Nuvem Fiscal para atender mais empresas.",
        "A implantação em até 30 dias inclui migração do cadastro de clientes e treinamento "
        "da equipe por videoconferência.",
        "Oferecemos integração com Omie, Bling e Conta Azul, além de API aberta para o seu ERP.",
        "O suporte por chat funciona em horário comercial, de segunda a sexta, das 8h às 18h.",
    ],
}


def insert_material(
    conn: psycopg.Connection[Any],
    company_id: uuid.UUID,
    docs: dict[str, list[str]],
    status: str = "ready",
) -> dict[str, list[int]]:
    """Insert documents and their chunks (offline embeddings) directly; ids per filename."""
    ids: dict[str, list[int]] = {}
    for filename, chunks in docs.items():
        doc = conn.execute(
            "insert into public.documents (company_id, storage_path, filename, mime, status,"
            " chunk_count) values (%s, %s, %s, 'text/plain', %s, %s) returning id",
            (company_id, f"{company_id}/{uuid.uuid4()}/{filename}", filename, status, len(chunks)),
        ).fetchone()
        assert doc is not None
        ids[filename] = []
        for index, content in enumerate(chunks):
            vector = "[" + ",".join(f"{v:.7g}" for v in offline_vector(content)) + "]"
            row = conn.execute(
                "insert into public.knowledge_base (company_id, document_id, chunk_index, content,"
                " metadata, content_hash, embedding, embedding_model)"
                " values (%s, %s, %s, %s, %s, %s, %s::extensions.vector, %s) returning id",
                (
                    company_id,
                    doc["id"],
                    index,
                    content,
                    json.dumps({"page": index + 1}),
                    hashlib.sha256(content.encode()).hexdigest(),
                    vector,
                    MODEL,
                ),
            ).fetchone()
            assert row is not None
            ids[filename].append(int(row["id"]))
    return ids


@pytest.fixture
def material(sql: psycopg.Connection[Any]) -> Callable[..., dict[str, list[int]]]:
    """Give a company the standard material (or `docs`): ready documents with chunks."""

    def add(
        company_id: uuid.UUID, docs: dict[str, list[str]] | None = None, status: str = "ready"
    ) -> dict[str, list[int]]:
        return insert_material(sql, company_id, docs or MATERIAL, status)

    return add


@pytest.fixture
def openai_env(monkeypatch: pytest.MonkeyPatch, db_url: str) -> Iterator[None]:
    """Point the LLM at a fake OpenAI base URL with a key; no SDK retries unless a test asks."""
    point_llm_at(monkeypatch, LLM_BASE)
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def context_ids(request: httpx.Request) -> list[int]:
    """The chunk ids the generation prompt showed the model."""
    body = json.loads(request.content)
    prompt = "\n".join(str(m["content"]) for m in body["messages"])
    return [int(i) for i in re.findall(r"\[chunk (\d+)\]", prompt)]


def persona(
    name: str, role: str, difficulty: str, chunk_ids: list[int], gender: str = "female"
) -> dict[str, Any]:
    """One persona as the model would write it."""
    return {
        "name": name,
        "gender": gender,
        "role": role,
        "seniority": "Diretoria",
        "company_profile": {
            "segment": "Escritório de contabilidade",
            "size": "20 colaboradores",
            "region": "Campinas (SP)",
            "current_solution": "Domínio Sistemas",
            "budget": "Teto de R$ 300,00/mês",
            "decision_process": "Decide com a sócia",
        },
        "traits": ["desconfia de novidade"],
        "goals": ["atender mais clientes"],
        "pains": ["fechamento atrasado"],
        "objections": [{"text": "R$ 349,00/mês é caro para mim.", "chunk_ids": chunk_ids}],
        "hidden_facts": [{"fact": "Perdeu dois clientes", "reveal_when": "perguntarem de perdas"}],
        "difficulty": difficulty,
        "end_conditions": ["Desliga se o vendedor inventar preço"],
        "speaking_style": "Direta e curta",
        "first_message": "Alô, quem fala?",
    }


def valid_set(chunk_ids: list[int], mix: dict[str, int] | None = None) -> dict[str, Any]:
    """A set that passes validation for `mix` (default: easy 1, medium 3, hard 2)."""
    mix = mix or {"easy": 1, "medium": 3, "hard": 2}
    levels = [level for level, n in mix.items() for _ in range(n)]
    names = [
        "Renata Alves",
        "Marcelo Dias",
        "Patrícia Lima",
        "Eduardo Reis",
        "Camila Souza",
        "André Rocha",
        "Luciana Prado",
        "Fábio Nunes",
        "Aline Torres",
        "Sérgio Melo",
    ]
    roles = [
        "Diretora Financeira",
        "Dono de escritório contábil",
        "Gerente de Compras",
        "Coordenador de TI",
        "Controller",
        "Head de Operações",
        "Gerente de RH",
        "Diretor Comercial",
        "Sócia-fundadora",
        "Analista de Compras",
    ]
    return {
        "personas": [
            persona(names[i], roles[i], level, [chunk_ids[i % len(chunk_ids)]])
            for i, level in enumerate(levels)
        ]
    }


def completion(content: str | dict[str, Any], status: int = 200) -> httpx.Response:
    """A chat.completion response carrying `content` as the assistant message."""
    text = content if isinstance(content, str) else json.dumps(content)
    return httpx.Response(
        status,
        json={
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": 1_764_000_000,
            "model": "gpt-4o-2024-08-06",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text, "refusal": None},
                    "finish_reason": "stop",
                    "logprobs": None,
                }
            ],
            "usage": {"prompt_tokens": 3000, "completion_tokens": 2500, "total_tokens": 5500},
        },
    )


def run_job(
    api: Any, db_url: str, user: Any, kind: str = "generate", body: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Ask for a generation with the real-model path (202), deliver its hook, return the job."""
    response = api.post(f"/api/v1/personas/{kind}", headers=user.headers, json=body)
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["status"] == "pending"
    assert dispatcher.drain(db_url) == 1
    job = api.get(accepted["status_url"], headers=user.headers)
    assert job.status_code == 200, job.text
    return dict(job.json())
