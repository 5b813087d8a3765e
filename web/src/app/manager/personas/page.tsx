"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { api } from "@/api/client";
import type { Difficulty, GenerationJob, Persona } from "@/api/types";
import { Page } from "@/components/Shell";
import { Badge, Card, Empty, ErrorBox, Loading, PageTitle, button, buttonDanger, buttonSecondary, input, label, useErrorMessage } from "@/components/ui";
import { useI18n } from "@/lib/i18n";
import { useResource } from "@/lib/useResource";

const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);

const POLL_MS = 2000;
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new DOMException("aborted", "AbortError"));
    });
  });

const over = (job: GenerationJob) => job.status === "done" || job.status === "failed";

/** Generation answers 202 with its job (already done offline; a real model takes about a
 * minute): poll it until it finishes. */
async function finished(job: GenerationJob, signal: AbortSignal, onJob: (job: GenerationJob) => void): Promise<GenerationJob> {
  while (!over(job)) {
    await sleep(POLL_MS, signal);
    job = await api.get("/api/v1/personas/generations/{generation_id}", { path: { generation_id: job.generation_id }, signal });
    onJob(job);
  }
  return job;
}

function Generate({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const errorMessage = useErrorMessage();
  const [count, setCount] = useState(6);
  const [focus, setFocus] = useState("");
  const [busy, setBusy] = useState(false);
  const [job, setJob] = useState<GenerationJob | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const polling = useRef<AbortController | null>(null);
  useEffect(() => () => polling.current?.abort(), []);

  async function run(event: FormEvent, replace: boolean) {
    event.preventDefault();
    if (replace && !window.confirm(t("personas.confirmRegenerate"))) return;
    setBusy(true);
    setMessage(null);
    try {
      const body = { count, focus: focus.trim() || null };
      const accepted = replace
        ? await api.post("/api/v1/personas/regenerate", { body })
        : await api.post("/api/v1/personas/generate", { body });
      if (!over(accepted)) setJob(accepted);
      polling.current = new AbortController();
      const done = await finished(accepted, polling.current.signal, setJob);
      setJob(null);
      if (done.status === "failed" || !done.result) {
        setMessage({ ok: false, text: t("personas.jobFailed", { reason: done.error ?? "—" }) });
        return;
      }
      const result = done.result;
      setMessage({
        ok: true,
        // The offline notice is shown in the reader's language; a model's notice as it comes.
        text: [t("personas.generated", { n: result.personas.length }), result.offline ? `${t("personas.offlineLabel")}.` : (result.notice ?? "")]
          .filter(Boolean)
          .join(" "),
      });
      onDone();
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") return; // the page was left
      setJob(null);
      setMessage({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t("personas.generate")}>
      <form onSubmit={(e) => void run(e, false)} className="grid gap-4 sm:grid-cols-[8rem_1fr]">
        <div>
          <label htmlFor="count" className={label}>
            {t("personas.count")}
          </label>
          <input id="count" type="number" min={5} max={10} className={`${input} mt-1`} value={count} onChange={(e) => setCount(Number(e.target.value))} />
        </div>
        <div>
          <label htmlFor="focus" className={label}>
            {t("personas.focus")}
          </label>
          <input id="focus" className={`${input} mt-1`} maxLength={500} value={focus} onChange={(e) => setFocus(e.target.value)} placeholder={t("personas.focusPlaceholder")} />
        </div>
        <div className="flex flex-wrap gap-3 sm:col-span-2">
          <button type="submit" className={button} disabled={busy}>
            {busy ? t("personas.generating") : t("personas.generateButton")}
          </button>
          <button type="button" className={buttonSecondary} disabled={busy} onClick={(e) => void run(e, true)}>
            {t("personas.regenerate")}
          </button>
        </div>
        {job && (
          <p role="status" aria-live="polite" className="text-sm text-slate-700 sm:col-span-2" data-testid="persona-job">
            {t("personas.jobRunning")}
          </p>
        )}
        {message && (
          <p role={message.ok ? "status" : "alert"} className={`text-sm sm:col-span-2 ${message.ok ? "text-green-700" : "text-red-700"}`}>
            {message.text}
          </p>
        )}
      </form>
    </Card>
  );
}

function Editor({ persona, onSaved, onCancel }: { persona: Persona; onSaved: (p: Persona) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const errorMessage = useErrorMessage();
  const [form, setForm] = useState({
    name: persona.name,
    role: persona.role,
    difficulty: persona.difficulty,
    first_message: persona.first_message,
    speaking_style: persona.speaking_style,
    traits: persona.traits.join("\n"),
    objections: persona.objections.map((o) => String(o.text ?? "")).join("\n"),
    end_conditions: persona.end_conditions.join("\n"),
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // An edited objection keeps the chunks its line cited before (same position).
      const objections = lines(form.objections).map((text, i) => ({
        text,
        chunk_ids: (persona.objections[i]?.chunk_ids as number[] | undefined) ?? [],
      }));
      const saved = await api.patch("/api/v1/personas/{persona_id}", {
        path: { persona_id: persona.id },
        body: {
          name: form.name,
          role: form.role,
          difficulty: form.difficulty,
          first_message: form.first_message,
          speaking_style: form.speaking_style,
          traits: lines(form.traits),
          objections,
          end_conditions: lines(form.end_conditions),
        },
      });
      onSaved(saved);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const field = (key: keyof typeof form, text: string, multiline = false) => (
    <div className={multiline ? "sm:col-span-2" : ""}>
      <label htmlFor={`${persona.id}-${key}`} className={label}>
        {text}
      </label>
      {multiline ? (
        <textarea id={`${persona.id}-${key}`} rows={3} className={`${input} mt-1`} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
      ) : (
        <input id={`${persona.id}-${key}`} className={`${input} mt-1`} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
      )}
    </div>
  );

  return (
    <form onSubmit={save} className="mt-4 grid gap-3 sm:grid-cols-2" aria-label={t("personas.editNamed", { name: persona.name })}>
      {field("name", t("personas.name"))}
      {field("role", t("personas.role"))}
      <div>
        <label htmlFor={`${persona.id}-difficulty`} className={label}>
          {t("personas.difficulty")}
        </label>
        <select
          id={`${persona.id}-difficulty`}
          className={`${input} mt-1`}
          value={form.difficulty}
          onChange={(e) => setForm({ ...form, difficulty: e.target.value as Difficulty })}
        >
          {(["easy", "medium", "hard"] as const).map((d) => (
            <option key={d} value={d}>
              {t(`difficulty.${d}`)}
            </option>
          ))}
        </select>
      </div>
      {field("speaking_style", t("personas.style"))}
      {field("first_message", t("personas.firstMessage"), true)}
      {field("traits", t("personas.traitsLines"), true)}
      {field("objections", t("personas.objectionsLines"), true)}
      {field("end_conditions", t("personas.endLines"), true)}
      {error && (
        <p role="alert" className="text-sm text-red-700 sm:col-span-2">
          {error}
        </p>
      )}
      <div className="flex gap-3 sm:col-span-2">
        <button type="submit" className={button} disabled={busy}>
          {t("common.save")}
        </button>
        <button type="button" className={buttonSecondary} onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}

function PersonaItem({ persona, onChanged }: { persona: Persona; onChanged: () => void }) {
  const { t } = useI18n();
  const errorMessage = useErrorMessage();
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const profile = persona.company_profile as Record<string, unknown>;

  async function toggleArchive() {
    setError(null);
    try {
      if (persona.status === "active") await api.post("/api/v1/personas/{persona_id}/archive", { path: { persona_id: persona.id } });
      else await api.post("/api/v1/personas/{persona_id}/unarchive", { path: { persona_id: persona.id } });
      onChanged();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <li className="rounded-lg border border-slate-200 bg-white p-4" data-testid="persona-item">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <p className="font-semibold text-slate-900">{persona.name}</p>
          <p className="text-sm text-slate-600">
            {persona.role}
            {persona.seniority ? ` · ${persona.seniority}` : ""}
          </p>
          <p className="text-xs text-slate-500">{[profile.segment, profile.size, profile.region].filter((v) => typeof v === "string" && v).join(" · ")}</p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Badge value={persona.difficulty} text={t(`difficulty.${persona.difficulty}`)} />
          <Badge value={persona.status} text={t(`status.${persona.status}`)} />
          {persona.offline && <span className="text-xs text-slate-500">{t("personas.offlineLabel")}</span>}
        </div>
      </div>
      <div className="mt-3 flex flex-wrap gap-2">
        <button type="button" className={buttonSecondary} aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? t("personas.hide") : t("personas.details")}
        </button>
        <button type="button" className={buttonSecondary} onClick={() => setEditing(!editing)} aria-expanded={editing}>
          {t("personas.edit")}
        </button>
        <button type="button" className={persona.status === "active" ? buttonDanger : buttonSecondary} onClick={() => void toggleArchive()}>
          {persona.status === "active" ? t("personas.archive") : t("personas.unarchive")}
        </button>
      </div>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      )}
      {open && (
        <dl className="mt-4 grid gap-3 text-sm sm:grid-cols-2">
          <div>
            <dt className="font-medium">{t("personas.firstMessage")}</dt>
            <dd className="text-slate-700">“{persona.first_message}”</dd>
          </div>
          <div>
            <dt className="font-medium">{t("personas.style")}</dt>
            <dd className="text-slate-700">{persona.speaking_style}</dd>
          </div>
          <div>
            <dt className="font-medium">{t("personas.goals")}</dt>
            <dd>
              <ul className="list-disc pl-5 text-slate-700">{persona.goals.map((g, i) => <li key={i}>{g}</li>)}</ul>
            </dd>
          </div>
          <div>
            <dt className="font-medium">{t("personas.pains")}</dt>
            <dd>
              <ul className="list-disc pl-5 text-slate-700">{persona.pains.map((g, i) => <li key={i}>{g}</li>)}</ul>
            </dd>
          </div>
          <div>
            <dt className="font-medium">{t("personas.objections")}</dt>
            <dd>
              <ul className="list-disc pl-5 text-slate-700">
                {persona.objections.map((o, i) => (
                  <li key={i}>
                    {String(o.text ?? "")}{" "}
                    <span className="text-xs text-slate-500">{t("personas.sources", { ids: ((o.chunk_ids as number[] | undefined) ?? []).join(", ") || "—" })}</span>
                  </li>
                ))}
              </ul>
            </dd>
          </div>
          <div>
            <dt className="font-medium">{t("personas.hidden")}</dt>
            <dd>
              <ul className="list-disc pl-5 text-slate-700">
                {persona.hidden_facts.map((h, i) => (
                  <li key={i}>
                    {String(h.fact ?? "")} <span className="text-xs text-slate-500">({String(h.reveal_when ?? "")})</span>
                  </li>
                ))}
              </ul>
            </dd>
          </div>
          <div className="sm:col-span-2">
            <dt className="font-medium">{t("personas.endConditions")}</dt>
            <dd>
              <ul className="list-disc pl-5 text-slate-700">{persona.end_conditions.map((g, i) => <li key={i}>{g}</li>)}</ul>
            </dd>
          </div>
        </dl>
      )}
      {editing && (
        <Editor
          persona={persona}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            onChanged();
          }}
        />
      )}
    </li>
  );
}

function Personas() {
  const { t } = useI18n();
  const [filter, setFilter] = useState<"active" | "archived" | "all">("active");
  // managers and admins get every persona whole (salespeople get cards: see the practice page)
  const list = useResource(() => api.get<"/api/v1/personas", Persona[]>("/api/v1/personas", { query: { status: filter } }), [filter]);
  return (
    <>
      <PageTitle subtitle={t("personas.subtitle")}>{t("personas.title")}</PageTitle>
      <div className="space-y-6">
        <Generate onDone={() => void list.reload()} />
        <Card
          title={t("personas.list")}
          actions={
            <label className="flex items-center gap-2 text-sm">
              {t("personas.show")}
              <select className="rounded-md border border-slate-300 px-2 py-1" value={filter} onChange={(e) => setFilter(e.target.value as typeof filter)}>
                <option value="active">{t("status.active")}</option>
                <option value="archived">{t("status.archived")}</option>
                <option value="all">{t("personas.all")}</option>
              </select>
            </label>
          }
        >
          {list.loading ? (
            <Loading />
          ) : list.error ? (
            <ErrorBox error={list.error} onRetry={() => void list.reload()} />
          ) : list.data && list.data.length > 0 ? (
            <ul className="grid gap-3 lg:grid-cols-2">
              {list.data.map((persona) => (
                <PersonaItem key={persona.id} persona={persona} onChanged={() => void list.reload()} />
              ))}
            </ul>
          ) : (
            <Empty>{t("personas.empty")}</Empty>
          )}
        </Card>
      </div>
    </>
  );
}

export default function PersonasPage() {
  return <Page role="manager">{() => <Personas />}</Page>;
}
