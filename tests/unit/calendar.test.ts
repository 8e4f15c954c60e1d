import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { CalendarNotCoveredError, WorkingCalendar, calendarYearSchema, endOfCalendarDays } from '../../domain/calendar';
import type { CalendarYear } from '../../domain/calendar';
import { loadWorkingCalendar } from '../../lib/calendar';

const CALENDAR_DIR = path.join(__dirname, '..', '..', 'calendars');
const readYear = (y: number): CalendarYear =>
  calendarYearSchema.parse(JSON.parse(fs.readFileSync(path.join(CALENDAR_DIR, `cn-${y}.json`), 'utf8')));
const cn2026 = readYear(2026);
const only2026 = new WorkingCalendar([cn2026]);
const full = loadWorkingCalendar(CALENDAR_DIR);

/** Epoch ms of a China Standard Time wall-clock reading. */
const cst = (local: string): number => Date.parse(`${local}+08:00`);
const asCst = (ms: number): string => new Date(ms + 8 * 3_600_000).toISOString().replace('Z', '+08:00');

const withEnv = (key: string, value: string, fn: () => void): void => {
  const saved = process.env[key];
  process.env[key] = value;
  try {
    fn();
  } finally {
    if (saved === undefined) delete process.env[key];
    else process.env[key] = saved;
  }
};
const year = (y: number, extra: Partial<CalendarYear> = {}): CalendarYear => ({
  year: y,
  region: 'CN',
  provisional: false,
  source: 'test',
  holidays: [],
  makeupWorkdays: [],
  ...extra,
});

describe('isWorkingDay', () => {
  // Plain Mon/Sat; New Year; make-up Sun 4 Jan and Sat 14 Feb; Spring Festival incl. Mon 23 Feb;
  // end of Labour Day block and its make-up Sat; National Day make-up days around Oct 1-7.
  const working = ['2026-03-02', '2026-01-04', '2026-02-14', '2026-05-09', '2026-09-20', '2026-10-10'];
  const off = ['2026-03-07', '2026-01-01', '2026-02-17', '2026-02-23', '2026-05-05', '2026-10-07'];
  it.each(working.map((d) => [d, true]).concat(off.map((d) => [d, false])))('%s -> %s', (iso, expected) => {
    expect(only2026.isWorkingDay(iso as string)).toBe(expected);
  });

  it('rejects malformed dates and uncovered years', () => {
    expect(() => only2026.isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => only2026.isWorkingDay('2027-01-04')).toThrow(CalendarNotCoveredError);
  });
});

