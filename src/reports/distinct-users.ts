// Exact distinct-user counts for any period without scanning its sign-ins: whole UTC days and
// whole hours come from the `signin_user_sets` bitmaps, the partial hours at either edge from the
// raw rows, turned into bitmaps of the same shape. Postgres ORs them per chunk and counts the bits,
// so only one number per set comes back (not megabytes of bit strings).
import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { CHUNK_BITS, type SetKind } from '../ingest/user-sets.js';
import type { Period } from '../time/period.js';
import { splitPeriod, within, type TimeRange } from './hour-split.js';


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
  const wanted = sql.param([...new Set(kinds)]);
  const stored = [...(days ? [setsIn('day', days)] : []), ...hours.map((h) => setsIn('hour', h))];
  const inEdges = edges.length === 0 ? sql`false` : sql.join(edges.map((r) => sql`(${within('created_at', r)})`), sql` OR `);
  const rows = await store.rows<{ kind: string; key: string; users: number }>(sql`
    WITH "edge" AS (
      -- A primary-key probe per edge row (a subquery in the select list is not turned into a join):
      -- a join would hash every user number (100,000 at scale) for a partial hour's few thousand rows.
      SELECT (SELECT n."num" FROM "user_numbers" n WHERE n."user_key" = coalesce(s."user_id", s."upn")) AS "num",
             s."mfa_required", s."mfa_outcome", s."mfa_result_code", s."mfa_result_detail", s."mfa_method", s."onprem_component", s."ip_address"
      FROM "signins" s
      WHERE ${inEdges}),
    "chunks" AS (
      SELECT "kind", "key", "chunk", "bits" FROM "signin_user_sets"
      WHERE "kind" = ANY(${wanted}::text[]) AND (${stored.length === 0 ? sql`false` : sql.join(stored, sql` OR `)})
      UNION ALL
      SELECT "kind", "key", "num" / ${CHUNK_BITS}, set_bit(repeat('0', ${CHUNK_BITS})::bit(${sql.raw(String(CHUNK_BITS))}), "num" % ${CHUNK_BITS}, 1)
      FROM (${EDGE_SETS}) AS e
      WHERE "num" IS NOT NULL AND "kind" = ANY(${wanted}::text[]))
    SELECT "kind", "key", sum("users")::int AS "users"
    FROM (SELECT "kind", "key", "chunk", bit_count(bit_or("bits")) AS "users" FROM "chunks" GROUP BY 1, 2, 3) AS c
    GROUP BY 1, 2
    HAVING sum("users") > 0`);
  return new Map(rows.map((r) => [`${r.kind}\u0000${r.key}`, Number(r.users)]));
}

function setsIn(level: 'hour' | 'day', range: TimeRange): SQL {
  return sql`("level" = ${level} AND ${within('start', range)})`;
}

/** The count for one set, 0 when nobody is in it. */
export function usersIn(counts: Map<string, number>, kind: SetKind, key = ''): number {
  return counts.get(`${kind}\u0000${key}`) ?? 0;
}
