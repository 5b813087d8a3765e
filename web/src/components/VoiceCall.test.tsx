import { act, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { rememberCall, recallCall } from "@/lib/voice";
import { renderWithI18n } from "@/test/render";
import { VoiceCall } from "./VoiceCall";

// The Vapi web SDK's surface as the component uses it: events, reconnect, mute, stop.
type Listener = (payload?: unknown) => void;
class FakeVapi {
  static last: FakeVapi | null = null;
  static joinError: Error | null = null;
  listeners = new Map<string, Listener[]>();
  muted: boolean[] = [];
  stopped = 0;
  joined: unknown = null;
  constructor(readonly publicKey: string) {
    FakeVapi.last = this;
  }
  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  emit(event: string, payload?: unknown) {
    act(() => this.listeners.get(event)?.forEach((l) => l(payload)));
  }
  async reconnect(call: unknown) {
    this.joined = call;
    if (FakeVapi.joinError) throw FakeVapi.joinError;
  }
  setMuted(value: boolean) {
    this.muted.push(value);
  }
  async stop() {
    this.stopped += 1;
  }
}
vi.mock("@vapi-ai/web", () => ({ default: FakeVapi }));

const CALL = { id: "call-1", web_call_url: "https://c.daily.co/room", public_key: "pk-public" };

async function joined(): Promise<FakeVapi> {
  await waitFor(() => expect(FakeVapi.last?.joined).not.toBeNull());
  return FakeVapi.last as FakeVapi;
}

describe("VoiceCall", () => {
  beforeEach(() => {
    FakeVapi.last = null;
    FakeVapi.joinError = null;
  });

  it("joins the call the server created with the public key only", async () => {
    renderWithI18n(<VoiceCall sessionId="s1" call={CALL} onEnd={vi.fn()} />);
    expect(screen.getByTestId("voice-status")).toHaveTextContent("Conectando…");
    const vapi = await joined();
    expect(vapi.publicKey).toBe("pk-public");
    expect(vapi.joined).toEqual({ webCallUrl: CALL.web_call_url, id: "call-1" });
    expect(screen.getByRole("button", { name: "Silenciar microfone" })).toBeDisabled();
  });

  it("goes live, shows who is speaking, mutes and unmutes", async () => {
    const user = userEvent.setup();
    renderWithI18n(<VoiceCall sessionId="s1" call={CALL} onEnd={vi.fn()} />);
    const vapi = await joined();
    vapi.emit("call-start");
    expect(screen.getByTestId("voice-status")).toHaveTextContent("Ao vivo · 0:00");
    vapi.emit("speech-start");
    expect(screen.getByTestId("voice-status")).toHaveTextContent("cliente falando");
    vapi.emit("speech-end");
    expect(screen.getByTestId("voice-status")).not.toHaveTextContent("cliente falando");
    await user.click(screen.getByRole("button", { name: "Silenciar microfone" }));
    expect(screen.getByRole("button", { name: "Ativar microfone" })).toHaveAttribute("aria-pressed", "true");
    await user.click(screen.getByRole("button", { name: "Ativar microfone" }));
    expect(vapi.muted).toEqual([true, false]);
  });

  it("hangs up: stops the SDK, forgets the call and ends the session", async () => {
    const user = userEvent.setup();
    const onEnd = vi.fn(async () => undefined);
    rememberCall("s1", CALL);
    renderWithI18n(<VoiceCall sessionId="s1" call={CALL} onEnd={onEnd} />);
    const vapi = await joined();
    vapi.emit("call-start");
    await user.click(screen.getByRole("button", { name: "Desligar" }));
    expect(vapi.stopped).toBeGreaterThan(0);
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(recallCall("s1")).toBeNull();
    expect(screen.getByTestId("voice-status")).toHaveTextContent("Ligação encerrada");
    expect(screen.getByRole("button", { name: "Desligar" })).toBeDisabled();
  });

  it("ends when the other side hangs up", async () => {
    rememberCall("s1", CALL);
    renderWithI18n(<VoiceCall sessionId="s1" call={CALL} onEnd={vi.fn()} />);
    const vapi = await joined();
    vapi.emit("call-start");
    vapi.emit("call-end");
    expect(screen.getByTestId("voice-status")).toHaveTextContent("Ligação encerrada");
    expect(recallCall("s1")).toBeNull();
  });

  it("says what went wrong when the SDK cannot join", async () => {
    FakeVapi.joinError = new Error("Meeting has ended");
    renderWithI18n(<VoiceCall sessionId="s1" call={CALL} onEnd={vi.fn()} />);
    expect(await screen.findByRole("alert")).toHaveTextContent("Meeting has ended");
    expect(screen.getByTestId("voice-status")).toHaveTextContent("Problema na ligação");
  });

  it("shows an SDK error during the call (e.g. microphone permission denied)", async () => {
    renderWithI18n(<VoiceCall sessionId="s1" call={CALL} onEnd={vi.fn()} />);
    const vapi = await joined();
    vapi.emit("error", new Error("Permission denied"));
    expect(screen.getByRole("alert")).toHaveTextContent("Permission denied");
    vapi.emit("error", { type: "daily-error" });
    expect(screen.getByRole("alert")).toHaveTextContent("Não foi possível conectar a ligação.");
  });

  it("says voice is not configured instead of loading the SDK", async () => {
    renderWithI18n(<VoiceCall sessionId="s1" call={{ ...CALL, public_key: null }} onEnd={vi.fn()} />);
    expect(await screen.findByRole("alert")).toHaveTextContent("A voz não está configurada neste ambiente. Use o modo texto.");
    expect(FakeVapi.last).toBeNull();
  });

  it("stops the SDK when the page is left mid-call", async () => {
    const view = renderWithI18n(<VoiceCall sessionId="s1" call={CALL} onEnd={vi.fn()} />);
    const vapi = await joined();
    vapi.emit("call-start");
    view.unmount();
    expect(vapi.stopped).toBe(1);
  });
});
