// NPS and AD FS sign-in counts per host and MFA outcome, with each group's newest sign-in, for any
// period, exact to the millisecond: whole hours from `signin_onprem_hourly`, the partial hours at
// either edge from the raw sign-ins.
import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { splitPeriod, wholeHours, within, type TimeRange } from './hour-split.js';

export interface OnpremFact {
  /** 'nps' | 'adfs' */
  component: string;
  /** The sign-in's source address, '' when none. */
  ipAddress: string;
  mfaOutcome: string;
  signins: number;
  newestAt: Date;
}

export async function onpremFacts(store: Store, period: TimeRange): Promise<OnpremFact[]> {
  const split = splitPeriod(period);
  const parts: SQL[] = [
    ...wholeHours(split).map(
      (r) => sql`SELECT "component", "ip_address", "mfa_outcome", "signins", "newest_at" FROM "signin_onprem_hourly" WHERE ${within('hour', r)}`,
    ),
    ...split.edges.map(
      (r) => sql`
        SELECT "onprem_component", coalesce("ip_address", ''), "mfa_outcome", count(*)::int, max("created_at")
        FROM "signins" WHERE ${within('created_at', r)} AND "onprem_component" IS NOT NULL
        GROUP BY 1, 2, 3`,
    ),
  ];
  if (parts.length === 0) return [];
  const rows = await store.rows<{ component: string; ip_address: string; mfa_outcome: string; signins: number; newest_at: Date | string }>(sql`
    SELECT "component", "ip_address", "mfa_outcome", sum("signins")::int AS "signins", max("newest_at") AS "newest_at"
    FROM (${sql.join(parts, sql` UNION ALL `)}) AS f ("component", "ip_address", "mfa_outcome", "signins", "newest_at")
    GROUP BY 1, 2, 3`);
  return rows.map((r) => ({
    component: r.component,
    ipAddress: r.ip_address,
    mfaOutcome: r.mfa_outcome,
    signins: Number(r.signins),
    newestAt: new Date(r.newest_at),
  }));
}
