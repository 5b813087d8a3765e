"""One generation: the sampled context in, a validated persona set out (nothing stored here).

The generator is a provider capability (`GENERATOR`, kind "llm"): the settings' `llm_provider`
chooses the implementation. OpenAI ships here: one structured-output call
(`dojo.providers.llm.structured`, which retries a malformed answer once) that takes 40-60 s for a
full set, past API Gateway's 30 s cap, so it runs from the job's hook, never in the request, with
a generous per-call timeout (`DOJO_PERSONAS_TIMEOUT_SECONDS`). The local runtime registers a
deterministic offline generator (`dojo_local.offline.personas`) that is `inline`: fast enough that
the request runs the job itself before answering. Either way the HTTP contract is the job's.
The answer is checked in code (`personas.validate`); a set that breaks the rules is regenerated
once, with the reasons, and a second failure ends the generation with nothing stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any, Protocol

from dojo.errors import AppError, UpstreamError
from dojo.providers import llm
from dojo.providers.registry import Capability
from dojo.settings import get_settings
from dojo.usage import Usage
from personas import validate
from personas.models import DifficultyMix, Generator, PersonaDraft, PersonaSet
from personas.sampling import Context

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
    """A validated set, who made it and what it cost.

    `locale` is the language the set is written in when the generator cannot follow the
    company's (None: the requested one); `notice` is what the manager should know about it.
    """

    personas: list[PersonaDraft]
    generator: Generator
    model: str | None
    usage: list[Usage]
    attempts: int
    dropped_objections: int
    locale: str | None = None
    notice: str | None = None


class PersonaGenerator(Protocol):
    """What writes a persona set: validated against the request, or an AppError saying why not.

    `inline`: fast enough to finish within the request, so the request runs the job itself and
    answers it done; otherwise the job's hook runs it.
    """

    inline: bool

    def generate(self, context: Context, request: Request) -> Generated:
        """A validated set for `request` from `context` (GenerationFailed carries the bill)."""


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


class OpenAIGenerator:
    """Structured output from the chat model; a job, never the request (40-60 s per set)."""

    inline = False

    def generate(self, context: Context, request: Request) -> Generated:
        """Ask the model, check the set, and ask once more with the reasons if it broke a rule."""
        return _with_openai(context, request)


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


GENERATOR: Capability[PersonaGenerator] = Capability("personas.generator", kind="llm")
GENERATOR.register("openai", OpenAIGenerator)


def generate(context: Context, request: Request) -> Generated:
    """A validated persona set from the configured provider."""
    return GENERATOR.get().generate(context, request)
