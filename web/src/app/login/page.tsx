"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { LanguageSwitch } from "@/components/Shell";
import { button, input, label } from "@/components/ui";
import { useAuth } from "@/lib/auth";
import { useI18n } from "@/lib/i18n";

export default function Login() {
  const { state, signIn } = useAuth();
  const { t } = useI18n();
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (state.status === "ready") router.replace("/");
  }, [state.status, router]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const failure = await signIn(email.trim(), password);
    setBusy(false);
    if (failure) setError(failure === "Invalid login credentials" ? t("login.invalid") : failure);
  }

  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-between">
          <h1 className="text-2xl font-bold text-indigo-700">Sales AI Dojo</h1>
          <LanguageSwitch />
        </div>
        <form onSubmit={submit} className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" aria-describedby="login-help">
          <h2 className="text-lg font-semibold">{t("login.title")}</h2>
          {state.status === "signed-out" && state.reason === "access-removed" && (
            <p role="alert" data-testid="access-removed" className="rounded-md border border-amber-200 bg-amber-50 p-2 text-sm text-amber-900">
              {t("auth.accessRemoved")}
            </p>
          )}
          <p id="login-help" className="text-sm text-slate-600">
            {t("login.help")}
          </p>
          <div>
            <label htmlFor="email" className={label}>
              {t("login.email")}
            </label>
            <input id="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} className={`${input} mt-1`} />
          </div>
          <div>
            <label htmlFor="password" className={label}>
              {t("login.password")}
            </label>
            <input
              id="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              className={`${input} mt-1`}
            />
          </div>
          {error && (
            <p role="alert" className="rounded-md bg-red-50 p-2 text-sm text-red-700">
              {error}
            </p>
          )}
          <button type="submit" disabled={busy} className={`${button} w-full`}>
            {busy ? t("login.signingIn") : t("login.submit")}
          </button>
          <Link href="/signup/" className="block text-center text-sm text-indigo-700 underline">
            {t("login.noAccount")}
          </Link>
        </form>
      </div>
    </main>
  );
}
