// Every visible string goes through t(): the English table is the source of the keys and the
// Chinese table must have each of them (the type checker refuses a missing one). Dates and
// numbers use Intl with the chosen locale.
import { en } from './en';
import { zh } from './zh';

export type Key = keyof typeof en;
export type Locale = 'en' | 'zh-CN';
const tables: Record<Locale, Record<Key, string>> = { en, 'zh-CN': zh };

function initialLocale(): Locale {
  const saved = localStorage.getItem('signet.locale');
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

let locale: Locale = initialLocale();
const listeners = new Set<() => void>();

export function getLocale(): Locale {
  return locale;
}

export function setLocale(next: Locale) {
  locale = next;
  localStorage.setItem('signet.locale', next);
  document.documentElement.lang = next;
  listeners.forEach((f) => f());
}

export function onLocaleChange(f: () => void) {
  listeners.add(f);
  return () => listeners.delete(f);
}

export function t(key: Key, vars?: Record<string, string | number>): string {
  let s = tables[locale][key] ?? en[key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split('{' + k + '}').join(String(v));
  return s;
}

/** A key only known at run time (an order status, a problem code): falls back to fallback. */
export function tMaybe(key: string, fallback: string): string {
  return key in en ? t(key as Key) : fallback;
}

/** The browser's own locale when it is a variant of the chosen language (en-GB dates for a
 * British English reader), else the chosen language. */
function dateLocale(): string {
  const browser = navigator.language || locale;
  return browser.toLowerCase().startsWith(locale === 'en' ? 'en' : 'zh') ? browser : locale;
}

export function formatDate(iso: string | null | undefined, withTime = true): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(dateLocale(), {
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
  }).format(d);
}

export function daysUntil(iso: string): number {
  return Math.floor((new Date(iso).getTime() - Date.now()) / 86_400_000);
}

document.documentElement.lang = locale;
