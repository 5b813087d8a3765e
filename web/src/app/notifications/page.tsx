"use client";

import Link from "next/link";
import { useState } from "react";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { markRead } from "@/components/NotificationBell";
import { Page } from "@/components/Shell";
import { Card, Empty, ErrorBox, Loading, PageTitle, button, buttonSecondary, useErrorMessage } from "@/components/ui";
import { useI18n } from "@/lib/i18n";
import { isKey } from "@/lib/messages";
import { useResource } from "@/lib/useResource";

type Preference = components["schemas"]["EmailPreference"];

function Preferences() {
  const { t } = useI18n();
  const errorMessage = useErrorMessage();
  const prefs = useResource(() => api.get("/api/v1/notifications/preferences"), []);
  const [chosen, setChosen] = useState<Record<string, boolean>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (prefs.loading) return <Loading />;
  if (prefs.error || !prefs.data) return <ErrorBox error={prefs.error} onRetry={() => void prefs.reload()} />;
  const value = (p: Preference) => chosen[p.kind] ?? p.email;

  async function save() {
    setBusy(true);
    setStatus(null);
    try {
      const items = Object.entries(chosen).map(([kind, email]) => ({ kind: kind as Preference["kind"], email }));
      if (items.length > 0) await api.put("/api/v1/notifications/preferences", { body: { items } });
      setChosen({});
      await prefs.reload();
      setStatus(t("notify.prefsSaved"));
    } catch (error) {
      setStatus(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t("notify.prefs")}>
      <p className="mb-3 text-sm text-slate-600">{t("notify.prefsHelp")}</p>
      <ul className="space-y-2">
        {prefs.data.items.map((p) => {
          const key = `notify.kind.${p.kind}`;
          return (
            <li key={p.kind}>
              <label className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  data-testid={`email-pref-${p.kind}`}
                  checked={value(p)}
                  onChange={(event) => setChosen({ ...chosen, [p.kind]: event.target.checked })}
                />
                {isKey(key) ? t(key) : p.kind}
              </label>
            </li>
          );
        })}
      </ul>
      <div className="mt-4 flex items-center gap-3">
        <button type="button" className={button} disabled={busy || Object.keys(chosen).length === 0} onClick={() => void save()}>
          {t("common.save")}
        </button>
        {status && <span role="status" className="text-sm text-slate-600">{status}</span>}
      </div>
    </Card>
  );
}

function Notifications({ userId }: { userId: string }) {
  const { t, date } = useI18n();
  const list = useResource(() => api.get("/api/v1/notifications", { query: { limit: 100 } }), [userId], {
    live: true,
    table: "notifications",
    filter: `user_id=eq.${userId}`,
  });
  return (
    <>
      <PageTitle subtitle={t("notify.subtitle")}>{t("notify.title")}</PageTitle>
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <Card
            actions={
              (list.data?.unread ?? 0) > 0 ? (
                <button
                  type="button"
                  className={buttonSecondary}
                  onClick={() => void api.post("/api/v1/notifications/read-all").then(() => list.reload())}
                >
                  {t("notify.markAll")}
                </button>
              ) : undefined
            }
          >
            {list.loading ? (
              <Loading />
            ) : list.error || !list.data ? (
              <ErrorBox error={list.error} onRetry={() => void list.reload()} />
            ) : list.data.items.length === 0 ? (
              <Empty>{t("notify.empty")}</Empty>
            ) : (
              <ul className="divide-y divide-slate-100">
                {list.data.items.map((item) => (
                  <li key={item.id} className="flex items-start justify-between gap-3 py-3">
                    <div>
                      <Link href={item.link} className="font-medium text-indigo-700 underline">
                        {item.title}
                      </Link>
                      <p className="text-sm text-slate-700">{item.body}</p>
                      <p className="text-xs text-slate-400">{date(item.created_at)}</p>
                    </div>
                    {item.read_at === null && (
                      <button
                        type="button"
                        className="shrink-0 text-xs text-indigo-700 underline"
                        onClick={() => void markRead(item.id).then(() => list.reload())}
                      >
                        {t("notify.markRead")}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
        <Preferences />
      </div>
    </>
  );
}

export default function NotificationsPage() {
  return <Page>{(me) => <Notifications userId={me.user_id} />}</Page>;
}
