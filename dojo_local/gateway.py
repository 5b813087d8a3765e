"""The local API Gateway: one ASGI app routing by the paths declared in template.yaml."""

from __future__ import annotations

import importlib
import re
import sys
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from dojo.errors import error_body
from dojo_local import keys, local_auth
from dojo_local.offline import storage as local_storage
from dojo_local.paths import FLOWS, FUNCTIONS, TEMPLATE, WEB_OUT


class _CfnLoader(yaml.SafeLoader):
    """YAML loader that keeps CloudFormation tags (!Ref, !Sub, …) as plain values."""


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node)
    else:
        value = loader.construct_mapping(node)  # type: ignore[arg-type]
    return {suffix: value}


_CfnLoader.add_multi_constructor("!", _tag)


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    """template.yaml as a dict (intrinsic functions kept as one-key dicts)."""
    loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=_CfnLoader)  # noqa: S506
    assert isinstance(loaded, dict)
    return loaded


@dataclass(frozen=True)
class Route:
    """One HTTP API route of the template, and the function that serves it."""

    flow: str
    method: str
    path: str

    @property
    def pattern(self) -> re.Pattern[str]:
        """The path as a regex: `{name}` is one segment, `{name+}` the rest."""
        regex = re.sub(r"\{[^}/]+\+\}", ".+", self.path)
        regex = re.sub(r"\{[^}/]+\}", "[^/]+", regex)
        return re.compile(f"^{regex}$")


def template_routes(template: dict[str, Any] | None = None) -> list[Route]:
    """Every HttpApi route declared for the five functions."""
    template = template or load_template()
    routes: list[Route] = []
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        code_uri = str(resource.get("Properties", {}).get("CodeUri", ""))
        flow = Path(code_uri).name
        for event in (resource["Properties"].get("Events") or {}).values():
            if event.get("Type") == "HttpApi":
                props = event["Properties"]
                routes.append(Route(flow, str(props["Method"]).upper(), str(props["Path"])))
    return routes


def load_apps(flows: Iterable[str] = FLOWS) -> dict[str, ASGIApp]:
    """Import each function's app, side by side in this process."""
    if str(FUNCTIONS) not in sys.path:
        sys.path.insert(0, str(FUNCTIONS))
    return {flow: importlib.import_module(f"{flow}.app").app for flow in flows}


_HOOK_PATHS = {
    "/internal/onboarding/hook": "onboarding",
    "/internal/grading/hook": "grading",
    "/internal/personas/hook": "personas",
}


class Gateway:
    """Routes a request to the function whose template route matches (as API Gateway does)."""

    def __init__(self, routes: list[Route], apps: dict[str, ASGIApp], extra: ASGIApp) -> None:
        self.routes = routes
        self.apps = apps
        self.extra = extra

    def resolve(self, method: str, path: str) -> str | None:
        """The flow serving this method and path, or None."""
        if path in _HOOK_PATHS:  # Function URLs in production, not HTTP API routes
            return _HOOK_PATHS[path]
        for route in self.routes:
            if route.method in (method, "ANY") and route.pattern.match(path):
                return route.flow
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":  # the functions run with lifespan off, as under Mangum
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http":
            return
        flow = self.resolve(scope["method"], scope["path"])
        if flow is None and scope["method"] == "OPTIONS":
            flow = next((r.flow for r in self.routes if r.pattern.match(scope["path"])), None)
        target = self.apps.get(flow) if flow else None
        await (target or self.extra)(scope, receive, send)


_web_static = StaticFiles(directory=WEB_OUT, html=True, check_dir=False)


async def _local_services(scope: Scope, receive: Receive, send: Send) -> None:
    request = Request(scope, receive)
    path = request.url.path
    if path == "/auth/v1/.well-known/jwks.json":
        response = JSONResponse(keys.jwks())
    elif path.startswith(f"{local_auth.PREFIX}/"):
        await local_auth.app(scope, receive, send)
        return
    elif path.startswith((f"{local_storage.UPLOAD_PATH}/", f"{local_storage.DOWNLOAD_PATH}/")):
        # Storage's signed upload and download URLs, locally (production: Supabase Storage's)
        await local_storage.app(scope, receive, send)
        return
    elif path == "/health":
        response = JSONResponse({"status": "ok", "service": "dojo-dev", "functions": list(FLOWS)})
    elif WEB_OUT.is_dir() and not path.startswith(("/api/", "/internal/")):
        # The web app's static export (`make web`), on the API's origin: no CORS locally.
        await _web_static(scope, receive, send)
        return
    else:  # what API Gateway answers for no route, in the one error shape
        rid = uuid.uuid4().hex
        response = JSONResponse(
            error_body("not_found", "no such route", rid),
            status_code=404,
            headers={"x-request-id": rid},
        )
    await response(scope, receive, send)


def build_gateway() -> Gateway:
    """The gateway over the five functions, plus the local Auth and Storage endpoints and the
    web app."""
    return Gateway(template_routes(), load_apps(), _local_services)
