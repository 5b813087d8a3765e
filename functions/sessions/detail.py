"""One session as its reader sees it, with a playable recording once it is ours."""

from __future__ import annotations

import uuid

from dojo import recordings
from dojo.auth import Principal
from dojo.db import tenant_transaction
from sessions.models import SessionDetail
from sessions.store import sessions as store


def read(principal: Principal, session_id: uuid.UUID) -> SessionDetail:
    """The session (RLS: its salesperson, or a manager of its company; else 404).

    The recording's URL is signed after the transaction: signing may be a call to Storage, and
    no connection waits on one.
    """
    with tenant_transaction(principal.claims) as conn:
        row = store.visible(conn, session_id)
    url = recordings.signed_url(row["recording_path"])
    return SessionDetail.from_row(row, recording_url=url)
