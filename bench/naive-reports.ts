// The naive plan: each 30-day period report computed by one plain aggregate straight over the raw
// sign-ins of the period (no rollup), as a first implementation would. Timed in the bench process,
// 1 warm-up then 5 runs; the ratio to the bot's p50 for the same report is the speed-up the
// report store's design buys.
import { performance } from 'node:perf_hooks';
import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../db/client.js';
import type { Period } from '../src/time/period.js';
import { median } from './percentiles.js';

const FAILED = sql`"mfa_required" = 'yes' AND "mfa_outcome" IN ('denied', 'interrupted')`;
const WHO = sql`coalesce("user_id", "upn")`;

function inPeriod(column: string, period: Period): SQL {
  return sql`${sql.identifier(column)} >= ${period.from.toISOString()}::timestamptz AND ${sql.identifier(column)} < ${period.to.toISOString()}::timestamptz`;
}

/** One SQL per report, computing the figures the report shows. */
export function naiveQueries(period: Period): Record<'summary' | 'failures' | 'methods' | 'ca' | 'usage', SQL> {
  const p = inPeriod('created_at', period);
  return {
    // Outcome counts, users challenged / failed, top failure reasons, methods.
    summary: sql`
      WITH "s" AS (SELECT * FROM "signins" WHERE ${p})
      SELECT
        (SELECT json_build_object(
           'signins', count(*),
           'mfa_required', count(*) FILTER (WHERE "mfa_required" = 'yes'),
           'satisfied', count(*) FILTER (WHERE "mfa_required" = 'yes' AND "mfa_outcome" = 'satisfied'),
           'denied', count(*) FILTER (WHERE "mfa_required" = 'yes' AND "mfa_outcome" = 'denied'),
           'interrupted', count(*) FILTER (WHERE "mfa_required" = 'yes' AND "mfa_outcome" = 'interrupted'),
           'users_challenged', count(DISTINCT ${WHO}) FILTER (WHERE "mfa_required" = 'yes'),
           'users_failed', count(DISTINCT ${WHO}) FILTER (WHERE ${FAILED})) FROM "s") AS "totals",
        (SELECT json_agg(r) FROM (SELECT coalesce("mfa_result_code", 'none') AS "code", count(*) AS "n" FROM "s" WHERE ${FAILED}
                                  GROUP BY 1 ORDER BY 2 DESC LIMIT 5) r) AS "reasons",
        (SELECT json_agg(m) FROM (SELECT "mfa_method", count(*) AS "n" FROM "s" WHERE "mfa_required" = 'yes' AND "mfa_method" IS NOT NULL
                                  GROUP BY 1 ORDER BY 2 DESC) m) AS "methods"`,
    // Failure reasons with sign-ins and distinct users, and the most affected users.
    failures: sql`
      WITH "f" AS (SELECT * FROM "signins" WHERE ${p} AND ${FAILED})
      SELECT
        (SELECT json_agg(r) FROM (SELECT coalesce("mfa_result_code", 'none') AS "code",
                                         CASE WHEN "mfa_result_code" = 'other' THEN coalesce("mfa_result_detail", '') ELSE '' END AS "detail",
                                         count(*) AS "signins", count(DISTINCT ${WHO}) AS "users"
                                  FROM "f" GROUP BY 1, 2 ORDER BY 3 DESC) r) AS "reasons",
        (SELECT json_agg(u) FROM (SELECT ${WHO} AS "who", max("upn") AS "upn", count(*) AS "failed", max("created_at") AS "last"
                                  FROM "f" GROUP BY 1 ORDER BY 3 DESC, 2 LIMIT 10) u) AS "users",
        (SELECT count(DISTINCT ${WHO}) FROM "signins" WHERE ${p} AND "mfa_required" = 'yes') AS "challenged"`,
    // Sign-ins and distinct users per method.
    methods: sql`
      SELECT coalesce("mfa_method", '') AS "method", count(*) AS "signins", count(DISTINCT ${WHO}) AS "users"
      FROM "signins" WHERE ${p} AND "mfa_required" = 'yes'
      GROUP BY 1 ORDER BY 2 DESC`,
    // Per-policy applied / succeeded / failed, and the sign-ins' CA status.
    ca: sql`
      SELECT
        (SELECT json_agg(s) FROM (SELECT lower(coalesce("ca_status", '')) AS "status", count(*) AS "n" FROM "signins" WHERE ${p} GROUP BY 1) s) AS "statuses",
        (SELECT json_agg(c) FROM (SELECT "policy_id", max("display_name") AS "name", "result", count(*) AS "n"
                                  FROM "signin_ca_policies" WHERE ${inPeriod('signin_created_at', period)}
                                  GROUP BY "policy_id", "result") c) AS "policies"`,
    // Per-user counts, the top users by prompts and by failures.
    usage: sql`
      WITH "u" AS (
        SELECT ${WHO} AS "who", max("upn") AS "upn", count(*) AS "signins",
               count(DISTINCT coalesce("correlation_id", "id")) FILTER (WHERE "mfa_required" = 'yes' AND "mfa_outcome" IN ('satisfied', 'denied', 'interrupted')) AS "prompts",
               count(*) FILTER (WHERE ${FAILED}) AS "failed"
        FROM "signins" WHERE ${p} AND ${WHO} IS NOT NULL GROUP BY 1)
      SELECT (SELECT count(*) FROM "u") AS "users",
             (SELECT json_agg(t) FROM (SELECT * FROM "u" ORDER BY "prompts" DESC, "upn" LIMIT 10) t) AS "by_prompts",
             (SELECT json_agg(t) FROM (SELECT * FROM "u" ORDER BY "failed" DESC, "upn" LIMIT 10) t) AS "by_failures"`,
  };
}

export interface NaiveTiming {
  report: string;
  runsMs: number[];
  medianMs: number;
}

export async function timeNaiveReports(store: Store, period: Period, runs = 5): Promise<NaiveTiming[]> {
  const timings: NaiveTiming[] = [];
  for (const [report, query] of Object.entries(naiveQueries(period))) {
    await store.rows(query);
    const runsMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await store.rows(query);
      runsMs.push(performance.now() - started);
    }
    timings.push({ report, runsMs, medianMs: median(runsMs) });
  }
  return timings;
}
