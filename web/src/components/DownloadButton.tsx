"use client";

import { useState } from "react";
import { useI18n } from "@/lib/i18n";
import { useErrorMessage } from "./ui";

/** A button that runs a download (see `download` in api/client), saying so while it works and
 * what went wrong if it fails. */
export function DownloadButton({ onDownload, testId }: { onDownload: () => Promise<void>; testId?: string }) {
  const { t } = useI18n();
  const describe = useErrorMessage();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run() {
    setBusy(true);
    setError(null);
    try {
      await onDownload();
    } catch (caught) {
      setError(describe(caught));
    } finally {
      setBusy(false);
    }
  }
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        className="rounded-md border border-indigo-300 px-3 py-1 text-sm font-medium text-indigo-700 hover:bg-indigo-50 disabled:opacity-60"
        onClick={() => void run()}
        disabled={busy}
        aria-busy={busy}
        data-testid={testId}
      >
        {busy ? t("report.downloading") : t("report.download")}
      </button>
      {error && (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      )}
    </span>
  );
}
