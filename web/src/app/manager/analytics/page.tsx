"use client";

import { useState } from "react";
import { api, download } from "@/api/client";
import type { components } from "@/api/schema";
import { ActivityChart, Heatmap, MetricCard, Trend } from "@/components/AnalyticsCharts";
import { Page } from "@/components/Shell";
import { Card, Empty, ErrorBox, Loading, PageTitle, buttonSecondary, useErrorMessage } from "@/components/ui";
import { useI18n } from "@/lib/i18n";
import { useResource } from "@/lib/useResource";

type Period = components["schemas"]["AnalyticsQuery"]["period"];
type Mode = "voice" | "text";

const PERIODS: Period[] = ["30d", "90d", "365d", "all"];
const select = "rounded-md border border-slate-300 px-2 py-1";

function Filters(props: {
  period: Period;
  setPeriod: (p: Period) => void;
  person: string;
  setPerson: (p: string) => void;
  persona: string;
  setPersona: (p: string) => void;
  mode: string;
  setMode: (m: string) => void;
}) {
  const { t } = useI18n();
  const options = useResource(async () => {
    const [members, personas] = await Promise.all([api.get("/api/v1/auth/members", { query: { limit: 200 } }), api.get("/api/v1/personas", { query: { limit: 100 } })]);
    return { members, personas: personas as { id: string; name: string }[] };
  }, []);
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm" data-testid="analytics-filters">
      <label className="flex items-center gap-2">
        {t("team.period")}
        <select className={select} value={props.period} onChange={(e) => props.setPeriod(e.target.value as Period)}>
          {PERIODS.map((p) => (
            <option key={p} value={p}>{t(`analytics.period.${p}`)}</option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-2">
        {t("sessions.person")}
        <select className={select} value={props.person} onChange={(e) => props.setPerson(e.target.value)}>
          <option value="">{t("analytics.everyone")}</option>
          {options.data?.members.map((m) => (
            <option key={m.id} value={m.id}>{m.full_name ?? m.email}</option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-2">
        {t("analytics.persona")}
        <select className={select} value={props.persona} onChange={(e) => props.setPersona(e.target.value)}>
          <option value="">{t("analytics.allPersonas")}</option>
          {options.data?.personas.map((p) => (
            <option key={p.id} value={p.id}>{p.name}</option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-2">
        {t("analytics.mode")}
        <select className={select} value={props.mode} onChange={(e) => props.setMode(e.target.value)}>
          <option value="">{t("analytics.allModes")}</option>
          <option value="voice">{t("analytics.voice")}</option>
          <option value="text">{t("analytics.text")}</option>
        </select>
      </label>
    </div>
  );
}

function Downloads({ period }: { period: Period }) {
  const { t } = useI18n();
  const message = useErrorMessage();
  const [error, setError] = useState<string | null>(null);
  const get = (path: "/api/v1/feedback/team.csv" | "/api/v1/feedback/sessions.csv", name: string) =>
    download(path, `${name}-${period}.csv`, { query: { period } }).catch((e: unknown) => setError(message(e)));
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button type="button" className={buttonSecondary} onClick={() => void get("/api/v1/feedback/team.csv", "team")}>
        {t("analytics.teamCsv")}
      </button>
      <button type="button" className={buttonSecondary} onClick={() => void get("/api/v1/feedback/sessions.csv", "sessions")}>
        {t("analytics.sessionsCsv")}
      </button>
      {error && <span role="alert" className="text-sm text-red-700">{error}</span>}
    </div>
  );
}

function AnalyticsView() {
  const { t } = useI18n();
  const [period, setPeriod] = useState<Period>("30d");
  const [person, setPerson] = useState("");
  const [persona, setPersona] = useState("");
  const [mode, setMode] = useState("");
  const [selected, setSelected] = useState<string | null>(null);
  const data = useResource(
    () => api.get("/api/v1/feedback/analytics", { query: { period, user_id: person || undefined, persona_id: persona || undefined, mode: (mode || undefined) as Mode | undefined } }),
    [period, person, persona, mode],
  );
  const rows = data.data?.heatmap.rows ?? [];
  const chosen = selected && rows.some((r) => r.user_id === selected) ? selected : (rows.find((r) => r.sessions > 0)?.user_id ?? null);
  const weakest = data.data?.weakest;
  return (
    <>
      <PageTitle subtitle={t("analytics.subtitle")}>{t("analytics.title")}</PageTitle>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <Filters {...{ period, setPeriod, person, setPerson, persona, setPersona, mode, setMode }} />
        <Downloads period={period} />
      </div>
      {data.loading && !data.data ? (
        <Loading />
      ) : data.error ? (
        <ErrorBox error={data.error} onRetry={() => void data.reload()} />
      ) : !data.data || rows.length === 0 ? (
        <Empty>{t("analytics.empty")}</Empty>
      ) : (
        <div className="space-y-6">
          <section className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm" data-testid="weakest">
            {weakest ? (
              <>
                <strong>{t("analytics.weakest", { category: weakest.name, average: Math.round(weakest.team_average) })}</strong>{" "}
                {weakest.person && t("analytics.weakestPerson", { name: weakest.person.name, average: Math.round(weakest.person.average), n: weakest.person.sessions })}
              </>
            ) : (
              t("analytics.noWeakest", { n: data.data.heatmap.min_sessions })
            )}
          </section>
          <Card title={t("analytics.heatmap")}>
            <Heatmap data={data.data} selected={chosen} onSelect={setSelected} />
          </Card>
          {chosen && (
            <Card title={t("analytics.trend", { name: rows.find((r) => r.user_id === chosen)?.name ?? "" })}>
              <Trend data={data.data} userId={chosen} />
            </Card>
          )}
          <Card title={t("analytics.activity", { sessions: data.data.activity.sessions, minutes: Math.round(data.data.activity.minutes) })}>
            <ActivityChart data={data.data} />
            <table className="mt-3 w-full text-left text-sm" data-testid="activity-table">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th scope="col">{t("sessions.person")}</th>
                  <th scope="col" className="text-right">{t("team.sessions")}</th>
                  <th scope="col" className="text-right">{t("analytics.minutes")}</th>
                  <th scope="col" className="text-right">{t("analytics.voice")}</th>
                  <th scope="col" className="text-right">{t("analytics.text")}</th>
                </tr>
              </thead>
              <tbody>
                {data.data.activity.people.map((p) => (
                  <tr key={p.user_id} className="border-t border-slate-100">
                    <th scope="row" className="py-1 font-medium">{p.name}</th>
                    <td className="text-right tabular-nums">{p.sessions}</td>
                    <td className="text-right tabular-nums">{Math.round(p.minutes)}</td>
                    <td className="text-right tabular-nums">{p.voice}</td>
                    <td className="text-right tabular-nums">{p.text}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
          <Card title={t("analytics.metrics")}>
            <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {data.data.metrics.map((m) => (
                <MetricCard key={m.key} metric={m} />
              ))}
            </div>
          </Card>
        </div>
      )}
    </>
  );
}

export default function AnalyticsPage() {
  return <Page role="manager">{() => <AnalyticsView />}</Page>;
}
