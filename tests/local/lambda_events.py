"""API Gateway HTTP API (payload 2.0) events and a Lambda context, as AWS sends them."""

from __future__ import annotations

import json
from typing import Any

PROBE = r"""
import json, sys, types
flow, event = sys.argv[1], json.loads(sys.argv[2])
handler = __import__(f"{flow}.handler", fromlist=["lambda_handler"])
context = types.SimpleNamespace(
    function_name=flow, memory_limit_in_mb=512, aws_request_id="req-1",
    invoked_function_arn=f"arn:aws:lambda:us-east-1:123456789012:function:{flow}",
)
response = handler.lambda_handler(event, context)
others = sorted({m.split(".")[0] for m in sys.modules} & (set(sys.argv[3].split(",")) - {flow}))
print(json.dumps({"response": response, "foreign": others,
                  "dojo": sys.modules["dojo"].__file__}))
"""


def http_event(method: str, path: str, body: Any = None, headers: dict[str, str] | None = None):
    """An HTTP API v2 event (also the Function URL shape)."""
    return {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {
            "host": "api.example.com",
            "content-type": "application/json",
            **(headers or {}),
        },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "api",
            "domainName": "api.example.com",
            "domainPrefix": "api",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.1",
                "userAgent": "test",
            },
            "requestId": "apigw-request-1",
            "routeKey": f"{method} {path}",
            "stage": "$default",
            "time": "26/Nov/2026:10:00:00 +0000",
            "timeEpoch": 1795000000000,
        },
        "body": json.dumps(body) if body is not None else None,
        "isBase64Encoded": False,
    }
