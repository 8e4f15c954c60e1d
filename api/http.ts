import type { Request } from 'express';
import type { z } from 'zod';
import { fromZod } from './errors';
import { idempotencyKeySchema } from './decisions/schemas';

// Small helpers shared by the routers.

export function parse<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZod(r.error, prefix);
  return r.data;
}

/** The Idempotency-Key header, validated; a retried POST with the same key is applied once. */
export function idempotencyKey(req: Request): string | undefined {
  const raw = req.get('Idempotency-Key');
  if (raw === undefined) return undefined;
  return parse(idempotencyKeySchema, raw, 'Idempotency-Key');
}

export function param(req: Request, name: string): string {
  const v = req.params[name];
  return Array.isArray(v) ? v[0] : String(v);
}
