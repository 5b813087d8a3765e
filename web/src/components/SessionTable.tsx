"use client";

import Link from "next/link";
import type { SessionListItem } from "@/api/types";
import { useI18n } from "@/lib/i18n";
import { Badge, Score } from "./ui";

/** Sessions with persona, mode, status, date and score; each row opens the session. */
export function SessionTable({ sessions, scores, showPerson = false }: { sessions: SessionListItem[]; scores: Map<string, number>; showPerson?: boolean }) {
  const { t, date } = useI18n();
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="session-table">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-3">{t("sessions.date")}</th>
            {showPerson && <th scope="col" className="py-2 pr-3">{t("sessions.person")}</th>}
            <th scope="col" className="py-2 pr-3">{t("sessions.persona")}</th>
            <th scope="col" className="hidden py-2 pr-3 sm:table-cell">{t("sessions.mode")}</th>
            <th scope="col" className="py-2 pr-3">{t("sessions.status")}</th>
            <th scope="col" className="py-2 pr-3 text-right">{t("sessions.score")}</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((session) => (
            <tr key={session.id} className="border-t border-slate-100 hover:bg-slate-50">
              <td className="py-2 pr-3 whitespace-nowrap">
                <Link href={`/sessions/view/?id=${session.id}`} className="font-medium text-indigo-700 underline">
                  {date(session.started_at ?? session.created_at)}
                </Link>
              </td>
              {showPerson && <td className="py-2 pr-3">{session.user?.name ?? session.user?.email ?? "—"}</td>}
              <td className="py-2 pr-3">
                {session.persona.name ?? "—"}
                {session.persona.difficulty && (
                  <span className="ml-2 hidden sm:inline">
                    <Badge value={session.persona.difficulty} text={t(`difficulty.${session.persona.difficulty}`)} />
                  </span>
                )}
              </td>
              <td className="hidden py-2 pr-3 sm:table-cell">{t(`practice.mode.${session.mode}`)}</td>
              <td className="py-2 pr-3">
                <Badge value={session.status} text={t(`status.${session.status}`)} />
              </td>
              <td className="py-2 pr-3 text-right">
                <Score value={scores.get(session.id)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
