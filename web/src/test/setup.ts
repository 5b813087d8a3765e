import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, vi } from "vitest";

// No test reaches Supabase: the access token comes from this stub (tests set it per case).
vi.mock("@/lib/supabase", () => ({
  accessToken: vi.fn(async () => "test-token"),
  supabase: vi.fn(() => {
    throw new Error("supabase-js is not used in component tests");
  }),
}));

afterEach(() => {
  cleanup();
  window.localStorage.clear();
  window.sessionStorage.clear();
});
