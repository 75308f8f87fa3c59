// History of fraud alerts (user-reported suspicious activity, the successor of the MFA fraud
// alert, graph-data.md §7) in a period: how many, from whom, how they were handled, whether the
// alert reached Slack, and the records (risk detection, audit entry, sign-in) behind each one.
import { and, asc, count, countDistinct, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { directoryAudits, fraudReports, fraudReportSources } from '../../db/schema.js';
import type { Period } from '../time/period.js';

export const FRAUD_STATUSES = ['new', 'acknowledged', 'false_positive', 'escalated'] as const;
export type FraudStatus = (typeof FRAUD_STATUSES)[number];

export interface FraudQuery {
  period: Period;
  offset: number;
  /** null: every alert of the period (export). */
  limit: number | null;
}

export interface FraudSourceRecord {
  /** 'risk_detection' | 'directory_audit' | 'signin' | 'import' */
  kind: string;
  id: string;
  at: Date;
  /** The audit activity, for audit entries ("Fraud reported - user is blocked for MFA"). */
  activity: string | null;
}

export interface FraudAlert {
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
  correlationId: string | null;
  status: string;
  actedBy: string | null;
  actedAt: Date | null;
  slackChannel: string | null;
  postedAt: Date | null;
  /** 'pending' (not posted yet), 'posted', or 'skipped' (already old when it reached the store). */
  alertState: string;
  /** Why the last post failed, while pending (e.g. channel_not_found). */
  lastDeliveryError: string | null;
  sources: FraudSourceRecord[];
}

export interface FraudHistoryReport {
  period: Period;
  /** Alerts in the period, every kind. */
  alerts: number;
  users: number;
  /** Alerts per status, in FRAUD_STATUSES order, then any other status seen. */
  byStatus: Array<{ status: string; alerts: number }>;
  /** MFA fatigue alerts (kind 'mfa_fatigue') in the period. */
  fatigue: { alerts: number; users: number };
  /** Alerts of the period not posted to Slack yet. */
  notDelivered: number;
  rows: FraudAlert[];
  /** Alerts in the store, any time: tells "none in this period" from "none loaded". */
  storeAlerts: number;
  /** The newest alert in the store, for an empty period. */
  newestAlert: { upn: string; reportedAt: Date } | null;
  /** The freshest fraud source in the store (risk detection, audit entry or sign-in). */
  dataAsOf: Date | null;
}

export async function fraudHistoryReport(store: Store, query: FraudQuery): Promise<FraudHistoryReport> {
  const { period } = query;
  const inPeriod = and(gte(fraudReports.reportedAt, period.from), lt(fraudReports.reportedAt, period.to));

  const [totals, statuses, overall, freshness] = await Promise.all([
    store.db
      .select({
        alerts: count(),
        users: countDistinct(fraudReports.upn),
        fatigue: sql<number>`count(*) filter (where ${fraudReports.kind} = 'mfa_fatigue')`.mapWith(Number),
        fatigueUsers: sql<number>`count(distinct ${fraudReports.upn}) filter (where ${fraudReports.kind} = 'mfa_fatigue')`.mapWith(Number),
        notDelivered: sql<number>`count(*) filter (where ${fraudReports.alertState} = 'pending')`.mapWith(Number),
      })
      .from(fraudReports)
      .where(inPeriod),
    store.db.select({ status: fraudReports.status, alerts: count() }).from(fraudReports).where(inPeriod).groupBy(fraudReports.status),
    store.db.select({ alerts: count() }).from(fraudReports),
    store.rows<{ newest: Date | string | null }>(sql`
      SELECT greatest((SELECT max("detected_at") FROM "risk_detections"),
                      (SELECT max("at") FROM "directory_audits"),
                      (SELECT max("created_at") FROM "signins")) AS "newest"`),
  ]);

  const base = store.db
    .select()
    .from(fraudReports)
    .where(inPeriod)
    .orderBy(desc(fraudReports.reportedAt), desc(fraudReports.id))
    .offset(query.offset);
  const alerts = query.limit === null ? await base : await base.limit(query.limit);
  const sources = await sourcesOf(store, alerts.map((a) => a.id));

  let newestAlert: FraudHistoryReport['newestAlert'] = null;
  const storeAlerts = Number(overall[0]?.alerts ?? 0);
  if (storeAlerts > 0) {
    const [newest] = await store.db
      .select({ upn: fraudReports.upn, reportedAt: fraudReports.reportedAt })
      .from(fraudReports)
      .orderBy(desc(fraudReports.reportedAt))
      .limit(1);
    newestAlert = newest ?? null;
  }

  const seen = new Map(statuses.map((s) => [s.status, Number(s.alerts)]));
  const byStatus = [
    ...FRAUD_STATUSES.map((status) => ({ status: status as string, alerts: seen.get(status) ?? 0 })),
    ...[...seen.entries()]
      .filter(([status]) => !(FRAUD_STATUSES as readonly string[]).includes(status))
      .map(([status, n]) => ({ status, alerts: n }))
      .sort((a, b) => a.status.localeCompare(b.status)),
  ];
  const t = totals[0];
  return {
    period,
    alerts: Number(t?.alerts ?? 0),
    users: Number(t?.users ?? 0),
    byStatus,
    fatigue: { alerts: Number(t?.fatigue ?? 0), users: Number(t?.fatigueUsers ?? 0) },
    notDelivered: Number(t?.notDelivered ?? 0),
    rows: alerts.map((a) => ({
      id: a.id,
      kind: a.kind,
      upn: a.upn,
      reportedAt: a.reportedAt,
      ipAddress: a.ipAddress,
      city: a.city,
      countryOrRegion: a.countryOrRegion,
      appDisplayName: a.appDisplayName,
      mfaMethod: a.mfaMethod,
      correlationId: a.correlationId,
      status: a.status,
      actedBy: a.actedBy,
      actedAt: a.actedAt,
      slackChannel: a.slackChannel,
      postedAt: a.postedAt,
      alertState: a.alertState,
      lastDeliveryError: a.lastDeliveryError,
      sources: sources.get(a.id) ?? [],
    })),
    storeAlerts,
    newestAlert,
    dataAsOf: freshness[0]?.newest ? new Date(freshness[0].newest) : null,
  };
}

/** The records behind each alert, oldest first, in pages of ids (an export may hold thousands). */
async function sourcesOf(store: Store, ids: number[]): Promise<Map<number, FraudSourceRecord[]>> {
  const byReport = new Map<number, FraudSourceRecord[]>();
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const rows = await store.db
      .select({
        reportId: fraudReportSources.fraudReportId,
        kind: fraudReportSources.sourceKind,
        id: fraudReportSources.sourceId,
        at: fraudReportSources.at,
        activity: directoryAudits.activity,
      })
      .from(fraudReportSources)
      .leftJoin(
        directoryAudits,
        and(eq(fraudReportSources.sourceKind, 'directory_audit'), eq(directoryAudits.id, fraudReportSources.sourceId)),
      )
      .where(inArray(fraudReportSources.fraudReportId, chunk))
      .orderBy(asc(fraudReportSources.at), asc(fraudReportSources.sourceKind));
    for (const row of rows) {
      const list = byReport.get(row.reportId) ?? [];
      list.push({ kind: row.kind, id: row.id, at: row.at, activity: row.activity });
      byReport.set(row.reportId, list);
    }
  }
  return byReport;
}
