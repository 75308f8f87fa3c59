// Keeps `signin_user_sets` (see db/schema.ts) in step with the sign-ins: which user sets a
// sign-in puts its user in, the user numbers the bitmaps are indexed by, and the bitmaps
// themselves. New sign-ins are OR-ed in (a bitmap only ever gains users that way); an hour in which
// a stored sign-in changed is rebuilt from its raw rows, since a change can take a user out of a
// set, and its day and runs of days from that.
import { sql, type SQL } from 'drizzle-orm';
import type { BulkTransaction, Db } from '../../db/client.js';

export const CHUNK_BITS = 4096;
const CHUNK_BYTES = CHUNK_BITS / 8;
const QUARTER_MS = 900_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The level name addToUserSets files quarter-hour bitmaps under (they go to their own table). */
const QUARTER = 'quarter';

/** The outcome fields that decide a sign-in's sets. */
export interface SetFacts {
  mfaRequired: string;
  mfaOutcome: string;
  mfaResultCode?: string | null | undefined;
  mfaResultDetail?: string | null | undefined;
  mfaMethod?: string | null | undefined;
  onpremComponent?: string | null | undefined;
  ipAddress?: string | null | undefined;
}

/** A failure reason as a set key: its code, or "other:<raw result>" for unrecognised results. */
export function reasonSetKey(code: string | null | undefined, detail: string | null | undefined): string {
  const c = code || 'none';
  return c === 'other' ? `other:${detail ?? ''}` : c;
}

export function reasonOfSetKey(key: string): { code: string; detail: string | null } {
  return key.startsWith('other:') ? { code: 'other', detail: key.slice('other:'.length) } : { code: key, detail: null };
}

/** Every kind of user set (documented on the table). */
export const SET_KINDS = ['all', 'challenged', 'failed', 'method', 'reason', 'nps'] as const;
export type SetKind = (typeof SET_KINDS)[number];

/** The [kind, key] sets a sign-in's user belongs to. */
export function setsOf(row: SetFacts): Array<[SetKind, string]> {
  const sets: Array<[SetKind, string]> = [['all', '']];
  // NPS hosts are told apart by the address the sign-in came from.
  if (row.onpremComponent === 'nps') sets.push(['nps', row.ipAddress ?? '']);
  if (row.mfaRequired !== 'yes') return sets;
  sets.push(['challenged', '']);
  if (row.mfaOutcome === 'denied' || row.mfaOutcome === 'interrupted') {
    sets.push(['failed', ''], ['reason', reasonSetKey(row.mfaResultCode, row.mfaResultDetail)]);
  }
  if (row.mfaMethod) sets.push(['method', row.mfaMethod]);
  return sets;
}

/** Bitmap chunks keyed by set and chunk number, with bit i of a chunk set for user chunk*4096+i. */
class UserBitmaps {
  readonly chunks = new Map<string, { kind: string; key: string; chunk: number; bytes: Uint8Array }>();

