import type { Request } from 'express';
import type { z } from 'zod';
import { fieldError, fromZod } from './errors';
import { idempotencyKeySchema } from './decisions/schemas';
import { textProblem } from '../domain/text';

// Small helpers shared by the routers.

/** The first string (value or key) that cannot be stored as sent; a bounded, iterative walk. */
export function unstorableText(value: unknown, prefix = ''): { path: string; message: string } | null {
  const stack: Array<{ v: unknown; path: string[] }> = [{ v: value, path: prefix ? [prefix] : [] }];
  for (let seen = 0; stack.length && seen < 100_000; seen++) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { path: path.join('.') || '(body)', message: problem };
    } else if (v && typeof v === 'object' && !(v instanceof Date)) {
      for (const [k, child] of Object.entries(v)) {
        const problem = textProblem(k);
        if (problem) return { path: [...path, k.replace(/[\u0000\uD800-\uDFFF]/g, '\uFFFD')].join('.'), message: `key ${problem}` };
        stack.push({ v: child, path: [...path, k] });
      }
    }
  }
  return null;
}

export function parse<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZod(r.error, prefix);
  const bad = unstorableText(r.data, prefix);
  if (bad) throw fieldError(bad.path, bad.message);
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
  const s = Array.isArray(v) ? v[0] : String(v);
  const problem = textProblem(s);
  if (problem) throw fieldError(name, problem);
  return s;
}
