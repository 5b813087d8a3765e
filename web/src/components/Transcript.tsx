"use client";

import { useEffect, useRef } from "react";
import type { Turn } from "@/api/types";
import { useI18n } from "@/lib/i18n";

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** The conversation, turn by turn; new turns are announced to screen readers. With `onSeek`
 * (a call's recording is playing), clicking a turn asks to play the recording from its start. */
export function Transcript({
  turns,
  persona,
  highlight,
  onRetry,
  onSeek,
}: {
  turns: Turn[];
  persona: string;
  highlight?: number | null;
  /** Offered on persona turns of a finished call of one's own: practise that moment again. */
  onRetry?: (turn: number) => void;
  onSeek?: (turn: Turn) => void;
}) {
  const { t } = useI18n();
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: "nearest" });
  }, [turns.length]);
  return (
    <ol aria-live="polite" aria-label={t("session.transcript")} className="space-y-3" data-testid="transcript">
      {turns.map((turn) => {
        const mine = turn.speaker === "salesperson";
        return (
          <li key={turn.index} id={`turn-${turn.index}`} className={`flex ${mine ? "justify-end" : "justify-start"}`}>
            <div
              onClick={onSeek ? () => onSeek(turn) : undefined}
              className={`max-w-[85%] rounded-lg px-3 py-2 text-sm shadow-sm ${mine ? "bg-indigo-600 text-white" : "bg-white text-slate-900 ring-1 ring-slate-200"} ${highlight === turn.index ? "ring-4 ring-amber-400" : ""} ${onSeek ? "cursor-pointer" : ""}`}
            >
              <p className={`mb-0.5 text-xs ${mine ? "text-indigo-100" : "text-slate-500"}`}>
                #{turn.index} · {mine ? t("session.you") : persona} ·{" "}
                {onSeek ? (
                  <button
                    type="button"
                    className="underline"
                    aria-label={t("recording.playFrom", { time: clock(turn.start) })}
                    onClick={(event) => {
                      event.stopPropagation();
                      onSeek(turn);
                    }}
                  >
                    {clock(turn.start)}
                  </button>
                ) : (
                  clock(turn.start)
                )}
              </p>
              <p className="whitespace-pre-wrap">{turn.text}</p>
              {onRetry && !mine && (
                <button
                  type="button"
                  className="mt-1 text-xs font-medium text-indigo-700 underline"
                  data-testid="retry-turn"
                  onClick={() => onRetry(turn.index)}
                >
                  {t("session.retryHere")}
                </button>
              )}
            </div>
          </li>
        );
      })}
      <li ref={end} aria-hidden className="h-0" />
    </ol>
  );
}
