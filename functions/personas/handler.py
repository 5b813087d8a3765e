"""Lambda entry point of the personas function (HTTP events, the job hook, the sweeper)."""

from __future__ import annotations

from dojo.lambda_entry import make_handler
from personas.app import app
from personas.sweeper import sweep

lambda_handler = make_handler(app, sweeper=sweep)
