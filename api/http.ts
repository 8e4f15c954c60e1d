import type { Request } from 'express';
import { fieldError } from './errors';
import { parse } from '../app/input';
import { idempotencyKeySchema } from './decisions/schemas';
import { textProblem } from '../domain/text';

// Small helpers shared by the routers.

export { parse, unstorableText } from '../app/input';

/** The Idempotency-Key header, validated; a retried POST with the same key is applied once. */
export function idempotencyKey(req: Request): string | undefined {
  const raw = req.get('Idempotency-Key');
  if (raw === undefined) return undefined;
  return parse(idempotencyKeySchema, raw, 'Idempotency-Key');
}

export function param(req: Request, name: string): string {
  const v = req.params[name];
  const s = Array.isArray(v) ? v[0] : String(v);
  const problem = textProblem(s);
  if (problem) throw fieldError(name, problem);
  return s;
}