describe('addWorkingDays / workingDaysElapsed (Civil Code Art 201: start day not counted)', () => {
  it('plain week: 5 working days from a Monday end at the next Tuesday midnight', () => {
    const from = cst('2026-03-02T10:00:00'); // Mon; counts Tue 3 .. Fri 6, Mon 9
    expect(asCst(only2026.addWorkingDays(from, 5))).toBe('2026-03-10T00:00:00.000+08:00');
    expect(asCst(only2026.addWorkingDays(from, 7))).toBe('2026-03-12T00:00:00.000+08:00');
    expect(only2026.workingDaysElapsed(from, cst('2026-03-09T23:59:59.999'))).toBe(4);
    expect(only2026.workingDaysElapsed(from, cst('2026-03-10T00:00:00'))).toBe(5);
  });

  it('a make-up Saturday counts, the Labour Day block does not', () => {
    // Wed 6 May: Thu 7, Fri 8, Sat 9 (调休上班) -> ends at midnight starting Sun 10 May.
    expect(asCst(only2026.addWorkingDays(cst('2026-05-06T09:00:00'), 3))).toBe('2026-05-10T00:00:00.000+08:00');
    // Thu 30 Apr: 1-5 May off, Wed 6 May is the first working day.
    expect(asCst(only2026.addWorkingDays(cst('2026-04-30T18:00:00'), 1))).toBe('2026-05-07T00:00:00.000+08:00');
  });

  it('spans Spring Festival 2026', () => {
    // Thu 12 Feb (start, not counted): Fri 13 (1), Sat 14 make-up (2), 15-23 Feb off,
    // Tue 24 (3), Wed 25 (4), Thu 26 (5), Fri 27 (6), Sat 28 make-up (7) -> 1 Mar 00:00.
    const from = cst('2026-02-12T15:00:00');
    expect(asCst(only2026.addWorkingDays(from, 7))).toBe('2026-03-01T00:00:00.000+08:00');
    expect(only2026.workingDaysElapsed(from, cst('2026-02-23T23:59:59'))).toBe(2);
  });

  it('Decree 713 Art 27: a review submitted on 2026-09-29 cannot conclude before 15 Oct 00:00', () => {
    // Tue 29 Sep is the start day (not counted). Wed 30 Sep (1); Thu 1 - Wed 7 Oct National Day
    // off; Thu 8 (2); Fri 9 (3); Sat 10 make-up (4); Sun 11 off; Mon 12 (5); Tue 13 (6);
    // Wed 14 (7). The 7th working day ends at midnight starting Thu 15 Oct 2026.
    const submitted = cst('2026-09-29T16:30:00');
    const earliest = only2026.addWorkingDays(submitted, 7);
    expect(asCst(earliest)).toBe('2026-10-15T00:00:00.000+08:00');
    expect(only2026.workingDaysElapsed(submitted, earliest - 1)).toBe(6);
    expect(only2026.workingDaysElapsed(submitted, earliest)).toBe(7);
  });

  it('a make-up Sunday before Mid-Autumn counts', () => {
    // Fri 18 Sep: Sat 19 off, Sun 20 make-up (1).
    expect(asCst(only2026.addWorkingDays(cst('2026-09-18T12:00:00'), 1))).toBe('2026-09-21T00:00:00.000+08:00');
  });

  it('uses the fixed +08:00 offset, not the host timezone', () => {
    const from = Date.parse('2026-03-01T17:00:00Z'); // already Mon 2 Mar 01:00 in China
    expect(asCst(only2026.addWorkingDays(from, 1))).toBe('2026-03-04T00:00:00.000+08:00');
    expect(only2026.workingDaysElapsed(from, Date.parse('2026-03-03T15:59:59.999Z'))).toBe(0);
    expect(only2026.workingDaysElapsed(from, Date.parse('2026-03-03T16:00:00Z'))).toBe(1);
    const utcCalendar = new WorkingCalendar([cn2026], 0); // same instant is still Sun 1 Mar in UTC
    expect(new Date(utcCalendar.addWorkingDays(from, 1)).toISOString()).toBe('2026-03-03T00:00:00.000Z');
    withEnv('TZ', 'America/Los_Angeles', () =>
      expect(asCst(only2026.addWorkingDays(from, 1))).toBe('2026-03-04T00:00:00.000+08:00'),
    );
  });

  it('n = 0 is satisfied at the start instant', () => {
    const from = cst('2026-10-03T11:00:00');
    expect(only2026.addWorkingDays(from, 0)).toBe(from);
    expect(only2026.workingDaysElapsed(from, from)).toBe(0);
    expect(endOfCalendarDays(from, 0)).toBe(from);
  });

  it('the start day needs no data; every counted day does', () => {
    // Thu 31 Dec 2025 is the start day; 1-3 Jan off, Sun 4 Jan make-up is the 1st working day.
    expect(asCst(only2026.addWorkingDays(cst('2025-12-31T10:00:00'), 1))).toBe('2026-01-05T00:00:00.000+08:00');
    const from = cst('2026-12-30T10:00:00');
    expect(() => only2026.addWorkingDays(from, 3)).toThrow(CalendarNotCoveredError);
    expect(() => only2026.workingDaysElapsed(from, cst('2027-01-03T00:00:00'))).toThrow(CalendarNotCoveredError);
    expect(() => only2026.addWorkingDays(from, 3)).toThrow(expect.objectContaining({ year: 2027 }));
  });

  it('rejects negative or fractional periods and bad instants', () => {
    expect(() => only2026.addWorkingDays(cst('2026-03-02T00:00:00'), -1)).toThrow(RangeError);
    expect(() => only2026.addWorkingDays(cst('2026-03-02T00:00:00'), 1.5)).toThrow(RangeError);
    expect(() => only2026.addWorkingDays(Number.NaN, 1)).toThrow(RangeError);
    expect(() => endOfCalendarDays(0, 1, 24 * 60)).toThrow(RangeError);
  });

  it('workingDaysElapsed is 0 before the period has begun', () => {
    expect(only2026.workingDaysElapsed(cst('2026-03-10T00:00:00'), cst('2026-03-02T00:00:00'))).toBe(0);
  });
});

describe('endOfCalendarDays', () => {
  it('ends at local midnight after the n-th calendar day', () => {
    expect(asCst(endOfCalendarDays(cst('2026-09-29T10:00:00'), 7))).toBe('2026-10-07T00:00:00.000+08:00');
    const from = Date.parse('2026-03-01T17:00:00Z');
    expect(asCst(endOfCalendarDays(from, 1))).toBe('2026-03-04T00:00:00.000+08:00');
    expect(new Date(endOfCalendarDays(from, 1, 0)).toISOString()).toBe('2026-03-03T00:00:00.000Z');
  });
});

