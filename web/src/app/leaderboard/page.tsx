"use client";

import { useState } from "react";
import { ApiError, api } from "@/api/client";
import type { components } from "@/api/schema";
import type { Me } from "@/api/types";
import { Page } from "@/components/Shell";
import { Card, Empty, ErrorBox, Loading, PageTitle, Score, input, label, useErrorMessage } from "@/components/ui";
import { hasRole } from "@/lib/auth";
import { useI18n } from "@/lib/i18n";
import { useResource } from "@/lib/useResource";

type Period = components["schemas"]["Leaderboard"]["period"];
type Category = components["schemas"]["Leaderboard"]["category"];
const PERIODS: Period[] = ["week", "month", "quarter"];
const CATEGORIES: Category[] = ["overall", "rapport", "discovery", "objection_handling", "closing"];

/** The manager's switch: the leaderboard is off by default, per company. */
function Switch({ on, onChange }: { on: boolean; onChange: () => void }) {
  const { t } = useI18n();
  const errorMessage = useErrorMessage();
  const [error, setError] = useState<string | null>(null);
  async function flip(value: boolean) {
    setError(null);
    try {
      await api.patch("/api/v1/auth/company/settings", { body: { leaderboard_enabled: value } });
      onChange();
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  return (
    <div className="mb-4 flex items-center gap-3">
      <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
        <input type="checkbox" role="switch" aria-checked={on} checked={on} onChange={(e) => void flip(e.target.checked)} />
        {t("leaderboard.switch")}
      </label>
      {error && <p role="alert" className="text-sm text-red-700">{error}</p>}
    </div>
  );
}

function Board({ me }: { me: Me }) {
  const { t } = useI18n();
  const [period, setPeriod] = useState<Period>("week");
  const [category, setCategory] = useState<Category>("overall");
  const settings = useResource(() => api.get("/api/v1/auth/company/settings"), []);
  const board = useResource(
    () => api.get("/api/v1/feedback/leaderboard", { query: { period, category } }),
    [period, category, settings.data?.leaderboard_enabled],
  );
  const off = board.error instanceof ApiError && board.error.code === "leaderboard_disabled";
  return (
    <>
      <PageTitle subtitle={t("leaderboard.subtitle")}>{t("leaderboard.title")}</PageTitle>
      {hasRole(me.role, "manager") && settings.data && (
        <Switch on={settings.data.leaderboard_enabled ?? false} onChange={() => void settings.reload()} />
      )}
      {off ? (
        <Empty>
          <span data-testid="leaderboard-off">{t("leaderboard.off")}</span>
        </Empty>
      ) : (
        <Card>
          <div className="mb-4 flex flex-wrap gap-4">
            <div>
              <label htmlFor="lb-period" className={label}>{t("leaderboard.period")}</label>
              <select id="lb-period" className={`${input} mt-1`} value={period} onChange={(e) => setPeriod(e.target.value as Period)}>
                {PERIODS.map((p) => (
                  <option key={p} value={p}>{t(`leaderboard.period.${p}`)}</option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="lb-category" className={label}>{t("leaderboard.category")}</label>
              <select id="lb-category" className={`${input} mt-1`} value={category} onChange={(e) => setCategory(e.target.value as Category)}>
                {CATEGORIES.map((c) => (
                  <option key={c} value={c}>{t(`leaderboard.category.${c}`)}</option>
                ))}
              </select>
            </div>
          </div>
          {board.loading ? (
            <Loading />
          ) : board.error ? (
            <ErrorBox error={board.error} onRetry={() => void board.reload()} />
          ) : (
            <table data-testid="leaderboard" className="w-full text-left text-sm">
              <thead className="text-slate-600">
                <tr>
                  <th className="py-1">{t("leaderboard.rank")}</th>
                  <th className="py-1">{t("leaderboard.person")}</th>
                  <th className="py-1">{t("leaderboard.score")}</th>
                  <th className="py-1">{t("leaderboard.sessions")}</th>
                </tr>
              </thead>
              <tbody>
                {(board.data?.entries ?? []).map((e) => (
                  <tr key={e.user_id} data-testid="leaderboard-row" className={`border-t border-slate-100 ${e.is_me ? "bg-indigo-50" : ""}`}>
                    <td className="py-1 tabular-nums">
                      {e.rank ?? "—"}
                      {e.tied && <span className="ml-1 text-xs text-slate-500">({t("leaderboard.tied")})</span>}
                    </td>
                    <td className="py-1">
                      {e.name}
                      {e.is_me && <span className="ml-1 text-xs text-indigo-700">({t("leaderboard.you")})</span>}
                    </td>
                    <td className="py-1">
                      {e.status === "ranked" ? (
                        <Score value={e.score} />
                      ) : (
                        <span className="text-slate-500">{t("leaderboard.notEnough", { n: board.data?.min_sessions ?? 0 })}</span>
                      )}
                    </td>
                    <td className="py-1 tabular-nums">{e.sessions}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      )}
    </>
  );
}

export default function LeaderboardPage() {
  return <Page>{(me) => <Board me={me} />}</Page>;
}
