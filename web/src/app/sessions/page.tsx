"use client";

import Link from "next/link";
import { api } from "@/api/client";
import type { Progress, SessionList } from "@/api/types";
import { SessionTable } from "@/components/SessionTable";
import { Page } from "@/components/Shell";
import { Card, Empty, ErrorBox, Loading, PageTitle, button } from "@/components/ui";
import { useI18n } from "@/lib/i18n";
import { useResource } from "@/lib/useResource";

function History() {
  const { t } = useI18n();
  const data = useResource(async () => {
    const [sessions, progress] = await Promise.all([
      api.get<"/api/v1/sessions", SessionList>("/api/v1/sessions", { query: { scope: "mine", limit: 100 } }),
      api.get<"/api/v1/feedback/me/progress", Progress>("/api/v1/feedback/me/progress"),
    ]);
    return { sessions: sessions.items, scores: new Map(progress.overall.series.map((p) => [p.session_id, p.score])) };
  }, []);
  return (
    <>
      <PageTitle subtitle={t("sessions.subtitle")}>{t("sessions.title")}</PageTitle>
      <Card>
        {data.loading ? (
          <Loading />
        ) : data.error ? (
          <ErrorBox error={data.error} onRetry={() => void data.reload()} />
        ) : data.data && data.data.sessions.length > 0 ? (
          <SessionTable sessions={data.data.sessions} scores={data.data.scores} />
        ) : (
          <Empty>
            {t("sessions.empty")}{" "}
            <Link href="/practice/" className={`${button} mt-3`}>
              {t("practice.start")}
            </Link>
          </Empty>
        )}
      </Card>
    </>
  );
}

export default function SessionsPage() {
  return <Page>{() => <History />}</Page>;
}
