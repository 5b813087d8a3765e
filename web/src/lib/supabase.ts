import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { SUPABASE_ANON_KEY, SUPABASE_URL } from "./config";

let client: SupabaseClient | null = null;

/**
 * The one supabase-js client of the page. In production it talks to the Supabase project; locally
 * to `dojo dev`, which answers the Auth subset supabase-js uses for email + password sign-in on the
 * page's own origin (the local key is a placeholder: the local Auth needs none).
 */
export function supabase(): SupabaseClient {
  if (client === null) {
    const url = SUPABASE_URL || window.location.origin;
    client = createClient(url, SUPABASE_ANON_KEY || "local-dev", {
      auth: { persistSession: true, autoRefreshToken: true, storageKey: "dojo-auth" },
    });
  }
  return client;
}

/** The current access token (refreshed by supabase-js when close to expiry), or null. */
export async function accessToken(): Promise<string | null> {
  const { data } = await supabase().auth.getSession();
  return data.session?.access_token ?? null;
}
