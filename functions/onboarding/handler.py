"""Lambda entry point of the onboarding function."""

from __future__ import annotations

from dojo.lambda_entry import make_handler
from onboarding.app import app

lambda_handler = make_handler(app)
