"""One generation: the sampled context in, a validated persona set out (nothing stored here).

Two paths, chosen by the provider. Offline (the default, no key): the deterministic generator
answers at once, labelled as such, and the API stores it within the request (201). OpenAI: one
structured-output call (`dojo.providers.llm.structured`, which retries a malformed answer once)
that takes 40-60 s for a full set, past API Gateway's 30 s cap, so it never runs in the request:
the API records a job (202) and the personas hook runs this module from the job
(`personas.jobs`), with a generous per-call timeout (`DOJO_PERSONAS_TIMEOUT_SECONDS`).
Either way the answer is checked in code (`personas.validate`); a set that breaks the rules is
regenerated once, with the reasons, and a second failure ends the generation with nothing stored.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any

from dojo.errors import AppError, Conflict, UpstreamError
from dojo.providers import llm
from dojo.settings import get_settings
from dojo.usage import Usage
from personas import offline, validate
from personas.sampling import Context
from personas.schema import DifficultyMix, Generator, PersonaDraft, PersonaSet

PROMPT_VERSION = "personas-generate-v1"
_PROMPT = Path(__file__).with_name("prompts") / "generate_v1.md"
OPERATION = "persona_generation"


@dataclass(frozen=True)
class Request:
    """What to generate."""

    mix: DifficultyMix
    locale: str = "pt-BR"
    focus: str | None = None
    taken_names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Generated:
    """A validated set, who made it and what it cost."""

    personas: list[PersonaDraft]
    generator: Generator
    model: str | None
    usage: list[Usage]
    attempts: int
    dropped_objections: int


class GenerationFailed(UpstreamError):
    """A generation that ends with nothing stored, carrying what its calls used (the bill)."""

    code = "llm_output_invalid"

    def __init__(
        self,
        message: str,
        usage: list[Usage],
        *,
        code: str | None = None,
        status_code: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code=code, status_code=status_code, details=details)
        self.usage = usage

    @classmethod
    def rejected(cls, reasons: list[str], usage: list[Usage]) -> GenerationFailed:
        """Both sets broke the rules."""
        return cls(
            "the generated personas did not pass validation twice; nothing was saved",
            usage,
            details={"reasons": reasons[:10]},
        )

    @classmethod
    def after(cls, error: AppError, usage: list[Usage]) -> GenerationFailed:
        """The regeneration call itself failed (timeout, rate limit, malformed answer)."""
        return cls(
            error.message,
            usage,
            code=error.code,
            status_code=error.status_code,
            details=error.details,
        )


def prompt(context: Context, request: Request) -> str:
    """The generation prompt (versioned file beside the code) filled for this request."""
    mix = request.mix.as_dict()
    avoid = ""
    if request.taken_names:
        avoid = "- Do not reuse these names (active personas): " + ", ".join(request.taken_names)
    focus = ""
    if request.focus:
        focus = f"- The manager asked to focus on: {request.focus}"
    return Template(_PROMPT.read_text(encoding="utf-8")).substitute(
        locale=request.locale,
        count=request.mix.total,
        mix=", ".join(f"{k}={v}" for k, v in mix.items()),
        avoid=avoid,
        focus=focus,
        context=context.render(),
    )


def _ask(messages: list[dict[str, str]]) -> llm.Structured[PersonaSet]:
    settings = get_settings()
    return llm.structured(
        messages,
        PersonaSet,
        operation=OPERATION,
        model=settings.personas_model or settings.llm_model,
        temperature=settings.personas_temperature,
        max_tokens=settings.personas_max_output_tokens,
        # a job, not a request: the function URL allows far more than API Gateway's 30 s
        timeout=settings.personas_timeout_seconds,
    )


def _with_openai(context: Context, request: Request) -> Generated:
    messages = [
        {"role": "system", "content": f"[{PROMPT_VERSION}] You answer with JSON only."},
        {"role": "user", "content": prompt(context, request)},
    ]
    usage: list[Usage] = []
    attempts = 0
    reasons: list[str] = []
    for round_ in range(2):
        try:
            answer = _ask(messages)
        except AppError as exc:
            if not usage:
                raise
            raise GenerationFailed.after(exc, usage) from exc
        usage.append(answer.usage)
        attempts += answer.attempts
        try:
            checked = validate.check(
                answer.value,
                mix=request.mix,
                allowed_chunks=context.ids,
                taken_names=request.taken_names,
            )
        except validate.InvalidSet as exc:
            reasons = exc.reasons
            if round_ == 0:
                messages = [
                    *messages,
                    {"role": "assistant", "content": answer.value.model_dump_json()},
                    {
                        "role": "user",
                        "content": "That set was rejected: "
                        + "; ".join(exc.reasons)
                        + ". Write the whole set again, fixing every point.",
                    },
                ]
            continue
        return Generated(
            personas=checked.personas,
            generator="openai",
            model=answer.usage.model,
            usage=usage,
            attempts=attempts,
            dropped_objections=checked.dropped_objections,
        )
    raise GenerationFailed.rejected(reasons, usage)


def _offline(context: Context, request: Request) -> Generated:
    started = time.monotonic()
    answer = offline.generate(
        context.chunks, request.mix, focus=request.focus, taken_names=request.taken_names
    )
    # the offline generator follows the rules by construction; checking keeps it honest
    try:
        checked = validate.check(
            answer, mix=request.mix, allowed_chunks=context.ids, taken_names=request.taken_names
        )
    except validate.InvalidSet as exc:
        raise Conflict(
            "the documents hold too little text to build personas from; upload richer material",
            code="insufficient_material",
            details={"reasons": exc.reasons[:10]},
        ) from exc
    usage = Usage(
        kind="llm",
        provider="offline",
        model="offline-personas-v1",
        operation=OPERATION,
        inputs=1,
        seconds=round(time.monotonic() - started, 3),
    )
    return Generated(
        personas=checked.personas,
        generator="offline",
        model="offline-personas-v1",
        usage=[usage],
        attempts=1,
        dropped_objections=checked.dropped_objections,
    )


def generate(context: Context, request: Request) -> Generated:
    """A validated persona set from the configured provider."""
    if get_settings().llm_provider == "openai":
        return _with_openai(context, request)
    return _offline(context, request)
