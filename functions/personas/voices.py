"""The voices personas speak with: a configured list of ElevenLabs voice ids, by gender."""

from __future__ import annotations

from dataclasses import dataclass

from dojo.errors import ServiceUnavailable
from dojo.settings import get_settings
from personas.models import Gender


@dataclass(frozen=True)
class Voice:
    """One configured voice."""

    voice_id: str
    gender: Gender


def configured() -> list[Voice]:
    """The voices of `DOJO_PERSONA_VOICES` ("id:f,id:m,..."), in order."""
    voices = []
    for item in get_settings().persona_voices.split(","):
        voice_id, _, gender = item.strip().partition(":")
        if voice_id and gender in ("f", "m"):
            voices.append(Voice(voice_id, "female" if gender == "f" else "male"))
    return voices


def known(voice_id: str) -> bool:
    """True when `voice_id` is one of the configured voices."""
    return any(v.voice_id == voice_id for v in configured())


def assign(genders: list[Gender]) -> list[str]:
    """A voice per persona matching its gender, rotating so one set repeats voices as late
    as possible (falls back to any voice when a gender has none configured)."""
    voices = configured()
    if not voices:
        raise ServiceUnavailable("no persona voices are configured (DOJO_PERSONA_VOICES)")
    used: dict[str, int] = {}
    chosen = []
    for gender in genders:
        pool = [v for v in voices if v.gender == gender] or voices
        pick = min(pool, key=lambda v: used.get(v.voice_id, 0))
        used[pick.voice_id] = used.get(pick.voice_id, 0) + 1
        chosen.append(pick.voice_id)
    return chosen
