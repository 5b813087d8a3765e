"""The onboarding handler's cold start stays lean: parsers and SDKs load on first use."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("pypdf", "docx", "openai", "supabase", "storage3", "semantic_text_splitter", "fpdf")


def test_importing_the_handler_loads_no_parser_or_sdk() -> None:
    code = (
        "import json, sys; import onboarding.handler; "
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": f"{ROOT / 'functions'}:{ROOT / 'shared'}", "PATH": "/usr/bin:/bin"},
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
