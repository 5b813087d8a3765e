"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import type { Started } from "@/api/types";
import { Page } from "@/components/Shell";
import { MyCertifications, ProgrammeBadge } from "@/components/Programme";
import { Empty, ErrorBox, Loading, PageTitle, Score, button, useErrorMessage } from "@/components/ui";
import { useI18n } from "@/lib/i18n";
import { useResource } from "@/lib/useResource";
import { rememberCall } from "@/lib/voice";

type Assignment = components["schemas"]["Assignment"];

function Task({ item }: { item: Assignment }) {
  const { t, date } = useI18n();
  const router = useRouter();
  const errorMessage = useErrorMessage();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const left = item.attempts_left;
  const exhausted = left !== null && left !== undefined && left <= 0;
  const minimums = Object.entries(item.category_minimums);

  async function start() {
    setStarting(true);
    setError(null);
    try {
      const started = await api.post<"/api/v1/sessions/start", Started>("/api/v1/sessions/start", {
        body: { assignment_id: item.id },
      });
      if (started.call) rememberCall(started.session_id, started.call);
      router.push(`/sessions/view/?id=${started.session_id}`);
    } catch (err) {
      setError(errorMessage(err));
      setStarting(false);
    }
  }

  const who = item.persona?.name ?? t("tasks.anyPersona", { difficulty: t(`difficulty.${item.difficulty ?? "medium"}`) });
  return (
    <li data-testid="task" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <p className="font-semibold text-slate-900">{item.title ?? who}</p>
          <p className="text-sm text-slate-600">
            {who} · {t(`practice.mode.${item.mode}`)}
          </p>
        </div>
        <span data-testid="task-status">
          <ProgrammeBadge kind="assignment" status={item.status ?? "assigned"} />
        </span>
      </div>
      <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-700">
        <li>{t("tasks.due", { date: date(item.due_at) })}</li>
        <li>{t("tasks.passMark", { n: item.pass_mark })}</li>
        {minimums.length > 0 && <li>{t("tasks.minimums", { list: minimums.map(([k, v]) => `${k} ${v}`).join(", ") })}</li>}
        <li data-testid="task-attempts">
          {left === null || left === undefined ? t("tasks.unlimited") : t("tasks.attemptsLeft", { n: left })} ·{" "}
          {t("tasks.attemptsUsed", { n: item.attempts ?? 0 })}
        </li>
        {item.score !== null && item.score !== undefined && (
          <li>
            {t("tasks.best")}: <Score value={item.score} />
          </li>
        )}
      </ul>
      {error && (
        <p role="alert" className="mt-2 rounded-md bg-red-50 p-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <div className="mt-3 flex flex-wrap items-center gap-3">
        {item.status !== "passed" && (
          <button type="button" className={button} disabled={starting || exhausted} onClick={() => void start()}>
            {starting ? t("practice.starting") : t("tasks.start")}
          </button>
        )}
        {item.session_id && (
          <Link href={`/sessions/view/?id=${item.session_id}`} className="text-sm font-medium text-indigo-700 underline">
            {t("tasks.scorecard")}
          </Link>
        )}
      </div>
    </li>
  );
}

function Tasks() {
  const { t } = useI18n();
  const tasks = useResource(() => api.get("/api/v1/assignments", { query: { scope: "mine" } }), []);
  return (
    <>
      <PageTitle subtitle={t("tasks.subtitle")}>{t("tasks.title")}</PageTitle>
      <div className="space-y-6">
        {tasks.loading ? (
          <Loading />
        ) : tasks.error ? (
          <ErrorBox error={tasks.error} onRetry={() => void tasks.reload()} />
        ) : tasks.data && tasks.data.items.length > 0 ? (
          <ul className="grid gap-3 md:grid-cols-2">
            {tasks.data.items.map((item) => (
              <Task key={item.id} item={item} />
            ))}
          </ul>
        ) : (
          <Empty>{t("tasks.empty")}</Empty>
        )}
        <MyCertifications />
      </div>
    </>
  );
}

export default function TasksPage() {
  return <Page>{() => <Tasks />}</Page>;
}
