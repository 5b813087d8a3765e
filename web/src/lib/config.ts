// Build-time public settings. Only public values belong here: anything NEXT_PUBLIC_* ends up in
// the browser bundle. Locally none is set: the API and the Auth subset live on the page's origin.

/** Base URL of the functions' HTTP API ("" = same origin, as `dojo dev` serves it). */
export const API_URL = (process.env.NEXT_PUBLIC_API_URL ?? "").replace(/\/$/, "");

/** The Supabase project URL in production; unset locally. */
export const SUPABASE_URL = process.env.NEXT_PUBLIC_SUPABASE_URL ?? "";

/** The Supabase anon (publishable) key; public by design, RLS protects the data. */
export const SUPABASE_ANON_KEY = process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY ?? "";

/** Live updates come from Supabase Realtime in production and from polling locally. */
export const REALTIME = SUPABASE_URL !== "" && SUPABASE_ANON_KEY !== "";

/** How often pages poll for live status when Realtime is not available. */
export const POLL_MS = 1500;
