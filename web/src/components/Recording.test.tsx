import { fireEvent, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useRef, useState } from "react";
import { describe, expect, it } from "vitest";
import type { Turn } from "@/api/types";
import { renderWithI18n } from "@/test/render";
import { Recording } from "./Recording";
import { Transcript } from "./Transcript";

const turns: Turn[] = [
  { index: 0, speaker: "persona", text: "Alô?", start: 0.6, end: 3.1, words: 1 },
  { index: 1, speaker: "salesperson", text: "Bom dia, Marina!", start: 3.85, end: 7.2, words: 3 },
];
const latency = {
  p50_ms: 820,
  p95_ms: 1915,
  max_ms: 2050,
  over_1500ms_share: 0.286,
  responses: 7,
  persona_interruptions: 1,
  salesperson_interruptions: 1,
};

function Player() {
  const audio = useRef<HTMLAudioElement>(null);
  const [at, setAt] = useState<number | null>(null);
  return (
    <>
      <Recording url="https://storage.test/rec.wav?token=x" latency={latency} audio={audio} />
      <Transcript
        turns={turns}
        persona="Marina"
        onSeek={(turn) => {
          if (audio.current) audio.current.currentTime = turn.start;
          setAt(turn.start);
        }}
      />
      <output data-testid="at">{at}</output>
    </>
  );
}

describe("the call recording", () => {
  it("plays from the signed URL and shows the latency figures", () => {
    renderWithI18n(<Player />);
    expect(screen.getByTestId("recording-audio")).toHaveAttribute("src", "https://storage.test/rec.wav?token=x");
    const figures = screen.getByTestId("latency");
    expect(figures).toHaveTextContent("820 ms");
    expect(figures).toHaveTextContent("1915 ms");
    expect(figures).toHaveTextContent("2050 ms");
    expect(figures).toHaveTextContent("29%");
    expect(figures).toHaveTextContent("1 / 1");
  });

  it("seeks the audio to a turn's start when the turn is clicked", async () => {
    renderWithI18n(<Player />);
    const audio = screen.getByTestId<HTMLAudioElement>("recording-audio");
    await userEvent.click(screen.getByText("Bom dia, Marina!"));
    expect(audio.currentTime).toBeCloseTo(3.85);
    fireEvent.click(screen.getByRole("button", { name: "Ouvir a partir de 0:01" }));
    expect(audio.currentTime).toBeCloseTo(0.6);
    expect(screen.getByTestId("at")).toHaveTextContent("0.6");
  });

  it("says when there is no recording (not yet copied, or past retention)", () => {
    renderWithI18n(<Recording url={null} latency={null} audio={{ current: null }} />);
    expect(screen.getByText(/ainda não está disponível/)).toBeInTheDocument();
    expect(screen.queryByTestId("latency")).toBeNull();
  });
});
