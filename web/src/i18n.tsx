import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { en } from "./messages.en.js";
import { ko } from "./messages.ko.js";

export const LOCALES = { ko, en } as const;
export type Locale = keyof typeof LOCALES;
export type MessageKey = keyof typeof en;

const STORAGE_KEY = "clearbook.locale";

/** The language the browser prefers among Korean and English (Korean when neither is listed first). */
export function browserLocale(languages: readonly string[]): Locale {
  for (const language of languages) {
    const base = language.toLowerCase().split("-")[0];
    if (base === "ko" || base === "en") return base;
  }
  return "ko";
}

interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  /** The message for `key`, with `{name}` placeholders filled from `values`. */
  t(key: MessageKey, values?: Record<string, string | number>): string;
  formatMoney(minor: string): string;
  formatDate(iso: string): string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => {
    const saved = localStorage.getItem(STORAGE_KEY);
    return saved === "ko" || saved === "en" ? saved : browserLocale(navigator.languages ?? [navigator.language]);
  });
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLocaleState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const messages: Record<MessageKey, string> = LOCALES[locale];
    const tag = locale === "ko" ? "ko-KR" : "en-US";
    const dates = new Intl.DateTimeFormat(locale === "ko" ? "ko-KR" : "en-GB", {
      dateStyle: "medium",
      timeStyle: "medium",
    });
    return {
      locale,
      setLocale,
      t: (key, values) =>
        messages[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? `{${name}}`)),
      // Money is integer minor units on the wire; shown as units with two decimals, never through a float.
      formatMoney: (minor) => {
        const value = BigInt(minor);
        const abs = value < 0n ? -value : value;
        const cents = (abs % 100n).toString().padStart(2, "0");
        return `${value < 0n ? "-" : ""}${(abs / 100n).toLocaleString(tag)}.${cents}`;
      },
      formatDate: (iso) => dates.format(new Date(iso)),
    };
  }, [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
