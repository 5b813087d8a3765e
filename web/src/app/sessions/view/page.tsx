"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useEffect, useRef, useState, type FormEvent } from "react";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { isScored, type Feedback, type Me, type Session, type Started, type Turn, type TurnResult } from "@/api/types";
import { OverrideForm } from "@/components/OverrideForm";
import { Retries } from "@/components/Retries";
import { Scorecard } from "@/components/Scorecard";
import { Recording } from "@/components/Recording";
import { Page } from "@/components/Shell";
import { Transcript } from "@/components/Transcript";
import { VoiceCall } from "@/components/VoiceCall";
import { Badge, Card, ErrorBox, Loading, button, buttonDanger, input, useErrorMessage } from "@/components/ui";
import { hasRole } from "@/lib/auth";
import { useI18n } from "@/lib/i18n";
import { isKey, type Key } from "@/lib/messages";
import { useLive, useResource } from "@/lib/useResource";
import { recallCall, rememberCall, type CallInfo } from "@/lib/voice";

type Linked = Pick<components["schemas"]["SessionDetail"], "retry_of" | "from_turn">;

function Chat({ session, onChange }: { session: Session; onChange: (s: Session) => void }) {
  const { t } = useI18n();
  const errorMessage = useErrorMessage();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send(event: FormEvent) {
    event.preventDefault();
    const message = text.trim();
    if (!message) return;
    setBusy(true);
    setError(null);
    try {
      const result = await api.post<"/api/v1/sessions/{session_id}/messages", TurnResult>("/api/v1/sessions/{session_id}/messages", {
        path: { session_id: session.id },
        body: { text: message },
      });
      setText("");
      onChange({
        ...session,
        status: result.status,
        ended_reason: result.ended_reason,
        transcript: [...(session.transcript ?? []).filter((turn) => turn.index < (result.turns[0]?.index ?? Infinity)), ...result.turns],
      });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function end() {
    setBusy(true);
    try {
      const ended = await api.post<"/api/v1/sessions/{session_id}/end", Session>("/api/v1/sessions/{session_id}/end", { path: { session_id: session.id } });
      onChange({ ...session, ...ended, transcript: ended.transcript ?? session.transcript });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={send} className="mt-4 space-y-2" aria-label={t("session.chat")}>
      <label htmlFor="message" className="sr-only">
        {t("session.message")}
      </label>
      <textarea
        id="message"
        rows={2}
        className={input}
        placeholder={t("session.placeholder")}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey) {
            e.preventDefault();
            e.currentTarget.form?.requestSubmit();
          }
        }}
        disabled={busy}
        maxLength={2000}
      />
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <div className="flex flex-wrap justify-between gap-3">
        <button type="submit" className={button} disabled={busy || !text.trim()}>
          {busy ? t("session.sending") : t("session.send")}
        </button>
        <button type="button" className={buttonDanger} disabled={busy} onClick={() => void end()}>
          {t("session.end")}
        </button>
      </div>
    </form>
  );
}

function FeedbackSection({ sessionId, me, onTurn }: { sessionId: string; me: Me; onTurn: (turn: number) => void }) {
  const [override, setOverride] = useState<Feedback | null>(null);
  const feedback = useResource(
    () => api.get<"/api/v1/feedback/sessions/{session_id}", Feedback>("/api/v1/feedback/sessions/{session_id}", { path: { session_id: sessionId } }),
    [sessionId],
  );
  // Keep listening while grading runs: the scorecard appears without a reload.
  useLive(feedback.reload, { live: feedback.data?.status === "pending", table: "feedback", filter: `session_id=eq.${sessionId}` });
  const shown = override ?? feedback.data;
  if (feedback.loading && !shown) return <Loading />;
  if (feedback.error && !shown) return <ErrorBox error={feedback.error} onRetry={() => void feedback.reload()} />;
  if (!shown) return null;
  return (
    <div className="space-y-6">
      <Scorecard feedback={shown} onTurn={onTurn} />
      {hasRole(me.role, "manager") && isScored(shown) && <OverrideForm feedback={shown} onSaved={setOverride} />}
    </div>
  );
}

