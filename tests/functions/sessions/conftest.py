"""Vapi's recording storage is mocked for every test here (a report's recording is copied)."""

from __future__ import annotations

import pytest

from tests.functions.sessions.data import serve_recordings


@pytest.fixture(autouse=True)
def vapi_recordings(mock_http):
    """Recording URLs answer a small WAV; tests replace the route to make it fail."""
    return serve_recordings(mock_http)
