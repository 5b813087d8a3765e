"""A generated sweep over the whole public API: Schemathesis, from the merged OpenAPI, against the
real gateway and the embedded database, with valid tokens of a seeded company.

Each operation is one test. Its examples come from Schemathesis' phases (the schema's examples, the
coverage phase's boundary and schema-violating values, then fuzzing, bounded by `max-examples`)
with a fixed seed, so a run is repeatable. Every response must be below 500, every 4xx/5xx must be
the one error shape, and every response must match what the operation declares (status, content
type, body schema); an operation that requires a token must refuse a request without one.

Nothing is excluded: the only outside services (Vapi, the model providers) are respx mocks or the
offline providers. Two of Schemathesis' checks are off, each for a reason:
- `positive_data_acceptance`: schema-valid input may still be refused (a random id is a 404, a
  second company is a 409), which is correct behaviour, not a defect;
- `unsupported_method`: a method a path does not route is answered by the gateway as API
  Gateway does (404 from the catch-all), not 405.
And one more for multipart file uploads only: `negative_data_rejection`. A "file" of the wrong
JSON type (an integer where `format: binary` is declared) still travels as a file part of bytes,
and a file's content is judged per document after the upload (a bad file fails its own document,
never the batch), so accepting it is the design, not a defect.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest
import respx
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from psycopg.rows import dict_row
from schemathesis.config import SchemathesisConfig

from dojo.settings import get_settings
from dojo_local import runtime
from dojo_local.gateway import build_gateway
from dojo_local.openapi import merged_openapi
from tests.conftest import TABLES, LocalWorld
from tests.functions.sessions.data import VAPI, vapi_env
from tests.local.conftest import Seeded, seed_company

SEED = 20261203
MAX_EXAMPLES = 12
ROLES = ("admin", "manager", "seller")

# Values that broke the API before (issue 12), mixed into generated strings and integers: NUL,
# blank text, integers past bigint.
HOSTILE_TEXT = ["\u0000", "a\u0000b", "   ", "%00", "\\u0000", "' or 1=1 --", "\u202e"]
HOSTILE_INTEGERS = [2**63, 2**63 - 1, -(2**63) - 1, 2**64 + 1, 2**31, 10**30, -1, 0]
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "generation": {
            "mode": "all",
            "max-examples": MAX_EXAMPLES,
            "allow-x00": True,
            # the token is ours (each example runs as one of the seeded roles), never generated
            "with-security-parameters": False,
            # unknown query parameters are ignored, as FastAPI does: not a schema violation
            "allow-extra-parameters": True,
            "dictionaries": {
                "string": {"dictionary": "hostile-text", "probability": 0.3},
                "integer": {"dictionary": "hostile-integers", "probability": 0.3},
            },
        },
        "dictionaries": {
            "hostile-text": {"values": HOSTILE_TEXT},
            "hostile-integers": {"values": HOSTILE_INTEGERS},
        },
        "phases": {"stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_dict(merged_openapi(), config=CONFIG)
# The gateway only imports the apps here; settings, tokens and the database are read per request.
schema.app = build_gateway()

_SENT = {"examples": 0}


@pytest.fixture(scope="module")
def company(world: LocalWorld) -> Iterator[Seeded]:
    """One seeded company for the whole sweep (in emptied tables), Vapi answered by respx.

    Seeded once, not per operation: what one operation changed (an archived persona, a new
    document) is what the next one meets, as on a real server.
    """
    with psycopg.connect(world.env.database_url, autocommit=True) as conn:
        conn.execute(f"truncate {TABLES} restart identity cascade")
    runtime.apply_settings(world.env)
    with pytest.MonkeyPatch.context() as patch, respx.mock(assert_all_called=False) as outside:
        vapi_env(patch, mode="bearer")
        outside.route(host="127.0.0.1").pass_through()
        call = {"id": "call-sweep", "webCallUrl": "https://vapi.test/room"}
        outside.post(f"{VAPI}/call/web").mock(return_value=httpx.Response(201, json=call))
        with (
            psycopg.connect(world.env.database_url, autocommit=True, row_factory=dict_row) as sql,
            TestClient(schema.app) as api,
        ):
            yield seed_company(world, sql, api)
        get_settings.cache_clear()


@pytest.fixture(scope="module")
def gateway(company: Seeded) -> Iterator[Any]:
    """One in-process ASGI client for the whole sweep; prints what the sweep sent (with -s)."""
    from schemathesis.python import asgi

    started = time.monotonic()
    with asgi.get_client(schema.app) as client:
        yield client
    elapsed = time.monotonic() - started
    print(f"\nAPI sweep: {_SENT['examples']} examples in {elapsed:.1f} s")


def _steer(case: Any, seeded: Seeded) -> None:
    """Point about half the generated ids at the seeded company's, so routes find something.

    Deletes and member ids stay random: the seeded people and rows must last the whole sweep.
    """
    ids = seeded.ids()
    for part in (case.path_parameters, case.query):
        if not isinstance(part, dict) or case.method.upper() == "DELETE":
            continue
        for name, value in part.items():
            if name in ids and _is_uuid(value) and uuid.UUID(str(value)).int % 2 == 0:
                part[name] = str(ids[name])


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _assert_error_shape(response: Any) -> None:
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    for key in ("code", "message", "request_id"):
        assert isinstance(error.get(key), str) and error[key], body
    assert response.headers.get("x-request-id") == [error["request_id"]]


@schema.parametrize()
@settings(
    deadline=None,
    database=None,  # repeatable: no examples replayed from an earlier local run
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_api(case: Any, company: Seeded, gateway: Any) -> None:
    """No 5xx, every error in the one shape, responses as declared, tokens enforced."""
    _SENT["examples"] += 1
    user = getattr(company, ROLES[_SENT["examples"] % len(ROLES)])
    _steer(case, company)
    response = case.call(session=gateway, headers=dict(user.headers))
    assert response.status_code < 500, (case.as_curl_command(), response.text)
    if response.status_code >= 400:
        _assert_error_shape(response)
    excluded = [
        schemathesis.checks.positive_data_acceptance,
        schemathesis.checks.unsupported_method,
    ]
    if case.media_type == "multipart/form-data":
        excluded.append(schemathesis.checks.negative_data_rejection)
    case.validate_response(
        response,
        excluded_checks=excluded,
        headers=dict(user.headers),
        transport_kwargs={"session": gateway},
    )
