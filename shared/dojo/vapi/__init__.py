"""Vapi, by concern (facts: `shared/reference/vapi.md`, section numbers in the modules).

- `assistant`: what we send to start a call, the transient assistant (`extra="forbid"` models);
- `messages` and `parsing`: what Vapi sends us, server messages read tolerantly and safely;
- `replies`: what we answer to a `tool-calls` message;
- `transcript`: a report's conversation as the turns we store, and what the report saves;
- `auth`: authenticating Vapi's requests (HMAC or bearer);
- `client`: Vapi's REST API.

Import the module you need: the webhook never loads the assistant models or the HTTP client.
"""

from __future__ import annotations

TOOL_NAME = "search_knowledge_base"
