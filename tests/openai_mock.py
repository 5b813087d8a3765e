"""Mocking OpenAI with respx: the SDK (3.x) speaks httpx2, which respx does not intercept.

`_ToHttpx` hands the SDK's requests to httpx, where respx sees them. Everything above the transport
(the SDK's retries and `retry-after-ms`, timeout mapping, response parsing) stays real; an httpx
timeout comes back as an httpx2 timeout, as it would on the wire.
"""

from __future__ import annotations

import httpx
import httpx2
import pytest

from dojo.settings import get_settings


class _ToHttpx(httpx2.BaseTransport):
    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        with httpx.Client() as client:
            try:
                response = client.send(
                    httpx.Request(
                        request.method,
                        str(request.url),
                        headers=list(request.headers.multi_items()),
                        content=request.read(),
                    )
                )
            except httpx.TimeoutException as exc:
                raise httpx2.ReadTimeout(str(exc), request=request) from exc
            except httpx.TransportError as exc:
                raise httpx2.ConnectError(str(exc), request=request) from exc
        return httpx2.Response(
            response.status_code,
            headers=list(response.headers.multi_items()),
            content=response.content,
            request=request,
        )


def point_llm_at(
    monkeypatch: pytest.MonkeyPatch,
    base_url: str,
    *,
    api_key: str = "sk-test",
    max_retries: int = 0,
    timeout: float = 5.0,
) -> None:
    """Select the OpenAI provider against `base_url`, its requests visible to respx."""
    from openai import OpenAI

    from dojo.providers import llm

    def client(key: str, url: str, seconds: float, retries: int) -> OpenAI:
        return OpenAI(
            api_key=key,
            base_url=url,
            timeout=seconds,
            max_retries=retries,
            http_client=httpx2.Client(transport=_ToHttpx()),
        )

    monkeypatch.setattr(llm, "_client", client)
    monkeypatch.setenv("DOJO_LLM_PROVIDER", "openai")
    monkeypatch.setenv("DOJO_OPENAI_API_KEY", api_key)
    monkeypatch.setenv("DOJO_OPENAI_BASE_URL", base_url)
    monkeypatch.setenv("DOJO_OPENAI_MAX_RETRIES", str(max_retries))
    monkeypatch.setenv("DOJO_OPENAI_TIMEOUT_SECONDS", str(timeout))
    get_settings.cache_clear()
