import type { Request, RequestHandler } from 'express';
import { eventOf, pseudonym, securityMarkOf, type Log, type SecurityEvent } from '../lib/log';

// The security-event stream (issue 9): exactly one log entry for every answer that refuses a
// person — a failed or limited sign-in, 401, 403, 409 (a gate's refusal, with its code), a reused
// Idempotency-Key, 429 — from the API and the pages alike, written once the answer is sent. The
// error middleware (api/errors.ts) and the pages mark their answer's code and event on
// res.locals (lib/log.ts markSecurity); the status alone names the event otherwise. An entry
// holds the method, the route pattern, the status, the code and pseudonyms (keyed HMACs) of the
// client address and of the person, nothing else: no path, no query, no body, no name.

/**
 * The route pattern that answered: the matched route's own pattern, below the static prefix its
 * router is mounted at (the path's leading segments). Null when no route matched (a refusal
 * before routing: CORS, a rate limit, a malformed URL), so a raw path is never logged.
 */
export function routePattern(req: Request): string | null {
  const pattern = (req as { route?: { path?: unknown } }).route?.path;
  if (typeof pattern !== 'string') return null;
  const own = pattern.split('/').filter(Boolean);
  const parts = (req.originalUrl ?? req.url).split('?')[0].split('/').filter(Boolean);
  if (parts.length < own.length) return pattern;
  return `/${[...parts.slice(0, parts.length - own.length), ...own].join('/')}`;
}

export function securityEvents(log: Log): RequestHandler {
  return (req, res, next) => {
    res.once('finish', () => {
      const mark = securityMarkOf(res);
      const code = mark.code ?? null;
      const event = mark.event ?? eventOf(res.statusCode, code);
      if (!event) return;
      const staff = res.locals.staff as { actor?: { id?: string } } | undefined;
      const userId = req.actor?.id ?? staff?.actor?.id ?? mark.userId;
      const entry: SecurityEvent = {
        msg: 'security event',
        level: 'warn',
        stream: 'security',
        event,
        method: req.method,
        route: routePattern(req),
        status: res.statusCode,
        code,
        client: pseudonym('client', req.ip ?? req.socket.remoteAddress ?? 'unknown'),
        user: userId ? pseudonym('user', userId) : null,
      };
      log({ ...entry });
    });
    next();
  };
}
