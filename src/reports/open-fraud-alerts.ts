// The fraud alerts nobody has handled yet (new or escalated), newest first: what the App Home
// shows an admin, with the alert cards' buttons.
import { count, desc, inArray } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { fraudReports } from '../../db/schema.js';

export const OPEN_STATUSES = ['new', 'escalated'] as const;

export interface OpenFraudAlert {
  id: number;
  /** 'user_reported' | 'mfa_fatigue' */
  kind: string;
  upn: string;
  reportedAt: Date;
  ipAddress: string | null;
  city: string | null;
  countryOrRegion: string | null;
  appDisplayName: string | null;
  mfaMethod: string | null;
  status: string;
  /** 'pending' | 'posted' | 'skipped' */
  alertState: string;
}

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
