import { vi } from "vitest";
import type { Me } from "@/api/types";

/** A signed-in person of a company, as `/api/v1/auth/me` answers. */
export function me(role: NonNullable<Me["role"]> = "salesperson"): Me {
  return {
    user_id: "22222222-2222-4222-8222-222222222222",
    email: "ana@example.com",
    full_name: "Ana Souza",
    role,
    company: { id: "33333333-3333-4333-8333-333333333333", name: "Acme", locale: "pt-BR" },
  } as Me;
}

/** What `useAuth()` answers in page tests: set `authState.current` per test. */
export const authState: { current: unknown } = { current: { status: "ready", me: me() } };

/** `useAuth()` as page tests see it (the real `hasRole` stays). */
export function fakeUseAuth() {
  return { state: authState.current, signIn: vi.fn(), signUp: vi.fn(), refresh: vi.fn(), signOut: vi.fn() };
}
