// Repeated reports of one user become replies in the thread of the first alert, not new
// top-level posts: while a user's alert from the last FRAUD_THREAD_HOURS is in the channel, any
// further report of theirs (either kind) goes under it.
import { sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import type { FraudReportRow } from './alert-facts.js';

export type ThreadPlacement =
  | { kind: 'top_level' }
  | { kind: 'reply'; parentId: number; channel: string; threadTs: string }
  /** The first alert is not posted yet: post this one after it, in its thread. */
  | { kind: 'wait'; parentId: number };

export async function placeInThread(store: Store, report: FraudReportRow, channel: string, windowMs: number): Promise<ThreadPlacement> {
  const at = report.reportedAt.toISOString();
  const [parent] = await store.rows<{ id: number; alert_state: string; slack_channel: string | null; slack_ts: string | null }>(sql`
    SELECT "id", "alert_state", "slack_channel", "slack_ts" FROM "fraud_reports"
    WHERE lower("upn") = lower(${report.upn}) AND "id" < ${report.id} AND "thread_parent_id" IS NULL
      AND "alert_state" IN ('pending', 'posted')
      AND abs(extract(epoch FROM ("reported_at" - ${at}::timestamptz))) * 1000 <= ${windowMs}
    ORDER BY "id"
    LIMIT 1`);
  if (!parent) return { kind: 'top_level' };
  if (parent.alert_state === 'pending') return { kind: 'wait', parentId: Number(parent.id) };
  // A first alert in another channel (FRAUD_ALERT_CHANNEL changed since) starts no thread here.
  if (!parent.slack_ts || parent.slack_channel !== channel) return { kind: 'top_level' };
  return { kind: 'reply', parentId: Number(parent.id), channel, threadTs: parent.slack_ts };
}
