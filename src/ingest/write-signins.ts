// Upserts normalised sign-ins with their Conditional Access rows and keeps the hourly rollup in
// step, all in one transaction: a reader never sees raw rows and rollup disagree.
import { getTableColumns, sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { ensureDailyPartitions, utcDay } from '../../db/partitions.js';
import { recordset } from '../../db/recordset.js';
import { signinCaPolicies, signins } from '../../db/schema.js';
import type { normaliseSignin } from './graph-signin.js';
import { refreshHourlyRollup } from './refresh-hourly-rollup.js';

/** A sign-in as `normaliseSignin` returns it. */
export type NormalisedSignin = ReturnType<typeof normaliseSignin>;

export interface WriteResult {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface WriteOptions {
  /** 'now' (default) recomputes the touched hours in the same transaction; 'deferred' leaves it to the caller (bulk seeding). */
  rollup?: 'now' | 'deferred';
}

// Columns compared to decide whether a re-delivered record changed (everything but bookkeeping).
const comparedColumns = Object.values(getTableColumns(signins))
  .map((column) => column.name)
  .filter((name) => name !== 'ingested_at' && name !== 'source');

const assignments = sql.raw(
  Object.values(getTableColumns(signins))
    .map((column) => column.name)
    .filter((name) => name !== 'id' && name !== 'created_at')
    .map((name) => `"${name}" = excluded."${name}"`)
    .join(', '),
);
const changed = sql.raw(
  `(${comparedColumns.map((n) => `"signins"."${n}"`).join(', ')}) IS DISTINCT FROM (${comparedColumns.map((n) => `excluded."${n}"`).join(', ')})`,
);

/** Inserts new sign-ins, updates changed ones (late MFA corrections), leaves identical ones alone. */
export async function writeSignins(store: Store, batch: ReadonlyArray<NormalisedSignin>, options: WriteOptions = {}): Promise<WriteResult> {
  if (batch.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  // A batch may carry the same sign-in twice (a page overlap); the last one wins.
  const byKey = new Map<string, NormalisedSignin>();
  for (const item of batch) byKey.set(`${item.row.id}\u0000${item.row.createdAt.toISOString()}`, item);
  const unique = [...byKey.values()];
  const rows = unique.map((item) => item.row);
  const policies = unique.flatMap((item) => item.policies);

  await ensureDailyPartitions(store, rows.map((row) => utcDay(row.createdAt)));

  const signinSet = recordset(signins, rows);
  const policySet = recordset(signinCaPolicies, policies);
  let first = rows[0]!.createdAt;
  let last = first;
  for (const row of rows) {
    if (row.createdAt < first) first = row.createdAt;
    if (row.createdAt > last) last = row.createdAt;
  }
  // The batch's time span lets the planner prune to the partitions it touches; without it every
  // join below would scan every day of sign-ins.
  const inSpan = (column: string) =>
    sql`${sql.raw(column)} BETWEEN ${first.toISOString()}::timestamptz AND ${last.toISOString()}::timestamptz`;

  return store.db.transaction(async (tx) => {
    // One statement, one parse of the batch. Every part sees the table as it was before the
    // statement, so `existing` counts the keys already stored: partitioned tables cannot return
    // xmax to tell an insert from an update. The sign-ins' policy rows are replaced.
    const [counts] = rowsOf<{ existing: number; written: number }>(
      await tx.execute(sql`
        WITH incoming AS MATERIALIZED (SELECT ${signinSet.columnList} FROM ${signinSet.source}),
        existing AS (
          SELECT count(*)::int AS n FROM "signins" s JOIN incoming x ON s."id" = x."id" AND s."created_at" = x."created_at"
          WHERE ${inSpan('s."created_at"')}),
        written AS (
          INSERT INTO "signins" (${signinSet.columnList}) SELECT ${signinSet.columnList} FROM incoming
          ON CONFLICT ("id", "created_at") DO UPDATE SET ${assignments} WHERE ${changed}
          RETURNING 1),
        replaced AS (
          DELETE FROM "signin_ca_policies" p USING incoming x
          WHERE p."signin_id" = x."id" AND p."signin_created_at" = x."created_at" AND ${inSpan('p."signin_created_at"')}
          RETURNING 1)
        SELECT (SELECT n FROM existing) AS existing, (SELECT count(*)::int FROM written) AS written,
               (SELECT count(*)::int FROM replaced) AS replaced`),
    );
    const written = Number(counts?.written ?? 0);
    const inserted = unique.length - Number(counts?.existing ?? 0);
    const updated = written - inserted;

    if (policies.length > 0) {
      await tx.execute(sql`
        INSERT INTO "signin_ca_policies" (${policySet.columnList})
        SELECT ${policySet.columnList} FROM ${policySet.source}
        ON CONFLICT DO NOTHING
      `);
    }
    if ((options.rollup ?? 'now') === 'now' && written > 0) {
      await refreshHourlyRollup(tx, first, last);
    }
    return { inserted, updated, unchanged: unique.length - written };
  });
}

/** postgres.js returns a row array, PGlite `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}
