// Bulk writes as one bound parameter: rows travel as a JSON array and `jsonb_to_recordset` turns
// them back into typed columns. This sidesteps the 65,535-parameter cap of multi-row VALUES,
// works identically on postgres.js and PGlite, and carries array and jsonb columns unchanged.
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

export interface Recordset {
  /** `"col_a", "col_b", ...` in table order. */
  columnList: SQL;
  /** `jsonb_to_recordset($1::jsonb) AS x("col_a" text, ...)` */
  source: SQL;
  /** The column names in table order. */
  columns: string[];
}

/** Rows given as drizzle insert objects (camelCase keys) for `table`. */
export function recordset<T extends PgTable>(table: T, rows: ReadonlyArray<T['$inferInsert']>): Recordset {
  // Only the columns some row sets; the others keep their database defaults (ingested_at ...).
  const present = new Set<string>();
  for (const row of rows) for (const [key, value] of Object.entries(row)) if (value !== undefined) present.add(key);
  const definitions = Object.entries(getTableColumns(table)).filter(([key]) => present.has(key));
  const json = rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [key, column] of definitions) {
      const value = (row as Record<string, unknown>)[key];
      if (value !== undefined) out[column.name] = value instanceof Date ? value.toISOString() : value;
    }
    return out;
  });
  const columns = definitions.map(([, column]) => column.name);
  const typed = definitions.map(([, column]) => `"${column.name}" ${column.getSQLType()}`).join(', ');
  return {
    columns,
    columnList: sql.raw(columns.map((name) => `"${name}"`).join(', ')),
    source: sql`jsonb_to_recordset(${JSON.stringify(json)}::jsonb) AS x(${sql.raw(typed)})`,
  };
}
