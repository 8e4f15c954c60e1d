import type { Request, Response } from 'express';
import { readCookie, setCookie } from './cookies';
import { en, type Messages } from './i18n/en';
import { zhCN } from './i18n/zh-CN';

// The language and formatting of one page. Simplified Chinese by default; `?lang=en` (or
// `?lang=zh-CN`) switches and is remembered in a cookie. Times are shown in Beijing time, the
// organ's local time, and rendered on the server (no script on any page).

export type Lang = 'zh-CN' | 'en';
export const LANGS: Lang[] = ['zh-CN', 'en'];
const MESSAGES: Record<Lang, Messages> = { 'zh-CN': zhCN, en };
const LANG_COOKIE = 'dp_lang';
const TIME_ZONE = 'Asia/Shanghai';

export interface Ctx {
  lang: Lang;
  t: Messages;
  /** The current URL with `lang` set to the given language: the language switch. */
  switchUrl(lang: Lang): string;
  date(at: number | string | Date): string;
  day(at: number | string | Date): string;
  remaining(ms: number): string;
  now: number;
}

function pickLang(req: Request, res: Response): Lang {
  const asked = typeof req.query.lang === 'string' ? req.query.lang : undefined;
  if (asked && (LANGS as string[]).includes(asked)) {
    setCookie(req, res, LANG_COOKIE, asked, { maxAgeSeconds: 365 * 86_400 });
    return asked as Lang;
  }
  const remembered = readCookie(req, LANG_COOKIE);
  return remembered && (LANGS as string[]).includes(remembered) ? (remembered as Lang) : 'zh-CN';
}

/** Formatters are costly to build (a good part of a page's time): one pair per language. */
const FORMATS = Object.fromEntries(
  LANGS.map((lang) => [
    lang,
    {
      dateTime: new Intl.DateTimeFormat(lang, {
        timeZone: TIME_ZONE,
        dateStyle: 'long',
        timeStyle: 'short',
        hourCycle: 'h23',
      }),
      dayOnly: new Intl.DateTimeFormat(lang, { timeZone: TIME_ZONE, dateStyle: 'long' }),
    },
  ]),
) as Record<Lang, { dateTime: Intl.DateTimeFormat; dayOnly: Intl.DateTimeFormat }>;

export function contextOf(req: Request, res: Response): Ctx {
  const lang = pickLang(req, res);
  const t = MESSAGES[lang];
  const { dateTime, dayOnly } = FORMATS[lang];
  const asDate = (at: number | string | Date) => (at instanceof Date ? at : new Date(at));
  return {
    lang,
    t,
    now: Date.now(),
    switchUrl(to) {
      const url = new URL(req.originalUrl, 'http://x');
      url.searchParams.set('lang', to);
      return url.pathname + url.search;
    },
    date: (at) => `${dateTime.format(asDate(at))} ${t.beijingTime}`,
    day: (at) => dayOnly.format(asDate(at)),
    remaining: (ms) =>
      t.remaining(
        Math.floor(ms / 86_400_000),
        Math.floor((ms % 86_400_000) / 3_600_000),
        Math.floor((ms % 3_600_000) / 60_000),
        Math.floor((ms % 60_000) / 1000),
      ),
  };
}

/** A label for a value from one of the message tables, falling back to the value itself. */
export function label(table: Record<string, string>, key: string | null | undefined): string {
  if (!key) return '';
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : key;
}
