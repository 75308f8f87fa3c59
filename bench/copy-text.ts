// Rows in Postgres COPY text format: tab-separated, one row a line, NULL as \N, and backslash,
// tab, newline and carriage return escaped. Arrays as array literals, jsonb as JSON text.
import { getTableColumns, type Table } from 'drizzle-orm';

export function escapeCopy(text: string): string {
  return text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

function arrayLiteral(values: readonly unknown[]): string {
  const items = values.map((v) => (v === null || v === undefined ? 'NULL' : `"${String(v).replace(/["\\]/g, (c) => `\\${c}`)}"`));
  return `{${items.join(',')}}`;
}

export function copyField(value: unknown, columnType: string): string {
  if (value === null || value === undefined) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (columnType === 'PgArray' && Array.isArray(value)) return escapeCopy(arrayLiteral(value));
  if (typeof value === 'object') return escapeCopy(JSON.stringify(value));
  return escapeCopy(String(value));
}

export interface CopyEncoder {
  /** The column list for `COPY t (...)`, quoted. */
  columnList: string;
  /** One row (keyed by the drizzle property names) as a COPY text line, with its newline. */
  line(row: Record<string, unknown>): string;
}

/**
 * An encoder for every column of `table`. `fill` supplies values the row leaves undefined (the
 * columns the real table fills by default, e.g. ingested_at).
 */
export function copyEncoder(table: Table, fill: Record<string, unknown> = {}): CopyEncoder {
  const columns = Object.entries(getTableColumns(table)).map(([key, column]) => ({ key, name: column.name, type: column.columnType }));
  return {
    columnList: columns.map((c) => `"${c.name}"`).join(', '),
    line(row) {
      return `${columns.map((c) => copyField(row[c.key] ?? fill[c.key], c.type)).join('\t')}\n`;
    },
  };
}
