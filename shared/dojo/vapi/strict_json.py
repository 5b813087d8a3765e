"""JSON as Postgres can store it: strict, depth-bounded, no NUL or unpaired surrogate.

Python's decoder accepts NaN and Infinity (not JSON), recurses until RecursionError on deep input,
and keeps `\u0000` and lone surrogates, which text and jsonb columns refuse. Checking the decoded
value iteratively turns each of these into one clear reason, before anything is written.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 64  # real messages nest about ten levels deep
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class UnreadableJSON(ValueError):
    """The text is not JSON we can store; the message says why."""


def _refuse_constant(name: str) -> Any:
    raise UnreadableJSON(f"{name} is not JSON")


def unstorable(value: Any, max_depth: int = MAX_DEPTH) -> str | None:
    """Why a decoded JSON value cannot be stored as it is (None: it can).

    Iterative, so a deep value cannot exhaust the stack: nesting beyond `max_depth`, or a NUL or
    unpaired surrogate in any string or key.
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            if _UNSTORABLE.search(node):
                return "text must not contain NUL characters or unpaired surrogates"
        elif isinstance(node, dict | list):
            if depth > max_depth:
                return f"JSON nested deeper than {max_depth} levels"
            items = [*node.keys(), *node.values()] if isinstance(node, dict) else node
            stack.extend((item, depth + 1) for item in items)
    return None


def loads(text: str | bytes) -> Any:
    """The decoded value; UnreadableJSON unless it is strict, bounded, storable JSON."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError as exc:  # the C decoder's own depth limit, far past ours
        raise UnreadableJSON(f"JSON nested deeper than {MAX_DEPTH} levels") from exc
    except UnreadableJSON:
        raise
    except ValueError as exc:
        raise UnreadableJSON("the body is not JSON") from exc
    problem = unstorable(value)
    if problem:
        raise UnreadableJSON(problem)
    return value
