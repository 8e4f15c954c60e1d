import * as fs from 'node:fs';
import * as path from 'node:path';
import { calendarYearSchema, WorkingCalendar, type CalendarYear } from '../domain/calendar';
import { fromRoot } from './paths';

// Server-side loader for the replaceable holiday data (one JSON file per year). A bad file
// fails loudly at startup: a wrong calendar would silently shorten statutory periods.

function readCalendarFile(file: string): CalendarYear {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`calendar file ${file} is not readable JSON: ${(err as Error).message}`);
  }
  const parsed = calendarYearSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    throw new Error(`calendar file ${file} is invalid: ${issues.join('; ')}`);
  }
  return parsed.data;
}

/** Reads and validates every `*.json` in `dir`; throws on an empty folder, a bad file or a repeated year. */
export function loadWorkingCalendar(
  dir: string = process.env.DUEPROCESS_CALENDAR_DIR ?? fromRoot('calendars'),
): WorkingCalendar {
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => path.join(dir, name));
  if (files.length === 0) throw new Error(`no calendar files (*.json) in ${dir}`);
  const byYear = new Map<number, string>();
  const years = files.map((file) => {
    const cal = readCalendarFile(file);
    const other = byYear.get(cal.year);
    if (other !== undefined) throw new Error(`calendar year ${cal.year} is defined in both ${other} and ${file}`);
    byYear.set(cal.year, file);
    return cal;
  });
  return new WorkingCalendar(years);
}
