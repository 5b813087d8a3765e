"""What the feedback views and routes say in words, in pt-BR and en-US, under a stable key.

The scorecard's own texts (strengths, justifications) come from the graders; this catalog holds
the answers around them: a grading that is pending or failed, and the routes' refusals. Raw
grading errors (exception text, provider messages) stay in `training_sessions.grading_error`
and the logs, for operators; people read these instead.
"""

from __future__ import annotations

import uuid

from dojo.db import Connection
from grading.store import feedback as store

# key: (pt-BR, en-US)
CATALOG: dict[str, tuple[str, str]] = {
    "grading_pending": (
        "A avaliação ainda está em andamento.",
        "Grading is still in progress.",
    ),
    "grading_retrying": (
        "A avaliação não deu certo desta vez e será refeita automaticamente em instantes.",
        "Grading did not work this time; it will be retried automatically shortly.",
    ),
    "grading_failed": (
        "Não foi possível avaliar esta sessão. Um gestor pode pedir uma nova avaliação.",
        "This session could not be graded. A manager can ask for it to be graded again.",
    ),
    "session_not_found": ("Sessão não encontrada.", "no such session"),
    "feedback_not_found": (
        "Esta sessão ainda não tem avaliação.",
        "no feedback for this session",
    ),
    "session_not_ended": (
        "A sessão ainda não terminou.",
        "the session has not ended yet",
    ),
    "grading_in_progress": (
        "Esta sessão está sendo avaliada agora; tente de novo em instantes.",
        "this session is being graded right now; try again shortly",
    ),
    "too_little_to_override": (
        "Esta sessão teve conversa de menos para receber notas.",
        "this session had too little conversation to be scored",
    ),
    "coach_not_graded": (
        "Esta sessão ainda não tem uma avaliação para o coach comentar.",
        "this session has no scorecard for the coach to discuss yet",
    ),
    "unknown_categories": (
        "Categorias desconhecidas: {categories}.",
        "unknown categories: {categories}",
    ),
}


def text(key: str, locale: str | None, **params: object) -> str:
    """The message for `key` in `locale` (pt-BR unless en-US is asked for)."""
    return CATALOG[key][1 if locale == "en-US" else 0].format(**params)


def company_locale(conn: Connection, company_id: uuid.UUID) -> str:
    """The locale of this company (any role: the query names it)."""
    return store.company_locale(conn, company_id) or "pt-BR"


def caller_locale(conn: Connection) -> str:
    """The locale of the caller's company, read in their tenant transaction (RLS shows one)."""
    return store.company_locale(conn) or "pt-BR"