function SessionView({ me }: { me: Me }) {
  const { t, date } = useI18n();
  const id = useSearchParams().get("id") ?? "";
  const [local, setLocal] = useState<Session | null>(null);
  const [call, setCall] = useState<CallInfo | null>(null);
  const [highlight, setHighlight] = useState<number | null>(null);
  const [retryError, setRetryError] = useState<string | null>(null);
  const router = useRouter();
  const errorMessage = useErrorMessage();
  const audio = useRef<HTMLAudioElement>(null);
  const remote = useResource(
    () => api.get<"/api/v1/sessions/{session_id}", Session>("/api/v1/sessions/{session_id}", { path: { session_id: id } }),
    [id],
  );
  const session = local ?? remote.data;
  const awaitingReport = session?.mode === "voice" && session.status !== "ended" && session.status !== "failed";
  // A voice transcript arrives with Vapi's end-of-call report: poll the session until then.
  useLive(() => remote.reload().then(() => setLocal(null)), { live: awaitingReport && !call });
  useEffect(() => {
    if (id) setCall(recallCall(id));
    // another session opened in place (a retry, or back to its original): forget this one's state
    setLocal(null);
    setHighlight(null);
  }, [id]);

  if (!id) return <ErrorBox error={new Error(t("session.missingId"))} />;
  if (remote.loading && !session) return <Loading />;
  if (remote.error && !session)
    return (
      <div data-testid="session-error">
        <ErrorBox error={remote.error} />
        <Link href="/sessions/" className="mt-3 inline-block text-sm text-indigo-700 underline">
          {t("session.back")}
        </Link>
      </div>
    );
  if (!session) return null;
  const mine = session.user_id === me.user_id;
  const chatting = mine && session.mode === "text" && session.status === "active";
  const ended = session.status === "ended";

  async function retryFrom(turn: number) {
    if (!session) return;
    setRetryError(null);
    try {
      const started = await api.post<"/api/v1/sessions/start", Started>("/api/v1/sessions/start", {
        body: { mode: session.mode, retry_of: session.id, from_turn: turn },
      });
      if (started.call) rememberCall(started.session_id, started.call);
      setLocal(null);
      router.push(`/sessions/view/?id=${started.session_id}`);
    } catch (err) {
      setRetryError(errorMessage(err));
    }
  }

  // Clicking a turn plays the recording from that turn's start (turns carry seconds from start).
  function seek(turn: Turn) {
    const player = audio.current;
    if (!player) return;
    player.currentTime = turn.start;
    setHighlight(turn.index);
    void player.play()?.catch(() => undefined);
  }

  function showTurn(turn: number) {
    setHighlight(turn);
    document.getElementById(`turn-${turn}`)?.scrollIntoView({ behavior: "smooth", block: "center" });
  }

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold text-slate-900">{session.persona.name ?? t("session.title")}</h1>
          <p className="text-sm text-slate-600">
            {session.persona.role} · {t(`practice.mode.${session.mode}`)} · {date(session.started_at ?? session.created_at)}
          </p>
          {(session as Session & Linked).retry_of && (
            <Link href={`/sessions/view/?id=${(session as Session & Linked).retry_of}`} className="text-sm text-indigo-700 underline" data-testid="retry-of">
              {t("session.retryOf", { turn: (session as Session & Linked).from_turn ?? 0 })}
            </Link>
          )}
        </div>
        <span data-testid="session-status">
          <Badge value={session.status} text={t(`status.${session.status}`)} />
        </span>
      </div>
      {session.ended_reason && (
        <p className="text-sm text-slate-600">
          {t("session.endedReason", { reason: isKey(`reason.${session.ended_reason}`) ? t(`reason.${session.ended_reason}` as Key) : session.ended_reason })}
        </p>
      )}
      {session.mode === "voice" && mine && call && (session.status === "created" || session.status === "active") && (
        <VoiceCall
          sessionId={session.id}
          call={call}
          onEnd={async () => {
            setCall(null);
            const ended = await api.post<"/api/v1/sessions/{session_id}/end", Session>("/api/v1/sessions/{session_id}/end", { path: { session_id: session.id } });
            setLocal({ ...session, ...ended });
          }}
        />
      )}
      <Card title={t("session.transcript")}>
        {(session.transcript ?? []).length === 0 ? (
          <p className="text-sm text-slate-600">{awaitingReport ? t("session.awaitingReport") : t("session.noTurns")}</p>
        ) : (
          <Transcript
            turns={session.transcript ?? []}
            persona={session.persona.name ?? "?"}
            highlight={highlight}
            onRetry={mine && ended ? (turn) => void retryFrom(turn) : undefined}
            onSeek={session.recording_url ? seek : undefined}
          />
        )}
        {retryError && (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {retryError}
          </p>
        )}
        {chatting && <Chat session={session} onChange={setLocal} />}
      </Card>
      {session.mode === "voice" && ended && (
        <Card title={t("recording.title")}>
          <Recording url={session.recording_url} latency={session.latency} audio={audio} />
        </Card>
      )}
      {ended && <FeedbackSection sessionId={session.id} me={me} onTurn={showTurn} />}
      {ended && <Retries sessionId={session.id} />}
    </div>
  );
}

export default function SessionPage() {
  return (
    <Page>
      {(me) => (
        <Suspense fallback={<Loading />}>
          <SessionView me={me} />
        </Suspense>
      )}
    </Page>
  );
}
