import { createHmac, randomBytes } from 'node:crypto';
import pino from 'pino';
import { redactForLog } from './log-redaction';

// The one logger of DueProcess (issue 9): pino, one JSON line per entry on stdout, ISO time, the
// level as a word. Every process (worker, API, the start command, the tools) logs through `log`;
// AppDeps.log is an injection point with the same signature, so tests capture what the app would
// write. Redaction happens twice: free text of a failed request is redacted by its writer with
// the request in hand (api/log-redaction.ts, which also removes what the body carried), and pino
// censors sensitive keys and scrubs tokens, e-mail addresses and connection-string passwords from
// every string field of every entry, whoever wrote it.
//
// The security-event stream: one entry per refused request or sign-in, `stream: "security"`,
// with the method, route pattern, status, code and pseudonymous ids only (keyed HMACs of the
// client address and of the user id) — never a name, contact, text, token, password or address.

export type LogEntry = Record<string, unknown>;
export type Log = (entry: LogEntry) => void;

/** Keys whose values pino never writes, at the top level or one level down. */
const SENSITIVE_KEYS = [
  'authorization',
  'password',
  'token',
  'secret',
  'cookie',
  'contact',
  'email',
  'phone',
  'destination',
  'text',
  'name',
  'ip',
];
const REDACT_PATHS = [
  ...SENSITIVE_KEYS,
  ...SENSITIVE_KEYS.map((k) => `*.${k}`),
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
];

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

/** A logger with the app's options (tests give it a sink of their own); the process's is `logger`. */
export function createLogger(destination?: pino.DestinationStream): pino.Logger {
  const options: pino.LoggerOptions = {
    level: process.env.DUEPROCESS_LOG_LEVEL ?? 'info',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      // Free text anywhere in an entry: tokens, e-mail addresses, connection-string passwords and sensitive key=value pairs are masked.
      log: (entry) => {
        for (const [k, v] of Object.entries(entry)) if (typeof v === 'string') entry[k] = redactForLog(v);
        return entry;
      },
    },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

export const logger = createLogger();

/**
 * The log function over a logger: `msg` is the message, `level` (default info; 5xx failures are
 * "error", security events "warn") the level, the rest the fields.
 */
export function logWith(l: pino.Logger): Log {
  return (entry) => {
    const { msg, level, ...fields } = entry;
    const at = typeof level === 'string' && LEVELS.has(level) ? (level as pino.Level) : 'info';
    l[at](fields, typeof msg === 'string' ? msg : undefined);
  };
}

/** The process's log: one JSON line per entry on stdout. */
export const log: Log = logWith(logger);

// --- pseudonyms ---------------------------------------------------------------------------

let pseudonymKey: Buffer | null = null;

/**
 * The key of the pseudonyms: DUEPROCESS_LOG_KEY (at least 32 characters; give every process the
 * same one so their events can be correlated), else random per process.
 */
function keyOfPseudonyms(): Buffer {
  if (pseudonymKey) return pseudonymKey;
  const configured = process.env.DUEPROCESS_LOG_KEY;
  if (configured !== undefined && configured.length < 32)
    throw new Error('invalid configuration: DUEPROCESS_LOG_KEY must be at least 32 characters');
  pseudonymKey = configured ? Buffer.from(configured) : randomBytes(32);
  return pseudonymKey;
}

/** A stable pseudonym of a client address or a user id: a keyed HMAC, 16 base64url characters. */
export function pseudonym(kind: 'client' | 'user', value: string): string {
  return createHmac('sha256', keyOfPseudonyms()).update(`${kind}\n${value}`).digest('base64url').slice(0, 16);
}

// --- the security-event stream ------------------------------------------------------------

export type SecurityEventName =
  | 'login-failed'
  | 'login-limited'
  | 'unauthenticated'
  | 'forbidden'
  | 'refused'
  | 'idempotency-key-reused'
  | 'rate-limited';

export interface SecurityEvent {
  msg: 'security event';
  stream: 'security';
  event: SecurityEventName;
  method: string;
  /** The route pattern (`/api/decisions/:id/actions/:action`), never the path; null before routing. */
  route: string | null;
  status: number;
  /** The refusal's machine code when the answer has one (`ROLE_REQUIRED`, `WINDOW_CLOSED`…). */
  code: string | null;
  /** Pseudonym of the client address. */
  client: string;
  /** Pseudonym of the person: the signed-in one, or the user id a sign-in named; null if none. */
  user: string | null;
  level: 'warn';
}

/** The event of a refused answer by its status and code; null for answers that are not refusals. */
export function eventOf(status: number, code: string | null): SecurityEventName | null {
  if (code === 'IDEMPOTENCY_KEY_REUSED') return 'idempotency-key-reused';
  switch (status) {
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 409:
      return 'refused';
    case 422:
      return 'idempotency-key-reused';
    case 429:
      return 'rate-limited';
    default:
      return null;
  }
}

/** What a handler tells the security stream about its answer (kept on res.locals). */
export interface SecurityMark {
  event?: SecurityEventName;
  code?: string;
  /** A user id the request named (a sign-in); only its pseudonym is logged. */
  userId?: string;
}

/** Marks the answer being prepared: the event it is (login-failed…), its code, the user it named. */
export function markSecurity(res: { locals: Record<string, unknown> }, mark: SecurityMark): void {
  res.locals.security = { ...(res.locals.security as SecurityMark | undefined), ...mark };
}

export const securityMarkOf = (res: { locals: Record<string, unknown> }): SecurityMark =>
  (res.locals.security as SecurityMark | undefined) ?? {};
