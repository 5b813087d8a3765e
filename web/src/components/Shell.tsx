"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import type { Me, Role } from "@/api/types";
import { hasRole, useAuth } from "@/lib/auth";
import { useI18n, type Lang } from "@/lib/i18n";
import type { Key } from "@/lib/messages";
import { CreateCompany } from "./CreateCompany";
import { NotificationBell } from "./NotificationBell";
import { ErrorBox, Loading } from "./ui";

const SALES_LINKS: { href: string; key: Key }[] = [
  { href: "/tasks/", key: "nav.tasks" },
  { href: "/practice/", key: "nav.practice" },
  { href: "/sessions/", key: "nav.sessions" },
  { href: "/progress/", key: "nav.progress" },
  { href: "/leaderboard/", key: "nav.leaderboard" },
];
const ADMIN_LINKS: { href: string; key: Key }[] = [{ href: "/admin/operations/", key: "nav.operations" }];
const MANAGER_LINKS: { href: string; key: Key }[] = [
  { href: "/manager/team/", key: "nav.team" },
  { href: "/manager/analytics/", key: "nav.analytics" },
  { href: "/manager/assignments/", key: "nav.assignments" },
  { href: "/manager/documents/", key: "nav.documents" },
  { href: "/manager/personas/", key: "nav.personas" },
  { href: "/manager/members/", key: "nav.members" },
];

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <label className="flex items-center gap-1 text-sm text-slate-600">
      <span className="sr-only">{t("nav.language")}</span>
      <select
        value={lang}
        onChange={(event) => setLang(event.target.value as Lang)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
        aria-label={t("nav.language")}
      >
        <option value="pt-BR">Português</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}

function Nav({ me }: { me: Me }) {
  const { t } = useI18n();
  const { signOut } = useAuth();
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const managing = hasRole(me.role, "manager") ? [...MANAGER_LINKS, ...SALES_LINKS] : SALES_LINKS;
  const links = hasRole(me.role, "admin") ? [...managing, ...ADMIN_LINKS] : managing;
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-2 px-4 py-3">
        <Link href="/" className="text-lg font-bold text-indigo-700">
          Sales AI Dojo
        </Link>
        {/* the bell stays in view on small screens, after the menu on wide ones */}
        {me.company && (
          <div className="ml-auto md:order-last md:ml-0">
            <NotificationBell userId={me.user_id} />
          </div>
        )}
        <button
          type="button"
          className="rounded-md border border-slate-300 px-3 py-1 text-sm md:hidden"
          aria-expanded={open}
          aria-controls="main-nav"
          onClick={() => setOpen(!open)}
        >
          {t("nav.menu")}
        </button>
        <nav
          id="main-nav"
          aria-label={t("nav.main")}
          className={`${open ? "flex" : "hidden"} w-full flex-col gap-1 md:flex md:w-auto md:flex-row md:flex-wrap md:items-center md:gap-x-1 md:gap-y-1`}
        >
          {links.map((link) => {
            const current = pathname === link.href || pathname === link.href.slice(0, -1);
            return (
              <Link
                key={link.href}
                href={link.href}
                aria-current={current ? "page" : undefined}
                className={`rounded px-2 py-1 text-sm ${current ? "bg-indigo-50 font-semibold text-indigo-700" : "text-slate-700 hover:text-indigo-700"}`}
                onClick={() => setOpen(false)}
              >
                {t(link.key)}
              </Link>
            );
          })}
          <LanguageSwitch />
          <span className="px-2 text-sm text-slate-500" data-testid="whoami">
            {me.full_name ?? me.email} · {me.role ? t(`role.${me.role}`) : ""}
          </span>
          <button type="button" onClick={() => void signOut()} className="text-left text-sm text-slate-700 underline">
            {t("nav.signOut")}
          </button>
        </nav>
      </div>
    </header>
  );
}

/**
 * A signed-in page: redirects to the sign-in page when nobody is signed in, and shows "no access"
 * when the person's role is below `role` (the API refuses those calls anyway).
 */
export function Page({ role = "salesperson", children }: { role?: Role; children: (me: Me) => ReactNode }) {
  const { state } = useAuth();
  const { t } = useI18n();
  const router = useRouter();
  useEffect(() => {
    if (state.status === "signed-out") router.replace("/login/");
  }, [state.status, router]);
  let body: ReactNode;
  if (state.status === "loading" || state.status === "signed-out") body = <Loading />;
  else if (state.status === "error") body = <ErrorBox error={new Error(state.message)} onRetry={() => window.location.reload()} />;
  else if (state.me.company === null) body = <CreateCompany />;
  else if (!hasRole(state.me.role, role))
    body = (
      <div role="alert" data-testid="forbidden" className="rounded-md border border-amber-200 bg-amber-50 p-6">
        <h1 className="text-lg font-semibold text-amber-900">{t("auth.forbiddenTitle")}</h1>
        <p className="mt-1 text-sm text-amber-800">{t("auth.forbiddenText")}</p>
        <Link href="/" className="mt-3 inline-block text-sm font-medium text-indigo-700 underline">
          {t("auth.backHome")}
        </Link>
      </div>
    );
  else body = children(state.me);
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
        {t("nav.skip")}
      </a>
      {state.status === "ready" && <Nav me={state.me} />}
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        {body}
      </main>
    </>
  );
}
