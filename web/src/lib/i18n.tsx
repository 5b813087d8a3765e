"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { en, pt, type Key } from "./messages";

export type Lang = "pt-BR" | "en";
const DICTIONARIES: Record<Lang, Record<Key, string>> = { "pt-BR": pt, en };

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: Key, vars?: Record<string, string | number>) => string;
  /** A date and time in the chosen language. */
  date: (iso: string | null | undefined) => string;
}

const Context = createContext<I18n | null>(null);

/** Portuguese first; English when chosen (remembered in this browser). */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>("pt-BR");
  useEffect(() => {
    const saved = window.localStorage.getItem("dojo-lang");
    if (saved === "en" || saved === "pt-BR") setLangState(saved);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    window.localStorage.setItem("dojo-lang", next);
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const dict = DICTIONARIES[lang];
    return {
      lang,
      setLang,
      t: (key, vars) =>
        dict[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? `{${name}}`)),
      date: (iso) =>
        iso ? new Date(iso).toLocaleString(lang, { dateStyle: "short", timeStyle: "short" }) : "—",
    };
  }, [lang, setLang]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (value === null) throw new Error("useI18n outside I18nProvider");
  return value;
}
