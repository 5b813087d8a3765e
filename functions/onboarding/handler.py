"""Lambda entry point of the onboarding function (HTTP events, and the sweeper's schedule)."""

from __future__ import annotations

from dojo.lambda_entry import make_handler
from onboarding.app import app
from onboarding.sweeper import sweep

lambda_handler = make_handler(app, sweeper=sweep)
