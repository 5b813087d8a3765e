"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import type { Member, Persona } from "@/api/types";
import { ProgrammeBadge } from "@/components/Programme";
import { Page } from "@/components/Shell";
import { Card, Empty, ErrorBox, Loading, PageTitle, Score, button, buttonDanger, buttonSecondary, input, label, useErrorMessage } from "@/components/ui";
import { useI18n } from "@/lib/i18n";
import { useResource } from "@/lib/useResource";

type Assignment = components["schemas"]["Assignment"];
type AssignmentIn = components["schemas"]["AssignmentIn"];
type Certification = components["schemas"]["Certification"];
type Difficulty = "easy" | "medium" | "hard";
const DIFFICULTIES: Difficulty[] = ["easy", "medium", "hard"];
const WEEK_MS = 7 * 24 * 3600 * 1000;

/** A datetime-local value a week from now (the form's default due date). */
function inAWeek(): string {
  const d = new Date(Date.now() + WEEK_MS);
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

function NewAssignment({ personas, sellers, onCreated }: { personas: Persona[]; sellers: Member[]; onCreated: () => void }) {
  const { t } = useI18n();
  const errorMessage = useErrorMessage();
  const [title, setTitle] = useState("");
  const [target, setTarget] = useState(personas[0]?.id ?? "any:medium");
  const [mode, setMode] = useState<"text" | "voice">("text");
  const [due, setDue] = useState(inAWeek());
  const [passMark, setPassMark] = useState("70");
  const [attempts, setAttempts] = useState("");
  const [wholeTeam, setWholeTeam] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    const body: AssignmentIn = {
      title: title.trim() || null,
      mode,
      due_at: new Date(due).toISOString(),
      pass_mark: Number(passMark),
      max_attempts: attempts ? Number(attempts) : null,
      whole_team: wholeTeam,
      assignee_ids: wholeTeam ? [] : chosen,
      ...(target.startsWith("any:") ? { difficulty: target.slice(4) as Difficulty } : { persona_id: target }),
    };
    try {
      await api.post("/api/v1/assignments", { body });
      setMessage({ ok: true, text: t("board.created") });
      setTitle("");
      onCreated();
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t("board.new")}>
      <form onSubmit={(e) => void submit(e)} className="grid gap-4 md:grid-cols-3">
        <div>
          <label htmlFor="a-title" className={label}>{t("board.titleField")}</label>
          <input id="a-title" maxLength={200} className={`${input} mt-1`} value={title} onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div>
          <label htmlFor="a-target" className={label}>{t("board.target")}</label>
          <select id="a-target" className={`${input} mt-1`} value={target} onChange={(e) => setTarget(e.target.value)}>
            {personas.map((p) => (
              <option key={p.id} value={p.id}>{p.name} ({t(`difficulty.${p.difficulty}`)})</option>
            ))}
            {DIFFICULTIES.map((d) => (
              <option key={d} value={`any:${d}`}>{t("board.anyDifficulty", { difficulty: t(`difficulty.${d}`) })}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="a-mode" className={label}>{t("board.mode")}</label>
          <select id="a-mode" className={`${input} mt-1`} value={mode} onChange={(e) => setMode(e.target.value as "text" | "voice")}>
            <option value="text">{t("practice.mode.text")}</option>
            <option value="voice">{t("practice.mode.voice")}</option>
          </select>
        </div>
        <div>
          <label htmlFor="a-due" className={label}>{t("board.dueAt")}</label>
          <input id="a-due" type="datetime-local" required className={`${input} mt-1`} value={due} onChange={(e) => setDue(e.target.value)} />
        </div>
        <div>
          <label htmlFor="a-pass" className={label}>{t("board.passMark")}</label>
          <input id="a-pass" type="number" min={0} max={100} required className={`${input} mt-1`} value={passMark} onChange={(e) => setPassMark(e.target.value)} />
        </div>
        <div>
          <label htmlFor="a-attempts" className={label}>{t("board.maxAttempts")}</label>
          <input id="a-attempts" type="number" min={1} max={100} className={`${input} mt-1`} value={attempts} onChange={(e) => setAttempts(e.target.value)} />
        </div>
        <fieldset className="md:col-span-3">
          <legend className={label}>{t("board.assignees")}</legend>
          <div className="mt-1 flex flex-wrap gap-4 text-sm">
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={wholeTeam} onChange={(e) => setWholeTeam(e.target.checked)} />
              {t("board.wholeTeam")}
            </label>
            {sellers.map((m) => (
              <label key={m.id} className="flex items-center gap-2">
                <input
                  type="checkbox"
                  disabled={wholeTeam}
                  checked={chosen.includes(m.id)}
                  onChange={(e) => setChosen(e.target.checked ? [...chosen, m.id] : chosen.filter((id) => id !== m.id))}
                />
                {m.full_name ?? m.email}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="md:col-span-3 flex flex-wrap items-center gap-3">
          <button type="submit" className={button} disabled={busy || (!wholeTeam && chosen.length === 0)}>{t("board.create")}</button>
          {message && (
            <p role={message.ok ? "status" : "alert"} className={`text-sm ${message.ok ? "text-green-700" : "text-red-700"}`}>{message.text}</p>
          )}
        </div>
      </form>
    </Card>
  );
}

function AssignmentCard({ item, onChange }: { item: Assignment; onChange: () => void }) {
  const { t, date } = useI18n();
  const errorMessage = useErrorMessage();
  const [note, setNote] = useState<string | null>(null);
  const behind = (item.assignees ?? []).filter((a) => a.status === "failed" || a.status === "overdue");

  async function assignAgain() {
    const body: AssignmentIn = {
      title: item.title,
      mode: item.mode,
      due_at: new Date(Date.now() + WEEK_MS).toISOString(),
      pass_mark: item.pass_mark,
      max_attempts: item.max_attempts,
      category_minimums: item.category_minimums,
      assignee_ids: behind.map((a) => a.user_id),
      ...(item.persona ? { persona_id: item.persona.id } : { difficulty: item.difficulty ?? "medium" }),
    };
    try {
      await api.post("/api/v1/assignments", { body });
      setNote(t("board.reassigned", { n: behind.length }));
      onChange();
    } catch (err) {
      setNote(errorMessage(err));
    }
  }

  async function remove() {
    try {
      await api.delete("/api/v1/assignments/{assignment_id}", { path: { assignment_id: item.id } });
      onChange();
    } catch (err) {
      setNote(errorMessage(err));
    }
  }

  const what = item.persona?.name ?? t("board.anyDifficulty", { difficulty: t(`difficulty.${item.difficulty ?? "medium"}`) });
  return (
    <li data-testid="assignment-card" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <p className="font-semibold text-slate-900">{item.title ?? what}</p>
          <p className="text-sm text-slate-600">
            {what} · {t(`practice.mode.${item.mode}`)} · {t("tasks.due", { date: date(item.due_at) })} · {t("tasks.passMark", { n: item.pass_mark })} ·{" "}
            {item.max_attempts ? `${t("board.attempts")}: ${item.max_attempts}` : t("tasks.unlimited")}
          </p>
        </div>
        <div className="flex gap-2">
          {behind.length > 0 && (
            <button type="button" className={buttonSecondary} onClick={() => void assignAgain()}>{t("board.assignAgain")}</button>
          )}
          <button type="button" className={buttonDanger} onClick={() => void remove()}>{t("board.delete")}</button>
        </div>
      </div>
      {note && <p role="status" className="mt-2 text-sm text-slate-700">{note}</p>}
      <table className="mt-3 w-full text-left text-sm">
        <thead className="text-slate-600">
          <tr>
            <th className="py-1">{t("board.person")}</th>
            <th className="py-1">{t("board.status")}</th>
            <th className="py-1">{t("board.attempts")}</th>
            <th className="py-1">{t("board.score")}</th>
          </tr>
        </thead>
        <tbody>
          {(item.assignees ?? []).map((a) => (
            <tr key={a.user_id} data-testid="assignee-row" className="border-t border-slate-100">
              <td className="py-1">{a.name ?? a.email}</td>
              <td className="py-1" data-testid="assignee-status"><ProgrammeBadge kind="assignment" status={a.status} /></td>
              <td className="py-1 tabular-nums">{a.attempts}{item.max_attempts ? ` / ${item.max_attempts}` : ""}</td>
              <td className="py-1">
                {a.session_id ? (
                  <Link href={`/sessions/view/?id=${a.session_id}`} className="underline"><Score value={a.score} /></Link>
                ) : (
                  <Score value={a.score} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </li>
  );
}

function Certifications({ assignments }: { assignments: Assignment[] }) {
  const { t, date } = useI18n();
  const errorMessage = useErrorMessage();
  const certs = useResource(() => api.get("/api/v1/certifications", { query: { scope: "team" } }), [assignments.length]);
  const [name, setName] = useState("");
  const [validity, setValidity] = useState("");
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  async function create(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await api.post("/api/v1/certifications", {
        body: { name, assignment_ids: chosen, validity_days: validity ? Number(validity) : null },
      });
      setName("");
      setChosen([]);
      await certs.reload();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <Card title={t("board.certTitle")}>
      <form onSubmit={(e) => void create(e)} className="grid gap-3 md:grid-cols-2">
        <div>
          <label htmlFor="c-name" className={label}>{t("board.certName")}</label>
          <input id="c-name" required maxLength={200} className={`${input} mt-1`} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div>
          <label htmlFor="c-validity" className={label}>{t("board.certValidity")}</label>
          <input id="c-validity" type="number" min={1} max={3650} className={`${input} mt-1`} value={validity} onChange={(e) => setValidity(e.target.value)} />
        </div>
        <fieldset className="md:col-span-2">
          <legend className={label}>{t("board.certAssignments")}</legend>
          <div className="mt-1 flex flex-wrap gap-4 text-sm">
            {assignments.map((a) => (
              <label key={a.id} className="flex items-center gap-2">
                <input type="checkbox" checked={chosen.includes(a.id)} onChange={(e) => setChosen(e.target.checked ? [...chosen, a.id] : chosen.filter((id) => id !== a.id))} />
                {a.title ?? a.persona?.name ?? a.id.slice(0, 8)}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="md:col-span-2 flex items-center gap-3">
          <button type="submit" className={button} disabled={!name.trim() || chosen.length === 0}>{t("board.certCreate")}</button>
          {error && <p role="alert" className="text-sm text-red-700">{error}</p>}
        </div>
      </form>
      {certs.loading ? (
        <Loading />
      ) : certs.error ? (
        <ErrorBox error={certs.error} onRetry={() => void certs.reload()} />
      ) : (
        <ul className="mt-4 space-y-3">
          {(certs.data?.items ?? []).map((cert: Certification) => (
            <li key={cert.id} data-testid="certification" className="rounded-md border border-slate-200 p-3">
              <p className="font-medium text-slate-900">{cert.name}</p>
              <p className="text-xs text-slate-600">{cert.assignments.map((a) => a.title ?? a.id.slice(0, 8)).join(" · ")}</p>
              <p className="mt-1 text-sm text-slate-700">{t("board.certHolders")}:</p>
              {cert.holders && cert.holders.length > 0 ? (
                <ul className="text-sm">
                  {cert.holders.map((h) => (
                    <li key={h.user_id} data-testid="holder" className="flex flex-wrap items-center gap-2">
                      {h.name} <ProgrammeBadge kind="cert" status={h.status} /> {t("cert.since", { date: date(h.certified_at) })}
                      {h.expires_at && ` · ${t("cert.validUntil", { date: date(h.expires_at) })}`}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-sm text-slate-500">{t("board.certNone")}</p>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function Board() {
  const { t } = useI18n();
  const board = useResource(() => api.get("/api/v1/assignments", { query: { scope: "team" } }), [], { live: true });
  const personas = useResource(() => api.get<"/api/v1/personas", Persona[]>("/api/v1/personas", { query: { status: "active" } }), []);
  const members = useResource(() => api.get<"/api/v1/auth/members", Member[]>("/api/v1/auth/members"), []);
  const sellers = (members.data ?? []).filter((m) => m.role === "salesperson");
  const items = board.data?.items ?? [];
  return (
    <>
      <PageTitle subtitle={t("board.subtitle")}>{t("board.title")}</PageTitle>
      <div className="space-y-6">
        {personas.data && members.data ? (
          <NewAssignment personas={personas.data} sellers={sellers} onCreated={() => void board.reload()} />
        ) : (
          <Loading />
        )}
        {board.loading ? (
          <Loading />
        ) : board.error ? (
          <ErrorBox error={board.error} onRetry={() => void board.reload()} />
        ) : items.length > 0 ? (
          <ul className="space-y-3">
            {items.map((item) => (
              <AssignmentCard key={item.id} item={item} onChange={() => void board.reload()} />
            ))}
          </ul>
        ) : (
          <Empty>{t("board.empty")}</Empty>
        )}
        <Certifications assignments={items} />
      </div>
    </>
  );
}

export default function AssignmentsPage() {
  return <Page role="manager">{() => <Board />}</Page>;
}
