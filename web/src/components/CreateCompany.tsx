"use client";

import Link from "next/link";
import { useEffect, useState, type FormEvent } from "react";
import { api } from "@/api/client";
import { useAuth } from "@/lib/auth";
import { useI18n } from "@/lib/i18n";
import { invitationHref, rememberedInvitation } from "@/lib/invitation";
import { Card, button, input, label, useErrorMessage } from "./ui";

/** An invitation link opened before signing in, waiting to be accepted. */
function PendingInvitation() {
  const { t } = useI18n();
  const [token, setToken] = useState<string | null>(null);
  useEffect(() => setToken(rememberedInvitation()), []);
  if (!token) return null;
  return (
    <div role="status" className="mb-4 rounded-md border border-indigo-200 bg-indigo-50 p-4 text-sm text-indigo-900">
      <p>{t("invitation.pending")}</p>
      <Link href={invitationHref(token)} className={`${button} mt-3`}>
        {t("invitation.open")}
      </Link>
    </div>
  );
}

/** A signed-up person without a company creates one (and becomes its admin), or waits for an invite. */
export function CreateCompany() {
  const { t, lang } = useI18n();
  const { refresh } = useAuth();
  const errorMessage = useErrorMessage();
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post("/api/v1/auth/company", { body: { name: name.trim(), locale: lang === "en" ? "en-US" : "pt-BR" } });
      await refresh();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <div className="mx-auto max-w-lg">
      <PendingInvitation />
      <Card title={t("company.title")}>
        <p className="mb-4 text-sm text-slate-600">{t("auth.noCompany")}</p>
        <form onSubmit={submit} className="space-y-4">
          <div>
            <label htmlFor="company-name" className={label}>
              {t("company.name")}
            </label>
            <input id="company-name" required maxLength={200} className={`${input} mt-1`} value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          {error && (
            <p role="alert" className="text-sm text-red-700">
              {error}
            </p>
          )}
          <button type="submit" className={button} disabled={busy || !name.trim()}>
            {t("company.create")}
          </button>
        </form>
      </Card>
    </div>
  );
}
