import { z } from 'zod';

// Text the system accepts is stored in PostgreSQL (text and jsonb) and hashed into the audit
// chain: a NUL character cannot be stored at all, and an unpaired surrogate would be stored as
// U+FFFD, not as sent. Both are refused wherever text enters — the API and the workflows'
// validators alike. (Found by the security fuzzing of issue 5: a NUL in an action hung it.)

const UNPAIRED_SURROGATE = /\p{Cs}/u;

export function textProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (UNPAIRED_SURROGATE.test(s)) return 'must be well-formed Unicode (an unpaired surrogate was sent)';
  return null;
}

/** A string that can be stored as sent. */
export const storable = () =>
  z.string().refine((s) => textProblem(s) === null, { message: 'must be storable text (no NUL, well-formed Unicode)' });

/** Trimmed, non-empty, bounded, storable text. */
export const text = (max: number) => storable().trim().min(1).max(max);
