"use client";

import type { components } from "@/api/schema";
import { download } from "@/api/client";
import { isScored, type Feedback, type FeedbackItem, type MetricItem } from "@/api/types";
import { useI18n } from "@/lib/i18n";
import { AskCoach, BetterLineView, NextDrill } from "./Coach";
import { DownloadButton } from "./DownloadButton";
import { Badge, Card, Score } from "./ui";

// what the coach adds to a graded scorecard (generated types)
type Coached = { next_drill?: components["schemas"]["Drill"] | null };
type WithBetterLine = { better_line?: components["schemas"]["BetterLine"] | null };

function Quote({ item, onTurn }: { item: FeedbackItem; onTurn?: (turn: number) => void }) {
  const { t } = useI18n();
  return (
    <li className="rounded-md bg-slate-50 p-3 text-sm">
      <p className="text-slate-900">{item.text}</p>
      {item.quote && (
        <blockquote className="mt-1 border-l-4 border-indigo-300 pl-2 italic text-slate-700">
          “{item.quote}”
          {item.turn !== undefined && onTurn && (
            <button type="button" className="ml-2 text-xs not-italic text-indigo-700 underline" onClick={() => onTurn(item.turn as number)}>
              {t("feedback.turn", { n: item.turn })}
            </button>
          )}
        </blockquote>
      )}
      {item.try && <p className="mt-2 rounded bg-green-50 p-2 text-green-900">{item.try}</p>}
      {(item as WithBetterLine).better_line && <BetterLineView line={(item as WithBetterLine).better_line!} />}
    </li>
  );
}

function Items({ title, items, onTurn }: { title: string; items: FeedbackItem[] | undefined; onTurn?: (turn: number) => void }) {
  if (!items || items.length === 0) return null;
  return (
    <div>
      <h3 className="mb-2 font-semibold text-slate-900">{title}</h3>
      <ul className="space-y-2">
        {items.map((item, i) => (
          <Quote key={i} item={item} onTurn={onTurn} />
        ))}
      </ul>
    </div>
  );
}

function formatValue(metric: MetricItem): string {
  if (metric.value === null) return "—";
  if (metric.unit === "ratio") return `${Math.round(metric.value * 100)}%`;
  return `${Math.round(metric.value * 10) / 10}`;
}

function bandText(metric: MetricItem): string {
  const band = metric.band;
  if (!band) return "";
  const scale = metric.unit === "ratio" ? (v: number) => `${Math.round(v * 100)}%` : (v: number) => `${v}`;
  if (band.low !== null && band.high !== null) return `${scale(band.low)}–${scale(band.high)}`;
  if (band.high !== null) return `≤ ${scale(band.high)}`;
  if (band.low !== null) return `≥ ${scale(band.low)}`;
  return band.target !== null ? `≈ ${scale(band.target)}` : "";
}

