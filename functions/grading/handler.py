"""Lambda entry point of the grading function."""

from __future__ import annotations

from dojo.lambda_entry import make_handler
from grading.app import app

lambda_handler = make_handler(app)
