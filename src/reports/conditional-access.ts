// Conditional Access in a period: per policy, how often it applied, succeeded and failed and which
// grant and session controls it enforced (report-only policies apart), and the overall CA status
// of the sign-ins. `signin_ca_policies` holds only the policies that applied (success, failure,
// reportOnly*, unknown): notApplied / notEnabled / reportOnlyNotApplied are not stored.
import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import type { Period } from '../time/period.js';
import { splitPeriod, within, type TimeRange } from './hour-split.js';
import { newestSigninAt, signinFacts } from './signin-facts.js';

export type PolicyMode = 'enforced' | 'reportOnly';

export interface CaPolicyRow {
  policyId: string;
  /** The newest display name seen in the period (policies get renamed). */
  name: string | null;
  mode: PolicyMode;
  /** Sign-ins it applied to (enforced) or was evaluated on (report-only). */
  applied: number;
  /** success / reportOnlySuccess */
  succeeded: number;
  /** failure / reportOnlyFailure */
  failed: number;
  /** reportOnlyInterrupted (report-only policies only). */
  interrupted: number;
  /** unknown and any other result. */
  other: number;
  grantControls: string[];
  sessionControls: string[];
}

/** `signins.ca_status` per sign-in, lower-cased; '' when the record carries none. */
export interface CaStatusCount {
  status: string;
  signins: number;
}

export interface ConditionalAccessReport {
  period: Period;
  signins: number;
  /** Most sign-ins first. */
  statuses: CaStatusCount[];
  /** Enforced policies (most applied first), then report-only ones. */
  policies: CaPolicyRow[];
  dataAsOf: Date | null;
}

/** Policy applications in the period: daily and hourly rollup rows for its whole days and hours, raw rows at the edges. */
function policyFactsSql(period: Period): SQL {
  const split = splitPeriod(period);
  const parts: SQL[] = [];
  const rollup = (table: 'signin_ca_daily' | 'signin_ca_hourly', range: TimeRange) => {
    return sql`
      SELECT "policy_id", "result", "display_name", "named_at", "grant_controls", "session_controls", "applied"
      FROM ${sql.identifier(table)}
      WHERE ${within(table === 'signin_ca_daily' ? 'day' : 'hour', range)}`;
  };
  if (split.days) parts.push(rollup('signin_ca_daily', split.days));
  for (const hours of split.hours) parts.push(rollup('signin_ca_hourly', hours));
  for (const edge of split.edges) {
    parts.push(sql`
      SELECT "policy_id", lower("result") AS "result", coalesce("display_name", '') AS "display_name",
             CASE WHEN "display_name" IS NOT NULL THEN "signin_created_at" END AS "named_at", "grant_controls", "session_controls", 1 AS "applied"
      FROM "signin_ca_policies"
      WHERE ${within('signin_created_at', edge)}`);
  }
  // An empty period still needs a relation of the same shape.
  return parts.length > 0 ? sql.join(parts, sql` UNION ALL `) : sql`SELECT * FROM "signin_ca_hourly" WHERE false`;
}

const MODE = sql`CASE WHEN "result" LIKE 'reportonly%' THEN 'reportOnly' ELSE 'enforced' END`;

export async function conditionalAccessReport(store: Store, period: Period): Promise<ConditionalAccessReport> {
  const [facts, policies, controls, dataAsOf] = await Promise.all([
    signinFacts(store, period),
    store.rows<{
      policy_id: string;
      mode: PolicyMode;
      name: string | null;
      applied: number;
      succeeded: number;
      failed: number;
      interrupted: number;
    }>(sql`
      SELECT "policy_id", ${MODE} AS "mode",
             (array_agg("display_name" ORDER BY "named_at" DESC) FILTER (WHERE "display_name" <> ''))[1] AS "name",
             sum("applied")::int AS "applied",
             coalesce(sum("applied") FILTER (WHERE "result" IN ('success', 'reportonlysuccess')), 0)::int AS "succeeded",
             coalesce(sum("applied") FILTER (WHERE "result" IN ('failure', 'reportonlyfailure')), 0)::int AS "failed",
             coalesce(sum("applied") FILTER (WHERE "result" = 'reportonlyinterrupted'), 0)::int AS "interrupted"
      FROM (${policyFactsSql(period)}) AS "f"
      GROUP BY 1, 2`),
    store.rows<{ policy_id: string; mode: PolicyMode; kind: 'grant' | 'session'; control: string }>(sql`
      WITH "f" AS (${policyFactsSql(period)})
      SELECT "policy_id", ${MODE} AS "mode", 'grant' AS "kind", "control"
      FROM "f" CROSS JOIN LATERAL unnest("grant_controls") AS "c"("control")
      GROUP BY 1, 2, 3, 4
      UNION ALL
      SELECT "policy_id", ${MODE} AS "mode", 'session' AS "kind", "control"
      FROM "f" CROSS JOIN LATERAL unnest("session_controls") AS "c"("control")
      GROUP BY 1, 2, 3, 4`),
    newestSigninAt(store),
  ]);
  const statusCounts = new Map<string, number>();
  for (const fact of facts) statusCounts.set(fact.caStatus, (statusCounts.get(fact.caStatus) ?? 0) + fact.signins);
  const statuses = [...statusCounts].map(([status, signins]) => ({ status, signins }));

  const rows = new Map<string, CaPolicyRow>();
  for (const p of policies) {
    const applied = Number(p.applied);
    const succeeded = Number(p.succeeded);
    const failed = Number(p.failed);
    const interrupted = Number(p.interrupted);
    rows.set(`${p.mode}\u0000${p.policy_id}`, {
      policyId: p.policy_id,
      name: p.name,
      mode: p.mode,
      applied,
      succeeded,
      failed,
      interrupted,
      other: applied - succeeded - failed - interrupted,
      grantControls: [],
      sessionControls: [],
    });
  }
  for (const c of controls) {
    const row = rows.get(`${c.mode}\u0000${c.policy_id}`);
    if (!row) continue;
    (c.kind === 'grant' ? row.grantControls : row.sessionControls).push(c.control);
  }
  const byName = (a: CaPolicyRow, b: CaPolicyRow) =>
    b.applied - a.applied || (a.name ?? a.policyId).localeCompare(b.name ?? b.policyId) || a.policyId.localeCompare(b.policyId);
  const all = [...rows.values()];
  for (const row of all) {
    row.grantControls.sort((a, b) => a.localeCompare(b));
    row.sessionControls.sort((a, b) => a.localeCompare(b));
  }
  const counts = statuses.sort((a, b) => b.signins - a.signins || a.status.localeCompare(b.status));
  return {
    period,
    signins: counts.reduce((sum, s) => sum + s.signins, 0),
    statuses: counts,
    policies: [...all.filter((r) => r.mode === 'enforced').sort(byName), ...all.filter((r) => r.mode === 'reportOnly').sort(byName)],
    dataAsOf,
  };
}
