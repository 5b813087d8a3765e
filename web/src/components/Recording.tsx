"use client";

import type { RefObject } from "react";
import type { components } from "@/api/schema";
import { useI18n } from "@/lib/i18n";

type Latency = components["schemas"]["Latency"];

/** The call's recording (a short-lived signed URL) and how quickly the persona answered. */
export function Recording({ url, latency, audio }: { url: string | null; latency: Latency | null; audio: RefObject<HTMLAudioElement | null> }) {
  const { t } = useI18n();
  const ms = (value: number | null) => (value === null ? "—" : `${value} ms`);
  return (
    <div className="space-y-4" data-testid="recording">
      {url ? (
        <div>
          <audio ref={audio} controls preload="metadata" src={url} className="w-full" data-testid="recording-audio" />
          <p className="mt-1 text-xs text-slate-500">{t("recording.seekHint")}</p>
        </div>
      ) : (
        <p className="text-sm text-slate-600">{t("recording.unavailable")}</p>
      )}
      {latency && (
        <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-5" data-testid="latency" aria-label={t("latency.title")}>
          <div>
            <dt className="text-slate-500">{t("latency.p50")}</dt>
            <dd className="font-semibold tabular-nums">{ms(latency.p50_ms)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("latency.p95")}</dt>
            <dd className="font-semibold tabular-nums">{ms(latency.p95_ms)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("latency.max")}</dt>
            <dd className="font-semibold tabular-nums">{ms(latency.max_ms)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("latency.slow")}</dt>
            <dd className="font-semibold tabular-nums">
              {latency.over_1500ms_share === null ? "—" : `${Math.round(latency.over_1500ms_share * 100)}%`}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("latency.interruptions")}</dt>
            <dd className="font-semibold tabular-nums">
              {latency.persona_interruptions ?? 0} / {latency.salesperson_interruptions ?? 0}
            </dd>
          </div>
        </dl>
      )}
    </div>
  );
}
