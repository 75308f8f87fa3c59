// Exact distinct-user counts for any period without scanning its sign-ins: whole UTC days and
// whole hours come from the `signin_user_sets` bitmaps, the partial hours at either edge from the
// raw rows; the union is taken in memory and its bits counted.
import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { setsOf, UserBitmaps } from '../ingest/user-sets.js';
import type { Period } from '../time/period.js';
import { splitPeriod, type TimeRange } from './hour-split.js';


/** The user-set kinds a report asks for: 'all', 'challenged', 'failed', 'method', 'reason', 'nps'. */
export type SetKind = 'all' | 'challenged' | 'failed' | 'method' | 'reason' | 'nps';

/** Distinct users per set in `period`: "kind\u0000key" -> users (sets with none are absent). */
export async function distinctUsers(store: Store, period: Period, kinds: readonly SetKind[]): Promise<Map<string, number>> {
  const { days, hours, edges } = splitPeriod(period);
  const bitmaps = new UserBitmaps();
  const wanted = new Set<string>(kinds);
  const stored = [...(days ? [setsIn('day', days)] : []), ...hours.map((h) => setsIn('hour', h))];
  const [chunks] = await Promise.all([
    stored.length === 0
      ? []
      : store.rows<{ kind: string; key: string; chunk: number; bits: string }>(sql`
          SELECT "kind", "key", "chunk", bit_or("bits")::text AS "bits"
          FROM "signin_user_sets"
          WHERE "kind" = ANY(${sql.param([...wanted])}::text[]) AND (${sql.join(stored, sql` OR `)})
          GROUP BY 1, 2, 3`),
    addRawMembers(store, bitmaps, wanted, edges),
  ]);
  for (const c of chunks) bitmaps.addBitString(c.kind, c.key, Number(c.chunk), c.bits);
  return bitmaps.counts();
}

function setsIn(level: 'hour' | 'day', range: TimeRange): SQL {
  return sql`("level" = ${level} AND "start" >= ${range.from.toISOString()}::timestamptz AND "start" < ${range.to.toISOString()}::timestamptz)`;
}

/** The sign-ins of the ranges (the partial hours at the period's edges, or one short period). */
async function addRawMembers(store: Store, bitmaps: UserBitmaps, wanted: Set<string>, ranges: readonly TimeRange[]): Promise<void> {
  if (ranges.length === 0) return;
  const inRanges = sql.join(
    ranges.map((r) => sql`(s."created_at" >= ${r.from.toISOString()}::timestamptz AND s."created_at" < ${r.to.toISOString()}::timestamptz)`),
    sql` OR `,
  );
  const rows = await store.rows<{ num: number | null; mfa_required: string; mfa_outcome: string; mfa_result_code: string | null; mfa_result_detail: string | null; mfa_method: string | null; onprem_component: string | null; ip_address: string | null }>(sql`
    -- A primary-key probe per edge row (a subquery in the select list is not turned into a join):
    -- a join would hash every user number (100,000 at scale) for a partial hour's few thousand rows.
    SELECT (SELECT n."num" FROM "user_numbers" n WHERE n."user_key" = coalesce(s."user_id", s."upn")) AS "num",
           s."mfa_required", s."mfa_outcome", s."mfa_result_code", s."mfa_result_detail", s."mfa_method", s."onprem_component", s."ip_address"
    FROM "signins" s
    WHERE ${inRanges}`);
  for (const row of rows) {
    if (row.num === null) continue; // a sign-in without a user is in no user's set
    const facts = {
      mfaRequired: row.mfa_required,
      mfaOutcome: row.mfa_outcome,
      mfaResultCode: row.mfa_result_code,
      mfaResultDetail: row.mfa_result_detail,
      mfaMethod: row.mfa_method,
      onpremComponent: row.onprem_component,
      ipAddress: row.ip_address,
    };
    for (const [kind, key] of setsOf(facts)) if (wanted.has(kind)) bitmaps.add(kind, key, Number(row.num));
  }
}

/** The count for one set, 0 when nobody is in it. */
export function usersIn(counts: Map<string, number>, kind: SetKind, key = ''): number {
  return counts.get(`${kind}\u0000${key}`) ?? 0;
}
