import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, api } from "@/api/client";
import { authState, fakeUseAuth, me } from "@/test/auth";
import { sessionItem } from "@/test/fixtures";
import { pageCalls, renderWithI18n } from "@/test/render";
import TeamPage from "../manager/team/page";
import SessionsPage from "./page";

vi.mock("next/navigation", () => ({ useRouter: () => ({ replace: vi.fn(), push: vi.fn() }), usePathname: () => "/sessions/" }));
vi.mock("@/lib/auth", async (original) => ({ ...(await original<typeof import("@/lib/auth")>()), useAuth: fakeUseAuth }));

const progress = { overall: { series: [{ session_id: sessionItem().id, score: 77 }] } };

function answer(sessions: unknown[]) {
  return vi.spyOn(api, "get").mockImplementation(async (path: string) => {
    if (path === "/api/v1/sessions") return { scope: "mine", items: sessions, limit: 100, offset: 0 };
    if (path === "/api/v1/feedback/me/progress") return progress;
    throw new Error(`unexpected ${path}`);
  });
}

describe("the history page", () => {
  beforeEach(() => {
    authState.current = { status: "ready", me: me() };
  });

  it("shows loading, then each session with its score", async () => {
    answer([sessionItem()]);
    renderWithI18n(<SessionsPage />);
    expect(screen.getAllByRole("status")[0]).toHaveTextContent("Carregando…");
    expect(await screen.findByText("Carla Mendes")).toBeInTheDocument();
    expect(screen.getByText("77")).toBeInTheDocument();
  });

  it("invites a first practice when there is no session", async () => {
    answer([]);
    renderWithI18n(<SessionsPage />);
    expect(await screen.findByText(/Você ainda não fez nenhuma sessão/)).toBeInTheDocument();
  });

  it("says what failed and retries", async () => {
    const get = vi.spyOn(api, "get").mockRejectedValueOnce(new ApiError(0, "network", "network error"));
    renderWithI18n(<SessionsPage />);
    expect(await screen.findByRole("alert")).toHaveTextContent("Sem conexão com o servidor");
    answer([sessionItem()]);
    await userEvent.click(screen.getByRole("button", { name: "Tentar de novo" }));
    expect(await screen.findByText("Carla Mendes")).toBeInTheDocument();
    expect(get).toHaveBeenCalled();
  });

  it("waits while the person is being recognised", () => {
    authState.current = { status: "loading" };
    const get = answer([]);
    renderWithI18n(<SessionsPage />);
    expect(screen.getByRole("status")).toHaveTextContent("Carregando…");
    expect(pageCalls(get)).toEqual([]);
  });
});

describe("a manager page", () => {
  it("is forbidden to a salesperson, without asking the API", async () => {
    authState.current = { status: "ready", me: me("salesperson") };
    const get = answer([]);
    renderWithI18n(<TeamPage />);
    expect(await screen.findByTestId("forbidden")).toHaveTextContent("Acesso restrito");
    await waitFor(() => expect(pageCalls(get)).toEqual([]));
  });
});
