"""Lambda entry point of the sessions function (HTTP, and the scheduled sweeper)."""

from __future__ import annotations

from dojo.lambda_entry import make_handler
from sessions.app import app
from sessions.sweeper import sweep

lambda_handler = make_handler(app, sweeper=sweep)
