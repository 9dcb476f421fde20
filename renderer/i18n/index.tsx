/**
 * Translation and localised formatting. The language follows the settings (`system` → `navigator.language`);
 * dates, numbers and relative times use `Intl` in the same locale.
 */
import { createContext, Fragment, useContext, useMemo, type ReactNode } from 'react';
import type { Settings } from '../../preload/contract/model';
import { en, type MessageKey, type Messages } from './en';
import { fr } from './fr';

/** The languages the console is translated into. */
export type Locale = 'en' | 'fr';

/** Values for `{name}` placeholders; numbers are formatted for the locale. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** A key prefix with both `.one` and `.other` forms. */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer B}.one` ? (`${B}.other` extends MessageKey ? B : never) : never;
}[MessageKey];

/** Everything components need to speak the user's language. */
export interface I18n {
  readonly locale: Locale;
  t(key: MessageKey, params?: MessageParams): string;
  /** The plural form of `key` for `count` (`count` is also available as `{count}`). */
  tn(key: PluralKey, count: number, params?: MessageParams): string;
  /** A message whose placeholders are elements, e.g. a `<code>` command. */
  rich(key: MessageKey, params: Readonly<Record<string, ReactNode>>): ReactNode;
  formatDate(iso: string): string;
  formatDateTime(iso: string): string;
  formatTime(iso: string): string;
  formatNumber(value: number): string;
  /** "in 3 days", "tomorrow", "2 days ago"… */
  formatRelativeDays(days: number): string;
}

const catalogues: Readonly<Record<Locale, Messages>> = { en, fr };

/** The locale for a language setting: `system` follows the system's language, French or else English. */
export function resolveLocale(language: Settings['language'], systemLanguage: string): Locale {
  if (language === 'en' || language === 'fr') return language;
  return systemLanguage.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

function fill(template: string, params: MessageParams | undefined, number: () => Intl.NumberFormat): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? number().format(value) : value;
  });
}

/** `make()` once, on first use: an `Intl` formatter costs milliseconds to build and most pages use few of them. */
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** Build the translation functions for a locale (the formatters are built when first used). */
export function createI18n(locale: Locale): I18n {
  const messages = catalogues[locale];
  const number = once(() => new Intl.NumberFormat(locale));
  const plural = once(() => new Intl.PluralRules(locale));
  const date = once(() => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }));
  const dateTime = once(() => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }));
  const time = once(() => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' }));
  const relative = once(() => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
  const safe = (format: () => Intl.DateTimeFormat, iso: string): string => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : format().format(d);
  };
  const t = (key: MessageKey, params?: MessageParams): string => fill(messages[key], params, number);
  return {
    locale,
    t,
    tn(key, count, params) {
      const form = plural().select(count) === 'one' ? 'one' : 'other';
      return t(`${key}.${form}` as MessageKey, { count, ...params });
    },
    rich(key, params) {
      const parts = messages[key].split(/\{(\w+)\}/);
      return parts.map((part, i) => <Fragment key={i}>{i % 2 === 1 ? (params[part] ?? `{${part}}`) : part}</Fragment>);
    },
    formatDate: (iso) => safe(date, iso),
    formatDateTime: (iso) => safe(dateTime, iso),
    formatTime: (iso) => safe(time, iso),
    formatNumber: (value) => number().format(value),
    formatRelativeDays: (days) => relative().format(days, 'day'),
  };
}

const I18nContext = createContext<I18n>(createI18n('en'));

/** Provide the translation functions for a locale to everything below. */
export function I18nProvider(props: { readonly locale: Locale; readonly children: ReactNode }) {
  const value = useMemo(() => createI18n(props.locale), [props.locale]);
  return <I18nContext.Provider value={value}>{props.children}</I18nContext.Provider>;
}

/** The translation functions of the nearest `I18nProvider`. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}

export type { MessageKey } from './en';
