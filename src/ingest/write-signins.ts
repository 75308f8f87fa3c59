// Upserts prepared sign-ins with their Conditional Access rows and keeps the per-user sets (and,
// unless deferred, the hourly rollup) in step, all in one transaction: a reader never sees raw rows
// and rollup disagree.
//
// The keys already stored are looked up first. New sign-ins, nearly all of them in a bulk load, go
// straight into `signins` by COPY; only re-delivered ones pass through a staging table and one
// INSERT … ON CONFLICT DO UPDATE … WHERE changed, which rewrites just the rows that differ.
import { getTableColumns, sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { ensureDailyPartitions, utcDay } from '../../db/partitions.js';
import { signins } from '../../db/schema.js';
import { POLICY_COPY_COLUMNS, SIGNIN_COPY_COLUMNS, type PreparedSignin } from './prepare-signin.js';
import { keepPromptFlows } from './prompt-flows.js';
import { refreshHourlyRollup } from './refresh-hourly-rollup.js';
import { addUserSigninBounds } from './user-signin-bounds.js';
import { addToUserSets, numberUsers, rebuildUserSets } from './user-sets.js';

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
  .filter((name) => name !== 'ingested_at' && name !== 'source' && name !== 'user_num');

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
/** The prepared line's columns, then the user's number (known only under the writers' lock). */
const WRITTEN_COLUMNS = [...SIGNIN_COPY_COLUMNS, 'user_num'];
const signinColumnList = sql.raw(WRITTEN_COLUMNS.map((name) => `"${name}"`).join(', '));

/** Serialises sign-in writers: user numbers stay dense and the rollups see one writer at a time. */
const SIGNIN_WRITE_LOCK = 7_316_202_613;

/** Inserts new sign-ins, updates changed ones (late MFA corrections), leaves identical ones alone. */
export async function writeSignins(store: Store, batch: ReadonlyArray<PreparedSignin>, options: WriteOptions = {}): Promise<WriteResult> {
  if (batch.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  // A batch may carry the same sign-in twice (a page overlap); the last one wins.
  const byKey = new Map<string, PreparedSignin>();
  for (const item of batch) byKey.set(item.key, item);
  const unique = [...byKey.values()];

  let first = unique[0]!.createdAt;
  let last = first;
  const days = new Set<string>();
  for (const item of unique) {
    if (item.createdAt < first) first = item.createdAt;
    if (item.createdAt > last) last = item.createdAt;
    days.add(utcDay(new Date(item.createdAt)));
  }
  await ensureDailyPartitions(store, days);
  // The batch's time span lets the planner prune to the partitions it touches; without it every
  // lookup below would probe every day of sign-ins.
  const inSpan = (column: string) =>
    sql`${sql.raw(column)} BETWEEN ${new Date(first).toISOString()}::timestamptz AND ${new Date(last).toISOString()}::timestamptz`;
  /** Sign-in keys as a relation k("id", "created_at"), to join on the primary key. */
  const keys = (items: ReadonlyArray<{ id: string; createdAt: number | string }>) =>
    sql`unnest(${sql.param(items.map((s) => s.id))}::text[], ${sql.param(items.map((s) => new Date(s.createdAt).toISOString()))}::text[]::timestamptz[]) AS k("id", "created_at")`;

  return store.bulk(async (tx) => {
    await tx.db.execute(sql`select pg_advisory_xact_lock(${SIGNIN_WRITE_LOCK})`);
    // Under the lock no other writer adds sign-ins, so what is stored now stays true until commit.
    const stored = await tx.rows<{ id: string; created_at: string | Date; flow: string }>(sql`
      SELECT s."id", s."created_at", coalesce(s."correlation_id", s."id") AS "flow" FROM "signins" s
      JOIN ${keys(unique)} ON s."id" = k."id" AND s."created_at" = k."created_at"
      WHERE ${inSpan('s."created_at"')}`);
    const storedFlows = new Map(stored.map((row) => [`${row.id}\u0000${new Date(row.created_at).toISOString()}`, row.flow]));
    const fresh = unique.filter((item) => !storedFlows.has(item.key));
    const again = unique.filter((item) => storedFlows.has(item.key));

    const withUser = unique.filter((item) => item.userKey !== null);
    const numbers = await numberUsers(tx, withUser.map((item) => item.userKey!));
    // The prepared line ends in a newline: the number goes in before it (\N when the sign-in names no user).
    const lineOf = (item: PreparedSignin) => {
      const num = item.userKey === null ? '\\N' : String(numbers.get(item.userKey)!);
      return `${item.line.slice(0, -1)}\t${num}\n`;
    };
    await tx.copyIn('signins', WRITTEN_COLUMNS, joinLines(fresh, lineOf));
    let updated = 0;
    let changedHours: Array<string | Date> = [];
    // The rewritten sign-ins' keys, and their flows before and after (for the prompt flows).
    const rewritten: Array<{ id: string; createdAt: string }> = [];
    const changedFlows = new Set<string>();
    if (again.length > 0) {
      await tx.db.execute(sql`CREATE TEMP TABLE "incoming_signins" (LIKE "signins" INCLUDING DEFAULTS) ON COMMIT DROP`);
      await tx.copyIn('incoming_signins', WRITTEN_COLUMNS, joinLines(again, lineOf));
      // Partitioned tables cannot return xmax to tell an insert from an update; every row here is
      // stored already, so whatever the statement writes is an update.
      const written = await tx.rows<{ id: string; created_at: string | Date; flow: string }>(sql`
        INSERT INTO "signins" (${signinColumnList}) SELECT ${signinColumnList} FROM "incoming_signins"
        ON CONFLICT ("id", "created_at") DO UPDATE SET ${assignments} WHERE ${changed}
        RETURNING "id", "created_at", coalesce("correlation_id", "id") AS "flow"`);
      updated = written.length;
      const hours = new Set<string>();
      for (const row of written) {
        const createdAt = new Date(row.created_at).toISOString();
        rewritten.push({ id: row.id, createdAt });
        hours.add(`${createdAt.slice(0, 13)}:00:00.000Z`);
        changedFlows.add(row.flow);
        changedFlows.add(storedFlows.get(`${row.id}\u0000${createdAt}`)!);
      }
      changedHours = [...hours];
      await tx.db.execute(sql`DROP TABLE "incoming_signins"`);
      // The re-delivered sign-ins' policy rows are replaced (a policy may have been added or renamed).
      await tx.db.execute(sql`
        DELETE FROM "signin_ca_policies" p
        USING ${keys(again)}
        WHERE p."signin_id" = k."id" AND p."signin_created_at" = k."created_at" AND ${inSpan('p."signin_created_at"')}`);
    }
    // No policy row of these sign-ins is stored now (new ones never had any, re-delivered ones'
    // were just deleted), and each sign-in lists a policy once: COPY cannot conflict.
    await tx.copyIn('signin_ca_policies', POLICY_COPY_COLUMNS, joinLines(unique, (item) => item.policyLines));

    // OR-ing every row in is idempotent, so unchanged re-deliveries cost nothing but time; hours
    // where a stored sign-in changed are rebuilt, as the change may take a user out of a set.
    await addToUserSets(tx, withUser.map((item) => ({ ...item.facts, createdAt: new Date(item.createdAt), num: numbers.get(item.userKey!)! })));
    await rebuildUserSets(tx, changedHours.map((hour) => new Date(hour)));

    // What was written (new, or stored and changed) feeds the per-user bounds and the prompt flows.
    const written = [...fresh, ...rewritten];
    if (written.length > 0) {
      await tx.db.execute(sql`
        CREATE TEMP TABLE "written_signins" ON COMMIT DROP AS
        SELECT s."id", s."created_at", s."user_id", s."upn", s."correlation_id", s."mfa_required", s."mfa_outcome", s."mfa_result_code"
        FROM "signins" s
        JOIN ${keys(written)} ON s."id" = k."id" AND s."created_at" = k."created_at"
        WHERE ${inSpan('s."created_at"')}`);
      await addUserSigninBounds(tx);
      await keepPromptFlows(tx, [...changedFlows]);
      await tx.db.execute(sql`DROP TABLE "written_signins"`);
    }

    if ((options.rollup ?? 'now') === 'now' && written.length > 0) {
      await refreshHourlyRollup(tx.db, new Date(first), new Date(last));
    }
    return { inserted: fresh.length, updated, unchanged: again.length - updated };
  });
}

const PIECE_CHARS = 64 * 1024;

/**
 * The items' COPY lines in pieces of about 64 kB: a batch's text joined into one string would be
 * megabytes, which V8 keeps in its large-object space until a full collection.
 */
function joinLines(items: readonly PreparedSignin[], text: (item: PreparedSignin) => string): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const item of items) {
    piece += text(item);
    if (piece.length >= PIECE_CHARS) {
      pieces.push(piece);
      piece = '';
    }
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}
