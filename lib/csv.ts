// CSV for the credit-platform feed and the open-data exports: RFC 4180 (CRLF line ends, a header row, fields quoted when
// they hold a comma, a quote, CR or LF, quotes doubled), UTF-8 without a byte-order mark.
// A text cell a spreadsheet would read as a formula (starting with = + - @, or a tab or CR,
// OWASP "CSV injection") is prefixed with a single quote, so it is shown as text. A text cell
// that already starts with a single quote gets one too, so a reader recovers every value by
// removing one leading quote from any text cell that has one.

export type CsvValue = string | number | boolean | bigint | Date | null | undefined;

const FORMULA_START = /^[=+\-@\t\r']/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A cell as written: formula-neutralised, then quoted if needed. null and undefined are empty. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let s = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The whole document: the header row, then one row per record in `fields` order. */
export function toCsv<F extends string>(fields: readonly F[], rows: ReadonlyArray<Record<F, CsvValue>>): string {
  const lines = [fields.map((f) => csvCell(f)), ...rows.map((r) => fields.map((f) => csvCell(r[f])))];
  return lines.map((cells) => cells.join(',') + '\r\n').join('');
}
