"use client";

import { useEffect } from "react";
import { useI18n } from "@/lib/i18n";
import { button } from "@/components/ui";

/**
 * Every page's error boundary (Next.js renders it in place of a page that threw while rendering):
 * a message a person can act on and a retry, never a blank screen. The error goes to the
 * browser's log with its digest, which matches the server's log line when there is one.
 */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const { t } = useI18n();
  useEffect(() => {
    console.error("page error", { message: error.message, digest: error.digest, stack: error.stack });
  }, [error]);
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 py-10">
      <div role="alert" data-testid="page-error" className="rounded-md border border-red-200 bg-red-50 p-6">
        <h1 className="text-lg font-semibold text-red-900">{t("error.pageTitle")}</h1>
        <p className="mt-1 text-sm text-red-800">{t("error.pageText")}</p>
        {error.digest && <p className="mt-2 font-mono text-xs text-red-700">{error.digest}</p>}
        <button type="button" className={`${button} mt-4`} onClick={reset}>
          {t("common.retry")}
        </button>
      </div>
    </main>
  );
}
