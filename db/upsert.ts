// Insert-or-update of a batch on a plain (unpartitioned) table through one JSON parameter.
import { getTableName, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';
import { recordset } from './recordset.js';

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

type Executor = Pick<Db, 'execute'>;

/**
 * `key` names the conflict target (database column names). With `update: 'changed'` a stored row
 * is overwritten when any other column differs; with `update: 'never'` the first copy is kept
 * (history rows that never change once recorded).
 */
export async function upsertRows<T extends PgTable>(
  db: Executor,
  table: T,
  rows: ReadonlyArray<T['$inferInsert']>,
  options: { key: string[]; update: 'changed' | 'never'; ignore?: string[] },
): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const set = recordset(table, rows);
  const target = sql.raw(options.key.map((k) => `"${k}"`).join(', '));
  const ignored = new Set([...options.key, ...(options.ignore ?? [])]);
  const updatable = set.columns.filter((c) => !ignored.has(c));
  const name = `"${getTableName(table)}"`;
  let conflict = sql`ON CONFLICT (${target}) DO NOTHING`;
  if (options.update === 'changed' && updatable.length > 0) {
    const assign = sql.raw(updatable.map((c) => `"${c}" = excluded."${c}"`).join(', '));
    const stored = sql.raw(updatable.map((c) => `${name}."${c}"`).join(', '));
    const incoming = sql.raw(updatable.map((c) => `excluded."${c}"`).join(', '));
    conflict = sql`ON CONFLICT (${target}) DO UPDATE SET ${assign} WHERE (${stored}) IS DISTINCT FROM (${incoming})`;
  }
  const result = (await db.execute(sql`
    INSERT INTO ${sql.raw(name)} (${set.columnList})
    SELECT ${set.columnList} FROM ${set.source}
    ${conflict}
    RETURNING (xmax = 0) AS inserted`)) as unknown;
  const returned = (Array.isArray(result) ? result : (result as { rows: { inserted: boolean }[] }).rows) as { inserted: boolean }[];
  const inserted = returned.filter((r) => r.inserted).length;
  return { inserted, updated: returned.length - inserted, unchanged: rows.length - returned.length };
}
