"""template.yaml: its routes are exactly the apps' routes, and its wiring matches the code."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from pydantic import SecretStr

from dojo.settings import Settings
from dojo_local.gateway import load_apps, load_template, template_routes
from dojo_local.paths import FLOWS, FUNCTIONS, REPO, TEMPLATE

# Served by every app but reached through the Function URLs, not the HTTP API.
UNROUTED = {"/health", "/health/db"}
VAPI_FLOW = "webhooks"  # Vapi's server messages reach it through its Function URL
HTTP_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def _key(method: str, path: str) -> tuple[str, str]:
    return method.upper(), re.sub(r"\{[^}]+\}", "{}", path)


def _functions() -> dict[str, dict]:
    resources = load_template()["Resources"]
    return {
        name: res
        for name, res in resources.items()
        if res.get("Type") == "AWS::Serverless::Function"
    }


def _walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path) of every route, hidden ones included, through included routers."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:  # FastAPI keeps included routers as one lazy route
            yield from _walk(included.routes, prefix + route.include_context.prefix)
        elif isinstance(route, APIRoute):
            for method in route.methods:
                yield method, prefix + route.path


def _app_routes() -> dict[str, set[tuple[str, str]]]:
    """Each app's public routes (not health, docs or the internal hooks)."""
    routes: dict[str, set[tuple[str, str]]] = {}
    for flow, app in load_apps().items():
        walked = set(_walk(app.routes))  # type: ignore[attr-defined]
        documented = {  # FastAPI's own view, to prove the walk sees everything
            (method.upper(), path)
            for path, operations in app.openapi()["paths"].items()  # type: ignore[attr-defined]
            for method in operations
            if method.upper() in HTTP_METHODS
        }
        assert documented <= walked, flow
        routes[flow] = {
            _key(method, path)
            for method, path in walked
            if path not in UNROUTED and not path.startswith("/internal/") and method != "HEAD"
        }
    return routes


def test_every_template_route_is_served_by_its_app():
    served = _app_routes()
    missing = [
        f"{r.flow}: {r.method} {r.path}"
        for r in template_routes()
        if _key(r.method, r.path) not in served[r.flow]
    ]
    assert missing == [], "declared in template.yaml but not served by the app"


def test_every_app_route_is_declared_in_the_template():
    declared: dict[str, set[tuple[str, str]]] = {flow: set() for flow in FLOWS}
    for r in template_routes():
        declared[r.flow].add(_key(r.method, r.path))
    missing = [
        f"{flow}: {method} {path}"
        for flow, keys in _app_routes().items()
        for method, path in sorted(keys - declared[flow])
    ]
    assert missing == [], "served by an app but not routed by template.yaml"


def test_no_route_is_declared_twice():
    keys = [_key(r.method, r.path) for r in template_routes()]
    assert len(keys) == len(set(keys))


