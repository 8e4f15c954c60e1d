import type { Express, Request, RequestHandler } from 'express';
import helmet from 'helmet';
import { z } from 'zod';
import { clientKey, sharedLimiter, take } from '../lib/api-rate-limit';
import { log as defaultLog, type Log } from '../lib/log';
import type { PrismaClient } from '../lib/db';
import type { AuthKey } from './auth';
import { verifyToken } from './auth';
import { ApiError } from './errors';
import { securityEvents } from './security-events';

// HTTP hardening applied before any route (issues 5 and 9), in this order: the security-event
// stream (one log entry per refused answer, api/security-events.ts); security headers on every
// response (helmet); CORS (none unless DUEPROCESS_CORS_ORIGINS lists the origin); malformed URLs
// refused; per-client rate limits shared across API processes (rate-limiter-flexible over PostgreSQL); a declared body
// over the JSON limit refused before it is read.
// Configuration is read once, when the app is built; SecurityDeps.limits overrides the environment.
// The page-form origin check (web/origin-check.ts) is mounted by the composition root with the
// origins this returns, so the API edge never imports the web edge.

export interface SecurityDeps {
  prisma: PrismaClient;
  authKey: AuthKey;
  log?: Log;
  /** Rate limits of this app instance; unset fields come from the environment. */
  limits?: { enabled?: boolean; windowSeconds?: number; api?: number; publicWrite?: number; scope?: string };
}

/** The JSON body limit of the API (express.json in app.ts enforces it while reading). */
export const JSON_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * helmet, told exactly today's policy rather than its defaults (which allow inline styles): no
 * inline script or style, nothing framed, no referrer outside the site. `Referrer-Policy:
 * same-origin` (was no-referrer, issue 9): under no-referrer a browser sends `Origin: null` with
 * the site's own form POSTs, and the origin check of the public forms could not tell them from a
 * hostile page's; same-origin still sends nothing to any other site.
 */
const HEADERS = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'same-origin' },
  crossOriginOpenerPolicy: { policy: 'same-origin' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  xPermittedCrossDomainPolicies: { permittedPolicies: 'none' },
  // Sent only over https (below): over plain http it is ignored and would pin a host without TLS.
  strictTransportSecurity: false,
});
const HSTS = helmet.strictTransportSecurity({ maxAge: 31_536_000, includeSubDomains: true });
/** What helmet does not set: the features no page uses, and no caching of answers that may name people. */
const MORE_HEADERS = {
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'Cache-Control': 'no-store',
};
const CORS_METHODS = 'GET, POST, PUT';
const CORS_HEADERS = 'Authorization, Content-Type, Idempotency-Key';
const CORS_EXPOSED =
  'Location, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, X-Feed-Since, X-Feed-Next-Since, X-Feed-Next-Cursor, X-Feed-Complete, X-Publish-By, X-Year-Complete';

const origin = z.string().refine((o) => {
  try {
    const u = new URL(o);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === o;
  } catch {
    return false;
  }
}, 'each origin is scheme://host[:port], without a path or a trailing slash');

const envSchema = z.object({
  /** Origins allowed to call the API from a browser, separated by commas or spaces. None by default. */
  DUEPROCESS_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(origin)),
  /** Express "trust proxy": unset trusts no proxy (the socket address is the client; https only over TLS). */
  DUEPROCESS_TRUST_PROXY: z.string().optional(),
  /** Origins the portal's forms are posted from, separated by commas or spaces; unset: the request's own (scheme and Host). */
  DUEPROCESS_PUBLIC_ORIGIN: z
    .string()
    .default('')
    .transform((s) => s.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(origin)),
  DUEPROCESS_RATE_LIMIT: z.enum(['on', 'off']).default('on'),
  DUEPROCESS_RATE_WINDOW_SECONDS: z.coerce.number().positive().max(86_400).default(60),
  /** Requests per window per client (address + token subject) on /api. */
  DUEPROCESS_RATE_LIMIT_API: z.coerce.number().int().min(1).default(120_000),
  /** Public writes (opinions, survey answers, codes, hearing registrations) per window per client: stricter than the rest. */
  DUEPROCESS_RATE_LIMIT_PUBLIC_WRITES: z.coerce.number().int().min(1).default(60_000),
});

