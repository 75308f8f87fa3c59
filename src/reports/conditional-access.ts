// Conditional Access in a period: per policy, how often it applied, succeeded and failed and which
// grant and session controls it enforced (report-only policies apart), and the overall CA status
// of the sign-ins. `signin_ca_policies` holds only the policies that applied (success, failure,
// reportOnly*, unknown): notApplied / notEnabled / reportOnlyNotApplied are not stored.
import { sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import type { Period } from '../time/period.js';
import { newestSigninAt } from './signin-facts.js';

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

function inPeriod(column: string, period: Period) {
  return sql`${sql.identifier(column)} >= ${period.from.toISOString()}::timestamptz AND ${sql.identifier(column)} < ${period.to.toISOString()}::timestamptz`;
}

const MODE = sql`CASE WHEN lower("result") LIKE 'reportonly%' THEN 'reportOnly' ELSE 'enforced' END`;

export async function conditionalAccessReport(store: Store, period: Period): Promise<ConditionalAccessReport> {
  const [statuses, policies, controls, dataAsOf] = await Promise.all([
    store.rows<{ status: string; signins: number }>(sql`
      SELECT lower(coalesce("ca_status", '')) AS "status", count(*)::int AS "signins"
      FROM "signins"
      WHERE ${inPeriod('created_at', period)}
      GROUP BY 1`),
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
             (array_agg("display_name" ORDER BY "signin_created_at" DESC) FILTER (WHERE "display_name" IS NOT NULL))[1] AS "name",
             count(*)::int AS "applied",
             count(*) FILTER (WHERE lower("result") IN ('success', 'reportonlysuccess'))::int AS "succeeded",
             count(*) FILTER (WHERE lower("result") IN ('failure', 'reportonlyfailure'))::int AS "failed",
             count(*) FILTER (WHERE lower("result") = 'reportonlyinterrupted')::int AS "interrupted"
      FROM "signin_ca_policies"
      WHERE ${inPeriod('signin_created_at', period)}
      GROUP BY 1, 2`),
    store.rows<{ policy_id: string; mode: PolicyMode; kind: 'grant' | 'session'; control: string }>(sql`
      SELECT "policy_id", ${MODE} AS "mode", 'grant' AS "kind", "control"
      FROM "signin_ca_policies" CROSS JOIN LATERAL unnest("grant_controls") AS "c"("control")
      WHERE ${inPeriod('signin_created_at', period)}
      GROUP BY 1, 2, 3, 4
      UNION ALL
      SELECT "policy_id", ${MODE} AS "mode", 'session' AS "kind", "control"
      FROM "signin_ca_policies" CROSS JOIN LATERAL unnest("session_controls") AS "c"("control")
      WHERE ${inPeriod('signin_created_at', period)}
      GROUP BY 1, 2, 3, 4`),
    newestSigninAt(store),
  ]);

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
  const counts = statuses.map((s) => ({ status: s.status, signins: Number(s.signins) })).sort((a, b) => b.signins - a.signins || a.status.localeCompare(b.status));
  return {
    period,
    signins: counts.reduce((sum, s) => sum + s.signins, 0),
    statuses: counts,
    policies: [...all.filter((r) => r.mode === 'enforced').sort(byName), ...all.filter((r) => r.mode === 'reportOnly').sort(byName)],
    dataAsOf,
  };
}
