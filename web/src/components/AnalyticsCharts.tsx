"use client";

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { components } from "@/api/schema";
import { useI18n } from "@/lib/i18n";

type Analytics = components["schemas"]["Analytics"];
type Metric = components["schemas"]["MetricDistribution"];
type Cell = components["schemas"]["Cell"];

const COLORS = ["#4f46e5", "#059669", "#d97706", "#dc2626"];

function cellColor(cell: Cell): string {
  if (cell.average === null || cell.average === undefined) return "bg-slate-100 text-slate-500";
  if (cell.average >= 70) return "bg-green-100 text-green-900";
  if (cell.average >= 50) return "bg-amber-100 text-amber-900";
  return "bg-red-100 text-red-900";
}

/** One heatmap cell: the average and the sessions behind it, or "insufficient data". */
export function HeatCell({ cell }: { cell: Cell }) {
  const { t } = useI18n();
  return (
    <td className={`px-2 py-2 text-center ${cellColor(cell)}`} data-status={cell.status}>
      {cell.status === "ok" ? (
        <span className="block text-base font-semibold tabular-nums">{Math.round(cell.average ?? 0)}</span>
      ) : (
        <span className="block text-xs">{t("analytics.insufficient")}</span>
      )}
      <span className="block text-xs opacity-75">{t("analytics.n", { n: cell.sessions })}</span>
    </td>
  );
}