export interface SecuritySettings {
  corsOrigins: string[];
  /** Empty: each request's own origin. */
  publicOrigins: string[];
  trustProxy: boolean | number | string | undefined;
  rateLimit: { enabled: boolean; windowMs: number; api: number; publicWrite: number; scope: string };
}

export function securitySettings(
  env: NodeJS.ProcessEnv = process.env,
  limits: SecurityDeps['limits'] = {},
): SecuritySettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  const e = parsed.data;
  const proxy = e.DUEPROCESS_TRUST_PROXY;
  return {
    corsOrigins: e.DUEPROCESS_CORS_ORIGINS,
    publicOrigins: e.DUEPROCESS_PUBLIC_ORIGIN,
    trustProxy:
      proxy === undefined || proxy === ''
        ? undefined
        : proxy === 'true'
          ? true
          : proxy === 'false'
            ? false
            : /^\d+$/.test(proxy)
              ? Number(proxy)
              : proxy,
    rateLimit: {
      enabled: limits?.enabled ?? e.DUEPROCESS_RATE_LIMIT === 'on',
      windowMs: (limits?.windowSeconds ?? e.DUEPROCESS_RATE_WINDOW_SECONDS) * 1000,
      api: limits?.api ?? e.DUEPROCESS_RATE_LIMIT_API,
      publicWrite: limits?.publicWrite ?? e.DUEPROCESS_RATE_LIMIT_PUBLIC_WRITES,
      scope: limits?.scope ?? 'api',
    },
  };
}

function securityHeaders(): RequestHandler {
  return (req, res, next) => {
    res.set(MORE_HEADERS);
    HEADERS(req, res, (err?: unknown) => {
      if (err || !req.secure) return next(err);
      HSTS(req, res, next);
    });
  };
}

/** No CORS unless the origin is listed; a preflight from any other origin is refused. */
function cors(allowed: ReadonlySet<string>): RequestHandler {
  return (req, res, next) => {
    const from = req.get('Origin');
    if (allowed.size) res.vary('Origin');
    if (from === undefined) return next();
    const listed = allowed.has(from);
    if (listed) res.set({ 'Access-Control-Allow-Origin': from, 'Access-Control-Expose-Headers': CORS_EXPOSED });
    const preflight = req.method === 'OPTIONS' && req.get('Access-Control-Request-Method') !== undefined;
    if (!preflight) return next();
    if (!listed)
      return next(new ApiError(403, 'CORS_ORIGIN_NOT_ALLOWED', `cross-origin requests from ${from} are not allowed`));
    res.set({
      'Access-Control-Allow-Methods': CORS_METHODS,
      'Access-Control-Allow-Headers': CORS_HEADERS,
      'Access-Control-Max-Age': '600',
    });
    res.status(204).end();
  };
}

/**
 * A URL that cannot name anything stored is refused before any route sees it, API and pages
 * alike: a NUL (%00) anywhere, or a path that is not valid percent-encoded UTF-8. (Found by the
 * security fuzzing: both reached PostgreSQL, or the router's decoder, and were answered 500.)
 */
function wellFormedUrl(): RequestHandler {
  return (req, _res, next) => {
    const url = req.originalUrl ?? req.url;
    if (/%00/i.test(url) || url.includes('\u0000'))
      return next(new ApiError(400, 'INVALID_PATH', 'the URL must not contain the NUL character (%00)'));
    const q = url.indexOf('?');
    try {
      decodeURIComponent(q === -1 ? url : url.slice(0, q));
    } catch {
      return next(new ApiError(400, 'INVALID_PATH', 'the URL path is not valid percent-encoded UTF-8'));
    }
    next();
  };
}

