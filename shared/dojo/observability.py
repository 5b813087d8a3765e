"""Powertools Logger and Metrics singletons: JSON logs and EMF metrics on stdout."""

from __future__ import annotations

import os

from aws_lambda_powertools import Logger, Metrics

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "dojo")

logger = Logger(service=SERVICE, level=os.environ.get("DOJO_LOG_LEVEL", "INFO"))
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "SalesAIDojo"))
