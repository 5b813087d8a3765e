"""Builds a function's `lambda_handler`: Mangum for HTTP events, the sweeper for schedules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from fastapi import FastAPI
from mangum import Mangum

from dojo.observability import logger, metrics

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def make_handler(app: FastAPI, sweeper: Callable[[], dict[str, Any]] | None = None) -> Handler:
    """Wrap `app` for Lambda; a scheduled EventBridge event runs `sweeper` instead."""
    asgi = Mangum(app, lifespan="off")

    # The event is never logged (it carries bearer tokens and Vapi credentials), whatever
    # POWERTOOLS_LOGGER_LOG_EVENT says; the request id becomes the logs' correlation id.
    @logger.inject_lambda_context(
        correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True, log_event=False
    )
    @metrics.log_metrics(raise_on_empty_metrics=False, capture_cold_start_metric=True)
    def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        if sweeper is not None and event.get("source") == "aws.events":
            return sweeper()
        return asgi(event, context)  # type: ignore[arg-type]

    return lambda_handler  # type: ignore[no-any-return]
