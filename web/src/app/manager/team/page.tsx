"use client";

import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { api, download } from "@/api/client";
import { isScored, type Feedback, type SessionList, type Team, type TeamMember } from "@/api/types";
import { DownloadButton } from "@/components/DownloadButton";
import { SessionTable } from "@/components/SessionTable";
import { Page } from "@/components/Shell";
import { Card, Empty, ErrorBox, Loading, PageTitle, Score } from "@/components/ui";
import { useI18n } from "@/lib/i18n";
import { useResource } from "@/lib/useResource";

function Delta({ value }: { value: number | null | undefined }) {
  if (value === null || value === undefined) return null;
  const color = value > 0 ? "text-green-700" : value < 0 ? "text-red-700" : "text-slate-500";
  return <span className={`ml-1 text-xs tabular-nums ${color}`}>({value > 0 ? "+" : ""}{Math.round(value)})</span>;
}

function Comparison({ team, member }: { team: Team; member: TeamMember | null }) {
  const { t } = useI18n();
  const rows = team.categories.map((c) => ({
    name: c.name,
    team: team.team_average.categories[c.key] ?? null,
    ...(member ? { person: member.categories[c.key] ?? null } : {}),
  }));
  return (
    <div className="h-72 w-full" role="img" aria-label={t("team.chartLabel")}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="name" tick={{ fontSize: 12 }} />
          <YAxis domain={[0, 100]} tick={{ fontSize: 12 }} width={36} />
          <Tooltip />
          <Legend />
          <Bar dataKey="team" name={t("team.teamAverage")} fill="#94a3b8" isAnimationActive={false} />
          {member && <Bar dataKey="person" name={member.full_name ?? member.email ?? ""} fill="#4f46e5" isAnimationActive={false} />}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

function PersonSessions({ member }: { member: TeamMember }) {
  const { t } = useI18n();
  const data = useResource(async () => {
    const list = await api.get<"/api/v1/sessions", SessionList>("/api/v1/sessions", { query: { scope: "team", user_id: member.user_id, limit: 20 } });
    const graded = await Promise.all(
      list.items
        .filter((s) => s.status === "ended")
        .map((s) =>
          api
            .get<"/api/v1/feedback/sessions/{session_id}", Feedback>("/api/v1/feedback/sessions/{session_id}", { path: { session_id: s.id } })
            .then((f) => [s.id, isScored(f) ? (f.overall ?? null) : null] as const),
        ),
    );
    const scores = new Map<string, number>();
    for (const [id, score] of graded) if (score !== null) scores.set(id, score);
    return { sessions: list.items, scores };
  }, [member.user_id]);
  return (
    <Card title={t("team.sessionsOf", { name: member.full_name ?? member.email ?? "" })}>
      {data.loading ? (
        <Loading />
      ) : data.error ? (
        <ErrorBox error={data.error} onRetry={() => void data.reload()} />
      ) : data.data && data.data.sessions.length > 0 ? (
        <SessionTable sessions={data.data.sessions} scores={data.data.scores} />
      ) : (
        <Empty>{t("team.noSessions")}</Empty>
      )}
    </Card>
  );
}

const REPORT_PERIODS = ["30d", "90d", "365d", "all"] as const;

/** The team report PDF for a period the manager picks. */
function TeamReport() {
  const { t } = useI18n();
  const [period, setPeriod] = useState<(typeof REPORT_PERIODS)[number]>("90d");
  return (
    <div className="mb-4 flex flex-wrap items-center gap-3 text-sm">
      <label className="flex items-center gap-2">
        {t("report.teamPeriod")}
        <select className="rounded-md border border-slate-300 px-2 py-1" value={period} onChange={(e) => setPeriod(e.target.value as typeof period)}>
          {REPORT_PERIODS.map((p) => (
            <option key={p} value={p}>
              {t(`report.period.${p}`)}
            </option>
          ))}
        </select>
      </label>
      <DownloadButton testId="team-pdf" onDownload={() => download("/api/v1/feedback/team/report.pdf", `team-report-${period}.pdf`, { query: { period } })} />
    </div>
  );
}

function TeamView() {
  const { t, date } = useI18n();
  const [days, setDays] = useState<number | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const team = useResource(() => api.get<"/api/v1/feedback/team", Team>("/api/v1/feedback/team", { query: { days } }), [days]);
  const member = team.data?.members.find((m) => m.user_id === selected) ?? null;
  return (
    <>
      <PageTitle subtitle={t("team.subtitle")}>{t("team.title")}</PageTitle>
      <TeamReport />
      {team.loading ? (
        <Loading />
      ) : team.error ? (
        <ErrorBox error={team.error} onRetry={() => void team.reload()} />
      ) : !team.data || team.data.members.length === 0 ? (
        <Empty>{t("team.empty")}</Empty>
      ) : (
        <div className="space-y-6">
          <Card
            title={t("team.people")}
            actions={
              <label className="flex items-center gap-2 text-sm">
                {t("team.period")}
                <select className="rounded-md border border-slate-300 px-2 py-1" value={days ?? ""} onChange={(e) => setDays(e.target.value ? Number(e.target.value) : null)}>
                  <option value="">{t("team.allTime")}</option>
                  <option value="7">{t("team.lastDays", { n: 7 })}</option>
                  <option value="30">{t("team.lastDays", { n: 30 })}</option>
                  <option value="90">{t("team.lastDays", { n: 90 })}</option>
                </select>
              </label>
            }
          >
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm" data-testid="team-table">
                <thead className="text-xs uppercase text-slate-500">
                  <tr>
                    <th scope="col" className="py-2 pr-3">{t("sessions.person")}</th>
                    <th scope="col" className="py-2 pr-3 text-right">{t("team.sessions")}</th>
                    <th scope="col" className="py-2 pr-3 text-right">{t("feedback.overall")}</th>
                    {team.data.categories.map((c) => (
                      <th key={c.key} scope="col" className="py-2 pr-3 text-right">
                        {c.name}
                      </th>
                    ))}
                    <th scope="col" className="py-2 pr-3">{t("team.lastActivity")}</th>
                  </tr>
                </thead>
                <tbody>
                  {team.data.members.map((m) => (
                    <tr key={m.user_id} className={`border-t border-slate-100 ${selected === m.user_id ? "bg-indigo-50" : ""}`}>
                      <th scope="row" className="py-2 pr-3 text-left font-medium">
                        <button type="button" className="text-indigo-700 underline" aria-pressed={selected === m.user_id} onClick={() => setSelected(selected === m.user_id ? null : m.user_id)}>
                          {m.full_name ?? m.email}
                        </button>
                      </th>
                      <td className="py-2 pr-3 text-right tabular-nums">{m.sessions}</td>
                      <td className="py-2 pr-3 text-right">
                        <Score value={m.overall} />
                      </td>
                      {team.data?.categories.map((c) => (
                        <td key={c.key} className="py-2 pr-3 text-right">
                          <Score value={m.categories[c.key]} />
                          <Delta value={m.vs_team[c.key]} />
                        </td>
                      ))}
                      <td className="py-2 pr-3 whitespace-nowrap">{date(m.last_activity)}</td>
                    </tr>
                  ))}
                  <tr className="border-t-2 border-slate-300 font-semibold">
                    <th scope="row" className="py-2 pr-3 text-left">{t("team.teamAverage")}</th>
                    <td className="py-2 pr-3 text-right tabular-nums">{team.data.members.reduce((sum, m) => sum + m.sessions, 0)}</td>
                    <td className="py-2 pr-3 text-right">
                      <Score value={team.data.team_average.overall} />
                    </td>
                    {team.data.categories.map((c) => (
                      <td key={c.key} className="py-2 pr-3 text-right">
                        <Score value={team.data?.team_average.categories[c.key]} />
                      </td>
                    ))}
                    <td />
                  </tr>
                </tbody>
              </table>
            </div>
            <p className="mt-2 text-xs text-slate-500">{t("team.hint")}</p>
          </Card>
          <Card title={member ? t("team.compareNamed", { name: member.full_name ?? member.email ?? "" }) : t("team.compare")}>
            <Comparison team={team.data} member={member} />
          </Card>
          {member && <PersonSessions member={member} />}
        </div>
      )}
    </>
  );
}

export default function TeamPage() {
  return <Page role="manager">{() => <TeamView />}</Page>;
}
