"""Secret settings from SSM Parameter Store or Secrets Manager, by the names the environment gives.

For a secret setting `<name>` (say `database_url`), production sets `DOJO_<NAME>_SSM` to an SSM
SecureString parameter name, or `DOJO_<NAME>_SECRET_ID` to a Secrets Manager secret id (append
`#key` to read one key of a JSON secret). Values are read through Powertools Parameters, which
caches them in memory for `POWERTOOLS_PARAMETERS_MAX_AGE` seconds (default 300). Without a name
the value comes from `DOJO_<NAME>` in the environment (or `.env`), as locally.

Powertools Parameters and boto3 are imported only when a name is configured and a setting is read,
never at import: a cold start that answers `/health` pays nothing for them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from dojo.errors import ServiceUnavailable

# Every SecretStr field of dojo.settings.Settings (a test keeps the two in step).
SECRET_SETTINGS = (
    "database_url",
    "openai_api_key",
    "vapi_private_key",
    "vapi_webhook_secret",
    "hook_secret",
    "supabase_service_key",
    "jwt_secret",
    "smtp_password",
)

Store = Literal["ssm", "secretsmanager"]


@dataclass(frozen=True)
class SecretRef:
    """Where one secret setting lives."""

    setting: str
    store: Store
    name: str
    json_key: str | None = None


def configured(environ: Mapping[str, str] | None = None) -> list[SecretRef]:
    """The secret settings whose SSM parameter or Secrets Manager secret is named in the env."""
    env = os.environ if environ is None else environ
    refs: list[SecretRef] = []
    for setting in SECRET_SETTINGS:
        prefix = f"DOJO_{setting.upper()}"
        ssm = env.get(f"{prefix}_SSM", "").strip()
        secret_id = env.get(f"{prefix}_SECRET_ID", "").strip()
        if ssm and secret_id:
            raise ValueError(f"set only one of {prefix}_SSM and {prefix}_SECRET_ID")
        if ssm:
            refs.append(SecretRef(setting, "ssm", ssm))
        elif secret_id:
            name, _, key = secret_id.partition("#")
            refs.append(SecretRef(setting, "secretsmanager", name, key or None))
    return refs


def _max_age(env: Mapping[str, str]) -> int:
    try:
        return max(0, int(env.get("POWERTOOLS_PARAMETERS_MAX_AGE", "300")))
    except ValueError:
        return 300


def fetch(ref: SecretRef, max_age: int = 300) -> str:
    """One secret's value (cached by Powertools for `max_age` seconds)."""
    from aws_lambda_powertools.utilities import parameters

    try:
        if ref.store == "ssm":
            value = parameters.get_parameter(ref.name, decrypt=True, max_age=max_age)
        else:
            value = parameters.get_secret(ref.name, max_age=max_age)
    except parameters.exceptions.GetParameterError as exc:
        # The name says what is missing; the cause never holds the value (there is none).
        raise ServiceUnavailable(
            f"the {ref.setting} secret could not be read from {ref.store} ({ref.name})",
            code="configuration_unavailable",
        ) from exc
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    if ref.json_key is None:
        return str(value)
    try:
        document = json.loads(value)
        return str(document[ref.json_key])
    except (ValueError, KeyError, TypeError):
        raise ServiceUnavailable(
            f"the {ref.setting} secret {ref.name} has no JSON key {ref.json_key!r}",
            code="configuration_unavailable",
        ) from None


def load(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Values of every configured secret setting, by setting name (empty when none is named)."""
    env = os.environ if environ is None else environ
    refs = configured(env)
    if not refs:
        return {}
    max_age = _max_age(env)
    return {ref.setting: fetch(ref, max_age) for ref in refs}
