// One `mfa_fatigue` fraud report per attack, deduplicated like user reports: a scan that finds the
// same attack again (grown by a few prompts, or seen from an earlier prompt that arrived late)
// links the new prompts to the report it already has instead of raising a second alert.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { fraudReports, fraudReportSources } from '../../db/schema.js';
import { signalAlertWork } from '../alerts/wake-signal.js';
import type { FatigueAttack, FatiguePolicy } from './detect-mfa-fatigue.js';

/** Serialises fatigue writers (the scan on two replicas) so one attack never opens two reports. */
const FATIGUE_LOCK_KEY = 7_316_202_614;

export interface RecordedFatigue {
  newReportIds: number[];
  linked: number;
}

export async function recordMfaFatigue(store: Store, attacks: ReadonlyArray<FatigueAttack>, policy: FatiguePolicy): Promise<RecordedFatigue> {
  if (attacks.length === 0) return { newReportIds: [], linked: 0 };
  const windowMs = policy.minutes * 60_000;
  return store.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FATIGUE_LOCK_KEY})`);
    const newReportIds: number[] = [];
    let linked = 0;
    // The scan runs every minute and finds the same attacks for a day: an insert that adds
    // nothing still tells every bot the store changed (migration 0016), which threw away every
    // answer they kept, at the turn of each minute. An attack whose prompts are all linked already
    // is passed over, and only prompts not yet linked are inserted.
    const linkedBefore = await tx
      .select({ id: fraudReportSources.sourceId })
      .from(fraudReportSources)
      .where(and(eq(fraudReportSources.sourceKind, 'signin'), inArray(fraudReportSources.sourceId, attacks.flatMap((attack) => attack.prompts.map((prompt) => prompt.signinId)))));
    const known = new Set(linkedBefore.map((row) => row.id));
    for (const attack of attacks) {
      const fresh = attack.prompts.filter((prompt) => !known.has(prompt.signinId));
      if (fresh.length === 0) continue;
      const first = attack.prompts[0]!;
      const last = attack.prompts[attack.prompts.length - 1]!;
      // The same attack: a fatigue report of this user whose prompts overlap this run (± M minutes).
      const result = (await tx.execute(sql`
        SELECT r."id" FROM "fraud_reports" r
        JOIN LATERAL (SELECT min("at") AS "first", max("at") AS "last" FROM "fraud_report_sources" s WHERE s."fraud_report_id" = r."id") span ON true
        WHERE r."kind" = 'mfa_fatigue' AND lower(r."upn") = ${attack.upn}
          AND span."first" <= ${new Date(last.at.getTime() + windowMs).toISOString()}::timestamptz
          AND span."last" >= ${new Date(first.at.getTime() - windowMs).toISOString()}::timestamptz
        ORDER BY r."id" LIMIT 1`)) as unknown;
      const existing = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ id: number }>;
      let reportId = existing[0] ? Number(existing[0].id) : null;
      if (reportId === null) {
        const dedupeKey = `mfa_fatigue:${attack.upn}:${first.at.toISOString()}`;
        const [inserted] = await tx
          .insert(fraudReports)
          .values({
            dedupeKey,
            kind: 'mfa_fatigue',
            upn: attack.upn,
            userId: first.userId,
            reportedAt: first.at,
            // Where the prompts were triggered from: the attacker's sign-in attempts.
            ipAddress: last.ipAddress,
            city: last.city,
            countryOrRegion: last.countryOrRegion,
            appDisplayName: last.appDisplayName,
            mfaMethod: 'Mobile app notification',
          })
          .onConflictDoNothing({ target: fraudReports.dedupeKey })
          .returning({ id: fraudReports.id });
        if (inserted) {
          reportId = inserted.id;
          newReportIds.push(inserted.id);
        } else {
          const [again] = await tx.select({ id: fraudReports.id }).from(fraudReports).where(sql`${fraudReports.dedupeKey} = ${dedupeKey}`);
          reportId = again!.id;
        }
      }
      const added = await tx
        .insert(fraudReportSources)
        .values(fresh.map((prompt) => ({ fraudReportId: reportId!, sourceKind: 'signin', sourceId: prompt.signinId, at: prompt.at })))
        .onConflictDoNothing()
        .returning({ id: fraudReportSources.sourceId });
      linked += added.length;
    }
    if (newReportIds.length > 0) await signalAlertWork(tx);
    return { newReportIds, linked };
  });
}
