"""Runs the gateway over HTTP: in the foreground for `dojo dev`, in a thread for the demo.

Access log lines never carry a secret of the URL: upload links and invitation links hold their
token in the URL (as Supabase's do), so the access log shows `<redacted>` in its place.
"""

from __future__ import annotations

import copy
import logging
import re
import socket
import threading
import time
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from dojo_local.gateway import build_gateway

# A token in a URL: the signed upload route's last segment, or any `token=` query parameter.
_SECRETS = (
    (re.compile(r"(/uploads/)[^/?#\s\"]+"), r"\1<redacted>"),
    (re.compile(r"([?&]token=)[^&#\s\"]+"), r"\1<redacted>"),
)


def redact(text: str) -> str:
    """`text` with every URL token replaced by `<redacted>`."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class RedactTokens(logging.Filter):
    """Rewrites an access log record's arguments (the request line) without URL tokens."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact, never drop."""
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        record.msg = redact(str(record.msg))
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration with `RedactTokens` on its access logger."""
    config: dict[str, Any] = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_tokens"] = {"()": RedactTokens}
    config["loggers"]["uvicorn.access"]["filters"] = ["redact_tokens"]
    return config


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class BackgroundServer:
    """The gateway (or `app`) served by uvicorn in a daemon thread (the demo and tests)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int | None = None,
        app: ASGIApp | None = None,
        log_level: str = "warning",
    ) -> None:
        self.host = host
        self.port = port or free_port(host)
        config = uvicorn.Config(
            app or build_gateway(),
            host=self.host,
            port=self.port,
            log_level=log_level,
            log_config=log_config(),
            lifespan="off",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="dojo-gateway", daemon=True)

    @property
    def url(self) -> str:
        """The base URL of the running gateway."""
        return f"http://{self.host}:{self.port}"

    def start(self) -> BackgroundServer:
        """Start serving and wait until the socket accepts connections."""
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the local gateway did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self.server.should_exit = True
        self.thread.join(timeout=10)


def serve_forever(host: str, port: int) -> None:
    """`dojo dev`: serve the gateway in the foreground."""
    uvicorn.run(
        build_gateway(),
        host=host,
        port=port,
        log_level="info",
        log_config=log_config(),
        lifespan="off",
    )
