"""The demo's voice step: a call's end-of-call report arrives, its recording becomes ours.

No Vapi account locally, so the demo stands in for Vapi twice: it binds a voice session to a call
id (as `POST /sessions/start` does once Vapi created the web call) and serves the call's recording
on loopback. The report itself goes through the real webhook (signed), which saves the transcript
and latency and copies the recording into local storage; the salesperson then reads the session
through the API and plays the recording from its signed URL.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import psycopg

from dojo.settings import get_settings
from dojo.vapi.auth import sign
from dojo_local.server import free_port

# (speaker, text, start s, end s): a short call with one slow answer and an interruption
TURNS = [
    ("bot", "Alô? Aqui é a Marina, da Construtora Horizonte.", 0.62, 3.10),
    ("user", "Bom dia, Marina! Aqui é o Rafael, da Nuvem Fiscal.", 3.85, 7.20),
    ("bot", "Bom dia. Em que posso ajudar?", 8.02, 9.70),
    ("user", "Como está a emissão de notas com as obras novas?", 10.40, 16.90),
    ("bot", "Virou um gargalo, o financeiro fecha o mês atrasado.", 18.95, 24.30),
    ("user", "E quem cuida disso hoje?", 25.00, 27.35),
    ("bot", "O financeiro. Mas já temos um sistema.", 27.05, 31.40),
    ("user", "Posso mostrar quanto tempo vocês economizariam?", 32.10, 35.60),
    ("bot", "Pode. Me manda um horário na quinta.", 36.28, 39.10),
]
SILENCE_WAV = (
    b"RIFF"
    + (36 + 8000).to_bytes(4, "little")
    + b"WAVEfmt "
    + bytes.fromhex("10000000010001001f0000003e00000200100064617461")
    + (8000).to_bytes(4, "little")
    + bytes(8000)
)


def _serve(body: bytes) -> tuple[ThreadingHTTPServer, str]:
    class Recording(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "audio/wav")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            return

    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Recording)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{port}"


def _report(call_id: str, recording: str) -> dict[str, Any]:
    t0 = int(time.time() * 1000) - 45_000
    messages = [
        {
            "role": role,
            "message": text,
            "time": t0 + round(start * 1000),
            "endTime": t0 + round(end * 1000),
            "secondsFromStart": start,
            "duration": round((end - start) * 1000),
        }
        for role, text, start, end in TURNS
    ]
    started = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(t0 / 1000))
    ended = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(t0 / 1000 + 39.6))
    return {
        "message": {
            "type": "end-of-call-report",
            "endedReason": "customer-ended-call",
            "startedAt": started,
            "endedAt": ended,
            "cost": 0.0981,
            "analysis": {},
            "artifact": {"messages": messages, "recordingUrl": f"{recording}/{call_id}-mono.wav"},
            "call": {"id": call_id, "type": "webCall", "status": "ended", "cost": 0.0981},
        }
    }


def _bind_call(database_url: str, email: str, persona_id: str, call_id: str) -> str:
    with psycopg.connect(database_url, autocommit=True) as conn:
        row = conn.execute(
            "insert into public.training_sessions (company_id, user_id, persona_id, mode, status,"
            " vapi_call_id, rubric_version, persona_snapshot, started_at)"
            " select p.company_id, p.id, %s, 'voice', 'active', %s, %s, '{}', now()"
            " from public.profiles p where p.email = %s returning id",
            (persona_id, call_id, get_settings().rubric_version, email),
        ).fetchone()
    assert row is not None
    return str(row[0])


def demo_voice(client: Any, salesperson: str, persona_id: str | None) -> dict[str, Any]:
    """Bind a call, deliver its signed report, read the session and play its recording."""
    if persona_id is None:
        return {"skipped": "no persona to call"}
    secret = get_settings().vapi_webhook_secret.get_secret_value() or "demo-webhook-secret"
    os.environ.update(DOJO_VAPI_WEBHOOK_SECRET=secret, DOJO_VAPI_AUTH_MODE="hmac")
    get_settings.cache_clear()
    server, recordings = _serve(SILENCE_WAV)
    try:
        call_id = f"demo-{uuid.uuid4()}"
        sid = _bind_call(client.env.database_url, salesperson, persona_id, call_id)
        body = json.dumps(_report(call_id, recordings)).encode()
        stamp = str(int(time.time() * 1000))
        headers = {"x-timestamp": stamp, "x-signature": sign(body, secret, stamp)}
        reply = client.http.post("/api/v1/webhooks/vapi", content=body, headers=headers)
        reply.raise_for_status()
        session = client.call("GET", f"/api/v1/sessions/{sid}", salesperson)
        played = client.http.get(session["recording_url"]) if session["recording_url"] else None
        return {
            "session_id": sid,
            "latency": session["latency"],
            "recording_copied": played is not None and played.content == SILENCE_WAV,
            "recording_bytes": len(played.content) if played is not None else 0,
            "turns": len(session["transcript"]),
        }
    finally:
        server.shutdown()
