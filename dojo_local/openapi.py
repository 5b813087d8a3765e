"""`dojo openapi`: one OpenAPI document for the public API the web app calls.

The five functions each publish their own OpenAPI; API Gateway exposes only the routes declared in
template.yaml. This merges the five documents, keeping exactly those routes, into web/openapi.json,
from which the web app's TypeScript types are generated. Schema names that two functions use for
different shapes are prefixed with the flow's name so neither is lost.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dojo_local.gateway import Route, load_apps, template_routes
from dojo_local.paths import REPO

OUTPUT = REPO / "web" / "openapi.json"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_REF_PREFIX = "#/components/schemas/"


def _routed(routes: list[Route], flow: str, method: str, path: str) -> bool:
    return any(
        r.flow == flow and r.method in (method.upper(), "ANY") and r.path == path for r in routes
    )


def _rename_refs(node: Any, renames: dict[str, str]) -> Any:
    """A copy of `node` whose `$ref`s to renamed schemas point at their new names."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            name = value.removeprefix(_REF_PREFIX) if key == "$ref" else None
            if isinstance(value, str) and name in renames:
                out[key] = _REF_PREFIX + renames[name]
            else:
                out[key] = _rename_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rename_refs(item, renames) for item in node]
    return node


def merged_openapi() -> dict[str, Any]:
    """The merged document: every template-routed operation of the five apps and its schemas."""
    routes = template_routes()
    specs = {flow: app.openapi() for flow, app in load_apps().items()}  # type: ignore[attr-defined]
    seen: dict[str, tuple[str, Any]] = {}
    clashes: set[tuple[str, str]] = set()
    for flow, spec in specs.items():
        for name, schema in spec.get("components", {}).get("schemas", {}).items():
            if name in seen and seen[name][1] != schema:
                clashes.add((flow, name))
                clashes.add((seen[name][0], name))
            seen.setdefault(name, (flow, schema))
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {}
    for flow, spec in specs.items():
        renames = {name: f"{flow.title()}{name}" for f, name in clashes if f == flow}
        spec = _rename_refs(spec, renames)
        used = False
        for path, operations in spec.get("paths", {}).items():
            for method, operation in operations.items():
                if method in _METHODS and _routed(routes, flow, method, path):
                    paths.setdefault(path, {})[method] = operation
                    used = True
        if used:
            for name, schema in spec.get("components", {}).get("schemas", {}).items():
                schemas[renames.get(name, name)] = schema
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Sales AI Dojo API",
            "version": "1",
            "description": "The public routes of the five functions, as template.yaml routes them.",
        },
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }


def render() -> str:
    """The merged document as the text committed to web/openapi.json (stable order)."""
    return json.dumps(merged_openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def is_current(path: Path | None = None) -> bool:
    """Whether the file at `path` (default web/openapi.json) matches what the apps publish now."""
    path = path or OUTPUT
    return path.exists() and path.read_text(encoding="utf-8") == render()


def write(path: Path | None = None) -> bool:
    """Write the merged document to `path` (default web/openapi.json); True when it changed."""
    path = path or OUTPUT
    text = render()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True
