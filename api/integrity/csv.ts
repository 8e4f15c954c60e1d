// The CSV writer is shared with the portal's open-data exports: it lives in lib/csv.ts.
export { csvCell, toCsv, type CsvValue } from '../../lib/csv';
