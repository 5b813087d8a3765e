"""OpenAI chat calls: structured output into pydantic models, and plain/tool-calling chat.

Any OpenAI-compatible base URL works. The SDK retries 429/5xx/timeouts with exponential backoff
and jitter (`openai_max_retries`); every call has a timeout. A structured response that fails
validation is asked for once more, then the call fails cleanly (`LLMOutputInvalid`, 502).
The SDK is imported on first use, not at cold start. Offline behaviour is each flow's own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from dojo.errors import ServiceUnavailable, UpstreamError
from dojo.settings import get_settings
from dojo.usage import Usage

if TYPE_CHECKING:
    from openai import OpenAI

T = TypeVar("T", bound=BaseModel)


class LLMOutputInvalid(UpstreamError):
    """The model's answer did not match the schema, even after one retry."""

    code = "llm_output_invalid"


@dataclass(frozen=True)
class Structured(Generic[T]):
    """A validated structured answer and what it used."""

    value: T
    usage: Usage
    attempts: int


@dataclass(frozen=True)
class ChatReply:
    """One assistant message: text and/or tool calls, and what it used."""

    content: str
    tool_calls: list[dict[str, Any]]
    usage: Usage
    finish_reason: str


@lru_cache(maxsize=4)
def _client(api_key: str, base_url: str, timeout: float, max_retries: int) -> OpenAI:
    from openai import OpenAI

    return OpenAI(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries)


def client() -> OpenAI:
    """The process-wide OpenAI client for the configured key and base URL."""
    settings = get_settings()
    key = settings.openai_api_key.get_secret_value()
    if not key:
        raise ServiceUnavailable("the language model is not configured (DOJO_OPENAI_API_KEY)")
    return _client(
        key, settings.openai_base_url, settings.openai_timeout_seconds, settings.openai_max_retries
    )


def _for_call(timeout: float | None, max_retries: int | None) -> tuple[OpenAI, dict[str, Any]]:
    """The client with this call's retry budget, and its per-request timeout argument."""
    base = client()
    tuned = base if max_retries is None else base.with_options(max_retries=max_retries)
    return tuned, ({} if timeout is None else {"timeout": timeout})


def _usage(response: Any, model: str, operation: str, started: float) -> Usage:
    used = getattr(response, "usage", None)
    return Usage(
        kind="llm",
        provider="openai",
        model=getattr(response, "model", None) or model,
        operation=operation,
        input_tokens=int(getattr(used, "prompt_tokens", 0) or 0),
        output_tokens=int(getattr(used, "completion_tokens", 0) or 0),
        inputs=1,
        seconds=round(time.monotonic() - started, 3),
    )


def _translate(exc: Exception) -> Exception:
    import openai

    if isinstance(exc, openai.RateLimitError):
        return ServiceUnavailable("the language model is rate limited, try again shortly")
    if isinstance(exc, openai.APITimeoutError | openai.APIConnectionError):
        return ServiceUnavailable("the language model did not answer in time")
    if isinstance(exc, openai.APIStatusError):
        return UpstreamError(f"the language model answered with an error ({exc.status_code})")
    return exc


def _parse_once(
    openai_client: OpenAI, per_request: dict[str, Any], request: dict[str, Any]
) -> tuple[Any, Any]:
    """One structured-output request: (the parsed answer or None, the raw response or None).

    An answer that does not validate gives (None, None) so the caller asks again; any other API
    error is translated into our own (rate limit and timeouts are "try again").
    """
    import openai

    try:
        response = openai_client.chat.completions.parse(**request, **per_request)
    except (ValidationError, openai.LengthFinishReasonError, ValueError):
        return None, None
    except openai.OpenAIError as exc:
        raise _translate(exc) from exc
    parsed = response.choices[0].message.parsed if response.choices else None
    return parsed, response


def structured(
    messages: list[dict[str, Any]],
    schema: type[T],
    *,
    operation: str,
    model: str | None = None,
    temperature: float | None = None,
    max_tokens: int | None = None,
    validation_retries: int = 1,
    seed: int | None = None,
    timeout: float | None = None,
    max_retries: int | None = None,
) -> Structured[T]:
    """Ask for an answer in `schema` (OpenAI structured outputs) and validate it.

    An answer that does not validate (or a refusal) is asked for again, `validation_retries`
    times, with the tokens of every attempt counted. `timeout` (seconds per request) and
    `max_retries` override the configured defaults for callers with a deadline, such as a
    request path behind API Gateway's 30 s limit.
    """
    settings = get_settings()
    model = model or settings.llm_model
    request: dict[str, Any] = {
        "model": model,
        "messages": messages,
        "response_format": schema,
        "temperature": settings.llm_temperature if temperature is None else temperature,
        "max_completion_tokens": max_tokens,
        "seed": seed,
    }
    input_tokens = output_tokens = 0
    started = time.monotonic()
    openai_client, per_request = _for_call(timeout, max_retries)
    for attempt in range(1, validation_retries + 2):
        parsed, response = _parse_once(openai_client, per_request, request)
        if response is None:
            continue
        used = _usage(response, model, operation, started)
        input_tokens += used.input_tokens
        output_tokens += used.output_tokens
        if parsed is None:
            continue  # the model refused or returned nothing
        total = Usage(
            kind="llm",
            provider="openai",
            model=used.model,
            operation=operation,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            inputs=attempt,
            seconds=used.seconds,
        )
        return Structured(value=parsed, usage=total, attempts=attempt)
    raise LLMOutputInvalid("the language model's answer was not valid; nothing was saved")


def chat(
    messages: list[dict[str, Any]],
    *,
    operation: str,
    tools: list[dict[str, Any]] | None = None,
    model: str | None = None,
    temperature: float | None = None,
    max_tokens: int | None = None,
    timeout: float | None = None,
    max_retries: int | None = None,
) -> ChatReply:
    """One chat completion (optionally offering function tools); overrides as in `structured`."""
    import openai

    settings = get_settings()
    model = model or settings.llm_model
    started = time.monotonic()
    openai_client, kwargs = _for_call(timeout, max_retries)
    if tools:
        kwargs["tools"] = tools
    try:
        response = openai_client.chat.completions.create(
            model=model,
            messages=messages,  # type: ignore[arg-type]
            temperature=settings.llm_temperature if temperature is None else temperature,
            max_completion_tokens=max_tokens,
            **kwargs,
        )
    except openai.OpenAIError as exc:
        raise _translate(exc) from exc
    if not response.choices:
        raise UpstreamError("the language model returned no answer")
    choice = response.choices[0]
    from openai.types.chat import ChatCompletionMessageFunctionToolCall

    calls = [
        {"id": c.id, "name": c.function.name, "arguments": c.function.arguments}
        for c in (choice.message.tool_calls or [])
        if isinstance(c, ChatCompletionMessageFunctionToolCall)
    ]
    return ChatReply(
        content=choice.message.content or "",
        tool_calls=calls,
        usage=_usage(response, model, operation, started),
        finish_reason=str(choice.finish_reason),
    )
