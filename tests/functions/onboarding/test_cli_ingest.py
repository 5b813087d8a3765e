"""`dojo ingest` and `dojo sweep` in a data directory of their own (a separate database)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dojo_local import pg

from .conftest import SALES_TEXT, make_pdf

ROOT = Path(__file__).resolve().parents[3]


def _dojo(base: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOJO_DATA_DIR": str(base), "COLUMNS": "200"}
    env = {k: v for k, v in env.items() if not k.startswith("DOJO_") or k == "DOJO_DATA_DIR"}
    return subprocess.run(
        [sys.executable, "-m", "dojo_local", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=240,
    )


def test_ingest_then_sweep(tmp_path: Path) -> None:
    base = tmp_path / "data"
    files = tmp_path / "kit"
    files.mkdir()
    (files / "planos.pdf").write_bytes(make_pdf([SALES_TEXT]))
    (files / "vazio.txt").write_bytes(b"")
    try:
        result = _dojo(base, "ingest", str(files), "--company", "Empresa CLI")
        assert result.returncode == 1, result.stdout + result.stderr  # one file failed
        assert "planos.pdf" in result.stdout
        assert "ready" in result.stdout
        assert "O arquivo está vazio (0 bytes)" in result.stdout
        assert (base / "storage" / "documents").is_dir()
        swept = _dojo(base, "sweep")
        assert swept.returncode == 0, swept.stderr
        assert '"sweeper": "onboarding"' in swept.stdout
    finally:
        pg.destroy(base)
