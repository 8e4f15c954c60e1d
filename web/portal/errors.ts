import { AppError } from '../../app/errors';
import { Refusal } from '../../domain/refusals';
import type { Ctx } from '../context';
import type { FieldErrors } from '../forms';

// Public-submission failures as a page shows them: field errors next to their fields, the rest
// as one message. The JSON API gives the same failures as {"error": {...}}.

export interface ShownError {
  status: number;
  fields: FieldErrors;
  general: string[];
}

export function issuesToFields(
  ctx: Ctx,
  issues: Array<{ path: string; message: string }>,
  names: Record<string, string> = {},
): FieldErrors {
  const out: FieldErrors = {};
  for (const i of issues) {
    const field = names[i.path] ?? i.path;
    out[field] ??= ctx.t.fieldMessages[field] ?? ctx.t.invalidValue(i.message);
  }
  return out;
}

export function showError(ctx: Ctx, e: unknown, names: Record<string, string> = {}): ShownError {
  const { t } = ctx;
  const err = e instanceof Refusal ? new AppError(e.status, e.code, e.message, e.details, e.legalBasis) : e;
  if (!(err instanceof AppError)) throw e;
  const details = (err.details ?? {}) as {
    issues?: Array<{ path: string; message: string }>;
    retryAfterSeconds?: number;
    reason?: string;
    attemptsLeft?: number;
  };
  switch (err.code) {
    case 'INVALID_INPUT':
      return { status: 400, fields: issuesToFields(ctx, details.issues ?? [], names), general: [] };
    case 'WINDOW_CLOSED':
      return {
        status: 409,
        fields: {},
        general: [
          details.reason === 'no-window' ? t.notOpenNothingStored : t.windowClosedNothingStored,
          `${t.legalBasis}: ${err.legalBasis ?? ''}`,
        ],
      };
    case 'IDEMPOTENCY_KEY_REUSED':
      return { status: 422, fields: {}, general: [t.keyReused] };
    case 'REGISTRATION_CLOSED':
      return { status: 409, fields: {}, general: [t.registrationClosed] };
    case 'RATE_LIMITED':
      return { status: 429, fields: {}, general: [t.rateLimited(details.retryAfterSeconds ?? 60)] };
    case 'VERIFICATION_REQUIRED':
      return { status: 403, fields: { destination: t.verifyFirst }, general: [] };
    case 'VERIFICATION_FAILED':
      return {
        status: 403,
        fields: { code: t.verificationFailed(details.reason ?? '', details.attemptsLeft) },
        general: [],
      };
    case 'DECISION_NOT_FOUND':
      return { status: 404, fields: {}, general: [t.notFoundText] };
    default:
      return { status: err.status, fields: {}, general: [err.message] };
  }
}