/** Salespeople × categories; a click on a name selects the person whose trend is drawn. */
export function Heatmap({ data, selected, onSelect }: { data: Analytics; selected: string | null; onSelect: (id: string) => void }) {
  const { t } = useI18n();
  const heat = data.heatmap;
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-separate border-spacing-1 text-sm" data-testid="heatmap">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="text-left">{t("sessions.person")}</th>
            <th scope="col">{t("feedback.overall")}</th>
            {heat.categories.map((c) => (
              <th key={c.key} scope="col">{c.name}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {heat.rows.map((row) => (
            <tr key={row.user_id}>
              <th scope="row" className="pr-2 text-left font-medium">
                <button type="button" className={`underline ${selected === row.user_id ? "text-indigo-900" : "text-indigo-700"}`} aria-pressed={selected === row.user_id} onClick={() => onSelect(row.user_id)}>
                  {row.name}
                </button>
              </th>
              <HeatCell cell={row.overall} />
              {row.cells.map((c) => (
                <HeatCell key={c.category} cell={c} />
              ))}
            </tr>
          ))}
          <tr>
            <th scope="row" className="pr-2 text-left font-semibold">{t("team.teamAverage")}</th>
            <HeatCell cell={heat.team.overall} />
            {heat.team.cells.map((c) => (
              <HeatCell key={c.category} cell={c} />
            ))}
          </tr>
        </tbody>
      </table>
      <p className="mt-2 text-xs text-slate-500">{t("analytics.heatmapHint", { n: heat.min_sessions })}</p>
    </div>
  );
}

/** A person's moving average per category over the period, with the change vs the previous one. */
export function Trend({ data, userId }: { data: Analytics; userId: string }) {
  const { t, date, lang } = useI18n();
  const person = data.trends.find((p) => p.user_id === userId);
  if (!person) return null;
  const names = Object.fromEntries(data.heatmap.categories.map((c) => [c.key, c.name]));
  const byTime = new Map<string, Record<string, string | number>>();
  for (const category of person.categories) {
    for (const point of category.points) {
      const row = byTime.get(point.at) ?? { at: point.at };
      row[category.category] = point.moving_average;
      byTime.set(point.at, row);
    }
  }
  const rows = [...byTime.values()].sort((a, b) => String(a.at).localeCompare(String(b.at)));
  return (
    <div data-testid="trend">
      <ul className="mb-3 flex flex-wrap gap-3 text-sm">
        {person.categories.map((c) => (
          <li key={c.category} className="rounded border border-slate-200 px-2 py-1">
            {names[c.category] ?? c.category}:{" "}
            <span className="font-semibold tabular-nums">{c.moving_average === null ? "—" : Math.round(c.moving_average)}</span>{" "}
            <span className="text-xs text-slate-500">
              {c.change === null ? t("analytics.noChange") : t("analytics.change", { value: `${c.change > 0 ? "+" : ""}${Math.round(c.change)}` })}
            </span>
          </li>
        ))}
      </ul>
      <div className="h-64 w-full" role="img" aria-label={t("analytics.trendLabel", { name: person.name })}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="at" tickFormatter={(v: string) => new Date(v).toLocaleDateString(lang)} tick={{ fontSize: 11 }} />
            <YAxis domain={[0, 100]} tick={{ fontSize: 12 }} width={36} />
            <Tooltip labelFormatter={(v) => date(String(v))} />
            <Legend />
            {person.categories.map((c, i) => (
              <Line key={c.category} type="monotone" dataKey={c.category} name={names[c.category] ?? c.category} stroke={COLORS[i % COLORS.length]} strokeWidth={2} connectNulls dot isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}

/** Sessions per ISO week, voice and text stacked, for the whole team (or the filtered person). */
export function ActivityChart({ data }: { data: Analytics }) {
  const { t } = useI18n();
  const weeks = data.activity.weeks.map((week) => {
    const row = { week, voice: 0, text: 0 };
    for (const person of data.activity.people)
      for (const w of person.weeks)
        if (w.week === week) {
          row.voice += w.voice;
          row.text += w.text;
        }
    return row;
  });
  return (
    <div className="h-56 w-full" role="img" aria-label={t("analytics.activityLabel")}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={weeks} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="week" tick={{ fontSize: 11 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={32} />
          <Tooltip />
          <Legend />
          <Bar dataKey="voice" stackId="mode" name={t("analytics.voice")} fill="#4f46e5" isAnimationActive={false} />
          <Bar dataKey="text" stackId="mode" name={t("analytics.text")} fill="#94a3b8" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

function fmt(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return "—";
  return unit === "ratio" ? `${Math.round(value * 100)}%` : String(Math.round(value * 10) / 10);
}

function bandRange(low: number | null, high: number | null, unit: string): string {
  if (low === null) return `≤ ${fmt(high, unit)}`;
  if (high === null) return `≥ ${fmt(low, unit)}`;
  return `${fmt(low, unit)} – ${fmt(high, unit)}`;
}

/** A metric's histogram with its reference band shaded, quantiles and counts against the band. */
export function MetricCard({ metric }: { metric: Metric }) {
  const { t } = useI18n();
  const rows = metric.histogram.map((b) => ({ mid: (b.low + b.high) / 2, sessions: b.sessions }));
  const band = metric.band;
  const lo = metric.histogram[0]?.low ?? 0;
  const hi = metric.histogram[metric.histogram.length - 1]?.high ?? 0;
  return (
    <div className="rounded border border-slate-200 p-3" data-testid={`metric-${metric.key}`}>
      <h3 className="text-sm font-semibold">{metric.name}</h3>
      {metric.sessions === 0 ? (
        <p className="mt-2 text-sm text-slate-500">{t("analytics.notMeasured")}</p>
      ) : (
        <>
          <div className="h-32 w-full" role="img" aria-label={t("analytics.histogramLabel", { name: metric.name })}>
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                <XAxis dataKey="mid" type="number" domain={[lo, hi]} tickFormatter={(v: number) => fmt(v, metric.unit)} tick={{ fontSize: 10 }} />
                <YAxis allowDecimals={false} tick={{ fontSize: 10 }} width={24} />
                {band && (
                  <ReferenceArea x1={Math.max(band.low ?? lo, lo)} x2={Math.min(band.high ?? hi, hi)} fill="#16a34a" fillOpacity={0.12} ifOverflow="hidden" />
                )}
                <Bar dataKey="sessions" fill="#6366f1" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <p className="text-xs text-slate-600">
            {t("analytics.quantiles", { p25: fmt(metric.p25, metric.unit), median: fmt(metric.median, metric.unit), p75: fmt(metric.p75, metric.unit), n: metric.sessions })}
          </p>
          <p className="text-xs text-slate-600">{t("analytics.bandCounts", { below: metric.below, within: metric.within, above: metric.above })}</p>
        </>
      )}
      {band && (
        <p className="mt-1 text-xs text-slate-500" title={band.source}>
          {t("analytics.band", { range: bandRange(band.low, band.high, metric.unit) })}
        </p>
      )}
    </div>
  );
}
