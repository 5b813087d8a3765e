import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { accessToken } from "@/lib/supabase";
import { json } from "@/test/render";
import { ACCESS_REMOVED, ApiError, api, buildUrl, onAccessRemoved } from "./client";

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  vi.stubGlobal("fetch", fetchMock);
  fetchMock.mockReset();
});
afterEach(() => vi.unstubAllGlobals());

function lastRequest(): { url: string; init: RequestInit } {
  const [url, init] = fetchMock.mock.calls.at(-1) ?? [];
  return { url: String(url), init: init ?? {} };
}

describe("the API client", () => {
  it("sends the caller's bearer token and asks for JSON", async () => {
    fetchMock.mockResolvedValue(json(200, { items: [] }));
    await api.get("/api/v1/personas");
    const { url, init } = lastRequest();
    expect(url).toBe("/api/v1/personas");
    expect(init.method).toBe("GET");
    expect(init.headers).toMatchObject({ authorization: "Bearer test-token", accept: "application/json" });
  });

  it("sends no authorization header when signed out", async () => {
    vi.mocked(accessToken).mockResolvedValueOnce(null);
    fetchMock.mockResolvedValue(json(200, {}));
    await api.get("/api/v1/auth/me");
    expect(lastRequest().init.headers).not.toHaveProperty("authorization");
  });

  it("fills path parameters, encodes them, and drops empty query values", async () => {
    fetchMock.mockResolvedValue(json(200, {}));
    await api.get("/api/v1/sessions", { query: { scope: "team", user_id: "", limit: 20 } });
    expect(lastRequest().url).toBe("/api/v1/sessions?scope=team&limit=20");
    expect(buildUrl("/api/v1/personas/{persona_id}", { persona_id: "a b/c" })).toBe("/api/v1/personas/a%20b%2Fc");
    expect(() => buildUrl("/api/v1/personas/{persona_id}")).toThrow(/persona_id/);
  });

  it("posts JSON bodies with a content type, and FormData as it is", async () => {
    fetchMock.mockImplementation(async () => json(202, { id: "job" }));
    await api.post("/api/v1/sessions/start", { body: { persona_id: "p", mode: "text" } });
    expect(lastRequest().init.body).toBe(JSON.stringify({ persona_id: "p", mode: "text" }));
    expect(lastRequest().init.headers).toMatchObject({ "content-type": "application/json" });
    const form = new FormData();
    form.append("file", new Blob(["x"]), "a.txt");
    await api.post("/api/v1/onboarding/upload-documents", { body: form });
    expect(lastRequest().init.body).toBe(form);
    expect(lastRequest().init.headers).not.toHaveProperty("content-type");
  });

  it("answers null for 204 and the parsed body otherwise", async () => {
    fetchMock.mockResolvedValueOnce(json(204, null));
    await expect(api.delete("/api/v1/onboarding/documents/{document_id}", { path: { document_id: "d" } })).resolves.toBeNull();
    fetchMock.mockResolvedValueOnce(json(202, { status: "queued" }));
    await expect(api.post("/api/v1/personas/generate", { body: {} as never })).resolves.toEqual({ status: "queued" });
  });

  it("turns the one error shape into an ApiError with code, message and request id", async () => {
    fetchMock.mockResolvedValue(json(409, { error: { code: "attempts_exhausted", message: "no attempts left", request_id: "req-1" } }));
    const error = await api.get("/api/v1/personas").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: "attempts_exhausted", message: "no attempts left", requestId: "req-1" });
  });

  it("names the fields of a validation error", async () => {
    fetchMock.mockResolvedValue(
      json(422, { error: { code: "validation_error", message: "invalid request", details: [{ loc: ["body", "email"], msg: "not a valid email" }] } }),
    );
    await expect(api.get("/api/v1/personas")).rejects.toThrow("invalid request (email: not a valid email)");
  });

  it("keeps the status text when the body is not JSON", async () => {
    fetchMock.mockResolvedValue(new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
    await expect(api.get("/api/v1/personas")).rejects.toMatchObject({ status: 502, code: "error", message: "Bad Gateway" });
  });

  it("reports a network failure as status 0, and lets an abort through", async () => {
    fetchMock.mockRejectedValueOnce(new TypeError("Failed to fetch"));
    await expect(api.get("/api/v1/personas")).rejects.toMatchObject({ status: 0, code: "network" });
    fetchMock.mockRejectedValueOnce(new DOMException("aborted", "AbortError"));
    await expect(api.get("/api/v1/personas")).rejects.toMatchObject({ name: "AbortError" });
  });

  it("tells the whole app once when access was removed", async () => {
    const heard = vi.fn();
    const stop = onAccessRemoved(heard);
    fetchMock.mockResolvedValue(json(403, { error: { code: ACCESS_REMOVED, message: "removed" } }));
    await expect(api.get("/api/v1/auth/me")).rejects.toMatchObject({ code: ACCESS_REMOVED });
    expect(heard).toHaveBeenCalledTimes(1);
    stop();
    fetchMock.mockResolvedValue(json(403, { error: { code: "forbidden", message: "managers only" } }));
    await expect(api.get("/api/v1/auth/me")).rejects.toMatchObject({ code: "forbidden" });
    expect(heard).toHaveBeenCalledTimes(1);
  });
});
