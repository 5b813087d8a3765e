"""Each function's Lambda handler imports and answers on its own: only its folder and the layer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from dojo_local.paths import FLOWS, FUNCTIONS, REPO
from tests.local.lambda_events import PROBE, http_event


@pytest.mark.parametrize("flow", FLOWS)
def test_handler_runs_alone(flow, tmp_path):
    # the Lambda package: this function's folder, nothing else of ours beside the layer
    (tmp_path / flow).symlink_to(FUNCTIONS / flow, target_is_directory=True)
    env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO / "shared")]),
        "POWERTOOLS_SERVICE_NAME": flow,
        "DOJO_ENVIRONMENT": "production",
    }
    event = json.dumps(http_event("GET", "/health"))
    result = subprocess.run(
        [sys.executable, "-c", PROBE, flow, event, ",".join([*FLOWS, "dojo_local", "tests"])],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["foreign"] == [], f"{flow} imported {out['foreign']}"
    assert Path(out["dojo"]).is_relative_to(REPO / "shared")
    response = out["response"]
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"status": "ok", "service": flow}
    assert response["headers"]["x-request-id"] == "apigw-request-1"


def test_five_functions_load_side_by_side():
    from dojo_local.gateway import load_apps

    apps = load_apps()
    assert set(apps) == set(FLOWS)
    assert len({id(app) for app in apps.values()}) == 5


def test_scheduled_event_runs_the_sweeper_not_mangum():
    from dojo.http import create_app
    from dojo.lambda_entry import make_handler

    calls = []
    handler = make_handler(create_app("x", title="x"), sweeper=lambda: calls.append(1) or {"ok": 1})
    context = types.SimpleNamespace(
        function_name="x",
        memory_limit_in_mb=128,
        aws_request_id="r",
        invoked_function_arn="arn:aws:lambda:us-east-1:1:function:x",
    )
    assert handler({"source": "aws.events", "detail-type": "Scheduled Event"}, context) == {"ok": 1}
    assert calls == [1]
    assert handler(http_event("GET", "/health"), context)["statusCode"] == 200
