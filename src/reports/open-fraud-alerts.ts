// The fraud alerts nobody has handled yet (new or escalated), newest first: what the App Home
// shows an admin, with the alert cards' buttons.
import { count, desc, inArray } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { fraudReports } from '../../db/schema.js';
import type { FraudAlert } from './fraud-history.js';

export const OPEN_STATUSES = ['new', 'escalated'] as const;

/** The fields of an alert the Home tab shows (a subset of what `/mfa fraud` lists). */
export type OpenFraudAlert = Pick<
  FraudAlert,
  'id' | 'kind' | 'upn' | 'reportedAt' | 'ipAddress' | 'city' | 'countryOrRegion' | 'appDisplayName' | 'mfaMethod' | 'status' | 'alertState'
>;

export interface OpenFraudAlerts {
  /** Every open alert in the store. */
  total: number;
  /** The newest `limit` of them. */
  rows: OpenFraudAlert[];
}

export async function openFraudAlerts(store: Store, limit: number): Promise<OpenFraudAlerts> {
  const open = inArray(fraudReports.status, [...OPEN_STATUSES]);
  const [totals, rows] = await Promise.all([
    store.db.select({ total: count() }).from(fraudReports).where(open),
    store.db
      .select({
        id: fraudReports.id,
        kind: fraudReports.kind,
        upn: fraudReports.upn,
        reportedAt: fraudReports.reportedAt,
        ipAddress: fraudReports.ipAddress,
        city: fraudReports.city,
        countryOrRegion: fraudReports.countryOrRegion,
        appDisplayName: fraudReports.appDisplayName,
        mfaMethod: fraudReports.mfaMethod,
        status: fraudReports.status,
        alertState: fraudReports.alertState,
      })
      .from(fraudReports)
      .where(open)
      .orderBy(desc(fraudReports.reportedAt), desc(fraudReports.id))
      .limit(limit),
  ]);
  return { total: Number(totals[0]?.total ?? 0), rows };
}
