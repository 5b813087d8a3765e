"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { useI18n } from "@/lib/i18n";
import { rememberCall } from "@/lib/voice";
import { Card, button, input, label, useErrorMessage } from "./ui";

type Drill = components["schemas"]["Drill"];
type BetterLine = components["schemas"]["BetterLine"];
type AskOut = components["schemas"]["AskOut"];
type Citation = components["schemas"]["Citation"];
type Started = components["schemas"]["Started"];

/** A drill: the category, its persona, why, and a button that starts a text session with it. */
export function DrillItem({ drill, testId }: { drill: Drill; testId?: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const errorMessage = useErrorMessage();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function practise() {
    if (!drill.persona_id) return;
    setBusy(true);
    setError(null);
    try {
      const started = await api.post<"/api/v1/sessions/start", Started>("/api/v1/sessions/start", {
        body: { mode: "text", persona_id: drill.persona_id },
      });
      if (started.call) rememberCall(started.session_id, started.call);
      router.push(`/sessions/view/?id=${started.session_id}`);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <div className="rounded-md border border-indigo-200 bg-indigo-50 p-3" data-testid={testId}>
      <p className="font-semibold text-slate-900">
        {drill.category_name}
        {drill.persona_name && <span className="font-normal text-slate-700"> · {t("coach.with", { name: drill.persona_name })}</span>}
      </p>
      <p className="mt-1 text-sm text-slate-700">{drill.why}</p>
      {drill.persona_id ? (
        <button type="button" className={`${button} mt-2`} disabled={busy} onClick={() => void practise()}>
          {t("coach.practiseNow")}
        </button>
      ) : (
        <p className="mt-2 text-sm text-slate-600">{t("coach.noPersona")}</p>
      )}
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/** The recommended next drill after a call. */
export function NextDrill({ drill }: { drill: Drill }) {
  const { t } = useI18n();
  return (
    <div>
      <h3 className="mb-2 font-semibold text-slate-900">{t("coach.nextDrill")}</h3>
      <DrillItem drill={drill} testId="next-drill" />
    </div>
  );
}

/** An improvement's better line and the knowledge-base chunks it cites. */
export function BetterLineView({ line }: { line: BetterLine }) {
  const { t } = useI18n();
  return (
    <div className="mt-2 rounded bg-green-50 p-2 text-green-900" data-testid="better-line">
      <p>
        <span className="font-semibold">{t("coach.betterLine")}:</span> “{line.text}”
      </p>
      {line.chunk_ids.length > 0 && (
        <p className="mt-1 text-xs text-green-800">{t("coach.sources", { ids: line.chunk_ids.map((id) => t("coach.chunk", { id })).join(", ") })}</p>
      )}
    </div>
  );
}

function cite(citation: Citation, t: ReturnType<typeof useI18n>["t"]): string {
  if (citation.kind === "turn") return t("coach.cite.turn", { n: citation.turn ?? "?" });
  if (citation.kind === "chunk") return t("coach.cite.chunk", { id: citation.chunk_id ?? "?" });
  return t("coach.cite.criterion");
}

/** "Ask the coach": a question about this call, the answer and what it rests on. */
export function AskCoach({ sessionId, onTurn }: { sessionId: string; onTurn?: (turn: number) => void }) {
  const { t } = useI18n();
  const errorMessage = useErrorMessage();
  const [question, setQuestion] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [answer, setAnswer] = useState<AskOut | null>(null);

  async function ask(event: FormEvent) {
    event.preventDefault();
    if (!question.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const reply = await api.post<"/api/v1/feedback/sessions/{session_id}/ask", AskOut>("/api/v1/feedback/sessions/{session_id}/ask", {
        path: { session_id: sessionId },
        body: { question: question.trim() },
      });
      setAnswer(reply);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t("coach.ask")} actions={answer?.coach.offline ? <span className="text-xs text-slate-500">{answer.coach.label}</span> : null}>
      <form onSubmit={ask} className="space-y-2" aria-label={t("coach.ask")}>
        <label htmlFor="coach-question" className={label}>
          {t("coach.question")}
        </label>
        <textarea
          id="coach-question"
          rows={2}
          className={input}
          placeholder={t("coach.placeholder")}
          value={question}
          maxLength={500}
          onChange={(e) => setQuestion(e.target.value)}
          disabled={busy}
        />
        <button type="submit" className={button} disabled={busy || question.trim().length < 3}>
          {busy ? t("coach.asking") : t("coach.send")}
        </button>
      </form>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      )}
      {answer && (
        <div className="mt-4 space-y-2" data-testid="coach-answer">
          <p className="whitespace-pre-line text-sm text-slate-900">{answer.answer}</p>
          {answer.citations.length > 0 && (
            <div>
              <p className="text-xs font-semibold uppercase text-slate-500">{t("coach.citations")}</p>
              <ul className="mt-1 space-y-1">
                {answer.citations.map((citation, i) => (
                  <li key={i} className="text-xs text-slate-600" data-testid={`citation-${citation.kind}`}>
                    {citation.kind === "turn" && onTurn && citation.turn !== null && citation.turn !== undefined ? (
                      <button type="button" className="text-indigo-700 underline" onClick={() => onTurn(citation.turn as number)}>
                        {cite(citation, t)}
                      </button>
                    ) : (
                      <span className="font-medium">{cite(citation, t)}</span>
                    )}
                    : “{citation.text}”
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </Card>
  );
}

/** The personal plan on the progress page: the next three drills. */
export function PracticePlan({ drills }: { drills: Drill[] }) {
  const { t } = useI18n();
  if (drills.length === 0) return null;
  return (
    <Card title={t("coach.plan")}>
      <p className="mb-3 text-sm text-slate-600">{t("coach.planHint")}</p>
      <ol className="grid gap-3 md:grid-cols-3" data-testid="practice-plan">
        {drills.map((drill) => (
          <li key={drill.category}>
            <DrillItem drill={drill} />
          </li>
        ))}
      </ol>
    </Card>
  );
}
