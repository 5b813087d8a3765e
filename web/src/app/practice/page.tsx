"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "@/api/client";
import type { Persona, PersonaCard, Started } from "@/api/types";
import { Page } from "@/components/Shell";
import { Badge, Card, Empty, ErrorBox, Loading, PageTitle, button, buttonSecondary, useErrorMessage } from "@/components/ui";
import { useI18n } from "@/lib/i18n";
import { useResource } from "@/lib/useResource";
import { rememberCall } from "@/lib/voice";

type Mode = "text" | "voice";

/** A persona to pick: only what a caller knows before the call (salespeople get nothing more). */
function PersonaChoice({ persona, selected, onSelect }: { persona: PersonaCard | Persona; selected: boolean; onSelect: () => void }) {
  const { t } = useI18n();
  const profile = persona.company_profile as Record<string, unknown>;
  return (
    <li>
      <label
        className={`flex h-full cursor-pointer flex-col gap-2 rounded-lg border bg-white p-4 shadow-sm focus-within:ring-2 focus-within:ring-indigo-500 ${selected ? "border-indigo-600 ring-2 ring-indigo-600" : "border-slate-200"}`}
      >
        <span className="flex items-start justify-between gap-2">
          <span>
            <input type="radio" name="persona" className="sr-only" checked={selected} onChange={onSelect} />
            <span className="block font-semibold text-slate-900">{persona.name}</span>
            <span className="block text-sm text-slate-600">{persona.role}</span>
          </span>
          <Badge value={persona.difficulty} text={t(`difficulty.${persona.difficulty}`)} />
        </span>
        <span className="text-sm text-slate-600">
          {[profile.segment, profile.size, profile.region].filter((v) => typeof v === "string" && v).join(" · ")}
        </span>
        {persona.offline && <span className="text-xs text-slate-500">{t("personas.offlineLabel")}</span>}
      </label>
    </li>
  );
}

function Practice() {
  const { t } = useI18n();
  const router = useRouter();
  const errorMessage = useErrorMessage();
  const personas = useResource(() => api.get("/api/v1/personas", { query: { status: "active" } }), []);
  const [selected, setSelected] = useState<string | null>(null);
  const [mode, setMode] = useState<Mode>("text");
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function start(random: boolean) {
    setStarting(true);
    setError(null);
    try {
      const started = await api.post<"/api/v1/sessions/start", Started>("/api/v1/sessions/start", {
        body: { mode, persona_id: random ? null : selected },
      });
      if (started.call) rememberCall(started.session_id, started.call);
      router.push(`/sessions/view/?id=${started.session_id}`);
    } catch (err) {
      setError(errorMessage(err));
      setStarting(false);
    }
  }

  return (
    <>
      <PageTitle subtitle={t("practice.subtitle")}>{t("practice.title")}</PageTitle>
      <div className="space-y-6">
        <Card title={t("practice.choose")}>
          {personas.loading ? (
            <Loading />
          ) : personas.error ? (
            <ErrorBox error={personas.error} onRetry={() => void personas.reload()} />
          ) : personas.data && personas.data.length > 0 ? (
            <fieldset>
              <legend className="sr-only">{t("practice.choose")}</legend>
              <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
                {personas.data.map((persona) => (
                  <PersonaChoice key={persona.id} persona={persona} selected={selected === persona.id} onSelect={() => setSelected(persona.id)} />
                ))}
              </ul>
            </fieldset>
          ) : (
            <Empty>{t("practice.noPersonas")}</Empty>
          )}
        </Card>
        <Card title={t("practice.how")}>
          <fieldset className="flex flex-wrap gap-4">
            <legend className="sr-only">{t("practice.how")}</legend>
            {(["text", "voice"] as const).map((value) => (
              <label key={value} className="flex items-center gap-2 text-sm">
                <input type="radio" name="mode" value={value} checked={mode === value} onChange={() => setMode(value)} />
                {t(`practice.mode.${value}`)}
              </label>
            ))}
          </fieldset>
          <p className="mt-2 text-sm text-slate-600">{t(`practice.modeHelp.${mode}`)}</p>
          {error && (
            <p role="alert" className="mt-3 rounded-md bg-red-50 p-2 text-sm text-red-700">
              {error}
            </p>
          )}
          <div className="mt-4 flex flex-wrap gap-3">
            <button type="button" className={button} disabled={starting || selected === null} onClick={() => void start(false)}>
              {starting ? t("practice.starting") : t("practice.start")}
            </button>
            <button type="button" className={buttonSecondary} disabled={starting || !personas.data?.length} onClick={() => void start(true)}>
              {t("practice.random")}
            </button>
          </div>
        </Card>
      </div>
    </>
  );
}

export default function PracticePage() {
  return <Page>{() => <Practice />}</Page>;
}
