"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { POLL_MS, REALTIME } from "./config";
import { supabase } from "./supabase";

export interface Resource<T> {
  data: T | undefined;
  error: Error | null;
  loading: boolean;
  reload: () => Promise<void>;
}

export interface LiveOptions {
  /** Keep the data live while true: Realtime changes in production, polling locally. */
  live?: boolean;
  /** The table (and optional Realtime filter, e.g. `session_id=eq.…`) whose changes matter. */
  table?: "documents" | "feedback" | "notifications";
  filter?: string;
}

/**
 * Data from the API with loading and error states. With `live`, it refreshes itself without a
 * page reload: a Supabase Realtime channel on the table where configured (RLS still decides what
 * arrives), polling otherwise.
 */
export function useResource<T>(load: () => Promise<T>, deps: unknown[], options: LiveOptions = {}): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const value = await loadRef.current();
      if (mine === generation.current) {
        setData(value);
        setError(null);
      }
    } catch (err) {
      if (mine === generation.current) setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setLoading(true);
    setData(undefined);
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  useLive(reload, options);

  return { data, error, loading, reload };
}

/**
 * Calls `refresh` whenever the watched data may have changed, while `live` is true: on Supabase
 * Realtime changes of `table` where configured, else every POLL_MS.
 */
export function useLive(refresh: () => unknown, { live = false, table, filter }: LiveOptions): void {
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  useEffect(() => {
    if (!live) return;
    if (REALTIME && table) {
      const channel = supabase()
        .channel(`live-${table}-${filter ?? "all"}`)
        .on("postgres_changes", { event: "*", schema: "public", table, ...(filter ? { filter } : {}) }, () => {
          void refreshRef.current();
        })
        .subscribe();
      return () => {
        void supabase().removeChannel(channel);
      };
    }
    const timer = window.setInterval(() => void refreshRef.current(), POLL_MS);
    return () => window.clearInterval(timer);
  }, [live, table, filter]);
}
