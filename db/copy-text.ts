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

/** A table's columns as COPY lines carry them: the drizzle key, the database name and its type. */
export interface CopyColumn {
  key: string;
  name: string;
  type: string;
}

/** `keys` (drizzle property names of `table`), in that order. */
export function copyColumns<T extends PgTable>(table: T, keys: readonly string[]): CopyColumn[] {
  const all = getTableColumns(table) as Record<string, { name: string; getSQLType(): string }>;
  return keys.map((key) => {
    const column = all[key];
    if (!column) throw new Error(`No column ${key}`);
    return { key, name: column.name, type: column.getSQLType() };
  });
}

/** One row as a COPY text line, newline included; an unset value is NULL. */
export function copyLine(columns: readonly CopyColumn[], record: Record<string, unknown>): string {
  // Plain loop and one growing string: this runs for every row of a bulk load.
  let text = '';
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    if (i > 0) text += '\t';
    text += field(record[c.key], c.type);
  }
  return `${text}\n`;
}

/**
 * COPY text for `rows` (drizzle insert objects of `table`). Columns no row sets are left out, so
 * the target's defaults apply to them, unless `allColumns` (a fixed column list for a file written
 * in parts): then an unset value is NULL.
 */
export function copyText<T extends PgTable>(table: T, rows: ReadonlyArray<T['$inferInsert']>, options: { allColumns?: boolean } = {}): CopyText {
  const records = rows as ReadonlyArray<Record<string, unknown>>;
  const keys = Object.keys(getTableColumns(table)).filter((key) => options.allColumns || records.some((row) => row[key] !== undefined));
  const columns = copyColumns(table, keys);
  let text = '';
  for (const record of records) text += copyLine(columns, record);
  return { columns: columns.map((c) => c.name), text };
}
