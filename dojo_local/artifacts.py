"""What each deployed artifact holds: one definition, used by `sam build` and by `dojo package`.

- **The layer**: `shared/dojo` as the package `dojo`, and the distributions that pyproject.toml's
  `[project] dependencies` need, transitively; all of it under `python/`, where Lambda looks.
- **A function**: `functions/<flow>` as the package `<flow>`, and the distributions that its extra
  (`[project.optional-dependencies] <flow>`) needs beyond the layer's.

Sources go in without bytecode caches or build files, and everything is byte-compiled to
unchecked-hash pycs: Lambda's /var/task and /opt are read-only, so a cold start could not cache
them. Distributions are copied file by file (their RECORD says which files are theirs) from a set
of installed distributions: the running environment for `dojo package`, or, for `sam build`, a
`pip install --target` of wheels for the Lambda runtime (python3.12 on arm64). sam build runs
`python -m dojo_local.artifacts` through dojo_local/artifacts.mk, which the layer's and each
function's Makefile include.

Standard library only (and `packaging`, which pip vendors): sam build runs this with a bare
python3.12.
"""

from __future__ import annotations

import argparse
import compileall
import py_compile
import shlex
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from importlib import metadata
from pathlib import Path
from typing import Any

from dojo_local.paths import FLOWS, FUNCTIONS, REPO

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:  # sam build's bare python3.12: pip vendors the same library
    from pip._vendor.packaging.requirements import Requirement  # type: ignore[assignment]
    from pip._vendor.packaging.utils import canonicalize_name  # type: ignore[assignment]

LAYER = "layer"
# Lambda puts /opt/python (a layer's `python/`) on sys.path, after the function's /var/task.
LAYER_ROOT = "python"
# Never shipped, from a source folder or a distribution: bytecode caches (compiled afresh), the
# build's own files and tests (some distributions carry theirs; nothing imports them).
EXCLUDED_NAMES = frozenset({"__pycache__", "Makefile", "tests", "_tests", "conftest.py"})
EXCLUDED_PATTERNS = ("*.pyc", "test_*.py", "*_test.py")
# sam build installs wheels for the Lambda runtime; nothing is compiled from source for arm64.
LAMBDA_WHEELS = (
    "--platform=manylinux2014_aarch64",
    "--implementation=cp",
    "--python-version=3.12",
    "--only-binary=:all:",
)


@dataclass(frozen=True)
class Artifact:
    """One deployed artifact: a source folder shipped as a package, and what it requires."""

    name: str  # LAYER or the function's flow
    source: Path
    package: str
    requirements: tuple[str, ...]
    root: str  # the folder inside the artifact that goes on sys.path ("" = the top)


def _project() -> dict[str, Any]:
    project: dict[str, Any] = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    return project


def layer() -> Artifact:
    """The layer: `dojo` and the project's base dependencies."""
    return Artifact(
        LAYER, REPO / "shared" / "dojo", "dojo", tuple(_project()["dependencies"]), LAYER_ROOT
    )


def function(flow: str) -> Artifact:
    """A function: its folder as the package `<flow>` and its extra's dependencies."""
    if flow not in FLOWS:
        raise ValueError(f"unknown function {flow!r}")
    extras = _project().get("optional-dependencies", {})
    if flow not in extras:  # every function says what it needs, even when it is nothing
        raise RuntimeError(f"pyproject.toml declares no extra {flow!r} (an empty list will do)")
    return Artifact(flow, FUNCTIONS / flow, flow, tuple(extras[flow]), "")


def for_source(folder: Path) -> Artifact:
    """The artifact built from a template's CodeUri / ContentUri folder."""
    folder = folder.resolve()
    if folder == (REPO / "shared").resolve():
        return layer()
    if folder.parent == FUNCTIONS.resolve():
        return function(folder.name)
    raise ValueError(f"{folder} is neither shared/ nor a folder of functions/")


def resolve(
    requirements: Iterable[str], path: Sequence[str] | None = None
) -> dict[str, metadata.Distribution]:
    """The installed distributions (on `path`, default sys.path) these requirements need,
    transitively, by canonical name; extras and environment markers are followed."""
    found: dict[str, metadata.Distribution] = {}
    extras_done: dict[str, set[str]] = {}
    pending = [Requirement(r) for r in requirements]
    while pending:
        req = pending.pop()
        name = canonicalize_name(req.name)
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        if name not in found:
            match = next(
                iter(metadata.distributions(name=req.name, path=list(path or sys.path))), None
            )
            if match is None:
                raise RuntimeError(f"{req.name} is required but not installed")
            found[name] = match
        done = extras_done.setdefault(name, set())
        new = ({""} | {canonicalize_name(e) for e in req.extras}) - done
        if not new:
            continue
        done |= new
        for dep in (Requirement(r) for r in found[name].requires or []):
            if dep.marker is None:
                if "" in new:
                    pending.append(dep)
            elif any(dep.marker.evaluate({"extra": extra}) for extra in new):
                dep.marker = None
                pending.append(dep)
    return found


