"use client";

import { useState } from "react";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { Page } from "@/components/Shell";
import { Card, Empty, ErrorBox, Loading, PageTitle, input, label } from "@/components/ui";
import { useI18n } from "@/lib/i18n";
import { useResource } from "@/lib/useResource";

type Operations = components["schemas"]["Operations"];
type Day = components["schemas"]["OperationsDay"];

const PERIODS = [7, 30, 90] as const;

function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : `${Math.round(value * 100)}%`;
}

function usd(value: number | null | undefined, digits = 4): string {
  return value === null || value === undefined ? "—" : `US$ ${value.toFixed(digits)}`;
}

function Row({ day }: { day: Day }) {
  return (
    <tr className="border-t border-slate-100" data-testid="ops-day">
      <td className="py-1 pr-3">{day.day}</td>
      <td className="py-1 pr-3 text-right tabular-nums">{day.calls_started}</td>
      <td className="py-1 pr-3 text-right tabular-nums">
        {day.calls_reported} ({percent(day.completion_rate)})
      </td>
      <td className="py-1 pr-3 text-right tabular-nums">
        {day.avg_duration_seconds === null ? "—" : `${Math.round(day.avg_duration_seconds)} s`}
      </td>
      <td className="py-1 pr-3 text-right tabular-nums">{usd(day.cost_per_call_usd)}</td>
      <td className="py-1 pr-3 text-right tabular-nums">
        {day.latency_p95_ms === null ? "—" : `${Math.round(day.latency_p95_ms)} ms`}
      </td>
      <td className="py-1 pr-3 text-right tabular-nums">
        {day.model_input_tokens} / {day.model_output_tokens}
      </td>
      <td className="py-1 text-right tabular-nums">{usd(day.model_cost_usd)}</td>
    </tr>
  );
}

function OperationsView() {
  const { t } = useI18n();
  const [days, setDays] = useState<number>(30);
  const data = useResource(
    () => api.get<"/api/v1/sessions/operations", Operations>("/api/v1/sessions/operations", { query: { days } }),
    [days],
  );
  const ops = data.data;
  const active = ops?.items.filter((d) => d.calls_started > 0 || d.model_input_tokens > 0) ?? [];
  return (
    <div className="space-y-6">
      <PageTitle subtitle={t("ops.subtitle")}>{t("ops.title")}</PageTitle>
      <label className={label}>
        {t("ops.days")}
        <select className={`${input} mt-1 w-48`} value={days} onChange={(e) => setDays(Number(e.target.value))}>
          {PERIODS.map((p) => (
            <option key={p} value={p}>
              {t("ops.daysOption", { days: p })}
            </option>
          ))}
        </select>
      </label>
      {data.loading && !ops ? (
        <Loading />
      ) : data.error && !ops ? (
        <ErrorBox error={data.error} onRetry={() => void data.reload()} />
      ) : ops && active.length === 0 ? (
        <Empty>{t("ops.empty")}</Empty>
      ) : ops ? (
        <Card
          title={t("ops.totals", {
            started: ops.calls_started,
            completion: percent(ops.completion_rate),
            cost: ops.model_cost_usd.toFixed(2),
          })}
        >
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-testid="ops-table">
              <thead className="text-left text-xs text-slate-500">
                <tr>
                  <th className="pr-3">{t("ops.day")}</th>
                  <th className="pr-3 text-right">{t("ops.started")}</th>
                  <th className="pr-3 text-right">{t("ops.completion")}</th>
                  <th className="pr-3 text-right">{t("ops.duration")}</th>
                  <th className="pr-3 text-right">{t("ops.costPerCall")}</th>
                  <th className="pr-3 text-right">{t("ops.latency")}</th>
                  <th className="pr-3 text-right">{t("ops.tokens")}</th>
                  <th className="text-right">{t("ops.modelCost")}</th>
                </tr>
              </thead>
              <tbody>
                {[...active].reverse().map((day) => (
                  <Row key={day.day} day={day} />
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      ) : null}
    </div>
  );
}

export default function OperationsPage() {
  return <Page role="admin">{() => <OperationsView />}</Page>;
}
