// Exact distinct-user counts for any period without scanning its sign-ins: whole UTC days (as
// aligned runs of 16, 8, 4, 2 and single days) and whole hours come from the `signin_user_sets`
// bitmaps, whole quarter hours from `signin_quarter_user_sets`, the minutes left at either edge
// from the raw rows. Postgres ORs the bitmaps per chunk and counts the bits, then adds the edge
// users the bitmaps lack, so only one number per set comes back (not megabytes of bit strings).
import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { CHUNK_BITS, dayRunsCovering, type SetKind } from '../ingest/user-sets.js';
import type { Period } from '../time/period.js';
import { splitPeriod, splitQuarters, within, type TimeRange } from './hour-split.js';


/**
 * The [kind, key] sets of an edge sign-in, as `setsOf` in src/ingest/user-sets.ts writes them (the
 * rollups-match-raw test holds the two to the raw counts).
 */
const EDGE_SETS = sql`
  SELECT 'all' AS "kind", '' AS "key", "num" FROM "edge"
  UNION ALL SELECT 'nps', coalesce("ip_address", ''), "num" FROM "edge" WHERE "onprem_component" = 'nps'
  UNION ALL SELECT 'challenged', '', "num" FROM "edge" WHERE "mfa_required" = 'yes'
  UNION ALL SELECT 'failed', '', "num" FROM "edge" WHERE "mfa_required" = 'yes' AND "mfa_outcome" IN ('denied', 'interrupted')
  UNION ALL SELECT 'reason', CASE WHEN coalesce(nullif("mfa_result_code", ''), 'none') = 'other' THEN 'other:' || coalesce("mfa_result_detail", '')
                                  ELSE coalesce(nullif("mfa_result_code", ''), 'none') END, "num"
    FROM "edge" WHERE "mfa_required" = 'yes' AND "mfa_outcome" IN ('denied', 'interrupted')
  UNION ALL SELECT 'method', "mfa_method", "num" FROM "edge" WHERE "mfa_required" = 'yes' AND coalesce("mfa_method", '') <> ''`;

/** Distinct users per set in `period`: "kind\u0000key" -> users (sets with none are absent). */
export async function distinctUsers(store: Store, period: Period, kinds: readonly SetKind[]): Promise<Map<string, number>> {
  const { days, hours, edges } = splitPeriod(period);
  const { quarters, raw } = splitQuarters(edges);
  const wanted = sql.param([...new Set(kinds)]);
  const stored = [...(days ? dayRunsIn(days) : []), ...hours.map((h) => sql`("level" = 'hour' AND ${within('start', h)})`)];
  const storedQuarters = quarters.map((q) => sql`SELECT "kind", "key", "chunk", "bits" FROM "signin_quarter_user_sets" WHERE "kind" = ANY(${wanted}::text[]) AND ${within('start', q)}`);
  const inEdges = raw.length === 0 ? sql`false` : sql.join(raw.map((r) => sql`(${within('created_at', r)})`), sql` OR `);
  const rows = await store.rows<{ kind: string; key: string; users: number }>(sql`
    WITH "edge" AS (
      -- The number written with the row; rows stored before it was are looked up (coalesce reads
      -- the subquery only for them: a lookup per row costs 5 µs, 100 ms over a busy hour's rows).
      SELECT coalesce(s."user_num", (SELECT n."num" FROM "user_numbers" n WHERE n."user_key" = coalesce(s."user_id", s."upn"))) AS "num",
             s."mfa_required", s."mfa_outcome", s."mfa_result_code", s."mfa_result_detail", s."mfa_method", s."onprem_component", s."ip_address"
      FROM "signins" s
      WHERE ${inEdges}),
    "stored" AS (
      SELECT "kind", "key", "chunk", bit_or("bits") AS "bits"
      FROM (
        SELECT "kind", "key", "chunk", "bits" FROM "signin_user_sets"
        WHERE "kind" = ANY(${wanted}::text[]) AND (${stored.length === 0 ? sql`false` : sql.join(stored, sql` OR `)})
        ${sql.join(storedQuarters.map((q) => sql`UNION ALL ${q}`), sql` `)}) AS "sets"
      GROUP BY 1, 2, 3)
    SELECT "kind", "key", sum("users")::int AS "users"
    FROM (
      SELECT "kind", "key", bit_count("bits") AS "users" FROM "stored"
      UNION ALL
      -- An edge user counts once more only when the stored bitmaps lack them: no bitmap is built per
      -- edge row (a busy partial hour holds tens of thousands), and only the few rows the bitmaps
      -- lack are made distinct (sorting all of them first took 10 ms of a 50 ms query).
      SELECT m."kind", m."key", count(DISTINCT m."num") FROM (${EDGE_SETS}) AS m
      LEFT JOIN "stored" s ON s."kind" = m."kind" AND s."key" = m."key" AND s."chunk" = m."num" / ${CHUNK_BITS}
      WHERE m."num" IS NOT NULL AND m."kind" = ANY(${wanted}::text[])
        AND (s."bits" IS NULL OR get_bit(s."bits", m."num" % ${CHUNK_BITS}) = 0)
      GROUP BY 1, 2) AS c
    GROUP BY 1, 2
    HAVING sum("users") > 0`);
  return new Map(rows.map((r) => [`${r.kind}\u0000${r.key}`, Number(r.users)]));
}

/** The stored runs of days (and single days) that make up whole days `range`, one condition per level. */
function dayRunsIn(range: TimeRange): SQL[] {
  const byLevel = new Map<string, string[]>();
  for (const run of dayRunsCovering(range.from, range.to)) byLevel.set(run.level, [...(byLevel.get(run.level) ?? []), run.start.toISOString()]);
  return [...byLevel].map(([level, starts]) => sql`("level" = ${level} AND "start" = ANY(${sql.param(starts)}::text[]::timestamptz[]))`);
}

/** The count for one set, 0 when nobody is in it. */
export function usersIn(counts: Map<string, number>, kind: SetKind, key = ''): number {
  return counts.get(`${kind}\u0000${key}`) ?? 0;
}
