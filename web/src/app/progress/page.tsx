"use client";

import { api } from "@/api/client";
import type { Progress } from "@/api/types";
import { PracticePlan } from "@/components/Coach";
import { MyCertifications } from "@/components/Programme";
import { ProgressChart } from "@/components/ProgressChart";
import { Page } from "@/components/Shell";
import { Card, Empty, ErrorBox, Loading, PageTitle, Score } from "@/components/ui";
import { useI18n } from "@/lib/i18n";
import { useResource } from "@/lib/useResource";

function Change({ value }: { value: number | null }) {
  if (value === null) return <span className="text-slate-400">—</span>;
  const sign = value > 0 ? "+" : "";
  const color = value > 0 ? "text-green-700" : value < 0 ? "text-red-700" : "text-slate-600";
  return <span className={`tabular-nums ${color}`}>{`${sign}${Math.round(value)}`}</span>;
}

function ProgressView() {
  const { t } = useI18n();
  const data = useResource(async () => {
    const progress = await api.get<"/api/v1/feedback/me/progress", Progress>("/api/v1/feedback/me/progress");
    return { progress };
  }, []);
  const teamAverage = data.data?.progress.team_average;
  const team = teamAverage && teamAverage.people > 0 ? teamAverage.categories : undefined;
  return (
    <>
      <PageTitle subtitle={t("progress.subtitle")}>{t("progress.title")}</PageTitle>
      {data.loading ? (
        <Loading />
      ) : data.error ? (
        <ErrorBox error={data.error} onRetry={() => void data.reload()} />
      ) : !data.data || data.data.progress.sessions === 0 ? (
        <Empty>{t("progress.empty")}</Empty>
      ) : (
        <div className="space-y-6">
          <PracticePlan drills={data.data.progress.plan} />
          <Card title={t("progress.chart")}>
            <ProgressChart progress={data.data.progress} teamAverage={team} />
          </Card>
          <Card title={t("progress.summary")}>
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm">
                <thead className="text-xs uppercase text-slate-500">
                  <tr>
                    <th scope="col" className="py-2 pr-3">{t("progress.category")}</th>
                    <th scope="col" className="py-2 pr-3 text-right">{t("progress.latest")}</th>
                    <th scope="col" className="py-2 pr-3 text-right">{t("progress.change")}</th>
                    <th scope="col" className="py-2 pr-3 text-right">{t("progress.movingAverage")}</th>
                    {team && <th scope="col" className="py-2 pr-3 text-right">{t("team.teamAverage")}</th>}
                  </tr>
                </thead>
                <tbody>
                  {[{ key: "overall", name: t("feedback.overall"), ...data.data.progress.overall }, ...data.data.progress.categories].map((row) => (
                    <tr key={row.key} className="border-t border-slate-100">
                      <th scope="row" className="py-2 pr-3 font-medium">{row.name}</th>
                      <td className="py-2 pr-3 text-right"><Score value={row.latest} /></td>
                      <td className="py-2 pr-3 text-right"><Change value={row.change_since_last} /></td>
                      <td className="py-2 pr-3 text-right tabular-nums">{row.moving_average === null ? "—" : Math.round(row.moving_average)}</td>
                      {team && <td className="py-2 pr-3 text-right"><Score value={row.key === "overall" ? teamAverage?.overall : team[row.key]} /></td>}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        </div>
      )}
      <div className="mt-6">
        <MyCertifications />
      </div>
    </>
  );
}

export default function ProgressPage() {
  return <Page>{() => <ProgressView />}</Page>;
}
