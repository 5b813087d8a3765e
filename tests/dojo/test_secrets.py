"""Secret settings: SSM and Secrets Manager by name (moto), cached by Powertools, env locally."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
import uuid

import boto3
import pytest
from aws_lambda_powertools.utilities import parameters
from moto import mock_aws
from pydantic import SecretStr

from dojo import secrets
from dojo.errors import ServiceUnavailable
from dojo.http import create_app
from dojo.settings import Settings, get_settings
from dojo_local.paths import FLOWS, FUNCTIONS, REPO


@pytest.fixture
def aws(monkeypatch):
    """Fake credentials, a fresh moto account, no Powertools cache and no cached settings."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SECURITY_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for setting in secrets.SECRET_SETTINGS:
        for suffix in ("_SSM", "_SECRET_ID"):
            monkeypatch.delenv(f"DOJO_{setting.upper()}{suffix}", raising=False)
    parameters.clear_caches()
    get_settings.cache_clear()
    with mock_aws():
        yield
    parameters.clear_caches()
    get_settings.cache_clear()


def _ssm():
    return boto3.client("ssm", region_name="us-east-1")


def _sm():
    return boto3.client("secretsmanager", region_name="us-east-1")


def test_secret_settings_list_matches_the_settings_model():
    fields = {n for n, f in Settings.model_fields.items() if f.annotation is SecretStr}
    assert set(secrets.SECRET_SETTINGS) == fields


def test_ssm_secure_string_wins_over_the_environment(aws, monkeypatch):
    _ssm().put_parameter(
        Name="/dojo/prod/database-url",
        Value="postgresql://postgres.ref:s3cret@pooler.supabase.com:6543/postgres",
        Type="SecureString",
    )
    monkeypatch.setenv("DOJO_DATABASE_URL", "postgresql://local")
    monkeypatch.setenv("DOJO_DATABASE_URL_SSM", "/dojo/prod/database-url")
    settings = get_settings()
    assert settings.database_url.get_secret_value().endswith("@pooler.supabase.com:6543/postgres")
    assert "s3cret" not in repr(settings) and "s3cret" not in str(settings.database_url)


def test_secrets_manager_plain_and_json_key(aws, monkeypatch):
    _sm().create_secret(Name="dojo/prod/openai", SecretString="sk-test-openai")
    _sm().create_secret(
        Name="dojo/prod/vapi", SecretString=json.dumps({"private": "vapi-priv", "webhook": "wh"})
    )
    monkeypatch.setenv("DOJO_OPENAI_API_KEY_SECRET_ID", "dojo/prod/openai")
    monkeypatch.setenv("DOJO_VAPI_PRIVATE_KEY_SECRET_ID", "dojo/prod/vapi#private")
    monkeypatch.setenv("DOJO_VAPI_WEBHOOK_SECRET_SECRET_ID", "dojo/prod/vapi#webhook")
    settings = get_settings()
    assert settings.openai_api_key.get_secret_value() == "sk-test-openai"
    assert settings.vapi_private_key.get_secret_value() == "vapi-priv"
    assert settings.vapi_webhook_secret.get_secret_value() == "wh"


def test_values_are_cached_until_the_cache_is_cleared(aws, monkeypatch):
    ssm = _ssm()
    ssm.put_parameter(Name="/dojo/prod/hook-secret", Value="first", Type="SecureString")
    monkeypatch.setenv("DOJO_HOOK_SECRET_SSM", "/dojo/prod/hook-secret")
    assert get_settings().hook_secret.get_secret_value() == "first"

    ssm.put_parameter(
        Name="/dojo/prod/hook-secret", Value="rotated", Type="SecureString", Overwrite=True
    )
    get_settings.cache_clear()  # settings rebuilt, but within max_age Powertools has the value
    assert get_settings().hook_secret.get_secret_value() == "first"

    parameters.clear_caches()
    get_settings.cache_clear()
    assert get_settings().hook_secret.get_secret_value() == "rotated"


def test_max_age_zero_reads_every_time(aws, monkeypatch):
    ssm = _ssm()
    ssm.put_parameter(Name="/dojo/prod/jwt", Value="one", Type="SecureString")
    monkeypatch.setenv("POWERTOOLS_PARAMETERS_MAX_AGE", "0")
    env = {"DOJO_JWT_SECRET_SSM": "/dojo/prod/jwt", "POWERTOOLS_PARAMETERS_MAX_AGE": "0"}
    assert secrets.load(env) == {"jwt_secret": "one"}
    ssm.put_parameter(Name="/dojo/prod/jwt", Value="two", Type="SecureString", Overwrite=True)
    assert secrets.load(env) == {"jwt_secret": "two"}


def test_a_missing_secret_is_a_clear_503_naming_it(aws, monkeypatch):
    monkeypatch.setenv("DOJO_SUPABASE_SERVICE_KEY_SSM", "/dojo/prod/missing")
    with pytest.raises(ServiceUnavailable) as info:
        get_settings()
    assert info.value.status_code == 503
    assert (
        "supabase_service_key" in info.value.message and "/dojo/prod/missing" in info.value.message
    )


