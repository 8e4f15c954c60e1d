import { WorkflowUpdateFailedError, type ApplicationFailure } from '@temporalio/client';
import { ZodError } from 'zod';
import { Refusal, isRefusalCode, type RefusalCode } from '../domain/refusals';

// The errors of the application layer, shared by both edges (api/ answers them as JSON, web/ as
// pages). A gate's refusal is a domain Refusal; AppError carries the rest (400 with the field,
// 404, 413, 500) with a stable machine code.

export class AppError extends Error {
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

export const notFound = (what: string) => new AppError(404, 'NOT_FOUND', `${what} not found`);

export function fromRefusal(r: Refusal): AppError {
  return new AppError(r.status, r.code, r.message, r.details, r.legalBasis);
}

export function fieldError(path: string, message: string): AppError {
  return new AppError(400, 'INVALID_INPUT', `invalid input: ${path}: ${message}`, { issues: [{ path, message }] });
}

export function fromZod(e: ZodError, prefix = ''): AppError {
  const path = (p: PropertyKey[]) => [prefix, ...p.map(String)].filter(Boolean).join('.');
  // An unknown key is reported at its own path, so a client can point at the offending field.
  const issues = e.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ path: path([...i.path, k]), message: 'unknown field' }))
      : [{ path: path(i.path), message: i.message }],
  );
  return new AppError(
    400,
    'INVALID_INPUT',
    `invalid input: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`,
    { issues },
  );
}

/** A gate refusal from the workflow's update validator, rebuilt as a Refusal; null if it is not one. */
export function refusalFromTemporal(e: unknown): Refusal | null {
  if (!(e instanceof WorkflowUpdateFailedError)) return null;
  const cause = e.cause as ApplicationFailure | undefined;
  const code = cause?.type;
  if (!isRefusalCode(code)) return null;
  const info = (cause?.details?.[0] ?? {}) as { legalBasis?: string | null; details?: Record<string, unknown> | null };
  return new Refusal(
    code as RefusalCode,
    cause?.message ?? code,
    info.details ?? undefined,
    info.legalBasis ?? undefined,
  );
}
