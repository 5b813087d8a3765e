"""pyproject.toml's dependency groups say where each dependency runs, and the code agrees.

The base dependencies are the layer's, one extra per function adds what its zip ships beyond the
layer, `local` is the local runtime's and `dev` the tools'. Every third-party import (lazy ones
included) of the layer, of a function and of the local runtime is declared in a group it runs
with, so nothing works locally only because another group happens to be installed.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from dojo_local import artifacts
from dojo_local.paths import FLOWS, FUNCTIONS, REPO

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
EXTRAS: dict[str, list[str]] = PROJECT["optional-dependencies"]
SELF = canonicalize_name(PROJECT["name"])
OURS = {"dojo", "dojo_local", *FLOWS}
# The Lambda Python runtime provides these: declared by the local runtime, never packaged.
RUNTIME_PROVIDED = {"boto3", "botocore"}
# artifacts.py runs under sam build with a bare python3.12, whose pip vendors `packaging`.
FALLBACKS = {"pip"}


def _own(group: list[str]) -> list[Requirement]:
    """A group's requirements, without its references to the project's other groups."""
    return [r for r in map(Requirement, group) if canonicalize_name(r.name) != SELF]


def _included(group: list[str]) -> set[str]:
    """The other groups a group takes in (`sales-ai-dojo[...]`)."""
    return {
        extra
        for r in map(Requirement, group)
        if canonicalize_name(r.name) == SELF
        for extra in r.extras
    }


def _imports(folder: Path) -> set[str]:
    """Top-level names of every absolute import in the folder's modules, lazy ones included."""
    names = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - OURS - {"__future__"}


def _undeclared(folder: Path, requirements: list[str], allowed: set[str]) -> set[str]:
    available = set(artifacts.resolve(requirements))
    providers = metadata.packages_distributions()
    return {
        name
        for name in _imports(folder) - allowed
        if not {canonicalize_name(d) for d in providers.get(name, [name])} & available
    }


def test_every_function_declares_its_extra_and_the_local_runtime_takes_them_all():
    assert set(FLOWS) <= set(EXTRAS)
    assert _included(EXTRAS["local"]) == set(FLOWS)  # it runs all five in one process
    assert _included(EXTRAS["dev"]) == {"local"}
    assert not any(_included(EXTRAS[flow]) for flow in FLOWS)


def test_each_dependency_is_declared_in_one_group_only():
    groups = {"layer": PROJECT["dependencies"], **EXTRAS}
    seen: dict[str, str] = {}
    for group, requirements in groups.items():
        for req in _own(requirements):
            name = canonicalize_name(req.name)
            assert name not in seen, f"{name} is in both {seen[name]} and {group}"
            seen[name] = group
    assert not {canonicalize_name(n) for n in RUNTIME_PROVIDED} & {
        canonicalize_name(r.name) for r in _own(PROJECT["dependencies"])
    }, "the Lambda runtime provides boto3: the layer must not ship it"


def test_layer_imports_only_what_it_declares():
    layer = artifacts.layer()
    assert _undeclared(layer.source, list(layer.requirements), RUNTIME_PROVIDED) == set()


@pytest.mark.parametrize("flow", FLOWS)
def test_function_imports_only_the_layer_and_its_extra(flow):
    requirements = [*PROJECT["dependencies"], *EXTRAS[flow]]
    assert _undeclared(FUNCTIONS / flow, requirements, RUNTIME_PROVIDED) == set()


def test_local_runtime_imports_only_what_local_declares():
    requirements = [*PROJECT["dependencies"], *EXTRAS["local"]]  # the extras it takes in too
    assert _undeclared(REPO / "dojo_local", requirements, FALLBACKS) == set()
