"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useEffect, useState } from "react";
import { api, ApiError } from "@/api/client";
import { LanguageSwitch } from "@/components/Shell";
import { Card, Loading, button, buttonSecondary, useErrorMessage } from "@/components/ui";
import { useAuth } from "@/lib/auth";
import { useI18n } from "@/lib/i18n";
import { forgetInvitation, rememberInvitation, rememberedInvitation } from "@/lib/invitation";
import type { Key } from "@/lib/messages";

// What the invitee reads for each refusal the API explains by code.
const REFUSALS: Record<string, Key> = {
  invitation_not_found: "invitation.notFound",
  invitation_expired: "invitation.expired",
  invitation_email_mismatch: "invitation.wrongEmail",
  already_in_a_company: "invitation.otherCompany",
};

function Accept() {
  const { t } = useI18n();
  const { state, refresh, signOut } = useAuth();
  const errorMessage = useErrorMessage();
  const router = useRouter();
  const fromLink = useSearchParams().get("token");
  const [token, setToken] = useState<string | null>(fromLink);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (fromLink) rememberInvitation(fromLink);
    else setToken(rememberedInvitation());
  }, [fromLink]);

  async function accept() {
    if (!token) return;
    setBusy(true);
    setError(null);
    try {
      await api.post("/api/v1/auth/invitations/accept", { body: { token } });
      forgetInvitation();
      await refresh();
      router.replace("/");
    } catch (err) {
      const refusal = err instanceof ApiError ? REFUSALS[err.code] : undefined;
      setError(refusal ? t(refusal) : errorMessage(err));
      setBusy(false);
    }
  }

  function later() {
    forgetInvitation();
    router.replace("/");
  }

  let body;
  if (!token) body = <p role="alert" className="text-sm text-red-700">{t("invitation.missing")}</p>;
  else if (state.status === "loading") body = <Loading />;
  else if (state.status !== "ready")
    body = (
      <>
        <p className="text-sm text-slate-700">{t("invitation.signInHelp")}</p>
        <div className="mt-4 flex flex-wrap gap-2">
          <Link href="/login/" className={button}>
            {t("login.submit")}
          </Link>
          <Link href="/signup/" className={buttonSecondary}>
            {t("signup.submit")}
          </Link>
        </div>
      </>
    );
  else
    body = (
      <>
        <p className="text-sm text-slate-700">{t("invitation.signedInAs", { email: state.me.email ?? "" })}</p>
        {error && (
          <p role="alert" className="mt-3 rounded-md bg-red-50 p-2 text-sm text-red-700">
            {error}
          </p>
        )}
        <div className="mt-4 flex flex-wrap gap-2">
          <button type="button" className={button} disabled={busy} onClick={() => void accept()}>
            {busy ? t("invitation.accepting") : t("invitation.accept")}
          </button>
          <button type="button" className={buttonSecondary} disabled={busy} onClick={later}>
            {t("invitation.later")}
          </button>
          <button type="button" className={buttonSecondary} disabled={busy} onClick={() => void signOut()}>
            {t("nav.signOut")}
          </button>
        </div>
      </>
    );

  return (
    <Card title={t("invitation.title")}>
      <p className="mb-3 text-sm text-slate-600">{t("invitation.intro")}</p>
      {body}
    </Card>
  );
}

/** Where an invitation link lands: the invitee signs in (or up) and accepts. */
export default function AcceptInvitationPage() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-lg">
        <div className="mb-6 flex items-center justify-between">
          <h1 className="text-2xl font-bold text-indigo-700">Sales AI Dojo</h1>
          <LanguageSwitch />
        </div>
        <Suspense fallback={<Loading />}>
          <Accept />
        </Suspense>
      </div>
    </main>
  );
}
