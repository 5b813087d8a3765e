"""The one place that decides which implementation serves each provider capability.

Settings name one provider per kind of outside service (`llm_provider`, `embeddings_provider`,
`storage_provider`, `auth_admin_provider`, `email_provider`). A capability is something a flow
needs from such a service ("grade a transcript", "embed texts", "keep a file", "send an email");
each flow declares its capabilities with the interface it expects, and implementations register
under a provider name:

    GRADER: Capability[Grader] = Capability("grading.grader", kind="llm")
    GRADER.register("openai", ModelGrader)          # ships with the function
    GRADER.register("offline", OfflineGrader)       # registered by the local runtime only
    GRADER.get().grade(...)                          # whichever the settings choose

Production implementations register when their module is imported; offline providers and local
stand-ins live in `dojo_local` and register when the local runtime starts, so a deployed function
configured for a provider it does not ship answers 503 with a clear message instead of importing
code that is not there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, Literal, TypeVar

from dojo.errors import ServiceUnavailable
from dojo.settings import get_settings

Kind = Literal["llm", "embeddings", "storage", "auth_admin", "email"]
T = TypeVar("T")

_lock = threading.Lock()


class Capability(Generic[T]):
    """A named need of a flow, served by the provider the settings choose for its kind."""

    def __init__(self, name: str, kind: Kind) -> None:
        self.name = name
        self.kind: Kind = kind
        self._factories: dict[str, Callable[[], T]] = {}
        self._instances: dict[str, T] = {}

    def __repr__(self) -> str:
        return f"Capability({self.name!r}, kind={self.kind!r})"

    def register(self, provider: str, factory: Callable[[], T]) -> None:
        """Serve this capability with `factory()` when `provider` is configured (last one wins)."""
        with _lock:
            self._factories[provider] = factory
            self._instances.pop(provider, None)

    def provider(self) -> str:
        """The provider name the settings choose for this capability's kind."""
        return str(getattr(get_settings(), f"{self.kind}_provider"))

    def available(self) -> bool:
        """True when the configured provider has an implementation in this process."""
        return self.provider() in self._factories

    def get(self) -> T:
        """The configured implementation (built once per process and provider)."""
        name = self.provider()
        with _lock:
            if name not in self._instances:
                factory = self._factories.get(name)
                if factory is None:
                    raise ServiceUnavailable(
                        f"{self.name} has no '{name}' provider in this deployment"
                        f" (DOJO_{self.kind.upper()}_PROVIDER); offline providers and local"
                        " stand-ins exist only in the local runtime",
                        code="provider_unavailable",
                    )
                self._instances[name] = factory()
            return self._instances[name]
