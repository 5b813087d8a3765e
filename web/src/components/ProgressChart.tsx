"use client";

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Progress } from "@/api/types";
import { useI18n } from "@/lib/i18n";

const COLORS = ["#4f46e5", "#059669", "#d97706", "#dc2626", "#0891b2", "#7c3aed"];

/**
 * Scores per category over the person's sessions, with the overall moving average; reference lines
 * show the team average per category when the caller may see it.
 */
export function ProgressChart({ progress, teamAverage }: { progress: Progress; teamAverage?: Record<string, number | null> }) {
  const { t, date } = useI18n();
  const rows = progress.overall.series.map((point, i) => {
    const row: Record<string, string | number | null> = { label: `#${i + 1}`, at: date(point.at), overall_ma: point.moving_average };
    for (const category of progress.categories) {
      row[category.key] = category.series.find((p) => p.session_id === point.session_id)?.score ?? null;
    }
    return row;
  });
  return (
    <figure>
      <div className="h-72 w-full sm:h-96" role="img" aria-label={t("progress.chartLabel")}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="label" tick={{ fontSize: 12 }} />
            <YAxis domain={[0, 100]} tick={{ fontSize: 12 }} width={36} />
            <Tooltip labelFormatter={(_, payload) => String(payload?.[0]?.payload?.at ?? "")} />
            <Legend />
            {progress.categories.map((category, i) => (
              <Line key={category.key} type="monotone" dataKey={category.key} name={category.name} stroke={COLORS[i % COLORS.length]} strokeWidth={2} connectNulls dot isAnimationActive={false} />
            ))}
            <Line type="monotone" dataKey="overall_ma" name={t("progress.movingAverage")} stroke="#0f172a" strokeDasharray="6 4" dot={false} isAnimationActive={false} />
            {teamAverage &&
              progress.categories.map((category, i) =>
                teamAverage[category.key] == null ? null : (
                  <ReferenceLine key={`team-${category.key}`} y={teamAverage[category.key] as number} stroke={COLORS[i % COLORS.length]} strokeDasharray="2 4" ifOverflow="extendDomain" />
                ),
              )}
          </LineChart>
        </ResponsiveContainer>
      </div>
      {teamAverage && <figcaption className="mt-1 text-xs text-slate-500">{t("progress.teamLines")}</figcaption>}
    </figure>
  );
}
