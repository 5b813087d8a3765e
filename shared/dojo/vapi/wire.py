"""The two kinds of Vapi payload: what we send (strict) and what we receive (tolerant).

What we send is built from `extra="forbid"` models, so a misspelled or removed field fails here and
never reaches Vapi (which answers 400 "property X should not exist" to unknown properties, §7).
What we receive is read tolerantly: Vapi adds fields and message types all the time (§1.2, §2.2),
so only what we read is declared.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class Outgoing(BaseModel):
    """A payload we send: camelCase on the wire, unknown fields refused."""

    model_config = ConfigDict(
        extra="forbid", alias_generator=to_camel, validate_by_name=True, validate_by_alias=True
    )

    def wire(self) -> dict[str, Any]:
        """The JSON body Vapi receives."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class Incoming(BaseModel):
    """A payload Vapi sends: camelCase accepted, unknown fields ignored, numbers finite."""

    model_config = ConfigDict(
        extra="ignore",
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        allow_inf_nan=False,
    )
