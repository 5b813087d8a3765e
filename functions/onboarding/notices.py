"""What a notification says, in pt-BR and en-US: a short title and body per kind.

The database keeps what a notification is about (`subject`: ids and the few facts shown); the
words are chosen here when someone reads it, in their company's locale, so the bell, the email
and both languages say the same thing. Templates take named fields of the subject (plus a few
derived ones, e.g. `{score}`); a field the subject lacks reads as empty, never as an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

Locale = Literal["pt-BR", "en-US"]

# kind: ((pt-BR title, body), (en-US title, body))
CATALOG: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "scorecard_ready": (
        ("Sua avaliação está pronta", "Conversa com {persona}: nota {score}."),
        ("Your scorecard is ready", "Call with {persona}: score {score}."),
    ),
    "manager_review": (
        ("Seu gestor revisou uma avaliação", "{reviewer} revisou a conversa com {persona}{note}"),
        ("Your manager reviewed a scorecard", "{reviewer} reviewed the call with {persona}{note}"),
    ),
    "assigned": (
        ("Nova tarefa de prática", "{what}, até {due}."),
        ("New practice assignment", "{what}, due {due}."),
    ),
    "due_tomorrow": (
        ("Tarefa vence amanhã", "{what} vence em {due}."),
        ("Assignment due tomorrow", "{what} is due {due}."),
    ),
    "overdue": (
        ("Tarefa atrasada", "{what} venceu em {due}."),
        ("Assignment overdue", "{what} was due {due}."),
    ),
    "passed": (
        ("Tarefa concluída: aprovado", "{what}: nota {score} (mínimo {pass_mark})."),
        ("Assignment passed", "{what}: score {score} (pass mark {pass_mark})."),
    ),
    "failed": (
        ("Tarefa não aprovada", "{what}: nota {score} (mínimo {pass_mark})."),
        ("Assignment not passed", "{what}: score {score} (pass mark {pass_mark})."),
    ),
    "certified": (
        ("Certificação conquistada", "Você foi certificado em {certification}."),
        ("Certification earned", "You are certified in {certification}."),
    ),
    "weekly_digest": (
        (
            "Resumo semanal da equipe ({week})",
            "{behind_count} atrás, {improved_count} melhoraram; ponto fraco: {weakest}.",
        ),
        (
            "Weekly team digest ({week})",
            "{behind_count} behind, {improved_count} improved; weakest: {weakest}.",
        ),
    ),
}
KINDS: tuple[str, ...] = tuple(CATALOG)

# The rubric's categories by name (the digest names the team's weakest one).
CATEGORIES: dict[str, tuple[str, str]] = {
    "rapport": ("Rapport", "Rapport"),
    "discovery": ("Descoberta", "Discovery"),
    "objection_handling": ("Tratamento de objeções", "Objection Handling"),
    "closing": ("Fechamento", "Closing"),
}

_WORDS: dict[str, tuple[str, str]] = {
    "persona": ("o cliente", "the customer"),
    "reviewer": ("Seu gestor", "Your manager"),
    "practice": ("Prática", "Practice"),
    "nobody": ("nenhuma", "none"),
    "insufficient": (
        "Conversa com {persona}: curta demais para avaliar.",
        "Call with {persona}: too short to grade.",
    ),
    "easy": ("fácil", "easy"),
    "medium": ("média", "medium"),
    "hard": ("difícil", "hard"),
}


@dataclass(frozen=True)
class Notice:
    """A notification's words in one language."""

    title: str
    body: str


class _Fields(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def word(key: str, locale: str) -> str:
    """A small shared word in `locale` (pt-BR unless en-US)."""
    return _WORDS[key][locale == "en-US"]


def category_name(key: str, locale: str) -> str:
    """A rubric category's name in `locale` (an unknown key reads as itself, tidied)."""
    names = CATEGORIES.get(key)
    return names[locale == "en-US"] if names else key.replace("_", " ").capitalize()


def _date(value: Any, locale: str) -> str:
    try:
        when = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value or "")
    return when.strftime("%m/%d/%Y" if locale == "en-US" else "%d/%m/%Y")


def _score(value: Any) -> str:
    return "" if value is None else f"{float(value):.0f}"


def _fields(subject: dict[str, Any], locale: str) -> _Fields:
    fields = _Fields({k: str(v) for k, v in subject.items() if isinstance(v, str | int | float)})
    fields["persona"] = str(subject.get("persona_name") or word("persona", locale))
    fields["reviewer"] = str(subject.get("reviewer") or word("reviewer", locale))
    fields["score"] = _score(subject.get("overall"))
    note = str(subject.get("note") or "")
    fields["note"] = f': "{note}"' if note else "."
    fields["what"] = str(subject.get("title") or subject.get("persona_name") or "")
    if not fields["what"]:
        level = subject.get("difficulty")
        practice = word("practice", locale)
        fields["what"] = f"{practice} ({word(level, locale)})" if level in _WORDS else practice
    fields["due"] = _date(subject.get("due_at"), locale)
    fields["pass_mark"] = _score(subject.get("pass_mark"))
    fields["behind_count"] = str(len(subject.get("behind") or []))
    fields["improved_count"] = str(len(subject.get("improved") or []))
    weakest = subject.get("weakest") or {}
    fields["weakest"] = (
        f"{category_name(str(weakest['category']), locale)} ({_score(weakest.get('average'))})"
        if weakest.get("category")
        else word("nobody", locale)
    )
    return fields


def render(kind: str, subject: dict[str, Any], locale: str) -> Notice:
    """The title and body of a notification of `kind` about `subject`, in `locale`."""
    pt, en = CATALOG[kind]
    title, body = en if locale == "en-US" else pt
    fields = _fields(subject, locale)
    if kind == "scorecard_ready" and subject.get("status") == "insufficient":
        body = word("insufficient", locale)  # no score to give
    return Notice(title.format_map(fields), body.format_map(fields))
