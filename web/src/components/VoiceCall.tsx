"use client";

import { useEffect, useRef, useState } from "react";
import type Vapi from "@vapi-ai/web";
import { useI18n } from "@/lib/i18n";
import { forgetCall, type CallInfo } from "@/lib/voice";
import { button, buttonDanger, buttonSecondary } from "./ui";

type Status = "connecting" | "live" | "ended" | "error";

/**
 * Joins the web call the API created for this session (Vapi Web SDK), with mute, hang up and a
 * live status. The browser only ever holds the call's id, join URL and public key.
 */
export function VoiceCall({ sessionId, call, onEnd }: { sessionId: string; call: CallInfo; onEnd: () => Promise<void> }) {
  const { t } = useI18n();
  const vapiRef = useRef<Vapi | null>(null);
  const [status, setStatus] = useState<Status>("connecting");
  const [muted, setMuted] = useState(false);
  const [speaking, setSpeaking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [elapsed, setElapsed] = useState(0);
  // Switching the language must not restart the call: the effect reads the words through a ref.
  const tRef = useRef(t);
  tRef.current = t;

  useEffect(() => {
    if (!call.public_key || !call.web_call_url) {
      setStatus("error");
      setProblem(tRef.current("voice.notConfigured"));
      return;
    }
    let cancelled = false;
    const publicKey = call.public_key;
    const webCallUrl = call.web_call_url;
    void (async () => {
      const { default: VapiClient } = await import("@vapi-ai/web");
      if (cancelled) return;
      const vapi = new VapiClient(publicKey);
      vapiRef.current = vapi;
      vapi.on("call-start", () => setStatus("live"));
      vapi.on("call-end", () => {
        setStatus("ended");
        forgetCall(sessionId);
      });
      vapi.on("speech-start", () => setSpeaking(true));
      vapi.on("speech-end", () => setSpeaking(false));
      vapi.on("error", (error: unknown) => {
        setStatus("error");
        setProblem(error instanceof Error ? error.message : tRef.current("voice.failed"));
      });
      try {
        await vapi.reconnect({ webCallUrl, id: call.id });
      } catch (error) {
        setStatus("error");
        setProblem(error instanceof Error ? error.message : tRef.current("voice.failed"));
      }
    })();
    return () => {
      cancelled = true;
      void vapiRef.current?.stop();
    };
  }, [call, sessionId]);

  useEffect(() => {
    if (status !== "live") return;
    const timer = window.setInterval(() => setElapsed((s) => s + 1), 1000);
    return () => window.clearInterval(timer);
  }, [status]);

  function toggleMute() {
    const next = !muted;
    vapiRef.current?.setMuted(next);
    setMuted(next);
  }

  async function hangUp() {
    await vapiRef.current?.stop();
    setStatus("ended");
    forgetCall(sessionId);
    await onEnd();
  }

  const minutes = `${Math.floor(elapsed / 60)}:${String(elapsed % 60).padStart(2, "0")}`;
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <p role="status" aria-live="polite" className="text-sm font-medium text-slate-800" data-testid="voice-status">
        {t(`voice.status.${status}`)}
        {status === "live" && ` · ${minutes}`}
        {status === "live" && speaking && ` · ${t("voice.speaking")}`}
      </p>
      {problem && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {problem}
        </p>
      )}
      <div className="mt-3 flex flex-wrap gap-3">
        <button type="button" className={buttonSecondary} onClick={toggleMute} disabled={status !== "live"} aria-pressed={muted}>
          {muted ? t("voice.unmute") : t("voice.mute")}
        </button>
        <button type="button" className={status === "live" ? buttonDanger : button} onClick={() => void hangUp()} disabled={status === "ended"}>
          {t("voice.hangUp")}
        </button>
      </div>
    </div>
  );
}
