// Rows to PostgreSQL's COPY text format: one line per row, tab-separated, \N for NULL, and
// backslash, tab, newline and carriage return escaped. Arrays are written as array literals and
// jsonb as JSON text, so a staging table with the target's column types parses them as usual.
import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

const HAS_SPECIAL = /[\\\t\n\r]/;
const SPECIAL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeField(text: string): string {
  return HAS_SPECIAL.test(text) ? text.replace(SPECIAL, (c) => ESCAPES[c]!) : text;
}

/** An array literal: every element quoted, so commas, braces and spaces need no thought. */
function arrayLiteral(values: ReadonlyArray<unknown>): string {
  const items = values.map((v) => (v === null || v === undefined ? 'NULL' : `"${String(v).replace(/["\\]/g, (c) => `\\${c}`)}"`));
  return `{${items.join(',')}}`;
}

function field(value: unknown, sqlType: string): string {
  if (value === null || value === undefined) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value) && sqlType.endsWith('[]')) return escapeField(arrayLiteral(value));
  if (sqlType === 'jsonb' || sqlType === 'json') return escapeField(JSON.stringify(value));
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return escapeField(String(value));
}

export interface CopyText {
  /** Database column names, in the order the lines carry them. */
  columns: string[];
  text: string;
}

/**
 * COPY text for `rows` (drizzle insert objects of `table`). Columns no row sets are left out, so
 * the target's defaults apply to them, unless `allColumns` (a fixed column list for a file written
 * in parts): then an unset value is NULL.
 */
export function copyText<T extends PgTable>(table: T, rows: ReadonlyArray<T['$inferInsert']>, options: { allColumns?: boolean } = {}): CopyText {
  const records = rows as ReadonlyArray<Record<string, unknown>>;
  const definitions = Object.entries(getTableColumns(table))
    .filter(([key]) => options.allColumns || records.some((row) => row[key] !== undefined))
    .map(([key, column]) => ({ key, name: column.name, type: column.getSQLType() }));
  // Plain loops and one growing string: this runs for every row of a bulk load.
  let text = '';
  for (const record of records) {
    for (let i = 0; i < definitions.length; i++) {
      const d = definitions[i]!;
      if (i > 0) text += '\t';
      text += field(record[d.key], d.type);
    }
    text += '\n';
  }
  return { columns: definitions.map((d) => d.name), text };
}
