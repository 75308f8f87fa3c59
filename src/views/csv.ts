// CSV for the Export button (RFC 4180). Cells that a spreadsheet would run as a formula are
// prefixed with an apostrophe, and phone numbers are scrubbed like everywhere else.
import type { CsvTable } from '../../commands/types.js';
import { scrubPhoneNumbers } from '../ingest/scrub.js';

function cell(value: string | number | boolean | Date | null): string {
  if (value === null) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  text = scrubPhoneNumbers(text);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(table: Pick<CsvTable, 'columns' | 'rows'>): string {
  const lines = [table.columns.map(cell), ...table.rows.map((row) => row.map(cell))];
  return `${lines.map((line) => line.join(',')).join('\r\n')}\r\n`;
}