/** Refuses a declared body over the limit without reading it, and closes the connection. */
function declaredBodyLimit(limit: number): RequestHandler {
  return (req, res, next) => {
    const declared = Number(req.get('Content-Length') ?? 0);
    if (!(declared > limit)) return next();
    res.set('Connection', 'close');
    next(
      new ApiError(413, 'BODY_TOO_LARGE', `the request body is too large (at most ${limit} bytes)`, {
        limitBytes: limit,
      }),
    );
  };
}

/** The public write endpoints (no token needed): opinions, survey answers, verification codes, hearing registrations. */
const PUBLIC_WRITE = /^\/decisions\/[^/]+\/(opinions|survey-answers|verifications|hearing-registrations)\/?$/i;

async function tokenSubject(req: Request, deps: SecurityDeps): Promise<string | null> {
  const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(req.get('Authorization') ?? '');
  if (!match) return null;
  // Only a verified subject separates clients: forged subjects would mint fresh buckets.
  return verifyToken(deps.authKey, match[1]).catch(() => null);
}

function rateLimit(deps: SecurityDeps, s: SecuritySettings['rateLimit'], log: Log): RequestHandler {
  // Keys carry their scope and kind (clientKey), so one limiter per kind, no extra prefix.
  const limiter = (points: number) =>
    sharedLimiter(deps.prisma, { prefix: '', points, windowSeconds: s.windowMs / 1000, blockInMemory: true });
  const limiters = { api: limiter(s.api), 'public-write': limiter(s.publicWrite) };
  let lastFailureLog = 0;
  return async (req, res, next) => {
    const kind = req.method === 'POST' && PUBLIC_WRITE.test(req.path) ? 'public-write' : 'api';
    const limit = kind === 'public-write' ? s.publicWrite : s.api;
    let hit;
    try {
      const key = clientKey(
        deps.authKey.secret,
        s.scope,
        kind,
        req.ip ?? req.socket.remoteAddress ?? '-',
        await tokenSubject(req, deps),
      );
      hit = await take(limiters[kind], key);
    } catch (e) {
      // Fail open: the limiter protects the service; it must not become the outage.
      if (Date.now() - lastFailureLog > 60_000) {
        lastFailureLog = Date.now();
        log({
          msg: 'rate limiter unavailable; requests pass unthrottled',
          level: 'error',
          error: (e as Error)?.name ?? 'Error',
        });
      }
      return next();
    }
    const resetSeconds = Math.max(1, Math.ceil(hit.resetInMs / 1000));
    res.set({
      'RateLimit-Limit': String(limit),
      'RateLimit-Remaining': String(hit.remaining),
      'RateLimit-Reset': String(resetSeconds),
    });
    if (hit.allowed) return next();
    res.set('Retry-After', String(resetSeconds));
    next(
      new ApiError(
        429,
        'RATE_LIMITED',
        `too many requests: at most ${limit} per ${s.windowMs / 1000} s ${kind === 'public-write' ? 'for opinions and survey answers' : 'on the API'}; retry after ${resetSeconds} s`,
        {
          limit,
          windowSeconds: s.windowMs / 1000,
          retryAfterSeconds: resetSeconds,
        },
      ),
    );
  };
}

export function applySecurity(app: Express, deps: SecurityDeps): SecuritySettings {
  const settings = securitySettings(process.env, deps.limits);
  const log = deps.log ?? defaultLog;
  app.disable('x-powered-by');
  // res.json escapes <, > and & as \u003c… so JSON can never be read as markup.
  app.set('json escape', true);
  if (settings.trustProxy !== undefined) app.set('trust proxy', settings.trustProxy);
  app.use(securityEvents(log));
  app.use(securityHeaders());
  app.use(cors(new Set(settings.corsOrigins)));
  app.use(wellFormedUrl());
  if (settings.rateLimit.enabled) app.use('/api', rateLimit(deps, settings.rateLimit, log));
  app.use('/api', declaredBodyLimit(JSON_BODY_LIMIT_BYTES));
  return settings;
}
