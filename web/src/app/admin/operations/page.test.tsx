import { screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "@/api/client";
import { authState, fakeUseAuth, me } from "@/test/auth";
import { pageCalls, renderWithI18n } from "@/test/render";
import OperationsPage from "./page";

vi.mock("next/navigation", () => ({ useRouter: () => ({ replace: vi.fn(), push: vi.fn() }), usePathname: () => "/admin/operations/" }));
vi.mock("@/lib/auth", async (original) => ({ ...(await original<typeof import("@/lib/auth")>()), useAuth: fakeUseAuth }));

const quiet = { day: "2026-12-02", calls_started: 0, calls_reported: 0, completion_rate: null, avg_duration_seconds: null, cost_per_call_usd: null, latency_p95_ms: null, model_input_tokens: 0, model_output_tokens: 0, model_cost_usd: 0 };
const today = { day: "2026-12-03", calls_started: 3, calls_reported: 2, completion_rate: 0.667, avg_duration_seconds: 75.62, cost_per_call_usd: 0.25, latency_p95_ms: 2050, model_input_tokens: 1200, model_output_tokens: 300, model_cost_usd: 0.006 };

describe("the operations page", () => {
  beforeEach(() => {
    authState.current = { status: "ready", me: me("admin") };
  });

  it("shows each active day's calls, completion, cost, latency and model use", async () => {
    const get = vi.spyOn(api, "get").mockResolvedValue({ days: 30, items: [quiet, today], calls_started: 3, calls_reported: 2, completion_rate: 0.667, model_cost_usd: 0.006 });
    renderWithI18n(<OperationsPage />);
    const rows = await screen.findAllByTestId("ops-day");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent("2026-12-03");
    expect(rows[0]).toHaveTextContent("2 (67%)");
    expect(rows[0]).toHaveTextContent("76 s");
    expect(rows[0]).toHaveTextContent("US$ 0.2500");
    expect(rows[0]).toHaveTextContent("2050 ms");
    expect(rows[0]).toHaveTextContent("1200 / 300");
    expect(screen.getByText(/3 chamadas, 67% concluídas/)).toBeInTheDocument();
    expect(get).toHaveBeenCalledWith("/api/v1/sessions/operations", { query: { days: 30 } });
  });

  it("says when nothing happened", async () => {
    vi.spyOn(api, "get").mockResolvedValue({ days: 30, items: [quiet], calls_started: 0, calls_reported: 0, completion_rate: null, model_cost_usd: 0 });
    renderWithI18n(<OperationsPage />);
    expect(await screen.findByText(/Nenhuma chamada/)).toBeInTheDocument();
  });

  it("is for admins only", () => {
    authState.current = { status: "ready", me: me("manager") };
    const get = vi.spyOn(api, "get");
    renderWithI18n(<OperationsPage />);
    expect(screen.getByTestId("forbidden")).toBeInTheDocument();
    expect(pageCalls(get)).toEqual([]);
  });
});
