import type { z } from 'zod';
import { textProblem } from '../domain/text';
import { fieldError, fromZod } from './errors';

// Input parsing shared by both edges: a zod schema, then a check that every string can be stored
// as sent (400 with the field otherwise).

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
        if (problem)
          return {
            path: [...path, k.replace(/[\u0000\uD800-\uDFFF]/g, '\uFFFD')].join('.'),
            message: `key ${problem}`,
          };
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
