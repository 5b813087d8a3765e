"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { useI18n } from "@/lib/i18n";
import { useResource } from "@/lib/useResource";

type Notification = components["schemas"]["NotificationOut"];

/** Mark one notification read (the bell and the notifications page share it). */
export async function markRead(id: string): Promise<Notification> {
  return api.post("/api/v1/notifications/{notification_id}/read", { path: { notification_id: id } });
}

/**
 * The bell in the header: the unread count, live (Supabase Realtime on the person's own
 * notifications in production, polling locally), and the latest ones in a panel.
 */
export function NotificationBell({ userId }: { userId: string }) {
  const { t, date } = useI18n();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  const bell = useResource(() => api.get("/api/v1/notifications", { query: { limit: 8 } }), [userId], {
    live: true,
    table: "notifications",
    filter: `user_id=eq.${userId}`,
  });
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (panel.current && !panel.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [open]);

  const unread = bell.data?.unread ?? 0;
  async function follow(item: Notification) {
    setOpen(false);
    if (item.read_at === null) await markRead(item.id).catch(() => undefined);
    void bell.reload();
    router.push(item.link);
  }
  async function readAll() {
    await api.post("/api/v1/notifications/read-all").catch(() => undefined);
    void bell.reload();
  }

  return (
    <div className="relative" ref={panel}>
      <button
        type="button"
        data-testid="notification-bell"
        aria-label={t("notify.bell", { n: unread })}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        className="relative rounded-md p-1 text-slate-700 hover:text-indigo-700"
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" className="h-6 w-6" fill="none" stroke="currentColor" strokeWidth="1.8">
          <path strokeLinecap="round" strokeLinejoin="round" d="M15 17h5l-1.4-1.4A2 2 0 0 1 18 14.2V11a6 6 0 1 0-12 0v3.2a2 2 0 0 1-.6 1.4L4 17h5m6 0a3 3 0 1 1-6 0" />
        </svg>
        {unread > 0 && (
          <span
            data-testid="notification-count"
            className="absolute -right-1 -top-1 min-w-5 rounded-full bg-red-600 px-1 text-center text-xs font-semibold text-white"
          >
            {unread > 99 ? "99+" : unread}
          </span>
        )}
      </button>
      {open && (
        <div
          role="dialog"
          aria-label={t("notify.title")}
          className="absolute right-0 z-40 mt-2 w-80 rounded-md border border-slate-200 bg-white shadow-lg"
        >
          <div className="flex items-center justify-between border-b border-slate-100 px-3 py-2">
            <span className="text-sm font-semibold">{t("notify.title")}</span>
            {unread > 0 && (
              <button type="button" onClick={() => void readAll()} className="text-xs text-indigo-700 underline">
                {t("notify.markAll")}
              </button>
            )}
          </div>
          <ul className="max-h-96 overflow-y-auto" data-testid="notification-list">
            {(bell.data?.items ?? []).length === 0 && <li className="px-3 py-4 text-sm text-slate-500">{t("notify.empty")}</li>}
            {(bell.data?.items ?? []).map((item) => (
              <li key={item.id} className="border-b border-slate-50 last:border-0">
                <button
                  type="button"
                  data-testid={`notification-${item.kind}`}
                  onClick={() => void follow(item)}
                  className={`block w-full px-3 py-2 text-left hover:bg-slate-50 ${item.read_at === null ? "bg-indigo-50/50" : ""}`}
                >
                  <span className="block text-sm font-medium text-slate-900">{item.title}</span>
                  <span className="block text-xs text-slate-600">{item.body}</span>
                  <span className="block text-xs text-slate-400">{date(item.created_at)}</span>
                </button>
              </li>
            ))}
          </ul>
          <Link href="/notifications/" onClick={() => setOpen(false)} className="block border-t border-slate-100 px-3 py-2 text-xs text-indigo-700 underline">
            {t("notify.seeAll")}
          </Link>
        </div>
      )}
    </div>
  );
}