  add(kind: string, key: string, num: number): void {
    const chunk = Math.floor(num / CHUNK_BITS);
    const id = `${kind}\u0000${key}\u0000${chunk}`;
    let entry = this.chunks.get(id);
    if (!entry) {
      entry = { kind, key, chunk, bytes: new Uint8Array(CHUNK_BYTES) };
      this.chunks.set(id, entry);
    }
    const bit = num % CHUNK_BITS;
    entry.bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  }
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

/** A sign-in as the sets need it: when, whose (user number) and its outcome fields. */
export interface SetMember extends SetFacts {
  createdAt: Date;
  num: number;
}

/**
 * Numbers for `keys`, handing out new ones for keys never seen. Runs inside the sign-in writers'
 * lock, so only unseen keys consume numbers and the bitmaps stay dense.
 */
export async function numberUsers(tx: BulkTransaction, keys: Iterable<string>): Promise<Map<string, number>> {
  const wanted = [...new Set(keys)];
  if (wanted.length === 0) return new Map();
  // One statement: the SELECT half sees the table as it was before the INSERT, so the two halves
  // never name a key twice.
  const rows = await tx.rows<{ user_key: string; num: number }>(sql`
    WITH "wanted" AS (SELECT DISTINCT "k" FROM unnest(${sql.param(wanted)}::text[]) AS "k"),
    "added" AS (
      INSERT INTO "user_numbers" ("user_key")
      SELECT "k" FROM "wanted" WHERE NOT EXISTS (SELECT 1 FROM "user_numbers" u WHERE u."user_key" = "k")
      ORDER BY "k"
      RETURNING "user_key", "num")
    SELECT "user_key", "num" FROM "added"
    UNION ALL
    SELECT u."user_key", u."num" FROM "user_numbers" u JOIN "wanted" ON u."user_key" = "wanted"."k"`);
  return new Map(rows.map((r) => [r.user_key, Number(r.num)]));
}

const startOf = (at: Date, unit: number) => new Date(Math.floor(at.getTime() / unit) * unit);

/**
 * Runs of UTC days the sets are also kept for, aligned to multiples of their length counted from
 * 1970-01-01: a 30-day period reads about 7 runs' bitmaps instead of 30 days' (the OR over the
 * stored chunks is most of a distinct-user count's cost).
 */
const DAY_RUNS = [2, 4, 8, 16] as const;
const DAY_LEVELS = [1, ...DAY_RUNS] as const;
const LONGEST_FIRST = [...DAY_LEVELS].reverse();

/** The level name of a run of `days` UTC days ('day' for one). */
export const dayLevel = (days: number) => (days === 1 ? 'day' : `days${days}`);

/** Every level made of whole days: 'day', 'days2', … 'days16'. */
export const USER_SET_DAY_LEVELS = DAY_LEVELS.map(dayLevel);

/**
 * The stored runs of days that make up [from, to) (both UTC midnights), longest first where
 * aligned: what a reader ORs for the whole days of a period.
 */
export function dayRunsCovering(from: Date, to: Date): Array<{ level: string; start: Date }> {
  const runs: Array<{ level: string; start: Date }> = [];
  let day = Math.round(from.getTime() / DAY_MS);
  const end = Math.round(to.getTime() / DAY_MS);
  while (day < end) {
    const length = LONGEST_FIRST.find((n) => day % n === 0 && day + n <= end)!;
    runs.push({ level: dayLevel(length), start: new Date(day * DAY_MS) });
    day += length;
  }
  return runs;
}

/**
 * OR-s the members into their quarter hour's (`signin_quarter_user_sets`), their hour's, their
 * UTC day's and their runs of days' bitmaps.
 */
export async function addToUserSets(tx: BulkTransaction, members: ReadonlyArray<SetMember>): Promise<void> {
  const byStart = new Map<string, { level: string; start: Date; bitmaps: UserBitmaps }>();
  const bitmapsFor = (level: string, start: Date) => {
    const id = `${level}${start.getTime()}`;
    let entry = byStart.get(id);
    if (!entry) byStart.set(id, (entry = { level, start, bitmaps: new UserBitmaps() }));
    return entry.bitmaps;
  };
  for (const member of members) {
    const targets = [
      bitmapsFor(QUARTER, startOf(member.createdAt, QUARTER_MS)),
      bitmapsFor('hour', startOf(member.createdAt, HOUR_MS)),
      ...DAY_LEVELS.map((days) => bitmapsFor(dayLevel(days), startOf(member.createdAt, days * DAY_MS))),
    ];
    for (const [kind, key] of setsOf(member)) for (const bitmaps of targets) bitmaps.add(kind, key, member.num);
  }
  const rows = [...byStart.values()].flatMap(({ level, start, bitmaps }) =>
    [...bitmaps.chunks.values()].map((c) => ({ level, start: start.toISOString(), kind: c.kind, key: c.key, chunk: c.chunk, bits: hex(c.bytes) })),
  );
  // A batch touches a few quarters', hours' and days' sets: hundreds of rows, a statement per table.
  await orIntoSets(tx, 'signin_quarter_user_sets', rows.filter((row) => row.level === QUARTER));
  await orIntoSets(tx, 'signin_user_sets', rows.filter((row) => row.level !== QUARTER));
}

interface SetRow {
  level: string;
  start: string;
  kind: string;
  key: string;
  chunk: number;
  /** The chunk's bits as hex. */
  bits: string;
}

/**
 * Upserts bitmap chunks, OR-ing each into the stored one. The quarter-hour table has no level
 * column (it holds one level); both are keyed (level,) kind, start, key, chunk, and rows go in
 * in that order.
 */
async function orIntoSets(tx: BulkTransaction, table: 'signin_quarter_user_sets' | 'signin_user_sets', rows: readonly SetRow[]): Promise<void> {
  if (rows.length === 0) return;
  const column = <K extends keyof SetRow>(key: K) => sql.param(rows.map((row) => row[key]));
  const levels = table === 'signin_user_sets';
  const keyColumns = sql.raw(`${levels ? '"level", ' : ''}"kind", "start", "key", "chunk"`);
  await tx.db.execute(sql`
    INSERT INTO ${sql.identifier(table)} (${keyColumns}, "bits")
    SELECT ${keyColumns}, ('x' || "bits")::bit(4096)
    FROM unnest(${column('level')}::text[], ${column('start')}::text[]::timestamptz[], ${column('kind')}::text[], ${column('key')}::text[],
                ${column('chunk')}::int[], ${column('bits')}::text[]) AS r("level", "start", "kind", "key", "chunk", "bits")
    ORDER BY ${keyColumns}
    ON CONFLICT (${keyColumns}) DO UPDATE SET "bits" = ${sql.identifier(table)}."bits" | excluded."bits"`);
}

/** Rebuilds the bitmaps of `hours` (hour starts) and their quarters from the raw sign-ins, then their days'. */
export async function rebuildUserSets(tx: BulkTransaction, hours: ReadonlyArray<Date>): Promise<void> {
  if (hours.length === 0) return;
  const starts = [...new Set(hours.map((h) => startOf(h, HOUR_MS).toISOString()))];
  const days = [...new Set(starts.map((h) => startOf(new Date(h), DAY_MS).toISOString()))];
  const hourList = sql.param(starts);
  const members = await tx.rows<{ quarter: string | Date; num: number } & Record<string, string | null>>(sql`
    SELECT date_bin('15 minutes', s."created_at", TIMESTAMPTZ '2000-01-01 00:00:00+00') AS "quarter", n."num", s."mfa_required", s."mfa_outcome",
           s."mfa_result_code", s."mfa_result_detail", s."mfa_method",
           s."onprem_component", s."ip_address"
    FROM unnest(${hourList}::text[]::timestamptz[]) AS h("start")
    JOIN "signins" s ON s."created_at" >= h."start" AND s."created_at" < h."start" + interval '1 hour'
    JOIN "user_numbers" n ON n."user_key" = coalesce(s."user_id", s."upn")`);
  await tx.db.execute(sql`DELETE FROM "signin_user_sets" WHERE "level" = 'hour' AND "start" = ANY(${hourList}::text[]::timestamptz[])`);
  await tx.db.execute(sql`
    DELETE FROM "signin_quarter_user_sets" u
    USING unnest(${hourList}::text[]::timestamptz[]) AS h("start")
    WHERE u."start" >= h."start" AND u."start" < h."start" + interval '1 hour' AND ${withinRuns(starts, '1 hour')}`);
  // Only the quarter and hour levels are rebuilt from raw rows; addToUserSets then puts them into
  // those (and harmlessly into the days, which are rebuilt from the hours next).
  await addToUserSets(
    tx,
    members.map((m) => ({
      createdAt: new Date(m.quarter),
      num: Number(m.num),
      mfaRequired: m.mfa_required!,
      mfaOutcome: m.mfa_outcome!,
      mfaResultCode: m.mfa_result_code,
      mfaResultDetail: m.mfa_result_detail,
      mfaMethod: m.mfa_method,
      onpremComponent: m.onprem_component,
      ipAddress: m.ip_address,
    })),
  );
  const dayList = sql.param(days);
  await tx.db.execute(sql`DELETE FROM "signin_user_sets" WHERE "level" = 'day' AND "start" = ANY(${dayList}::text[]::timestamptz[])`);
  await tx.db.execute(sql`
    INSERT INTO "signin_user_sets" ("level", "start", "kind", "key", "chunk", "bits")
    SELECT 'day', d."start", u."kind", u."key", u."chunk", bit_or(u."bits")
    FROM unnest(${dayList}::text[]::timestamptz[]) AS d("start")
    JOIN "signin_user_sets" u ON u."level" = 'hour' AND u."start" >= d."start" AND u."start" < d."start" + interval '1 day'
    WHERE ${withinRuns(days, '1 day')}
    GROUP BY 2, 3, 4, 5`);
  await rebuildDayRuns(tx.db, days.map((d) => new Date(d)));
}

/**
 * The sets `u` of the runs starting at `starts` (ISO strings) and lasting `length`, as constant
 * bounds on the primary key (level, kind, start, ...). Joined with the starts alone, Postgres read
 * the whole level (every stored hour: 0.7 s at 10M sign-ins, for each rebuilt day).
 */
function withinRuns(starts: readonly string[], length: string): SQL {
  const sorted = [...starts].sort();
  return sql`u."kind" = ANY(${sql.param([...SET_KINDS])}::text[])
    AND u."start" >= ${sorted[0]}::timestamptz AND u."start" < ${sorted[sorted.length - 1]}::timestamptz + ${length}::interval`;
}

/**
 * Rebuilds the runs of days holding `days` (after a day was rebuilt, or dropped by retention),
 * shortest first, each from the two runs of half its length: two sets per chunk, not up to
 * sixteen days' (a run of 16 days rebuilt from its 15 kept days took 0.47 s at 10M sign-ins).
 * The half holding a changed day was rebuilt just before; the other half holds none of them.
 * A row a concurrent writer added meanwhile is OR-ed with, not lost. With `startingBefore`, only
 * the runs that start before it (retention's cut: a run starting at the cut lost no day).
 */
export async function rebuildDayRuns(db: Db, days: ReadonlyArray<Date>, options: { startingBefore?: Date } = {}): Promise<void> {
  if (days.length === 0) return;
  for (const length of DAY_RUNS) {
    const starts = [...new Set(days.map((d) => startOf(d, length * DAY_MS)))]
      .filter((start) => !options.startingBefore || start < options.startingBefore)
      .map((start) => start.toISOString());
    if (starts.length === 0) continue;
    const level = dayLevel(length);
    await db.execute(sql`
      DELETE FROM "signin_user_sets"
      WHERE "level" = ${level} AND "kind" = ANY(${sql.param([...SET_KINDS])}::text[]) AND "start" = ANY(${sql.param(starts)}::text[]::timestamptz[])`);
    await db.execute(sql`
      INSERT INTO "signin_user_sets" ("level", "start", "kind", "key", "chunk", "bits")
      SELECT ${level}, r."start", u."kind", u."key", u."chunk", bit_or(u."bits")
      FROM unnest(${sql.param(starts)}::text[]::timestamptz[]) AS r("start")
      JOIN "signin_user_sets" u ON u."level" = ${dayLevel(length / 2)} AND u."start" >= r."start" AND u."start" < r."start" + ${`${length} days`}::interval
      WHERE ${withinRuns(starts, `${length} days`)}
      GROUP BY 2, 3, 4, 5
      ON CONFLICT ("level", "kind", "start", "key", "chunk") DO UPDATE SET "bits" = "signin_user_sets"."bits" | excluded."bits"`);
  }
}
