import type { ErrorRequestHandler } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type ApplicationFailure } from '@temporalio/client';
import { ZodError } from 'zod';
import { Refusal, isRefusalCode, type RefusalCode } from '../domain/refusals';

// Every error leaves the API as {"error": {"code", "message", "legalBasis"?, "details"?}} with a
// stable machine code: 400 with field paths, 401/403 naming the missing role, 404, 409 with the
// gate's code and the article it enforces, and a redacted 500 for anything unexpected.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly legalBasis?: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, 'NOT_FOUND', `${what} not found`);

export function fromRefusal(r: Refusal): ApiError {
  return new ApiError(r.status, r.code, r.message, r.details, r.legalBasis);
}

export function fieldError(path: string, message: string): ApiError {
  return new ApiError(400, 'INVALID_INPUT', `invalid input: ${path}: ${message}`, { issues: [{ path, message }] });
}

export function fromZod(e: ZodError, prefix = ''): ApiError {
  const path = (p: PropertyKey[]) => [prefix, ...p.map(String)].filter(Boolean).join('.');
  // An unknown key is reported at its own path, so a client can point at the offending field.
  const issues = e.issues.flatMap((i) =>
    i.code === 'unrecognized_keys' ? i.keys.map((k) => ({ path: path([...i.path, k]), message: 'unknown field' })) : [{ path: path(i.path), message: i.message }],
  );
  return new ApiError(400, 'INVALID_INPUT', `invalid input: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`, { issues });
}

/** A gate refusal from the workflow's update validator, rebuilt as a Refusal; null if it is not one. */
export function refusalFromTemporal(e: unknown): Refusal | null {
  if (!(e instanceof WorkflowUpdateFailedError)) return null;
  const cause = e.cause as ApplicationFailure | undefined;
  const code = cause?.type;
  if (!isRefusalCode(code)) return null;
  const info = (cause?.details?.[0] ?? {}) as { legalBasis?: string | null; details?: Record<string, unknown> | null };
  return new Refusal(code as RefusalCode, cause?.message ?? code, info.details ?? undefined, info.legalBasis ?? undefined);
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof Refusal) return fromRefusal(e);
  if (e instanceof ZodError) return fromZod(e);
  const refusal = refusalFromTemporal(e);
  if (refusal) return fromRefusal(refusal);
  if (e instanceof WorkflowNotFoundError) return new ApiError(404, 'DECISION_NOT_FOUND', 'decision not found');
  const body = e as { type?: string; status?: number };
  if (body?.type === 'entity.parse.failed') return new ApiError(400, 'INVALID_JSON', 'the request body is not valid JSON');
  if (body?.type === 'entity.too.large') return new ApiError(413, 'BODY_TOO_LARGE', 'the request body is too large');
  return new ApiError(500, 'INTERNAL', 'internal error; it has been logged');
}

export function errorMiddleware(log: (entry: Record<string, unknown>) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = toApiError(err);
    if (e.status >= 500) log({ msg: 'request failed', method: req.method, path: req.path, error: String(err?.stack ?? err) });
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
