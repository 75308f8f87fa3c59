// Everything an alert card says about a fraud report, read from the store when the card is drawn
// (posted, escalated, or updated after a button press): who the user is, what they have
// registered, whether they are blocked, their last sign-ins, and the records behind the report.
import { and, asc, desc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { directoryAudits, fraudReports, fraudReportSources, mfaBlockEvents, signins, userRegistrations } from '../../db/schema.js';

export type FraudReportRow = typeof fraudReports.$inferSelect;

export interface RecentSignin {
  id: string;
  at: Date;
  app: string | null;
  ipAddress: string | null;
  city: string | null;
  countryOrRegion: string | null;
  mfaOutcome: string;
  mfaResultCode: string | null;
  mfaResultDetail: string | null;
  mfaMethod: string | null;
  errorCode: number;
}

export interface AlertFacts {
  report: FraudReportRow;
  displayName: string | null;
  registration: { isMfaRegistered: boolean; methods: string[]; defaultMethod: string | null } | null;
  /** The user's latest block or unblock, when the latest is a block. */
  block: { since: Date; reason: string | null; actor: string | null } | null;
  recentSignins: RecentSignin[];
  sources: Array<{ kind: string; id: string; at: Date; activity: string | null }>;
  /** For an MFA fatigue report: the prompts behind it. */
  fatigue: { prompts: number; declined: number; unanswered: number; first: Date; last: Date } | null;
}

export const RECENT_SIGNINS_ON_CARD = 5;
/** How far back "last sign-ins" looks (keeps the query to a few partitions). */
const RECENT_WINDOW_MS = 7 * 86_400_000;

export async function loadReport(store: Store, id: number): Promise<FraudReportRow | null> {
  const [row] = await store.db.select().from(fraudReports).where(eq(fraudReports.id, id));
  return row ?? null;
}

/** A user's most recent sign-ins up to `until`, newest first. */
export async function recentSignins(store: Store, upn: string, until: Date, limit: number): Promise<RecentSignin[]> {
  const rows = await store.db
    .select({
      id: signins.id,
      at: signins.createdAt,
      app: signins.appDisplayName,
      ipAddress: signins.ipAddress,
      city: signins.city,
      countryOrRegion: signins.countryOrRegion,
      mfaOutcome: signins.mfaOutcome,
      mfaResultCode: signins.mfaResultCode,
      mfaResultDetail: signins.mfaResultDetail,
      mfaMethod: signins.mfaMethod,
      errorCode: signins.errorCode,
    })
    .from(signins)
    .where(and(eq(signins.upn, upn), gte(signins.createdAt, new Date(until.getTime() - RECENT_WINDOW_MS)), lte(signins.createdAt, until)))
    .orderBy(desc(signins.createdAt))
    .limit(limit);
  return rows;
}

export async function alertFacts(store: Store, report: FraudReportRow, now: Date): Promise<AlertFacts> {
  const registrationQuery = store.db
    .select({
      displayName: userRegistrations.displayName,
      isMfaRegistered: userRegistrations.isMfaRegistered,
      methods: userRegistrations.methodsRegistered,
      defaultMethod: userRegistrations.defaultMethod,
    })
    .from(userRegistrations)
    .where(report.userId ? eq(userRegistrations.userId, report.userId) : sql`lower(${userRegistrations.upn}) = lower(${report.upn})`)
    .limit(1);
  const blockQuery = store.db
    .select({ action: mfaBlockEvents.action, at: mfaBlockEvents.occurredAt, reason: mfaBlockEvents.reason, actor: mfaBlockEvents.actor })
    .from(mfaBlockEvents)
    .where(sql`lower(${mfaBlockEvents.upn}) = lower(${report.upn})`)
    .orderBy(desc(mfaBlockEvents.occurredAt), desc(mfaBlockEvents.id))
    .limit(1);
  const sourcesQuery = store.db
    .select({ kind: fraudReportSources.sourceKind, id: fraudReportSources.sourceId, at: fraudReportSources.at, activity: directoryAudits.activity })
    .from(fraudReportSources)
    .leftJoin(directoryAudits, and(eq(fraudReportSources.sourceKind, 'directory_audit'), eq(directoryAudits.id, fraudReportSources.sourceId)))
    .where(eq(fraudReportSources.fraudReportId, report.id))
    .orderBy(asc(fraudReportSources.at));

  const [registration, block, sources, recent] = await Promise.all([
    registrationQuery,
    blockQuery,
    sourcesQuery,
    recentSignins(store, report.upn, now, RECENT_SIGNINS_ON_CARD),
  ]);
  const reg = registration[0];
  const latestBlock = block[0];
  return {
    report,
    displayName: reg?.displayName ?? null,
    registration: reg ? { isMfaRegistered: reg.isMfaRegistered, methods: reg.methods, defaultMethod: reg.defaultMethod } : null,
    block: latestBlock?.action === 'block' ? { since: latestBlock.at, reason: latestBlock.reason, actor: latestBlock.actor } : null,
    recentSignins: recent,
    sources,
    fatigue: report.kind === 'mfa_fatigue' ? await fatiguePrompts(store, report.id) : null,
  };
}

async function fatiguePrompts(store: Store, reportId: number): Promise<AlertFacts['fatigue']> {
  const [row] = await store.rows<{ prompts: number; declined: number; first: string | Date | null; last: string | Date | null }>(sql`
    SELECT count(*)::int AS "prompts",
           count(*) FILTER (WHERE s."mfa_result_code" = 'denied_user_declined')::int AS "declined",
           min(src."at") AS "first", max(src."at") AS "last"
    FROM "fraud_report_sources" src
    LEFT JOIN "signins" s ON s."id" = src."source_id" AND s."created_at" = src."at"
    WHERE src."fraud_report_id" = ${reportId} AND src."source_kind" = 'signin'`);
  if (!row || !row.first || !row.last) return null;
  const prompts = Number(row.prompts);
  const declined = Number(row.declined);
  return { prompts, declined, unanswered: prompts - declined, first: new Date(row.first), last: new Date(row.last) };
}
