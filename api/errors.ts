import type { ErrorRequestHandler } from 'express';
import { WorkflowNotFoundError } from '@temporalio/client';
import { ZodError } from 'zod';
import { Refusal } from '../domain/refusals';
import { AppError as ApiError, fromRefusal, fromZod, refusalFromTemporal } from '../app/errors';
import { markSecurity } from '../lib/log';
import { redactForLog } from '../lib/log-redaction';

// Every error leaves the API as {"error": {"code", "message", "legalBasis"?, "details"?}} with a
// stable machine code: 400 with field paths, 401/403 naming the missing role, 404, 409 with the
// gate's code and the article it enforces, and a redacted 500 for anything unexpected.

export { ApiError };
export { fieldError, fromRefusal, fromZod, notFound, refusalFromTemporal } from '../app/errors';

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof Refusal) return fromRefusal(e);
  if (e instanceof ZodError) return fromZod(e);
  const refusal = refusalFromTemporal(e);
  if (refusal) return fromRefusal(refusal);
  if (e instanceof WorkflowNotFoundError) return new ApiError(404, 'DECISION_NOT_FOUND', 'decision not found');
  const body = e as { type?: string; status?: number };
  if (body?.type === 'entity.parse.failed')
    return new ApiError(400, 'INVALID_JSON', 'the request body is not valid JSON');
  if (body?.type === 'entity.too.large') return new ApiError(413, 'BODY_TOO_LARGE', 'the request body is too large');
  return fromHttpError(e) ?? new ApiError(500, 'INTERNAL', 'internal error; it has been logged');
}

const HTTP_ERROR_CODES: Record<string, string> = {
  'charset.unsupported': 'UNSUPPORTED_CHARSET',
  'encoding.unsupported': 'UNSUPPORTED_ENCODING',
  'request.aborted': 'REQUEST_ABORTED',
  'request.size.invalid': 'INVALID_CONTENT_LENGTH',
};

/**
 * A client error raised by Express or body-parser (http-errors with a 4xx status): a path
 * parameter that is not valid percent-encoding, an unsupported charset or content encoding, an
 * aborted body. Found by the security fuzzing (issue 5): these used to be answered as 500.
 */
function fromHttpError(e: unknown): ApiError | null {
  const h = e as { status?: unknown; type?: string; expose?: boolean; message?: string } | null;
  if (!h || typeof h.status !== 'number' || h.status < 400 || h.status > 499) return null;
  const code =
    (h.type && HTTP_ERROR_CODES[h.type]) ??
    (e instanceof URIError ? 'INVALID_PATH' : h.status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST');
  return new ApiError(h.status, code, h.expose === false || !h.message ? 'bad request' : h.message);
}

export function errorMiddleware(log: (entry: Record<string, unknown>) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = toApiError(err);
    // Redacted: a driver's message may echo the request's values; no token or personal data is logged (issue 5).
    if (e.status >= 500)
      log({
        msg: 'request failed',
        level: 'error',
        method: req.method,
        path: redactForLog(req.path, req),
        error: redactForLog(String(err?.stack ?? err), req),
      });
    // A refusal (401, 403, 409, 429…) reaches the security-event stream with its code once sent (api/security-events.ts).
    else markSecurity(res, { code: e.code });
    // RFC 6750 §3: a refused bearer token is answered with the scheme and the reason.
    if (e.status === 401)
      res.set(
        'WWW-Authenticate',
        `Bearer realm="dueprocess"${e.code === 'TOKEN_EXPIRED' ? ', error="invalid_token", error_description="the token has expired"' : ''}`,
      );
    res.status(e.status).json({
      error: {
        code: e.code,
        message: e.message,
        ...(e.legalBasis ? { legalBasis: e.legalBasis } : {}),
        ...(e.details !== undefined ? { details: e.details } : {}),
      },
    });
  };
}
