import { render, type RenderResult } from "@testing-library/react";
import type { ReactElement } from "react";
import { I18nProvider } from "@/lib/i18n";

/** Render inside the providers every component expects (the words, in pt-BR by default). */
export function renderWithI18n(ui: ReactElement, lang: "pt-BR" | "en" = "pt-BR"): RenderResult {
  window.localStorage.setItem("dojo-lang", lang);
  return render(<I18nProvider>{ui}</I18nProvider>);
}

/** A fetch answer in the API's JSON shape. */
export function json(status: number, body: unknown): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/** The API paths a page asked for, leaving out the header's notification bell (on every page). */
export function pageCalls(get: { mock: { calls: unknown[][] } }): unknown[] {
  return get.mock.calls.map((call) => call[0]).filter((path) => path !== "/api/v1/notifications");
}
