"""`dojo package`: the deployed artifacts as zips, built offline from the installed environment.

`layer.zip` (its content under `python/`, as Lambda expects of a layer) and one `<flow>.zip` per
function hold exactly what dojo_local/artifacts.py defines, the definition `sam build` uses through
the Makefiles too; only the source of the distributions differs (this environment here, pip's
arm64 wheels there). So the zips match the interpreter and platform that build them (recorded in
manifest.json): they prove offline what each artifact ships and that a function starts with
nothing but its zip and the layer.
"""

from __future__ import annotations

import json
import platform
import shutil
import sys
import sysconfig
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from dojo_local import artifacts
from dojo_local.paths import FLOWS


@dataclass(frozen=True)
class Package:
    """One built zip and what it weighs."""

    name: str  # "layer" or the function's flow
    path: str
    zipped_bytes: int
    unzipped_bytes: int
    files: int
    distributions: list[str]


def _zip(directory: Path, target: Path) -> tuple[int, int]:
    files = unzipped = 0
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=5) as archive:
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            archive.write(path, path.relative_to(directory).as_posix())
            files += 1
            unzipped += path.stat().st_size
    return files, unzipped


def build(artifact: artifacts.Artifact, out: Path) -> Package:
    """Build `out/<name>.zip` of one artifact and return its figures."""
    out.mkdir(parents=True, exist_ok=True)
    staging = out / f".{artifact.name}"
    if staging.exists():
        shutil.rmtree(staging)
    try:
        distributions = artifacts.stage(artifact, staging)
        target = out / f"{artifact.name}.zip"
        files, unzipped = _zip(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Package(
        artifact.name, str(target), target.stat().st_size, unzipped, files, distributions
    )


def build_all(out: Path, flows: Iterable[str] | None = None) -> list[Package]:
    """Build the layer's zip and each function's (all five by default), and manifest.json."""
    chosen = FLOWS if flows is None else tuple(flows)
    packages = [build(artifacts.layer(), out)]
    packages += [build(artifacts.function(flow), out) for flow in chosen]
    manifest = {
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "platform": sysconfig.get_platform(),
        "packages": [asdict(p) for p in packages],
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return packages
