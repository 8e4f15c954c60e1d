import type { Request } from 'express';

// What the API writes to its log about a failed request passes through here first: no bearer
// token, no Authorization header, no password, no contact detail, no text a person sent. Error
// messages of database drivers may echo the values of a query, so every string value of the
// request's body is removed wherever it appears (the log keeps the method, path and error, never
// what a person wrote), values following sensitive key names are masked, and anything shaped like
// a token, an e-mail address or a connection string with a password is masked too.

/** Key names whose values never reach a log, however they are written (JSON, key=value, key: value). */
const SENSITIVE_KEY = String.raw`pass(?:word|wd)?|secret|token|authori[sz]ation|cookie|contact|e-?mail|phone|destination|otp`;
const SENSITIVE_PAIR = new RegExp(
  String.raw`(["']?\b(?:${SENSITIVE_KEY})["']?\s*[:=]\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,;}&)]+)`,
  'gi',
);
const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+/g;
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s/]+@/gi;
const MAX_LOGGED = 4_000;

/** Every string value of a parsed body, longest first; a bounded walk. */
function bodyStrings(body: unknown): string[] {
  const found = new Set<string>();
  const stack: unknown[] = [body];
  for (let seen = 0; stack.length && seen < 10_000; seen++) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (value.length >= 4) found.add(value);
    } else if (value && typeof value === 'object') {
      stack.push(...Object.values(value));
    }
  }
  return [...found].sort((a, b) => b.length - a.length);
}

function replaceAll(text: string, needle: string, by: string): string {
  return needle ? text.split(needle).join(by) : text;
}

export function redactForLog(text: string, req?: Request): string {
  let out = text;
  const auth = req?.headers?.authorization;
  if (auth) out = replaceAll(out, auth, '[authorization]');
  for (const v of bodyStrings(req?.body)) {
    out = replaceAll(out, v, '[redacted]');
    out = replaceAll(out, JSON.stringify(v).slice(1, -1), '[redacted]');
  }
  out = out
    .replace(JWT, '[token]')
    .replace(BEARER, '$1 [redacted]')
    .replace(URL_PASSWORD, '$1[redacted]@')
    .replace(SENSITIVE_PAIR, '$1[redacted]')
    .replace(EMAIL, '[email]');
  return out.length > MAX_LOGGED ? `${out.slice(0, MAX_LOGGED)}… [truncated]` : out;
}