def is_shipped(name: str) -> bool:
    """Whether a file or folder of this name goes into an artifact at all."""
    return name not in EXCLUDED_NAMES and not any(fnmatch(name, p) for p in EXCLUDED_PATTERNS)


def distributions(
    artifact: Artifact, path: Sequence[str] | None = None
) -> list[metadata.Distribution]:
    """What `artifact` ships of the distributions on `path`: its requirements' closure, less
    (for a function) the layer's, which it finds on its sys.path already."""
    if not artifact.requirements:
        return []
    shipped = resolve(artifact.requirements, path)
    if artifact.name != LAYER:
        for name in resolve(layer().requirements, path):
            shipped.pop(name, None)
    return [shipped[name] for name in sorted(shipped)]


def _distribution_files(dist: metadata.Distribution) -> Iterator[tuple[Path, str]]:
    """(installed file, path inside the artifact root) of a distribution's files in its site."""
    site = Path(str(dist.locate_file(""))).resolve()
    for file in dist.files or []:
        if not all(is_shipped(part) for part in file.parts):
            continue
        installed = Path(str(dist.locate_file(file))).resolve()
        if installed.is_relative_to(site) and installed.is_file():  # not scripts beside the site
            yield installed, installed.relative_to(site).as_posix()


def stage(artifact: Artifact, into: Path, path: Sequence[str] | None = None) -> list[str]:
    """Lay out `artifact` in the directory `into` (created when missing), taking distributions
    from `path` (default sys.path), byte-compiled; returns the shipped `name==version`s."""
    root = into / artifact.root
    shutil.copytree(
        artifact.source,
        root / artifact.package,
        ignore=lambda _dir, names: {name for name in names if not is_shipped(name)},
        dirs_exist_ok=True,
    )
    shipped = distributions(artifact, path)
    for dist in shipped:
        for installed, relative in _distribution_files(dist):
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(installed, target)
    compileall.compile_dir(
        root, quiet=2, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH
    )
    return [f"{d.metadata['Name']}=={d.version}" for d in shipped]


def build_for_lambda(
    source: Path, artifacts_dir: Path, *, pip: Sequence[str], site: Sequence[str] | None
) -> list[str]:
    """sam build's step: lay out the artifact of `source` in `artifacts_dir`, its distributions
    installed by pip for the Lambda runtime (or taken from `site`, offline)."""
    artifact = for_source(source)
    if site is not None or not artifact.requirements:
        return stage(artifact, artifacts_dir, site)
    wanted = artifact.requirements
    if artifact.name != LAYER:  # resolved with the layer's, so shared dependencies agree
        wanted = (*layer().requirements, *wanted)
    with tempfile.TemporaryDirectory() as wheels:
        install = [*pip, "install", "--quiet", "--no-compile", "--target", wheels, *LAMBDA_WHEELS]
        subprocess.run([*install, *wanted], check=True)  # noqa: S603 (the build's own pip)
        return stage(artifact, artifacts_dir, [wheels])


def main(argv: Sequence[str] | None = None) -> None:
    """`python -m dojo_local.artifacts SOURCE ARTIFACTS_DIR`: what dojo_local/artifacts.mk runs."""
    parser = argparse.ArgumentParser(prog="python -m dojo_local.artifacts", description=__doc__)
    parser.add_argument("source", type=Path, help="the artifact's folder (CodeUri / ContentUri)")
    parser.add_argument(
        "artifacts_dir", type=Path, help="where sam build wants it ($ARTIFACTS_DIR)"
    )
    parser.add_argument("--pip", default=f"{sys.executable} -m pip", help="the pip command")
    parser.add_argument(
        "--site", action="append", help="take distributions from this site, not pip (offline)"
    )
    args = parser.parse_args(argv)
    shipped = build_for_lambda(
        args.source, args.artifacts_dir, pip=shlex.split(args.pip), site=args.site
    )
    print(f"{for_source(args.source).name}: {len(shipped)} distributions: {' '.join(shipped)}")


if __name__ == "__main__":
    main()
