// The distinct prompts of any period (sign-in flows with a prompted record in it) without reading
// its sign-ins: the flows that start in it, from `signin_prompt_hourly` for whole hours and
// `prompt_flows` for the partial hours at either edge, plus the flows that started before it and
// go on into it. A flow that spans the whole period without a prompted record inside it is checked
// against the raw rows.
import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import type { Period } from '../time/period.js';
import { splitPeriod, wholeHours, within } from './hour-split.js';
import { FLOW, PROMPTED } from './signin-predicates.js';

const HOUR_MS = 3_600_000;

export async function distinctPrompts(store: Store, period: Period): Promise<number> {
  const split = splitPeriod(period);
  const from = period.from.toISOString();
  const to = period.to.toISOString();
  const starting: SQL[] = [
    sql`SELECT 0 AS "n"`,
    ...wholeHours(split).map((r) => sql`SELECT coalesce(sum("flows"), 0)::int AS "n" FROM "signin_prompt_hourly" WHERE ${within('hour', r)}`),
    ...split.edges.map((r) => sql`SELECT count(*)::int AS "n" FROM "prompt_flows" WHERE ${within('first_at', r)}`),
  ];
  // Flows under an hour long that go on into the period started in the hour before it; longer
  // ones have a partial index of their own.
  const lookback = new Date(period.from.getTime() - HOUR_MS).toISOString();
  const [counts] = await store.rows<{ starting: number; ongoing: number; spanning: string[] | null }>(sql`
    WITH ongoing AS (
      SELECT "flow", "last_at" FROM "prompt_flows"
      WHERE "first_at" >= ${lookback}::timestamptz AND "first_at" < ${from}::timestamptz AND "last_at" >= ${from}::timestamptz
      UNION
      SELECT "flow", "last_at" FROM "prompt_flows"
      WHERE "last_at" - "first_at" > interval '1 hour' AND "first_at" < ${from}::timestamptz AND "last_at" >= ${from}::timestamptz)
    SELECT (SELECT sum("n")::int FROM (${sql.join(starting, sql` UNION ALL `)}) AS s) AS "starting",
           (SELECT count(*)::int FROM ongoing WHERE "last_at" < ${to}::timestamptz) AS "ongoing",
           (SELECT array_agg("flow") FROM ongoing WHERE "last_at" >= ${to}::timestamptz) AS "spanning"`);
  // A flow with prompts before and after the period may have none inside it. Rare, so asked
  // separately: the sign-ins in the query would cost the planner every day partition each time.
  const spanning = counts?.spanning ?? [];
  let inside = 0;
  if (spanning.length > 0) {
    const flows = sql.param(spanning);
    const [row] = await store.rows<{ n: number }>(sql`
      SELECT count(DISTINCT ${FLOW})::int AS "n" FROM "signins"
      WHERE ("correlation_id" = ANY(${flows}::text[]) OR ("correlation_id" IS NULL AND "id" = ANY(${flows}::text[])))
        AND "created_at" >= ${from}::timestamptz AND "created_at" < ${to}::timestamptz AND ${PROMPTED}`);
    inside = Number(row?.n ?? 0);
  }
  return Number(counts?.starting ?? 0) + Number(counts?.ongoing ?? 0) + inside;
}
