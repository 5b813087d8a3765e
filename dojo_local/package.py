"""`dojo package`: each function's deployment zip, built offline from the installed environment.

A zip holds the function's folder as the package `<flow>/`, the layer (`dojo/` from shared/) and
the distributions its requirements need — the layer's (shared/requirements.txt) and its own
(functions/<flow>/requirements.txt) with their transitive dependencies — copied file by file from
this environment's site-packages (their RECORD says which files are theirs). Nothing else goes
in: no other function, no `dojo_local`, no test or build tool. Modules are byte-compiled with
unchecked-hash pycs, since Lambda's /var/task is read-only and could not cache them.

The artifact matches the interpreter and platform that build it (recorded in manifest.json): it
proves offline what each function needs and that it starts alone. `sam build` makes the arm64
python3.12 artifacts that are deployed, from the same requirements files and Makefiles.
"""

from __future__ import annotations

import compileall
import json
import platform
import py_compile
import shutil
import sys
import sysconfig
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from dojo_local.paths import FLOWS, FUNCTIONS, REPO

LAYER_SOURCE = REPO / "shared"
_SKIP_NAMES = {"__pycache__", "Makefile", "requirements.txt"}


@dataclass(frozen=True)
class Package:
    """One built artifact and what it weighs."""

    flow: str
    path: str
    zipped_bytes: int
    unzipped_bytes: int
    files: int
    distributions: list[str]


def read_requirements(path: Path) -> list[str]:
    """Requirement lines of a requirements file (comments and blank lines skipped)."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return [line for line in lines if line]


def resolve(requirements: Iterable[str]) -> dict[str, metadata.Distribution]:
    """The installed distributions these requirements need, transitively, by canonical name."""
    found: dict[str, metadata.Distribution] = {}
    extras_done: dict[str, set[str]] = {}
    pending = [Requirement(r) for r in requirements]
    while pending:
        req = pending.pop()
        name = canonicalize_name(req.name)
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        if name not in found:
            try:
                found[name] = metadata.distribution(req.name)
            except metadata.PackageNotFoundError as exc:
                raise RuntimeError(f"{req.name} is required but not installed") from exc
        done = extras_done.setdefault(name, set())
        wanted = {""} | {canonicalize_name(e) for e in req.extras}
        new = wanted - done
        if not new:
            continue
        done |= new
        for dep in (Requirement(r) for r in found[name].requires or []):
            marker = dep.marker
            if marker is None:
                if "" in new:
                    pending.append(dep)
            elif any(marker.evaluate({"extra": extra}) for extra in new):
                dep.marker = None
                pending.append(dep)
    return found


def _distribution_files(dist: metadata.Distribution) -> Iterable[tuple[Path, str]]:
    """(source file, path inside the zip) of a distribution's files within site-packages."""
    root = Path(str(dist.locate_file(""))).resolve()
    for file in dist.files or []:
        if "__pycache__" in file.parts or file.suffix == ".pyc":
            continue
        source = Path(str(dist.locate_file(file))).resolve()
        if not source.is_relative_to(root) or not source.is_file():
            continue  # console scripts and data outside site-packages
        yield source, source.relative_to(root).as_posix()


def _copy_tree(source: Path, target: Path) -> list[Path]:
    shutil.copytree(source, target, ignore=lambda _d, names: _SKIP_NAMES & set(names))
    return list(target.rglob("*.py"))


def _copy_distributions(dists: Iterable[metadata.Distribution], into: Path) -> list[Path]:
    copied = []
    for dist in dists:
        for source, relative in _distribution_files(dist):
            target = into / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            copied.append(target)
    return copied


def _compile(files: Iterable[Path]) -> None:
    for path in files:
        if path.suffix == ".py":
            compileall.compile_file(
                path, quiet=2, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH
            )


def _fresh(directory: Path) -> None:
    if directory.exists():
        shutil.rmtree(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)


@dataclass(frozen=True)
class Layer:
    """The staged layer: `dojo/` and its dependencies, compiled once for every function."""

    path: Path
    distributions: dict[str, metadata.Distribution]


def stage_layer(into: Path) -> Layer:
    """Lay out the layer (`dojo/` + shared/requirements.txt, transitively) in `into`."""
    _fresh(into)
    into.mkdir()
    files = _copy_tree(LAYER_SOURCE / "dojo", into / "dojo")
    distributions = resolve(read_requirements(LAYER_SOURCE / "requirements.txt"))
    files += _copy_distributions(distributions.values(), into)
    _compile(files)
    return Layer(into, distributions)


def stage(flow: str, into: Path, layer: Layer) -> list[str]:
    """Lay out `flow`'s artifact in `into`: the layer, its folder, its own dependencies."""
    if flow not in FLOWS:
        raise ValueError(f"unknown function {flow!r}")
    _fresh(into)
    shutil.copytree(layer.path, into)
    files = _copy_tree(FUNCTIONS / flow, into / flow)
    requirements = read_requirements(LAYER_SOURCE / "requirements.txt")
    requirements += read_requirements(FUNCTIONS / flow / "requirements.txt")
    distributions = resolve(requirements)
    own = [d for name, d in distributions.items() if name not in layer.distributions]
    files += _copy_distributions(own, into)
    _compile(files)
    return sorted(f"{d.metadata['Name']}=={d.version}" for d in distributions.values())


def _zip(directory: Path, target: Path) -> tuple[int, int]:
    files = unzipped = 0
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=5) as archive:
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            archive.write(path, path.relative_to(directory).as_posix())
            files += 1
            unzipped += path.stat().st_size
    return files, unzipped


def build(flow: str, out: Path, layer: Layer | None = None) -> Package:
    """Build `out/<flow>.zip` (staging the layer first unless given) and return its figures."""
    out.mkdir(parents=True, exist_ok=True)
    own_layer = layer is None
    layer = layer or stage_layer(out / ".layer")
    staging = out / f".{flow}"
    distributions = stage(flow, staging, layer)
    target = out / f"{flow}.zip"
    files, unzipped = _zip(staging, target)
    shutil.rmtree(staging)
    if own_layer:
        shutil.rmtree(layer.path)
    return Package(flow, str(target), target.stat().st_size, unzipped, files, distributions)


def build_all(out: Path, flows: Iterable[str] | None = None) -> list[Package]:
    """Build each function's zip (all five by default; one staged layer) and the manifest."""
    flows = FLOWS if flows is None else flows
    out.mkdir(parents=True, exist_ok=True)
    layer = stage_layer(out / ".layer")
    try:
        packages = [build(flow, out, layer) for flow in flows]
    finally:
        shutil.rmtree(layer.path)
    manifest = {
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "platform": sysconfig.get_platform(),
        "packages": [asdict(p) for p in packages],
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return packages
