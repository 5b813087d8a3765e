import type { paths } from "./schema";
import { API_URL } from "@/lib/config";
import { accessToken } from "@/lib/supabase";

// A small fetch wrapper typed by the merged OpenAPI of the functions (web/openapi.json →
// schema.d.ts): paths, methods, path and query parameters and JSON bodies are checked at compile
// time; the response type is the documented one unless the caller names a more precise one.

type Method = "get" | "post" | "put" | "patch" | "delete";

/** Paths that support `M`. */
export type PathsWith<M extends Method> = {
  [P in keyof paths]: NonNullable<paths[P][M]> extends never ? never : P;
}[keyof paths];

type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

type ParamsOf<O> = O extends { parameters: infer Params } ? Params : never;
type PathParams<O> = ParamsOf<O> extends { path?: infer X } ? X : never;
type QueryParams<O> = ParamsOf<O> extends { query?: infer X } ? X : never;
type JsonBody<O> = O extends { requestBody?: { content: { "application/json": infer B } } }
  ? B
  : never;
type Success<O> = O extends { responses: infer R }
  ? R extends { 200: infer S } | { 201: infer S } | { 202: infer S }
    ? S extends { content: { "application/json": infer J } }
      ? J
      : null
    : unknown
  : unknown;

/** Options of one call: only what the operation declares is allowed. */
export type CallOptions<O> = ([PathParams<O>] extends [never | undefined]
  ? { path?: undefined }
  : { path: PathParams<O> }) & {
  query?: QueryParams<O>;
  body?: JsonBody<O> | FormData;
  signal?: AbortSignal;
};

/** An error answered by the API in its one shape (`{"error": {code, message, request_id}}`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string = "",
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The URL of a template path with its parameters filled in. */
export function buildUrl(
  template: string,
  path?: Record<string, string | number>,
  query?: Record<string, unknown>,
): string {
  const filled = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = path?.[name];
    if (value === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const qs = search.toString();
  return `${API_URL}${filled}${qs ? `?${qs}` : ""}`;
}

interface ErrorBody {
  error?: { code?: string; message?: string; request_id?: string; details?: unknown };
}

/** The API's message, with the fields a validation error names (e.g. "email: not a valid email"). */
function describe(body: ErrorBody | null, fallback: string): string {
  const error = body?.error;
  const message = error?.message ?? fallback;
  if (!Array.isArray(error?.details)) return message;
  const fields = (error.details as { loc?: unknown[]; msg?: string }[])
    .map((d) => `${String(d.loc?.[d.loc.length - 1] ?? "")}: ${d.msg ?? ""}`)
    .join("; ");
  return fields ? `${message} (${fields})` : message;
}

/** The API's code (403) when the caller is no longer a member of the company their token names. */
export const ACCESS_REMOVED = "access_removed";
const ACCESS_REMOVED_EVENT = "dojo:access-removed";

/** Calls `listener` whenever the API answers that the caller's access was removed; returns the unsubscribe. */
export function onAccessRemoved(listener: () => void): () => void {
  window.addEventListener(ACCESS_REMOVED_EVENT, listener);
  return () => window.removeEventListener(ACCESS_REMOVED_EVENT, listener);
}

function errorOf(status: number, body: ErrorBody | null, fallback: string): ApiError {
  const error = new ApiError(status, body?.error?.code ?? "error", describe(body, fallback), body?.error?.request_id ?? "");
  // Whatever call hears it first, the whole app must react (sign out, say why): one event.
  if (error.code === ACCESS_REMOVED && typeof window !== "undefined") window.dispatchEvent(new Event(ACCESS_REMOVED_EVENT));
  return error;
}

async function toError(response: Response): Promise<ApiError> {
  let body: ErrorBody | null = null;
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    body = null;
  }
  return errorOf(response.status, body, response.statusText || `HTTP ${response.status}`);
}

async function call<T>(method: Method, template: string, options: {
  path?: Record<string, string | number>;
  query?: Record<string, unknown>;
  body?: unknown;
  signal?: AbortSignal;
} = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  const token = await accessToken();
  if (token) headers.authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(template, options.path, options.query), {
      method: method.toUpperCase(),
      headers,
      body,
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "network", "network error");
  }
  if (!response.ok) throw await toError(response);
  if (response.status === 204) return null as T;
  return (await response.json()) as T;
}

/** The typed API: `api.get("/api/v1/onboarding/documents/{document_id}", {path: {document_id}})`. */
export const api = {
  get<P extends PathsWith<"get">, T = Success<Op<P, "get">>>(path: P, options?: CallOptions<Op<P, "get">>) {
    return call<T>("get", path, options as never);
  },
  post<P extends PathsWith<"post">, T = Success<Op<P, "post">>>(path: P, options?: CallOptions<Op<P, "post">>) {
    return call<T>("post", path, options as never);
  },
  put<P extends PathsWith<"put">, T = Success<Op<P, "put">>>(path: P, options?: CallOptions<Op<P, "put">>) {
    return call<T>("put", path, options as never);
  },
  patch<P extends PathsWith<"patch">, T = Success<Op<P, "patch">>>(path: P, options?: CallOptions<Op<P, "patch">>) {
    return call<T>("patch", path, options as never);
  },
  delete<P extends PathsWith<"delete">, T = Success<Op<P, "delete">>>(path: P, options?: CallOptions<Op<P, "delete">>) {
    return call<T>("delete", path, options as never);
  },
};

/**
 * Upload one file with progress (fetch cannot report upload progress; XMLHttpRequest can).
 * Resolves with the parsed JSON answer, rejects with an ApiError.
 */
export async function uploadWithProgress<T>(
  path: PathsWith<"post">,
  form: FormData,
  onProgress: (fraction: number) => void,
): Promise<T> {
  const token = await accessToken();
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", buildUrl(path));
    if (token) xhr.setRequestHeader("authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new ApiError(0, "network", "network error"));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as T);
      } else {
        reject(errorOf(xhr.status, body as ErrorBody | null, `HTTP ${xhr.status}`));
      }
    };
    xhr.send(form);
  });
}

/** PUT a file to a signed upload URL (Storage in production, the local gateway locally), with progress. */
export function putWithProgress(url: string, file: File, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    xhr.setRequestHeader("content-type", file.type || "application/octet-stream");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new ApiError(0, "network", "network error"));
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else reject(new ApiError(xhr.status, "upload_failed", `HTTP ${xhr.status}`));
    };
    xhr.send(file);
  });
}

/** Download a file the API answers (CSV, PDF) with the caller's token, saved as `filename`. */
export async function download<P extends PathsWith<"get">>(path: P, filename: string, options?: CallOptions<Op<P, "get">>): Promise<void> {
  const token = await accessToken();
  const o = options as { path?: Record<string, string | number>; query?: Record<string, unknown> } | undefined;
  let response: Response;
  try {
    response = await fetch(buildUrl(path, o?.path, o?.query), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ApiError(0, "network", "network error");
  }
  if (!response.ok) throw await toError(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
