// Upserts normalised sign-ins with their Conditional Access rows and keeps the hourly rollup in
// step, all in one transaction: a reader never sees raw rows and rollup disagree.
import { getTableColumns, sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { ensureDailyPartitions, utcDay } from '../../db/partitions.js';
import { copyText } from '../../db/copy-text.js';
import { signinCaPolicies, signins } from '../../db/schema.js';
import type { normaliseSignin } from './graph-signin.js';
import { keepPromptFlows } from './prompt-flows.js';
import { refreshHourlyRollup } from './refresh-hourly-rollup.js';
import { addUserSigninBounds } from './user-signin-bounds.js';
import { addToUserSets, numberUsers, rebuildUserSets } from './user-sets.js';

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

/** Serialises sign-in writers: user numbers stay dense and the rollups see one writer at a time. */
const SIGNIN_WRITE_LOCK = 7_316_202_613;

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
  const signinCopy = copyText(signins, rows);
  const policyCopy = copyText(signinCaPolicies, policies);
  const columnList = (columns: string[]) => sql.raw(columns.map((name) => `"${name}"`).join(', '));

  return store.bulk(async (tx) => {
    await tx.db.execute(sql`select pg_advisory_xact_lock(${SIGNIN_WRITE_LOCK})`);
    // Rows arrive by COPY into a staging table: far cheaper to parse than bound parameters.
    await tx.db.execute(sql`CREATE TEMP TABLE "incoming_signins" (LIKE "signins" INCLUDING DEFAULTS) ON COMMIT DROP`);
    await tx.copyIn('incoming_signins', signinCopy.columns, signinCopy.text);
    const incoming = columnList(signinCopy.columns);
    // The keys written (inserted, or stored but changed), for the per-flow and per-user rollups.
    await tx.db.execute(sql`CREATE TEMP TABLE "written_signins" ("id" text, "created_at" timestamptz) ON COMMIT DROP`);
    // One statement. Every part sees the table as it was before the statement, so `existing`
    // holds the keys already stored (partitioned tables cannot return xmax to tell an insert from
    // an update) and `changed` the hours where a stored sign-in was rewritten. The sign-ins'
    // policy rows are replaced. `changed_flows` are the flows, old and new, of rewritten sign-ins.
    const [counts] = await tx.rows<{ existing: number; written: number; changed_hours: Array<string | Date> | null; changed_flows: string[] | null }>(sql`
      WITH existing AS MATERIALIZED (
        SELECT s."id", s."created_at", coalesce(s."correlation_id", s."id") AS "flow" FROM "signins" s JOIN "incoming_signins" x ON s."id" = x."id" AND s."created_at" = x."created_at"
        WHERE ${inSpan('s."created_at"')}),
      written AS (
        INSERT INTO "signins" (${incoming}) SELECT ${incoming} FROM "incoming_signins"
        ON CONFLICT ("id", "created_at") DO UPDATE SET ${assignments} WHERE ${changed}
        RETURNING "id", "created_at", coalesce("correlation_id", "id") AS "flow"),
      kept AS (INSERT INTO "written_signins" ("id", "created_at") SELECT "id", "created_at" FROM written),
      replaced AS (
        DELETE FROM "signin_ca_policies" p USING "incoming_signins" x
        WHERE p."signin_id" = x."id" AND p."signin_created_at" = x."created_at" AND ${inSpan('p."signin_created_at"')}
        RETURNING 1)
      SELECT (SELECT count(*)::int FROM existing) AS existing, (SELECT count(*)::int FROM written) AS written,
             (SELECT to_json(array_agg(DISTINCT date_trunc('hour', w."created_at", 'UTC')))
                FROM written w JOIN existing e ON e."id" = w."id" AND e."created_at" = w."created_at") AS changed_hours,
             (SELECT to_json(array_agg(DISTINCT f."flow")) FROM (
                SELECT e."flow" FROM written w JOIN existing e ON e."id" = w."id" AND e."created_at" = w."created_at"
                UNION SELECT w."flow" FROM written w JOIN existing e ON e."id" = w."id" AND e."created_at" = w."created_at") AS f) AS changed_flows,
             (SELECT count(*)::int FROM replaced) AS replaced`);
    const written = Number(counts?.written ?? 0);
    const inserted = unique.length - Number(counts?.existing ?? 0);
    const updated = written - inserted;

    if (policies.length > 0) {
      await tx.db.execute(sql`CREATE TEMP TABLE "incoming_policies" (LIKE "signin_ca_policies" INCLUDING DEFAULTS) ON COMMIT DROP`);
      await tx.copyIn('incoming_policies', policyCopy.columns, policyCopy.text);
      const policyColumns = columnList(policyCopy.columns);
      await tx.db.execute(sql`
        INSERT INTO "signin_ca_policies" (${policyColumns}) SELECT ${policyColumns} FROM "incoming_policies"
        ON CONFLICT DO NOTHING`);
      await tx.db.execute(sql`DROP TABLE "incoming_policies"`);
    }
    await addUserSigninBounds(tx);
    await keepPromptFlows(tx, counts?.changed_flows ?? []);
    await tx.db.execute(sql`DROP TABLE "written_signins"`);
    await tx.db.execute(sql`DROP TABLE "incoming_signins"`);

    // OR-ing every row in is idempotent, so unchanged re-deliveries cost nothing but time; hours
    // where a stored sign-in changed are rebuilt, as the change may take a user out of a set.
    // The user key is coalesce(user_id, upn), as in every per-user query.
    const userKey = (row: (typeof rows)[number]) => row.userId ?? row.upn ?? null;
    const withUser = rows.filter((row) => userKey(row) !== null);
    const numbers = await numberUsers(tx, withUser.map((row) => userKey(row)!));
    await addToUserSets(tx, withUser.map((row) => ({ ...row, num: numbers.get(userKey(row)!)! })));
    await rebuildUserSets(tx, (counts?.changed_hours ?? []).map((hour) => new Date(hour)));

    if ((options.rollup ?? 'now') === 'now' && written > 0) {
      await refreshHourlyRollup(tx.db, first, last);
    }
    return { inserted, updated, unchanged: unique.length - written };
  });
}
