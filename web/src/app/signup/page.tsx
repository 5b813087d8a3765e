"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { LanguageSwitch } from "@/components/Shell";
import { button, input, label } from "@/components/ui";
import { useAuth } from "@/lib/auth";
import { useI18n } from "@/lib/i18n";

export default function SignUp() {
  const { state, signUp } = useAuth();
  const { t } = useI18n();
  const router = useRouter();
  const [fullName, setFullName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (state.status === "ready") router.replace("/");
  }, [state.status, router]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    const result = await signUp(email.trim(), password, fullName.trim());
    setBusy(false);
    if (result.error) setMessage({ ok: false, text: result.error === "User already registered" ? t("signup.taken") : result.error });
    else if (result.confirm) setMessage({ ok: true, text: t("signup.confirm") });
  }

  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-between">
          <h1 className="text-2xl font-bold text-indigo-700">Sales AI Dojo</h1>
          <LanguageSwitch />
        </div>
        <form onSubmit={submit} className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" aria-describedby="signup-help">
          <h2 className="text-lg font-semibold">{t("signup.title")}</h2>
          <p id="signup-help" className="text-sm text-slate-600">
            {t("signup.help")}
          </p>
          <div>
            <label htmlFor="full-name" className={label}>
              {t("signup.fullName")}
            </label>
            <input id="full-name" autoComplete="name" required maxLength={200} value={fullName} onChange={(e) => setFullName(e.target.value)} className={`${input} mt-1`} />
          </div>
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
              autoComplete="new-password"
              required
              minLength={6}
              aria-describedby="password-hint"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              className={`${input} mt-1`}
            />
            <p id="password-hint" className="mt-1 text-xs text-slate-500">
              {t("login.passwordHint")}
            </p>
          </div>
          {message && (
            <p role={message.ok ? "status" : "alert"} className={`rounded-md p-2 text-sm ${message.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-700"}`}>
              {message.text}
            </p>
          )}
          <button type="submit" disabled={busy} className={`${button} w-full`}>
            {busy ? t("signup.creating") : t("signup.submit")}
          </button>
          <Link href="/login/" className="block text-center text-sm text-indigo-700 underline">
            {t("signup.haveAccount")}
          </Link>
        </form>
      </div>
    </main>
  );
}
