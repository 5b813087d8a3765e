"""Runs the gateway over HTTP: in the foreground for `dojo dev`, in a thread for the demo."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn
from starlette.types import ASGIApp

from dojo_local.gateway import build_gateway


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class BackgroundServer:
    """The gateway (or `app`) served by uvicorn in a daemon thread (the demo and tests)."""

    def __init__(
        self, host: str = "127.0.0.1", port: int | None = None, app: ASGIApp | None = None
    ) -> None:
        self.host = host
        self.port = port or free_port(host)
        config = uvicorn.Config(
            app or build_gateway(),
            host=self.host,
            port=self.port,
            log_level="warning",
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
    uvicorn.run(build_gateway(), host=host, port=port, log_level="info", lifespan="off")
