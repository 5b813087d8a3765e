"""Powertools Logger and Metrics singletons: JSON logs and EMF metrics on stdout.

Logs carry the API Gateway request id as `correlation_id` (set by the Lambda entry) and the
`request_id` of the app; the webhooks function adds the Vapi call id with `bind_vapi_call`. Metrics
are CloudWatch Embedded Metric Format lines, flushed at the end of each invocation: `count` adds a
value, `timed` measures a block in milliseconds. Metric names used by the flows are in `Metric`.

The log level is the setting `log_level` (`DOJO_LOG_LEVEL`), applied when the settings load
(`dojo.settings.get_settings`); until then it is Powertools' own (`POWERTOOLS_LOG_LEVEL`, or INFO).
"""

from __future__ import annotations

import io
import os
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from enum import StrEnum
from typing import IO, cast

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit, single_metric

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "dojo")
NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "SalesAIDojo")


class _Stdout(io.TextIOBase):
    """Whatever `sys.stdout` is when a line is written (so redirected and captured output, as
    under `dojo dev` or pytest, receives the logs too; on Lambda it is the same stdout)."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


logger = Logger(service=SERVICE, stream=cast(IO[str], _Stdout()))
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)

# Keys that belong to one request and are removed when it ends.
REQUEST_KEYS = ("request_id", "vapi_call_id")


class Metric(StrEnum):
    """The product's metric names (one vocabulary across the five functions)."""

    DOCUMENTS_INGESTED = "DocumentsIngested"
    DOCUMENTS_FAILED = "DocumentsFailed"
    CHUNKS_STORED = "ChunksStored"
    EMBEDDING_REQUESTS = "EmbeddingRequests"
    INPUT_TOKENS = "InputTokens"
    OUTPUT_TOKENS = "OutputTokens"
    GRADING_LATENCY = "GradingLatency"
    TOOL_CALL_LATENCY = "ToolCallLatency"
    CALLS_STARTED = "CallsStarted"
    CALLS_COMPLETED = "CallsCompleted"
    CALL_DURATION = "CallDuration"
    CALL_LATENCY_P95 = "CallLatencyP95"
    GRADINGS_FAILED = "GradingsFailed"
    SWEEPER_BACKLOG = "SweeperBacklog"


def bind_vapi_call(call_id: str) -> None:
    """Add the Vapi call id to every log line of the current request (a correlation id)."""
    logger.append_keys(vapi_call_id=call_id)


def count(
    name: str,
    value: float = 1,
    *,
    unit: MetricUnit = MetricUnit.Count,
    dimensions: Mapping[str, str] | None = None,
) -> None:
    """Add a metric value; with dimensions it is written at once as its own EMF line."""
    if not dimensions:
        metrics.add_metric(name=name, unit=unit, value=value)
        return
    with single_metric(name=name, unit=unit, value=value, namespace=NAMESPACE) as metric:
        metric.add_dimension(name="service", value=SERVICE)
        for key, dim in dimensions.items():
            metric.add_dimension(name=key, value=dim)


@contextmanager
def timed(name: str, dimensions: Mapping[str, str] | None = None) -> Iterator[None]:
    """Record how long the block took, in milliseconds (also when it raises)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        elapsed = (time.perf_counter() - start) * 1000
        count(name, round(elapsed, 3), unit=MetricUnit.Milliseconds, dimensions=dimensions)


def tokens(
    input_tokens: int, output_tokens: int = 0, dimensions: Mapping[str, str] | None = None
) -> None:
    """Record a model call's input and output tokens."""
    if input_tokens:
        count(Metric.INPUT_TOKENS, input_tokens, dimensions=dimensions)
    if output_tokens:
        count(Metric.OUTPUT_TOKENS, output_tokens, dimensions=dimensions)
