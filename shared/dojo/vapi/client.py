"""Vapi's REST API (§6) with the private key: timeouts, bounded retries with backoff and jitter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError

from dojo.errors import ServiceUnavailable, UpstreamError
from dojo.observability import logger
from dojo.settings import Settings, get_settings

if TYPE_CHECKING:  # httpx and tenacity load on the first Vapi call, not at cold start
    import httpx

    from dojo.vapi.assistant import CreateWebCall


class WebCall(BaseModel):
    """What we keep of a created web call."""

    model_config = ConfigDict(extra="ignore")

    id: str
    web_call_url: str | None = Field(default=None, validation_alias=AliasChoices("webCallUrl"))
    status: str | None = None


class _Retryable(Exception):
    """A failure worth another try: 429, 5xx, timeouts, connection errors."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status


def _validation_messages(response: httpx.Response) -> list[str]:
    try:
        body = response.json()
    except ValueError:
        return []
    message = body.get("message") if isinstance(body, dict) else None
    if isinstance(message, list):
        return [str(m) for m in message][:20]
    return [str(message)] if message else []


class VapiClient:
    """Vapi's REST API with the private key: timeouts, bounded retries with backoff and jitter."""

    def __init__(self, settings: Settings | None = None, http: httpx.Client | None = None) -> None:
        self.settings = settings or get_settings()
        key = self.settings.vapi_private_key.get_secret_value()
        if not key:
            raise ServiceUnavailable("voice calls are not configured (DOJO_VAPI_PRIVATE_KEY)")
        import httpx

        self._http = http or httpx.Client(
            base_url=self.settings.vapi_base_url,
            timeout=self.settings.vapi_timeout_seconds,
            headers={"authorization": f"Bearer {key}"},
        )

    def close(self) -> None:
        """Release the connection pool."""
        self._http.close()

    def _once(self, method: str, url: str, body: dict[str, Any] | None) -> httpx.Response:
        import httpx

        try:
            response = self._http.request(method, url, json=body)
        except httpx.TimeoutException as exc:
            raise _Retryable("timeout") from exc
        except httpx.TransportError as exc:
            raise _Retryable("connection error") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise _Retryable(f"HTTP {response.status_code}", response.status_code)
        return response

    def _request(
        self, method: str, url: str, operation: str, body: dict[str, Any] | None = None
    ) -> httpx.Response:
        from tenacity import (
            RetryError,
            Retrying,
            retry_if_exception_type,
            stop_after_attempt,
            stop_after_delay,
            wait_random_exponential,
        )

        retrying = Retrying(
            retry=retry_if_exception_type(_Retryable),
            stop=stop_after_attempt(self.settings.vapi_max_retries + 1)
            | stop_after_delay(self.settings.vapi_deadline_seconds),
            wait=wait_random_exponential(multiplier=self.settings.vapi_retry_wait_seconds, max=8),
            reraise=True,
        )
        try:
            response = retrying(self._once, method, url, body)
        except (_Retryable, RetryError) as exc:
            status = exc.status if isinstance(exc, _Retryable) else None
            logger.warning("vapi request failed", extra={"operation": operation, "error": str(exc)})
            if status is not None and status >= 500:
                raise UpstreamError(f"the voice service failed to {operation} ({status})") from exc
            raise ServiceUnavailable(
                f"the voice service is unavailable ({exc}); try again shortly"
            ) from exc
        if response.status_code >= 400:
            messages = _validation_messages(response)
            logger.warning(
                "vapi rejected a request",
                extra={
                    "operation": operation,
                    "status": response.status_code,
                    "messages": messages,
                },
            )
            raise UpstreamError(
                f"the voice service refused to {operation} ({response.status_code})",
                details={"vapi_status": response.status_code, "messages": messages},
            )
        return response

    def create_web_call(self, request: CreateWebCall) -> WebCall:
        """Create a web call for an inline assistant; returns its id and join URL."""
        response = self._request("POST", "/call/web", "start the call", request.wire())
        try:
            return WebCall.model_validate(response.json())
        except (ValueError, ValidationError) as exc:
            raise UpstreamError("the voice service answered without a call id") from exc

    def get_call(self, call_id: str) -> dict[str, Any]:
        """The call as Vapi has it (status, artifact, cost, times)."""
        response = self._request("GET", f"/call/{call_id}", "look up the call")
        try:
            call = response.json()
        except ValueError as exc:
            raise UpstreamError("the voice service answered with an unreadable call") from exc
        if not isinstance(call, dict):
            raise UpstreamError("the voice service answered with an unreadable call")
        return call

    def end_call(self, call_id: str) -> bool:
        """Ask Vapi to end a live call; False when it had already ended (or has no control URL)."""
        call = self.get_call(call_id)
        if call.get("status") == "ended":
            return False
        control = (call.get("monitor") or {}).get("controlUrl")
        if not isinstance(control, str) or not control:
            return False
        self._request("POST", control, "end the call", {"type": "end-call"})
        return True
