"use client";

import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { ACCESS_REMOVED, api, ApiError, onAccessRemoved } from "@/api/client";
import type { Me, Role } from "@/api/types";
import { supabase } from "./supabase";

type State =
  | { status: "loading" }
  /** `access-removed`: signed out because an admin removed the person from their company. */
  | { status: "signed-out"; reason?: "access-removed" }
  | { status: "ready"; me: Me }
  | { status: "error"; message: string };

interface Auth {
  state: State;
  signIn: (email: string, password: string) => Promise<string | null>;
  /** Create an account; `confirm` when the project sends a confirmation email first. */
  signUp: (email: string, password: string, fullName: string) => Promise<{ error: string | null; confirm: boolean }>;
  /** Get a new token (after joining or creating a company its claims change) and reload. */
  refresh: () => Promise<void>;
  signOut: () => Promise<void>;
}

const Context = createContext<Auth | null>(null);

/** Who is signed in (Supabase Auth session) and who they are to the API (`/api/v1/auth/me`). */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ status: "loading" });

  const load = useCallback(async () => {
    const { data } = await supabase().auth.getSession();
    if (!data.session) {
      setState({ status: "signed-out" });
      return;
    }
    try {
      const me = await api.get<"/api/v1/auth/me", Me>("/api/v1/auth/me");
      setState({ status: "ready", me });
    } catch (error) {
      if (error instanceof ApiError && error.code === ACCESS_REMOVED) return; // onAccessRemoved handles it
      if (error instanceof ApiError && error.status === 401) {
        await supabase().auth.signOut({ scope: "local" });
        setState({ status: "signed-out" });
      } else {
        setState({ status: "error", message: error instanceof Error ? error.message : String(error) });
      }
    }
  }, []);

  useEffect(() => {
    void load();
    const { data } = supabase().auth.onAuthStateChange((event) => {
      // keep the reason when we signed out ourselves because the access was removed
      if (event === "SIGNED_OUT") setState((prev) => (prev.status === "signed-out" ? prev : { status: "signed-out" }));
    });
    return () => data.subscription.unsubscribe();
  }, [load]);

  // Membership is read by the API on every request: once removed, the next call says so (403
  // access_removed). Sign out here (this browser only) and let the sign-in page explain.
  useEffect(
    () =>
      onAccessRemoved(() => {
        setState({ status: "signed-out", reason: "access-removed" });
        void supabase().auth.signOut({ scope: "local" });
      }),
    [],
  );

  const signIn = useCallback(
    async (email: string, password: string) => {
      const { error } = await supabase().auth.signInWithPassword({ email, password });
      if (error) return error.message;
      setState({ status: "loading" });
      await load();
      return null;
    },
    [load],
  );

  const signUp = useCallback(
    async (email: string, password: string, fullName: string) => {
      const { data, error } = await supabase().auth.signUp({ email, password, options: { data: { full_name: fullName } } });
      if (error) return { error: error.message, confirm: false };
      if (!data.session) return { error: null, confirm: true };
      setState({ status: "loading" });
      await load();
      return { error: null, confirm: false };
    },
    [load],
  );

  const refresh = useCallback(async () => {
    await supabase().auth.refreshSession();
    setState({ status: "loading" });
    await load();
  }, [load]);

  const signOut = useCallback(async () => {
    await supabase().auth.signOut();
    setState({ status: "signed-out" });
  }, []);

  return <Context.Provider value={{ state, signIn, signUp, refresh, signOut }}>{children}</Context.Provider>;
}

export function useAuth(): Auth {
  const value = useContext(Context);
  if (value === null) throw new Error("useAuth outside AuthProvider");
  return value;
}

/** Whether `role` may use pages meant for `needed`. */
export function hasRole(role: Role | null, needed: Role): boolean {
  const rank: Record<Role, number> = { salesperson: 0, manager: 1, admin: 2 };
  return role !== null && rank[role] >= rank[needed];
}
