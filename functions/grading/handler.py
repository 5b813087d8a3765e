"""Lambda entry point of the grading function (a scheduled event runs the sweeper)."""

from __future__ import annotations

from dojo.lambda_entry import make_handler
from grading.app import app
from grading.sweeper import sweep

lambda_handler = make_handler(app, sweeper=sweep)
