import { z } from 'zod';

// Working-day calendar for statutory periods, e.g. the legality review of Decree 713 Art 27
// ("at least 7 working days"). Holiday data is shipped as JSON (calendars/*.json) so a new State
// Council notice replaces data, not code.
// Pure module: imports only zod and never Date or Node built-ins, so it can run inside the
// deterministic workflow sandbox. Local days use a fixed UTC offset (China: +08:00, no DST).

const DAY_MS = 86_400_000;

// Proleptic Gregorian conversions between civil dates and days since 1970-01-01 (H. Hinnant).
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(days: number): { y: number; m: number; d: number } {
  const z0 = days + 719_468;
  const era = Math.floor(z0 / 146_097);
  const doe = z0 - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d: doy - Math.floor((153 * mp + 2) / 5) + 1 };
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number (days since 1970-01-01) of a real `YYYY-MM-DD` date, or null. */
function parseIsoDate(iso: string): number | null {
  const m = ISO_DATE.exec(iso);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = daysFromCivil(y, mo, d);
  const back = civilFromDays(day);
  return back.y === y && back.m === mo && back.d === d ? day : null;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;
const isWeekend = (day: number): boolean => weekday(day) === 0 || weekday(day) === 6;

const isoDateSchema = z
  .string()
  .refine((s) => parseIsoDate(s) !== null, { message: 'expected a real date YYYY-MM-DD' });

export const calendarYearSchema = z
  .object({
    year: z.number().int().min(1970).max(9999),
    region: z.literal('CN'),
    provisional: z.boolean(),
    source: z.string().min(1),
    holidays: z.array(isoDateSchema),
    makeupWorkdays: z.array(isoDateSchema),
    notes: z.string().optional(),
  })
  .strict()
  .superRefine((cal, ctx) => {
    const seen = new Map<string, string>();
    for (const key of ['holidays', 'makeupWorkdays'] as const) {
      cal[key].forEach((iso, i) => {
        const path = [key, i];
        if (iso.slice(0, 4) !== String(cal.year)) {
          ctx.addIssue({ code: 'custom', path, message: `${iso} is outside year ${cal.year}` });
        }
        const other = seen.get(iso);
        if (other !== undefined) {
          const message = other === key ? `${iso} is listed twice` : `${iso} is both a holiday and a make-up workday`;
          ctx.addIssue({ code: 'custom', path, message });
        }
        seen.set(iso, key);
        const day = parseIsoDate(iso);
        if (key === 'makeupWorkdays' && day !== null && !isWeekend(day)) {
          ctx.addIssue({ code: 'custom', path, message: `${iso} is a weekday; make-up workdays are weekend days` });
        }
      });
    }
  });
export type CalendarYear = z.infer<typeof calendarYearSchema>;

/** A computation needed a year the calendar has no data for. Never guessed. */
export class CalendarNotCoveredError extends Error {
  constructor(readonly year: number) {
    super(`The working-day calendar has no data for ${year}; add calendars/cn-${year}.json`);
    this.name = 'CalendarNotCoveredError';
  }
}

function checkOffset(utcOffsetMinutes: number): number {
  if (!Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 18 * 60) {
    throw new RangeError(`invalid UTC offset ${utcOffsetMinutes} minutes`);
  }
  return utcOffsetMinutes * 60_000;
}

function checkArgs(fromMs: number, n: number): void {
  if (!Number.isFinite(fromMs)) throw new RangeError(`invalid instant ${fromMs}`);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`period must be a non-negative integer, got ${n}`);
}

/**
 * Local midnight ending the n-th calendar day after the local day containing `fromMs`
 * (Civil Code Art 201: the start day is not counted). n = 0 returns `fromMs` itself.
 * Does not apply the Civil Code Art 203 roll-forward when the last day is a holiday.
 */
export function endOfCalendarDays(fromMs: number, n: number, utcOffsetMinutes = 480): number {
  const offset = checkOffset(utcOffsetMinutes);
  checkArgs(fromMs, n);
  if (n === 0) return fromMs;
  return (Math.floor((fromMs + offset) / DAY_MS) + n + 1) * DAY_MS - offset;
}

export class WorkingCalendar {
  readonly coveredYears: readonly number[];
  readonly provisionalYears: readonly number[];
  private readonly offsetMs: number;
  private readonly years = new Set<number>();
  private readonly holidays = new Set<number>();
  private readonly makeupWorkdays = new Set<number>();

  constructor(years: CalendarYear[], utcOffsetMinutes = 480) {
    this.offsetMs = checkOffset(utcOffsetMinutes);
    const provisional: number[] = [];
    for (const input of years) {
      const cal = calendarYearSchema.parse(input);
      if (this.years.has(cal.year)) throw new Error(`calendar year ${cal.year} is given more than once`);
      this.years.add(cal.year);
      if (cal.provisional) provisional.push(cal.year);
      for (const iso of cal.holidays) this.holidays.add(parseIsoDate(iso) as number);
      for (const iso of cal.makeupWorkdays) this.makeupWorkdays.add(parseIsoDate(iso) as number);
    }
    this.coveredYears = Object.freeze([...this.years].sort((a, b) => a - b));
    this.provisionalYears = Object.freeze(provisional.sort((a, b) => a - b));
  }

  /** Monday–Friday that is not a holiday, or a make-up workday (调休上班). */
  isWorkingDay(isoDate: string): boolean {
    const day = parseIsoDate(isoDate);
    if (day === null) throw new RangeError(`invalid date ${JSON.stringify(isoDate)}`);
    return this.isWorkingDayNumber(day);
  }

  /**
   * Local midnight ending the n-th working day after the local day containing `fromMs`
   * (Civil Code Art 201: the start day is not counted). n = 0 returns `fromMs` itself, so that
   * for every `toMs >= fromMs`: toMs >= addWorkingDays(fromMs, n) iff workingDaysElapsed(fromMs, toMs) >= n.
   */
  addWorkingDays(fromMs: number, n: number): number {
    checkArgs(fromMs, n);
    if (n === 0) return fromMs;
    let day = this.localDay(fromMs);
    for (let counted = 0; counted < n;) {
      day += 1;
      if (this.isWorkingDayNumber(day)) counted += 1;
    }
    return (day + 1) * DAY_MS - this.offsetMs;
  }

  /** Working days after the start day (Civil Code Art 201) that have completely ended by `toMs`. */
  workingDaysElapsed(fromMs: number, toMs: number): number {
    checkArgs(fromMs, 0);
    if (!Number.isFinite(toMs)) throw new RangeError(`invalid instant ${toMs}`);
    const lastEnded = this.localDay(toMs) - 1;
    let count = 0;
    for (let day = this.localDay(fromMs) + 1; day <= lastEnded; day++) {
      if (this.isWorkingDayNumber(day)) count += 1;
    }
    return count;
  }

  private localDay(ms: number): number {
    return Math.floor((ms + this.offsetMs) / DAY_MS);
  }

  private isWorkingDayNumber(day: number): boolean {
    const { y } = civilFromDays(day);
    if (!this.years.has(y)) throw new CalendarNotCoveredError(y);
    if (this.makeupWorkdays.has(day)) return true;
    return !isWeekend(day) && !this.holidays.has(day);
  }
}