function Metrics({ items }: { items: MetricItem[] }) {
  const { t } = useI18n();
  const shown = items.filter((m) => m.value !== null);
  if (shown.length === 0) return null;
  return (
    <div>
      <h3 className="mb-2 font-semibold text-slate-900">{t("feedback.metrics")}</h3>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th scope="col" className="py-1 pr-3">{t("feedback.metric")}</th>
              <th scope="col" className="py-1 pr-3">{t("feedback.value")}</th>
              <th scope="col" className="py-1 pr-3">{t("feedback.reference")}</th>
              <th scope="col" className="py-1">{t("feedback.source")}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((metric) => (
              <tr key={metric.key} className="border-t border-slate-100">
                <td className="py-1.5 pr-3">{metric.name}</td>
                <td className="py-1.5 pr-3 tabular-nums">
                  {formatValue(metric)}{" "}
                  {metric.status && metric.status !== "n/a" && <Badge value={metric.status === "within" ? "ready" : "pending"} text={t(`feedback.band.${metric.status}`)} />}
                </td>
                <td className="py-1.5 pr-3 tabular-nums">{bandText(metric)}</td>
                <td className="py-1.5 text-xs text-slate-500">{metric.band?.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** A session's scorecard: overall, the four categories with evidence, quotes and metrics. */
export function Scorecard({ feedback, onTurn }: { feedback: Feedback; onTurn?: (turn: number) => void }) {
  const { t } = useI18n();
  if (!isScored(feedback))
    return (
      <Card title={t("feedback.title")}>
        {feedback.status === "pending" ? (
          <p role="status" className="text-sm text-slate-600" data-testid="feedback-pending">
            {t("feedback.pending")}
          </p>
        ) : (
          <p role="alert" className="text-sm text-red-700">
            {t("feedback.failed")} {feedback.message}
          </p>
        )}
      </Card>
    );
  return (
    <Card
      title={t("feedback.title")}
      actions={
        <span className="flex flex-wrap items-center gap-3">
          {feedback.grader?.offline && <span className="text-xs text-slate-500">{feedback.grader.label}</span>}
          <DownloadButton
            testId="scorecard-pdf"
            onDownload={() =>
              download("/api/v1/feedback/sessions/{session_id}/report.pdf", `scorecard-${feedback.session_id.slice(0, 8)}.pdf`, {
                path: { session_id: feedback.session_id },
              })
            }
          />
        </span>
      }
    >
      <div className="space-y-6" data-testid="scorecard">
        {feedback.status === "insufficient" ? (
          <p className="text-sm text-slate-700">{feedback.message ?? t("feedback.insufficient")}</p>
        ) : (
          <>
            <div className="flex flex-wrap items-end gap-4">
              <div>
                <p className="text-xs uppercase text-slate-500">{t("feedback.overall")}</p>
                <p data-testid="overall">
                  <Score value={feedback.overall} size="lg" /> <span className="text-slate-500">/ 100</span>
                </p>
              </div>
              {feedback.overall_band && <Badge value="active" text={feedback.overall_band} />}
              {feedback.override && (
                <p className="text-sm text-amber-800">
                  {t("feedback.overridden", { score: Math.round(feedback.model_overall ?? 0) })}
                  {feedback.override.note && <> — “{feedback.override.note}”</>}
                </p>
              )}
            </div>
            <ul className="grid gap-3 sm:grid-cols-2">
              {(feedback.categories ?? []).map((category) => (
                <li key={category.key} className="rounded-md border border-slate-200 p-3">
                  <div className="flex items-baseline justify-between">
                    <h3 className="font-semibold">{category.name}</h3>
                    <span>
                      <Score value={category.score} />
                      {category.overridden && <span className="ml-1 text-xs text-amber-700">({t("feedback.model")}: {category.model_score ?? "—"})</span>}
                    </span>
                  </div>
                  <div className="mt-1 h-2 rounded bg-slate-100" aria-hidden>
                    <div className="h-2 rounded bg-indigo-500" style={{ width: `${Math.max(0, Math.min(100, category.score ?? 0))}%` }} />
                  </div>
                  {category.justification && <p className="mt-2 text-sm text-slate-700">{category.justification}</p>}
                  {category.evidence.length > 0 && (
                    <ul className="mt-2 space-y-1">
                      {category.evidence.map((evidence, i) => (
                        <li key={i} className="text-xs italic text-slate-600">
                          “{evidence.quote}”{" "}
                          {onTurn && (
                            <button type="button" className="not-italic text-indigo-700 underline" onClick={() => onTurn(evidence.turn)}>
                              {t("feedback.turn", { n: evidence.turn })}
                            </button>
                          )}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
            <div className="grid gap-6 lg:grid-cols-3">
              <Items title={t("feedback.strengths")} items={feedback.strengths} onTurn={onTurn} />
              <Items title={t("feedback.improvements")} items={feedback.improvements} onTurn={onTurn} />
              <Items title={t("feedback.recommendations")} items={feedback.recommendations} onTurn={onTurn} />
            </div>
            {(feedback as Coached).next_drill && <NextDrill drill={(feedback as Coached).next_drill!} />}
          </>
        )}
        {feedback.metrics && <Metrics items={feedback.metrics.items} />}
      </div>
      {feedback.status === "graded" && (
        <div className="mt-6">
          <AskCoach sessionId={feedback.session_id} onTurn={onTurn} />
        </div>
      )}
    </Card>
  );
}
