// One fraud report per user-reported incident, however many records describe it. A report
// produces up to three records (a risk detection, an audit entry, a denied sign-in: graph-data.md
// §7); they share the user and usually the correlation id, and land within minutes of each other.
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Store } from '../../db/client.js';
import { fraudReports, fraudReportSources } from '../../db/schema.js';
import { signalAlertWork } from '../alerts/wake-signal.js';

export interface FraudSignal {
  sourceKind: 'risk_detection' | 'directory_audit' | 'signin' | 'import';
  sourceId: string;
  upn: string;
  userId: string | null;
  at: Date;
  correlationId: string | null;
  ipAddress?: string | null;
  city?: string | null;
  countryOrRegion?: string | null;
  appDisplayName?: string | null;
  mfaMethod?: string | null;
}

/** Records further apart than this are separate reports unless they share a correlation id. */
export const SAME_REPORT_WINDOW_MS = 10 * 60_000;
const FRAUD_LOCK_KEY = 7_316_202_613;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface RecordedSignals {
  /** Ids of reports created by this call: the ones alerting must post. */
  newReportIds: number[];
  linked: number;
}

export async function recordFraudSignals(store: Store, signals: ReadonlyArray<FraudSignal>): Promise<RecordedSignals> {
  if (signals.length === 0) return { newReportIds: [], linked: 0 };
  const ordered = [...signals].sort((a, b) => a.at.getTime() - b.at.getTime());
  return store.db.transaction(async (tx) => {
    // Two writers (sync and an import, or two replicas) must not open two reports for one incident.
    await tx.execute(sql`select pg_advisory_xact_lock(${FRAUD_LOCK_KEY})`);
    const newReportIds: number[] = [];
    let linked = 0;
    for (const signal of ordered) {
      const known = await tx
        .select({ id: fraudReportSources.fraudReportId })
        .from(fraudReportSources)
        .where(and(eq(fraudReportSources.sourceKind, signal.sourceKind), eq(fraudReportSources.sourceId, signal.sourceId)));
      if (known.length > 0) continue;
      const reportId = (await findReport(tx, signal)) ?? (await createReport(tx, signal, newReportIds));
      await enrich(tx, reportId, signal);
      await tx.insert(fraudReportSources).values({ fraudReportId: reportId, sourceKind: signal.sourceKind, sourceId: signal.sourceId, at: signal.at });
      linked += 1;
    }
    // Wakes the alert dispatcher when this commits: a new report is an alert to post.
    if (newReportIds.length > 0) await signalAlertWork(tx);
    return { newReportIds, linked };
  });
}

async function findReport(tx: Tx, signal: FraudSignal): Promise<number | null> {
  const at = signal.at.toISOString();
  const rows = (await tx.execute(sql`
    SELECT "id" FROM "fraud_reports"
    WHERE "kind" = 'user_reported' AND "upn" = ${signal.upn}
      AND (("correlation_id" IS NOT NULL AND "correlation_id" = ${signal.correlationId})
           OR abs(extract(epoch FROM ("reported_at" - ${at}::timestamptz))) * 1000 <= ${SAME_REPORT_WINDOW_MS})
    ORDER BY ("correlation_id" IS NOT DISTINCT FROM ${signal.correlationId}) DESC,
             abs(extract(epoch FROM ("reported_at" - ${at}::timestamptz)))
    LIMIT 1`)) as unknown;
  const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as { id: number }[];
  return list[0] ? Number(list[0].id) : null;
}

async function createReport(tx: Tx, signal: FraudSignal, created: number[]): Promise<number> {
  const dedupeKey = `user_reported:${signal.upn}:${signal.correlationId ?? signal.at.toISOString()}`;
  const inserted = await tx
    .insert(fraudReports)
    .values({
      dedupeKey,
      kind: 'user_reported',
      upn: signal.upn,
      userId: signal.userId,
      reportedAt: signal.at,
      correlationId: signal.correlationId,
    })
    .onConflictDoNothing({ target: fraudReports.dedupeKey })
    .returning({ id: fraudReports.id });
  if (inserted[0]) {
    created.push(inserted[0].id);
    return inserted[0].id;
  }
  const [existing] = await tx.select({ id: fraudReports.id }).from(fraudReports).where(eq(fraudReports.dedupeKey, dedupeKey));
  return existing!.id;
}

/** Fills what the report does not know yet (the sign-in knows the app and method, the detection the place). */
async function enrich(tx: Tx, reportId: number, signal: FraudSignal): Promise<void> {
  await tx.execute(sql`
    UPDATE "fraud_reports" SET
      "user_id" = coalesce("user_id", ${signal.userId}),
      "correlation_id" = coalesce("correlation_id", ${signal.correlationId}),
      "reported_at" = least("reported_at", ${signal.at.toISOString()}::timestamptz),
      "ip_address" = coalesce("ip_address", ${signal.ipAddress ?? null}),
      "city" = coalesce("city", ${signal.city ?? null}),
      "country_or_region" = coalesce("country_or_region", ${signal.countryOrRegion ?? null}),
      "app_display_name" = coalesce("app_display_name", ${signal.appDisplayName ?? null}),
      "mfa_method" = coalesce("mfa_method", ${signal.mfaMethod ?? null})
    WHERE "id" = ${reportId}`);
}
