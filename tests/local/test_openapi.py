"""`dojo openapi`: the merged OpenAPI the web app's types come from, and its staleness check."""

from __future__ import annotations

import json

from fastapi import FastAPI
from pydantic import BaseModel, create_model
from typer.testing import CliRunner

from dojo_local import openapi
from dojo_local.cli import app as cli
from dojo_local.gateway import Route, template_routes


def test_the_committed_schema_matches_what_the_functions_publish():
    """Fails when a route or model changed without `dojo openapi` (or `make web`) being run."""
    assert openapi.OUTPUT.exists(), "web/openapi.json is missing: run `dojo openapi`"
    committed = json.loads(openapi.OUTPUT.read_text(encoding="utf-8"))
    assert committed == openapi.merged_openapi(), "web/openapi.json is stale: run `dojo openapi`"


def test_only_template_routes_are_published():
    document = openapi.merged_openapi()
    routed = {(r.method.lower(), r.path) for r in template_routes()}
    published = {(m, p) for p, ops in document["paths"].items() for m in ops}
    assert published <= routed
    assert ("get", "/api/v1/auth/me") in published
    assert not any(
        path.startswith("/internal/") or path.startswith("/health") for _, path in published
    )


class Item(BaseModel):
    name: str


SecondItem = create_model("Item", count=(int, ...))
first = FastAPI()
second = FastAPI()


@first.post("/a")
def create_a(body: Item) -> Item:
    return body


@second.post("/b")
def create_b(body: SecondItem) -> SecondItem:  # type: ignore[valid-type]
    return body


@second.get("/hidden")
def hidden() -> dict[str, str]:
    return {}


def test_clashing_schema_names_are_kept_apart(monkeypatch):
    monkeypatch.setattr(openapi, "load_apps", lambda: {"one": first, "two": second})
    monkeypatch.setattr(
        openapi, "template_routes", lambda: [Route("one", "POST", "/a"), Route("two", "POST", "/b")]
    )
    document = openapi.merged_openapi()
    assert set(document["paths"]) == {"/a", "/b"}
    schemas = document["components"]["schemas"]
    assert schemas["OneItem"]["properties"].keys() == {"name"}
    assert schemas["TwoItem"]["properties"].keys() == {"count"}
    body = document["paths"]["/b"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/TwoItem"}


def test_the_command_writes_and_checks(tmp_path, monkeypatch):
    target = tmp_path / "openapi.json"
    monkeypatch.setattr(openapi, "OUTPUT", target)
    runner = CliRunner()
    assert runner.invoke(cli, ["openapi", "--check"]).exit_code == 1
    assert runner.invoke(cli, ["openapi"]).exit_code == 0
    assert json.loads(target.read_text()) == openapi.merged_openapi()
    assert runner.invoke(cli, ["openapi", "--check"]).exit_code == 0
    target.write_text("{}")
    assert runner.invoke(cli, ["openapi", "--check"]).exit_code == 1
