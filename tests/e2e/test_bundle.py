"""The browser bundle carries no secret: only public settings may reach web/out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dojo.settings import get_settings
from dojo_local.paths import WEB_OUT

# Secret values the test suites configure (long enough to be unmistakable in a bundle).
TEST_SECRETS = ("sk-test-grading", "service-key-secret", "sk-local", "sk-test")
SECRET_SETTINGS = (
    "DOJO_DATABASE_URL",
    "DOJO_JWT_SECRET",
    "DOJO_HOOK_SECRET",
    "DOJO_OPENAI_API_KEY",
    "DOJO_SUPABASE_SERVICE_KEY",
    "DOJO_VAPI_PRIVATE_KEY",
    "DOJO_VAPI_WEBHOOK_SECRET",
    "SUPABASE_SERVICE_ROLE_KEY",
)


def _bundle() -> list[tuple[Path, str]]:
    if not (WEB_OUT / "index.html").exists():
        pytest.skip("the web app is not built (run `make e2e`)")
    return [
        (path, path.read_text(encoding="utf-8", errors="ignore"))
        for path in WEB_OUT.rglob("*")
        if path.is_file() and path.suffix in {".js", ".html", ".txt", ".json", ".css"}
    ]


def test_no_service_role_key_or_secret_setting_is_referenced():
    for path, text in _bundle():
        assert "service_role" not in text, path
        for name in SECRET_SETTINGS:
            assert name not in text, f"{name} in {path}"


def test_no_secret_value_of_this_environment_or_the_tests_is_bundled(world):
    settings = get_settings()
    values = {
        getattr(settings, name).get_secret_value()
        for name, field in type(settings).model_fields.items()
        if "SecretStr" in str(field.annotation)
    }
    values |= {os.environ.get(name, "") for name in SECRET_SETTINGS}
    values |= set(TEST_SECRETS) | {world.env.hook_secret}
    values = {v for v in values if len(v) >= 6}
    assert world.env.hook_secret in values
    for path, text in _bundle():
        for value in values:
            assert value not in text, f"a secret value is in {path}"
