"""`dojo package`: each zip imports and answers alone, holding its own dependencies and no more."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dojo_local import package
from dojo_local.paths import FLOWS, FUNCTIONS
from tests.local.lambda_events import PROBE, http_event

# The probe, run by `python -I -S` (no site-packages, no PYTHON* env), with only the unpacked
# package on sys.path; afterwards it lists every loaded module from anywhere but the package
# and the standard library.
ISOLATED = (
    "import sys; sys.path.insert(0, sys.argv.pop(1))\n"
    + PROBE
    + r"""
import sysconfig
allowed = (sys.path[0], sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"])
print(json.dumps(sorted(
    name for name, module in list(sys.modules.items())
    if getattr(module, "__file__", None) and not str(module.__file__).startswith(allowed)
)))
"""
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, package.Package]:
    out = tmp_path_factory.mktemp("build")
    packages = package.build_all(out)
    sizes = {
        p.flow: (round(p.zipped_bytes / 2**20, 1), round(p.unzipped_bytes / 2**20, 1))
        for p in packages
    }
    print(f"package sizes (MiB zipped, unzipped): {sizes}")
    return {p.flow: p for p in packages}


def _top_level(path: str) -> set[str]:
    with zipfile.ZipFile(path) as archive:
        return {name.split("/", 1)[0] for name in archive.namelist()}


@pytest.mark.parametrize("flow", FLOWS)
def test_package_answers_health_alone(built, flow, tmp_path):
    with zipfile.ZipFile(built[flow].path) as archive:
        archive.extractall(tmp_path)
    env = {
        "PATH": os.environ["PATH"],
        "POWERTOOLS_SERVICE_NAME": flow,
        "DOJO_ENVIRONMENT": "production",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            "-c",
            ISOLATED,
            str(tmp_path),
            flow,
            json.dumps(http_event("GET", "/health")),
            ",".join([*FLOWS, "dojo_local", "tests"]),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    probe, outside = (json.loads(line) for line in result.stdout.strip().splitlines()[-2:])
    assert outside == [], f"{flow} loaded modules from outside its package: {outside}"
    assert probe["foreign"] == []
    assert Path(probe["dojo"]).is_relative_to(tmp_path)
    assert probe["response"]["statusCode"] == 200
    assert json.loads(probe["response"]["body"]) == {"status": "ok", "service": flow}


def test_each_package_holds_its_own_code_and_dependencies_only(built):
    for flow, built_package in built.items():
        top = _top_level(built_package.path)
        assert {flow, "dojo", "fastapi", "mangum", "aws_lambda_powertools", "psycopg"} <= top
        assert not (top & ({*FLOWS} - {flow})), flow
        assert not (top & {"dojo_local", "tests", "boto3", "botocore", "pytest", "moto", "uvicorn"})
        with zipfile.ZipFile(built_package.path) as archive:
            names = set(archive.namelist())
        assert f"{flow}/handler.py" in names
        assert f"{flow}/Makefile" not in names and f"{flow}/requirements.txt" not in names
        assert any(n.startswith(f"{flow}/__pycache__/handler.") for n in names)  # bytecode shipped
    # onboarding's own dependencies are its own
    assert {"pypdf", "docx", "semantic_text_splitter", "supabase"} <= _top_level(
        built["onboarding"].path
    )
    assert not ({"pypdf", "docx", "supabase"} & _top_level(built["personas"].path))


def test_packages_fit_lambda_limits(built):
    for built_package in built.values():
        assert built_package.zipped_bytes < 50 * 2**20  # direct upload limit
        assert built_package.unzipped_bytes < 250 * 2**20  # function + layers, unzipped


def test_resolve_follows_extras_and_markers():
    names = set(package.resolve(["pyjwt[crypto]>=2"]))
    assert {"pyjwt", "cryptography"} <= names
    assert set(package.resolve(["pyjwt>=2"])) == {"pyjwt"}
    with pytest.raises(RuntimeError, match="not installed"):
        package.resolve(["surely-not-installed-dojo-dist"])


@pytest.mark.parametrize("flow", FLOWS)
def test_sam_makefile_lays_out_the_package(flow, tmp_path):
    """sam build's makefile method: the folder as `<flow>/`, compiled, without build files."""
    logical_id = f"{flow.capitalize()}Function"
    result = subprocess.run(
        [
            "make",
            "-s",
            "-f",
            str(FUNCTIONS / flow / "Makefile"),
            f"build-{logical_id}",
            f"ARTIFACTS_DIR={tmp_path}",
            f"PYTHON={sys.executable}",
            "PIP=true",  # no index offline; the pip step is sam build's
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / flow / "handler.py").is_file()
    assert list((tmp_path / flow / "__pycache__").glob("handler.*.pyc"))
    assert not (tmp_path / flow / "Makefile").exists()
    assert not (tmp_path / flow / "requirements.txt").exists()
