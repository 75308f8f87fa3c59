// An alert nobody acknowledged within FRAUD_ESCALATE_MINUTES of its post is re-posted once in
// its thread, mentioning FRAUD_ESCALATE_MENTION. Marking it escalated and queueing the re-post
// happen in one transaction (the outbox row's dedupe key makes the re-post exactly-once too), so
// replicas running this at the same time escalate each alert once.
import { and, asc, eq, isNotNull, isNull, lte } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { fraudReports } from '../../db/schema.js';
import { alertCard } from './alert-card.js';
import { alertFacts, type FraudReportRow } from './alert-facts.js';
import { enqueueInTx } from './outbox.js';

export interface EscalationOptions {
  minutes: number;
  mention: string | undefined;
  timeZone: string;
}

/** Escalates what is due at `now`; returns the alerts escalated by this call. */
export async function escalateDueAlerts(store: Store, now: Date, options: EscalationOptions): Promise<FraudReportRow[]> {
  const cutoff = new Date(now.getTime() - options.minutes * 60_000);
  // Only first alerts escalate: a repeated report is already in a thread that will.
  const due = await store.db
    .select()
    .from(fraudReports)
    .where(
      and(
        eq(fraudReports.alertState, 'posted'),
        eq(fraudReports.status, 'new'),
        isNull(fraudReports.escalatedAt),
        isNull(fraudReports.threadParentId),
        isNotNull(fraudReports.slackTs),
        lte(fraudReports.postedAt, cutoff),
      ),
    )
    .orderBy(asc(fraudReports.id))
    .limit(50);

  const escalated: FraudReportRow[] = [];
  for (const report of due) {
    const card = alertCard(await alertFacts(store, report, now), { timeZone: options.timeZone, escalation: { mention: options.mention, minutes: options.minutes } });
    const won = await store.db.transaction(async (tx) => {
      const [marked] = await tx
        .update(fraudReports)
        .set({ status: 'escalated', escalatedAt: now })
        .where(and(eq(fraudReports.id, report.id), eq(fraudReports.status, 'new'), isNull(fraudReports.escalatedAt)))
        .returning();
      if (!marked) return null;
      await enqueueInTx(tx, {
        dedupeKey: `fraud_escalation:${report.id}`,
        kind: 'fraud_escalation',
        channel: report.slackChannel!,
        threadTs: report.slackTs!,
        message: card,
      });
      return marked;
    });
    if (won) escalated.push(won);
  }
  return escalated;
}

