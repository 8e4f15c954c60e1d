import { z } from 'zod';
import { endOfCalendarDays } from './calendar';

// A period in a procedure template. Calendar and working days follow Civil Code Art 201: the
// day a period starts is not counted, and the period ends at local midnight after its last day.
// Seconds exist only for non-statutory demo and test templates.

export const durationSchema = z.union([
  z.object({ days: z.number().int().positive().max(3660) }).strict(),
  z.object({ workingDays: z.number().int().positive().max(2000) }).strict(),
  z.object({ seconds: z.number().positive().max(10_000_000) }).strict(),
]);
export type Duration = z.infer<typeof durationSchema>;

/** Durations the workflow must resolve synchronously inside a validator: no working days. */
export const plainDurationSchema = z.union([
  z.object({ days: z.number().int().positive().max(3660) }).strict(),
  z.object({ seconds: z.number().positive().max(10_000_000) }).strict(),
]);

/**
 * Resolves a duration from `fromMs` without a holiday calendar. Returns null for working days:
 * those are resolved by an activity that reads the replaceable calendar data.
 */
export function resolvePlainDuration(fromMs: number, d: Duration, utcOffsetMinutes: number): number | null {
  if ('seconds' in d) return fromMs + Math.round(d.seconds * 1000);
  if ('days' in d) return endOfCalendarDays(fromMs, d.days, utcOffsetMinutes);
  return null;
}

export function describeDuration(d: Duration): string {
  if ('seconds' in d) return `${d.seconds} seconds`;
  if ('days' in d) return `${d.days} calendar days`;
  return `${d.workingDays} working days`;
}
