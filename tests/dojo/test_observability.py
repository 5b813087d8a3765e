"""Logs are JSON with correlation ids; metrics are EMF lines on stdout, flushed per invocation."""

from __future__ import annotations

import json
import types

import pytest
from aws_lambda_powertools.metrics import MetricUnit

from dojo import observability
from dojo.http import create_app
from dojo.lambda_entry import make_handler
from dojo.observability import Metric, bind_vapi_call, count, logger, metrics, timed, tokens
from tests.local.lambda_events import http_event

CONTEXT = types.SimpleNamespace(
    function_name="webhooks",
    memory_limit_in_mb=512,
    aws_request_id="lambda-req-1",
    invoked_function_arn="arn:aws:lambda:us-east-1:123456789012:function:webhooks",
)


@pytest.fixture(autouse=True)
def _clean_metrics():
    metrics.clear_metrics()
    yield
    metrics.clear_metrics()


def _json_lines(text: str) -> list[dict]:
    lines = []
    for line in text.splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def _emf(lines: list[dict]) -> list[dict]:
    return [line for line in lines if "_aws" in line]


def _metric_names(blob: dict) -> set[str]:
    return {m["Name"] for d in blob["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]}


@pytest.fixture
def handler():
    app = create_app("webhooks", title="probe")

    @app.post("/probe")
    def probe(body: dict[str, str]) -> dict[str, str]:
        bind_vapi_call(body["call_id"])
        logger.info("tool call answered")
        with timed(Metric.TOOL_CALL_LATENCY):
            count(Metric.EMBEDDING_REQUESTS)
            tokens(120, 0)
        return {"ok": "yes"}

    @app.get("/plain")
    def plain() -> dict[str, str]:
        logger.info("plain request")
        return {"ok": "yes"}

    return make_handler(app)


def test_request_and_call_ids_correlate_every_log_line(handler, capfd):
    capfd.readouterr()
    response = handler(http_event("POST", "/probe", {"call_id": "call-123"}), CONTEXT)
    assert response["statusCode"] == 200
    logs = [line for line in _json_lines(capfd.readouterr().out) if "message" in line]
    line = next(entry for entry in logs if entry["message"] == "tool call answered")
    assert line["correlation_id"] == "apigw-request-1"  # API Gateway's request id
    assert line["request_id"] == "apigw-request-1"
    assert line["vapi_call_id"] == "call-123"
    assert line["service"] == observability.SERVICE and line["level"] == "INFO"
    assert line["function_request_id"] == "lambda-req-1"

    # the next invocation starts clean: no call id leaks into another request's logs
    handler(http_event("GET", "/plain"), CONTEXT)
    logs = [line for line in _json_lines(capfd.readouterr().out) if "message" in line]
    line = next(entry for entry in logs if entry["message"] == "plain request")
    assert "vapi_call_id" not in line


def test_invocation_flushes_emf_metrics(handler, capfd):
    capfd.readouterr()
    handler(http_event("POST", "/probe", {"call_id": "call-9"}), CONTEXT)
    blobs = _emf(_json_lines(capfd.readouterr().out))
    names = set().union(*(_metric_names(b) for b in blobs))
    assert {"ToolCallLatency", "EmbeddingRequests", "InputTokens"} <= names
    blob = next(b for b in blobs if "ToolCallLatency" in _metric_names(b))
    directive = blob["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == observability.NAMESPACE
    units = {m["Name"]: m["Unit"] for m in directive["Metrics"]}
    assert units["ToolCallLatency"] == "Milliseconds" and units["InputTokens"] == "Count"
    assert blob["InputTokens"] == [120.0] and blob["EmbeddingRequests"] == [1.0]
    assert 0 <= blob["ToolCallLatency"][0] < 5000
    assert "OutputTokens" not in blob  # zero output tokens add nothing


def test_count_with_dimensions_is_written_at_once(capsys):
    count(Metric.DOCUMENTS_INGESTED, 1, dimensions={"mime": "application/pdf"})
    count(Metric.CHUNKS_STORED, 42, dimensions={"mime": "application/pdf"})
    blobs = _emf(_json_lines(capsys.readouterr().out))
    assert [b["DocumentsIngested"] for b in blobs if "DocumentsIngested" in b] == [[1.0]]
    chunks = next(b for b in blobs if "ChunksStored" in b)
    assert chunks["ChunksStored"] == [42.0] and chunks["mime"] == "application/pdf"
    assert chunks["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == [["service", "mime"]]


def test_timed_records_even_when_the_block_fails(capsys):
    with pytest.raises(RuntimeError), timed(Metric.GRADING_LATENCY):
        raise RuntimeError("grader crashed")
    metrics.flush_metrics()
    blob = _emf(_json_lines(capsys.readouterr().out))[0]
    assert "GradingLatency" in blob
    assert blob["_aws"]["CloudWatchMetrics"][0]["Metrics"] == [
        {"Name": "GradingLatency", "Unit": MetricUnit.Milliseconds.value}
    ]


def test_scheduled_invocations_have_metrics_but_no_request_context(capfd):
    app = create_app("grading", title="probe")

    def sweep() -> dict[str, int]:
        count(Metric.DOCUMENTS_FAILED, 2)
        return {"swept": 2}

    handler = make_handler(app, sweeper=sweep)
    capfd.readouterr()
    assert handler({"source": "aws.events", "detail-type": "Scheduled Event"}, CONTEXT) == {
        "swept": 2
    }
    blobs = _emf(_json_lines(capfd.readouterr().out))
    assert any(b.get("DocumentsFailed") == [2.0] for b in blobs)


def test_recorded_usage_emits_token_metrics_by_kind(db_url, make_user, capsys):
    from dojo.db import service_transaction
    from dojo.usage import Usage, record

    user = make_user("Acme", "admin")
    capsys.readouterr()
    with service_transaction() as conn:
        record(conn, user.company_id, Usage("llm", "openai", "gpt-4o", "grading", 900, 150))
        record(conn, user.company_id, Usage("embeddings", "openai", "m", "ingest", 300, inputs=2))
    blobs = _emf(_json_lines(capsys.readouterr().out))
    llm = [b for b in blobs if b.get("kind") == "llm"]
    assert [b["InputTokens"] for b in llm if "InputTokens" in b] == [[900.0]]
    assert [b["OutputTokens"] for b in llm if "OutputTokens" in b] == [[150.0]]
    embeddings = [b for b in blobs if b.get("kind") == "embeddings"]
    assert [b["InputTokens"] for b in embeddings] == [[300.0]]
    assert embeddings[0]["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == [["service", "kind"]]


@pytest.fixture
def fresh_settings(monkeypatch, tmp_path):
    """Settings read afresh in an empty directory (no `.env` of the developer's), and after."""
    from dojo.settings import get_settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DOJO_LOG_LEVEL", raising=False)
    get_settings.cache_clear()
    yield get_settings
    monkeypatch.undo()
    get_settings.cache_clear()
    get_settings()  # the level of the environment the other tests run in


def _messages(text: str) -> list[str]:
    return [line["message"] for line in _json_lines(text) if "message" in line]


def test_log_level_is_the_setting_from_env_file(fresh_settings, tmp_path, capsys):
    (tmp_path / ".env").write_text("DOJO_LOG_LEVEL=error\n", encoding="utf-8")
    assert fresh_settings().log_level == "ERROR"  # case does not matter
    logger.warning("not worth it")
    logger.error("worth it")
    assert _messages(capsys.readouterr().out) == ["worth it"]


def test_log_level_follows_the_settings_when_they_change(fresh_settings, monkeypatch, capsys):
    monkeypatch.setenv("DOJO_LOG_LEVEL", "WARNING")
    fresh_settings()
    logger.info("quiet")
    monkeypatch.setenv("DOJO_LOG_LEVEL", "DEBUG")
    fresh_settings.cache_clear()
    fresh_settings()
    logger.debug("detail")
    assert _messages(capsys.readouterr().out) == ["detail"]


def test_an_unknown_log_level_is_refused(fresh_settings, monkeypatch):
    from pydantic import ValidationError

    monkeypatch.setenv("DOJO_LOG_LEVEL", "LOUD")
    with pytest.raises(ValidationError, match="log_level"):
        fresh_settings()
