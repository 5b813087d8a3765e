"""The persona's system prompt: one builder for voice (Vapi) and text sessions.

Prompts are versioned files beside this module (`prompts/persona_system.v1.<locale>.md`); a new
wording is a new version, and each session records the version it was played with.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any, Literal

from dojo.vapi import TOOL_NAME
from sessions.persona import Persona

PROMPT_VERSION = "persona_system.v1"
END_TOOL_TEXT = "end_call"  # the text mode's function; voice calls use Vapi's endCall tool
_DIR = Path(__file__).parent / "prompts"
Mode = Literal["voice", "text"]

_WORDS: dict[str, dict[str, Any]] = {
    "pt-BR": {
        "none": "(nenhum)",
        "senior": ", nível {}",
        "difficulty": {
            "easy": "aberto à conversa, mas ainda precisa ser convencido com argumentos concretos.",
            "medium": "cético e ocupado; cede apenas diante de respostas concretas e específicas.",
            "hard": "muito cético, impaciente e com pouco tempo; desafia toda afirmação sem prova,"
            " corta respostas longas e encerra a ligação se a conversa não avançar.",
        },
        "mode": {
            "voice": "É uma ligação de voz: uma ou duas frases curtas por vez. Fale números e"
            " valores como se fala em voz alta.",
            "text": "É uma conversa por mensagens: no máximo três frases curtas por vez.",
        },
        "profile": {
            "segment": "segmento",
            "size": "porte",
            "region": "região",
            "current_solution": "solução atual",
            "budget": "orçamento",
            "decision_process": "como decide",
        },
    },
    "en-US": {
        "none": "(none)",
        "senior": ", {} level",
        "difficulty": {
            "easy": "open to the conversation, but still needs concrete arguments.",
            "medium": "sceptical and busy; gives ground only to concrete, specific answers.",
            "hard": "very sceptical, impatient and short of time; challenges every unproven claim,"
            " cuts long answers short and ends the call if it goes nowhere.",
        },
        "mode": {
            "voice": "This is a voice call: one or two short sentences at a time. Say numbers and"
            " amounts the way people say them aloud.",
            "text": "This is a chat: at most three short sentences at a time.",
        },
        "profile": {
            "segment": "segment",
            "size": "size",
            "region": "region",
            "current_solution": "current solution",
            "budget": "budget",
            "decision_process": "how it decides",
        },
    },
}


def _locale(locale: str) -> str:
    return "en-US" if locale.lower().startswith("en") else "pt-BR"


@lru_cache(maxsize=4)
def template(locale: str) -> Template:
    """The prompt template of this version for a locale (pt-BR unless English)."""
    path = _DIR / f"{PROMPT_VERSION}.{_locale(locale)}.md"
    return Template(path.read_text(encoding="utf-8"))


def _bullets(items: list[str], none: str) -> str:
    cleaned = [" ".join(i.split()) for i in items if i and i.strip()]
    return "\n".join(f"- {i}" for i in cleaned) if cleaned else f"- {none}"


def _join(items: list[str], none: str) -> str:
    cleaned = [" ".join(i.split()) for i in items if i and i.strip()]
    return "; ".join(cleaned) if cleaned else none


def build(persona: Persona, *, mode: Mode, seller: str) -> str:
    """The system prompt that makes the model play `persona` as the buyer, talking to `seller`;
    a retry's persona also gets the situation it resumes (see `sessions.retry`)."""
    base = _base(persona, mode=mode, seller=seller)
    if persona.retry is None:
        return base
    heading = _RETRY_HEADING[_locale(persona.locale)]
    return f"{base.rstrip()}\n\n# {heading}\n\n{persona.retry.situation}\n"


_RETRY_HEADING = {"pt-BR": "O momento que você retoma", "en-US": "The moment you resume"}


def _base(persona: Persona, *, mode: Mode, seller: str) -> str:
    locale = _locale(persona.locale)
    words = _WORDS[locale]
    labels: dict[str, str] = words["profile"]
    profile = "; ".join(
        f"{labels.get(key, key)}: {value}"
        for key, value in persona.company_profile.items()
        if value not in (None, "", [], {})
    )
    facts = [
        f"{f.fact} → {f.reveal_when}" if f.reveal_when else f.fact for f in persona.hidden_facts
    ]
    return template(locale).substitute(
        name=persona.name,
        role=persona.role,
        seniority=words["senior"].format(persona.seniority) if persona.seniority else "",
        seller=seller,
        company_profile=profile or words["none"],
        traits=_join(persona.traits, words["none"]),
        goals=_join(persona.goals, words["none"]),
        pains=_join(persona.pains, words["none"]),
        speaking_style=persona.speaking_style or words["none"],
        difficulty=words["difficulty"][persona.difficulty],
        hidden_facts=_bullets(facts, words["none"]),
        objections=_bullets([o.text for o in persona.objections], words["none"]),
        end_conditions=_bullets(persona.end_conditions, words["none"]),
        search_tool=TOOL_NAME,
        end_tool="endCall" if mode == "voice" else END_TOOL_TEXT,
        mode=words["mode"][mode],
    )
