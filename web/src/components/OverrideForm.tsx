"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { api } from "@/api/client";
import { isScored, type Feedback, type RegradeJob, type ScoredFeedback } from "@/api/types";
import { useI18n } from "@/lib/i18n";
import { Card, button, buttonSecondary, input, label, useErrorMessage } from "./ui";

const POLL_MS = 2000;
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new DOMException("aborted", "AbortError"));
    });
  });

/** A regrade is a job (202): read the scorecard until it is no longer regrading. A job that
 * already finished (a fast grader) is read at once; one still running is polled. */
async function regraded(job: RegradeJob, signal: AbortSignal): Promise<Feedback> {
  for (let first = true; ; first = false) {
    if (!first || job.status === "regrading") await sleep(POLL_MS, signal);
    const card = await api.get<"/api/v1/feedback/sessions/{session_id}", Feedback>("/api/v1/feedback/sessions/{session_id}", {
      path: { session_id: job.session_id },
      signal,
    });
    if (!card.regrading) return card;
  }
}

/** A manager overrides a session's category scores with a note (the model's scores are kept). */
export function OverrideForm({ feedback, onSaved }: { feedback: ScoredFeedback; onSaved: (next: Feedback) => void }) {
  const { t } = useI18n();
  const errorMessage = useErrorMessage();
  const categories = feedback.categories ?? [];
  const [scores, setScores] = useState<Record<string, string>>(() =>
    Object.fromEntries(categories.map((c) => [c.key, c.score === null ? "" : String(Math.round(c.score))])),
  );
  const [note, setNote] = useState((feedback.status === "graded" ? feedback.override?.note : null) ?? "");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [regrading, setRegrading] = useState(false);
  const polling = useRef<AbortController | null>(null);
  useEffect(() => () => polling.current?.abort(), []);

  async function save(body: { scores?: Record<string, number>; note?: string; clear?: boolean }) {
    setBusy(true);
    setMessage(null);
    try {
      const next = await api.patch<"/api/v1/feedback/sessions/{session_id}", Feedback>("/api/v1/feedback/sessions/{session_id}", {
        path: { session_id: feedback.session_id },
        body,
      });
      onSaved(next);
      setMessage({ ok: true, text: body.clear ? t("override.cleared") : t("override.saved") });
    } catch (error) {
      setMessage({ ok: false, text: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  }

  async function regrade() {
    setBusy(true);
    setMessage(null);
    try {
      // 202 with the job, whatever the grader: read the scorecard until it is done.
      const job = await api.post("/api/v1/feedback/sessions/{session_id}/regrade", {
        path: { session_id: feedback.session_id },
      });
      setRegrading(job.status === "regrading");
      polling.current = new AbortController();
      const next = await regraded(job, polling.current.signal);
      onSaved(next);
      setMessage(isScored(next) && next.regrade_failed ? { ok: false, text: t("override.regradeFailed") } : { ok: true, text: t("override.regraded") });
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") return;
      setMessage({ ok: false, text: errorMessage(error) });
    } finally {
      setRegrading(false);
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    // The override pins every category's score as shown in the form; the model's stay beside it.
    const changed: Record<string, number> = {};
    for (const category of categories) {
      const value = scores[category.key];
      if (value !== undefined && value !== "") changed[category.key] = Math.round(Number(value));
    }
    void save({ scores: changed, note: note.trim() });
  }

  if (feedback.status !== "graded") return null;
  return (
    <Card title={t("override.title")}>
      <form onSubmit={submit} className="space-y-4" aria-label={t("override.title")}>
        <div className="grid gap-3 sm:grid-cols-4">
          {categories.map((category) => (
            <div key={category.key}>
              <label htmlFor={`override-${category.key}`} className={label}>
                {category.name}
              </label>
              <input
                id={`override-${category.key}`}
                type="number"
                min={0}
                max={100}
                step={1}
                className={`${input} mt-1`}
                value={scores[category.key] ?? ""}
                onChange={(e) => setScores({ ...scores, [category.key]: e.target.value })}
              />
            </div>
          ))}
        </div>
        <div>
          <label htmlFor="override-note" className={label}>
            {t("override.note")}
          </label>
          <textarea id="override-note" required maxLength={2000} rows={3} className={`${input} mt-1`} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        {regrading && (
          <p role="status" className="text-sm text-slate-700">
            {t("override.regrading")}
          </p>
        )}
        {message && (
          <p role={message.ok ? "status" : "alert"} className={`text-sm ${message.ok ? "text-green-700" : "text-red-700"}`}>
            {message.text}
          </p>
        )}
        <div className="flex flex-wrap gap-3">
          <button type="submit" className={button} disabled={busy || note.trim() === ""}>
            {t("override.save")}
          </button>
          {feedback.override && (
            <button type="button" className={buttonSecondary} disabled={busy} onClick={() => void save({ clear: true })}>
              {t("override.clear")}
            </button>
          )}
          <button type="button" className={buttonSecondary} disabled={busy} onClick={() => void regrade()}>
            {regrading ? t("override.regradingButton") : t("override.regrade")}
          </button>
        </div>
      </form>
    </Card>
  );
}
