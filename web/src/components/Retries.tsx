"use client";

import Link from "next/link";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { Card } from "@/components/ui";
import { useI18n } from "@/lib/i18n";
import { useResource } from "@/lib/useResource";

type RetryList = components["schemas"]["RetryList"];

/** The retries of this call's moments, with their scores: progress on the moments practised. */
export function Retries({ sessionId }: { sessionId: string }) {
  const { t, date } = useI18n();
  const retries = useResource(
    () => api.get<"/api/v1/sessions/{session_id}/retries", RetryList>("/api/v1/sessions/{session_id}/retries", { path: { session_id: sessionId } }),
    [sessionId],
  );
  const items = retries.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Card title={t("session.retries")}>
      <ul className="space-y-1 text-sm" data-testid="retries">
        {items.map((retry) => (
          <li key={retry.session_id} className="flex justify-between gap-3">
            <Link href={`/sessions/view/?id=${retry.session_id}`} className="text-indigo-700 underline">
              {t("session.retryTurn", { turn: retry.from_turn })} · {date(retry.created_at)}
            </Link>
            <span data-testid="retry-score">{retry.overall == null ? t("session.retryPending") : Math.round(retry.overall)}</span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