def _sam_build_command(folder: Path, logical_id: str, tmp_path: Path) -> str:
    """What sam build's makefile method would run for this resource (make's dry run)."""
    result = subprocess.run(
        ["make", "-n", "--makefile", str(folder / "Makefile"), f"build-{logical_id}"],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # sam build runs make in a scratch copy of the folder
        env={**os.environ, "ARTIFACTS_DIR": str(tmp_path / "artifacts")},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_each_function_builds_its_own_folder_through_the_one_build(tmp_path):
    functions = _functions()
    assert {Path(f["Properties"]["CodeUri"]).name for f in functions.values()} == set(FLOWS)
    for logical_id, resource in functions.items():
        props = resource["Properties"]
        flow = Path(props["CodeUri"]).name
        assert props["CodeUri"] == f"functions/{flow}"
        assert props["Handler"] == f"{flow}.handler.lambda_handler"
        assert resource["Metadata"] == {"BuildMethod": "makefile"}
        command = _sam_build_command(FUNCTIONS / flow, logical_id, tmp_path)
        assert "-m dojo_local.artifacts" in command
        assert f'"{FUNCTIONS / flow}/" "{tmp_path / "artifacts"}"' in command
        assert props["Environment"]["Variables"]["POWERTOOLS_SERVICE_NAME"] == flow


def test_layer_is_built_for_python312_arm64_through_the_one_build(tmp_path):
    layer = load_template()["Resources"]["SharedLayer"]
    assert layer["Type"] == "AWS::Serverless::LayerVersion"
    assert layer["Properties"]["ContentUri"] == "shared/"
    assert layer["Properties"]["CompatibleArchitectures"] == ["arm64"]
    assert layer["Metadata"] == {"BuildMethod": "makefile", "BuildArchitecture": "arm64"}
    command = _sam_build_command(REPO / "shared", "SharedLayer", tmp_path)
    assert "-m dojo_local.artifacts" in command and f'"{REPO / "shared"}/"' in command
    glob = load_template()["Globals"]["Function"]
    assert glob["Runtime"] == "python3.12" and glob["Architectures"] == ["arm64"]


def test_timeouts_fit_each_flow():
    props = {Path(f["Properties"]["CodeUri"]).name: f["Properties"] for f in _functions().values()}
    # ingestion and grading run long; request paths stay within the HTTP API's 30 s
    assert props["onboarding"]["Timeout"] >= 120 and props["grading"]["Timeout"] >= 120
    assert props["sessions"]["Timeout"] <= 30 and props["webhooks"]["Timeout"] <= 30


def _hook_paths() -> dict[str, set[str]]:
    """The internal hook paths each app serves (database triggers call them via Function URLs)."""
    apps = load_apps()
    return {
        flow: {path for _, path in _walk(app.routes) if path.startswith("/internal/")}  # type: ignore[attr-defined]
        for flow, app in apps.items()
    }


def test_function_urls_and_schedules():
    """A Function URL for each hook flow and for Vapi; a schedule exactly where there is a sweeper;
    every hook flow has a sweeper (pg_net delivers at most once)."""
    hooks = {flow for flow, paths in _hook_paths().items() if paths}
    assert {"onboarding", "grading"} <= hooks
    for resource in _functions().values():
        props = resource["Properties"]
        flow = Path(props["CodeUri"]).name
        assert ("FunctionUrlConfig" in props) == (flow in hooks | {VAPI_FLOW}), flow
        schedules = [
            e
            for e in (props.get("Events") or {}).values()
            if e["Type"] in ("Schedule", "ScheduleV2")
        ]
        has_sweeper = "sweeper=" in (FUNCTIONS / flow / "handler.py").read_text(encoding="utf-8")
        assert has_sweeper or flow not in hooks, f"{flow} needs a sweeper"
        assert len(schedules) == (1 if has_sweeper else 0), flow
        assert all(e["Type"] == "Schedule" for e in schedules)  # EventBridge: source aws.events


def _secret_fields() -> set[str]:
    return {name for name, field in Settings.model_fields.items() if field.annotation is SecretStr}


def test_environment_names_real_settings_and_secrets_only_by_name():
    """Every DOJO_* variable is a setting or a secret's SSM name; no secret value in the env."""
    template = load_template()
    fields = set(Settings.model_fields)
    secrets = _secret_fields()
    envs = [template["Globals"]["Function"]["Environment"]["Variables"]]
    envs += [f["Properties"]["Environment"]["Variables"] for f in _functions().values()]
    for env in envs:
        for name in env:
            if not name.startswith("DOJO_"):
                assert name.startswith("POWERTOOLS_"), name
                continue
            setting = name.removeprefix("DOJO_").lower()
            if setting.endswith("_ssm"):
                assert setting.removesuffix("_ssm") in secrets, name
            else:
                assert setting in fields, name
                assert setting not in secrets, f"{name} would put a secret value in the env"


def test_each_function_reads_exactly_the_secrets_it_is_told_about():
    """Least privilege: one SSM read policy per secret name in the function's environment."""
    template = load_template()
    shared = template["Globals"]["Function"]["Environment"]["Variables"]
    for resource in _functions().values():
        props = resource["Properties"]
        env = {**shared, **props["Environment"]["Variables"]}
        named = {
            value["Sub"].removeprefix("/")
            for key, value in env.items()
            if key.endswith("_SSM") and isinstance(value, dict) and "Sub" in value
        }
        readable = {
            p["SSMParameterReadPolicy"]["ParameterName"]["Sub"]
            for p in props["Policies"]
            if isinstance(p, dict) and "SSMParameterReadPolicy" in p
        }
        assert readable == named, props["CodeUri"]
        assert all("*" not in name and name.startswith("dojo/${Stage}/") for name in readable)


def test_outputs_give_every_url_a_deployer_needs():
    outputs = load_template()["Outputs"]
    assert {"ApiUrl", "VapiServerUrl"} <= set(outputs)
    assert outputs["VapiServerUrl"]["Value"]["Sub"].endswith("api/v1/webhooks/vapi")
    for flow, paths in _hook_paths().items():
        for path in paths:  # the Vault secret <flow>_hook_url is this output
            output = outputs[f"{flow.capitalize()}HookUrl"]["Value"]["Sub"]
            assert output == f"${{{flow.capitalize()}FunctionUrl.FunctionUrl}}{path.lstrip('/')}"


@pytest.mark.skipif(not (Path(sys.executable).parent / "cfn-lint").exists(), reason="no cfn-lint")
def test_cfn_lint_is_clean():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), str(TEMPLATE)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
