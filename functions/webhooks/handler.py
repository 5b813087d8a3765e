"""Lambda entry point of the webhooks function."""

from __future__ import annotations

from dojo.lambda_entry import make_handler
from webhooks.app import app

lambda_handler = make_handler(app)
