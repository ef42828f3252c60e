/** Languages a person can choose, and text written in both. Chinese is the default. */
export type Lang = 'zh' | 'en';
export const defaultLang: Lang = 'zh';

/** A piece of text in both languages. */
export interface L10n {
  zh: string;
  en: string;
}

/** The text in the person's language. */
export function t(lang: Lang, text: L10n): string {
  return text[lang];
}

/** Formats an instant as a person reads it: date and time in the given zone, 24-hour. */
export function formatTime(iso: string | Date, timeZone: string): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const text = `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
  return text;
}

/** The calendar year of an instant in a time zone (reference codes are numbered per year). */
export function yearIn(date: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' }).format(date));
}
