"""The local stand-in for the EventBridge schedules: a timer thread running scheduled passes.

In production EventBridge invokes the onboarding function on a rate; locally `dojo dev` runs the
same entry (`onboarding.sweeper.notifications`: digests due, then queued emails) every
`interval` seconds in the background. What a pass does is idempotent, so a tick that overlaps a
`dojo sweep` run sends nothing twice.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Callable
from typing import Any

from dojo.observability import logger
from dojo_local.paths import FUNCTIONS

# Passes the local timer runs, in order: "module:function" inside functions/.
PASSES: tuple[str, ...] = ("onboarding.sweeper:notifications",)


def load(target: str) -> Callable[..., Any]:
    """The function `module:function` inside functions/."""
    if str(FUNCTIONS) not in sys.path:
        sys.path.insert(0, str(FUNCTIONS))
    module, _, function = target.partition(":")
    loaded: Callable[..., Any] = getattr(importlib.import_module(module), function)
    return loaded


def run_once(passes: tuple[str, ...] = PASSES) -> list[Any]:
    """Run every scheduled pass once; what each returned."""
    return [load(target)() for target in passes]


class Schedule(threading.Thread):
    """A daemon thread running the scheduled passes every `interval` seconds until stopped."""

    def __init__(self, interval: float = 10.0, passes: tuple[str, ...] = PASSES) -> None:
        super().__init__(name="dojo-schedule", daemon=True)
        self.interval = interval
        self.passes = passes
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            try:
                run_once(self.passes)
            except Exception:  # the next tick tries again, as EventBridge would
                logger.exception("a scheduled pass failed")

    def stop(self) -> None:
        """Ask the thread to finish after its current tick."""
        self._stop_event.set()