def test_a_json_secret_without_the_key_is_refused(aws):
    _sm().create_secret(Name="dojo/prod/bundle", SecretString=json.dumps({"a": "b"}))
    with pytest.raises(ServiceUnavailable, match="no JSON key 'zzz'"):
        secrets.load({"DOJO_HOOK_SECRET_SECRET_ID": "dojo/prod/bundle#zzz"})


def test_both_stores_for_one_secret_is_a_configuration_error():
    env = {"DOJO_HOOK_SECRET_SSM": "/a", "DOJO_HOOK_SECRET_SECRET_ID": "b"}
    with pytest.raises(ValueError, match="only one of"):
        secrets.configured(env)


def test_locally_secrets_come_from_the_environment_without_aws(monkeypatch):
    monkeypatch.setenv("DOJO_OPENAI_API_KEY", "sk-local")
    for setting in secrets.SECRET_SETTINGS:
        monkeypatch.delenv(f"DOJO_{setting.upper()}_SSM", raising=False)
    assert secrets.load() == {}
    get_settings.cache_clear()
    try:
        assert get_settings().openai_api_key.get_secret_value() == "sk-local"
    finally:
        get_settings.cache_clear()


def test_boto3_is_not_loaded_at_cold_start():
    """Importing every handler (a secret named) loads no boto3; nor do settings without names."""
    code = (
        "import os, sys\n"
        f"for flow in {list(FLOWS)!r}:\n"
        "    __import__(f'{flow}.handler')\n"
        "def aws_loaded():  # Powertools' user-agent hook imports the botocore package alone\n"
        "    names = (m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore'))\n"
        "    return sorted(set(names) - {'botocore'})\n"
        "assert not aws_loaded(), aws_loaded()\n"
        "assert 'aws_lambda_powertools.utilities.parameters' not in sys.modules\n"
        "del os.environ['DOJO_DATABASE_URL_SSM']\n"
        "from dojo.settings import get_settings\n"
        "assert get_settings().environment == 'production'\n"
        "assert not aws_loaded(), aws_loaded()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_SSM", "_SECRET_ID"))}
    env.update(
        PYTHONPATH=os.pathsep.join([str(FUNCTIONS), str(REPO / "shared")]),
        DOJO_ENVIRONMENT="production",
        DOJO_DATABASE_URL_SSM="/dojo/prod/database-url",
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_no_secret_reaches_the_logs_after_a_full_request_cycle(
    api, make_user, world, monkeypatch, capfd
):
    """Bad and good tokens, wrong hook secret, bad Vapi signature, a 500: no secret is logged."""
    markers = {
        "openai_api_key": "sk-proj-LEAKCHECKopenai0123456789",
        "vapi_private_key": "vapi-private-LEAKCHECK-7f3a",
        "vapi_webhook_secret": "vapi-webhook-LEAKCHECK-91c2",
        "supabase_service_key": "eyJsupabase.LEAKCHECK.service",
        "jwt_secret": "jwt-secret-LEAKCHECK-at-least-32-bytes-long",
        "smtp_password": "smtp-password-LEAKCHECK-5e1d",
    }
    for setting, value in markers.items():
        monkeypatch.setenv(f"DOJO_{setting.upper()}", value)
    get_settings.cache_clear()
    try:
        settings = get_settings()
        values = [getattr(settings, s).get_secret_value() for s in secrets.SECRET_SETTINGS]
        assert all(values), "every secret setting has a value to look for"
        user = make_user("Acme", "admin")
        bad = user.token[:-6] + "AAAAAA"
        capfd.readouterr()

        assert (
            api.get("/api/v1/auth/me", headers={"authorization": f"Bearer {bad}"}).status_code
            == 401
        )
        assert api.get("/api/v1/auth/me", headers=user.headers).status_code == 200
        wrong_hook = api.post(
            "/internal/onboarding/hook",
            json={
                "type": "document.uploaded",
                "document_id": str(uuid.uuid4()),
                "company_id": str(user.company_id),
            },
            headers={"x-dojo-hook-secret": settings.hook_secret.get_secret_value() + "x"},
        )
        assert wrong_hook.status_code in (401, 403)
        vapi = api.post(
            "/api/v1/webhooks/vapi",
            json={"message": {"type": "status-update", "call": {"id": "c1"}}},
            headers={"x-signature": "bad", "x-timestamp": "1", "authorization": "Bearer nope"},
        )
        assert vapi.status_code == 401

        app = create_app("probe", title="probe")

        @app.get("/boom")
        def boom() -> None:
            configured = get_settings()
            raise RuntimeError(f"provider failed for {configured.openai_api_key}")

        from dojo.lambda_entry import make_handler
        from tests.local.lambda_events import http_event

        context = types.SimpleNamespace(
            function_name="probe",
            memory_limit_in_mb=128,
            aws_request_id="r",
            invoked_function_arn="arn:aws:lambda:us-east-1:1:function:probe",
        )
        event = http_event("GET", "/boom", headers={"authorization": f"Bearer {user.token}"})
        assert make_handler(app)(event, context)["statusCode"] == 500

        out, err = capfd.readouterr()
        assert "unhandled error" in out  # the 500 was logged, so the logs were captured
        for value in [*values, user.token, bad]:
            assert value not in out and value not in err
    finally:
        get_settings.cache_clear()