describe('calendarYearSchema', () => {
  const issuesOf = (v: unknown): string[] => {
    const r = calendarYearSchema.safeParse(v);
    return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
  };

  it('accepts the shipped files', () => {
    expect(issuesOf(readYear(2026))).toEqual([]);
    expect(issuesOf(readYear(2027))).toEqual([]);
  });

  it.each([
    ['impossible date', { holidays: ['2026-02-30'] }, 'holidays.0'],
    ['non-ISO date', { holidays: ['2026-2-3'] }, 'holidays.0'],
    ['date outside its year', { holidays: ['2026-12-31', '2027-01-01'] }, 'holidays.1'],
    [
      'holiday that is also a make-up day',
      { holidays: ['2026-02-14'], makeupWorkdays: ['2026-02-14'] },
      'makeupWorkdays.0',
    ],
    ['duplicate holiday', { holidays: ['2026-10-01', '2026-10-01'] }, 'holidays.1'],
    ['make-up day on a weekday', { makeupWorkdays: ['2026-03-02'] }, 'makeupWorkdays.0'],
    ['unknown key (strict)', { extra: 1 }, ''],
    ['wrong region', { region: 'HK' }, 'region'],
  ])('rejects %s', (_label, patch, issuePath) => {
    expect(issuesOf({ ...year(2026), ...patch })).toContain(issuePath);
  });

  it('duplicate years are an error', () => {
    expect(() => new WorkingCalendar([year(2026), year(2026)])).toThrow(/2026/);
  });
});

describe('loadWorkingCalendar', () => {
  it('reads the real calendars folder', () => {
    expect(full.coveredYears).toEqual([2026, 2027]);
    expect(full.provisionalYears).toEqual([2027]);
    // Thu 30 Dec 2026: Thu 31 (1), Fri 1 Jan holiday, weekend, Mon 4 (2), Tue 5 (3).
    expect(asCst(full.addWorkingDays(cst('2026-12-30T10:00:00'), 3))).toBe('2027-01-06T00:00:00.000+08:00');
    expect(full.isWorkingDay('2027-02-05')).toBe(false); // 除夕
    expect(full.isWorkingDay('2027-02-09')).toBe(true);
  });

  describe('with a temp dir', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dueprocess-cal-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, body: unknown) =>
      fs.writeFileSync(path.join(dir, name), typeof body === 'string' ? body : JSON.stringify(body));

    it('rejects a bad file, naming it and the issue paths', () => {
      write('cn-2026.json', year(2026, { holidays: ['2026-13-01'], makeupWorkdays: ['2025-12-27'] }));
      expect(() => loadWorkingCalendar(dir)).toThrow(/cn-2026\.json.*holidays\.0.*makeupWorkdays\.0/);
    });

    it('rejects unparsable JSON, a repeated year and an empty folder', () => {
      expect(() => loadWorkingCalendar(dir)).toThrow(/no calendar files/);
      write('a.json', year(2026));
      write('b.json', year(2026));
      expect(() => loadWorkingCalendar(dir)).toThrow(/a\.json.*b\.json/);
      write('b.json', '{"year": 2026,');
      expect(() => loadWorkingCalendar(dir)).toThrow(/b\.json/);
    });

    it('honours DUEPROCESS_CALENDAR_DIR and ignores non-JSON files', () => {
      write('cn-2031.json', year(2031, { provisional: true }));
      write('README.md', 'not a calendar');
      withEnv('DUEPROCESS_CALENDAR_DIR', dir, () => expect(loadWorkingCalendar().coveredYears).toEqual([2031]));
    });
  });
});

describe('properties', () => {
  const start2026 = cst('2026-01-01T00:00:00');
  const end2026 = cst('2027-01-01T00:00:00') - 1;

  it('workingDaysElapsed inverts addWorkingDays', () => {
    fc.assert(
      fc.property(fc.integer({ min: start2026, max: end2026 }), fc.integer({ min: 0, max: 30 }), (from, n) => {
        const end = full.addWorkingDays(from, n);
        expect(full.workingDaysElapsed(from, end)).toBe(n);
        if (n > 0) expect(full.workingDaysElapsed(from, end - 1)).toBe(n - 1);
      }),
      { numRuns: 300 },
    );
  });

  it('periods end at local midnight and never before the calendar-day equivalent', () => {
    fc.assert(
      fc.property(fc.integer({ min: start2026, max: end2026 }), fc.integer({ min: 1, max: 30 }), (from, n) => {
        const end = full.addWorkingDays(from, n);
        expect((end + 8 * 3_600_000) % 86_400_000).toBe(0);
        expect(end).toBeGreaterThanOrEqual(endOfCalendarDays(from, n));
      }),
      { numRuns: 300 },
    );
  });

  it('domain/calendar.ts imports nothing but zod', () => {
    const src = fs.readFileSync(path.join(__dirname, '..', '..', 'domain', 'calendar.ts'), 'utf8');
    const imports = [...src.matchAll(/(?:from|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
    expect(imports).toEqual(['zod']);
  });
});
