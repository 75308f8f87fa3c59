// The wake-up hint for the alert dispatcher: a NOTIFY sent in the transaction that creates
// something to post, so it arrives exactly when that commits (and never if it rolls back). It is
// only a hint (one per transaction, carrying nothing): the rows are the truth, and the dispatcher
// also polls, because notifications sent while it was not listening are lost (perf-anchors §4).
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

export const ALERT_WAKE_CHANNEL = 'mfa_bot_alerts';

/** Queues the NOTIFY in `tx`'s transaction. */
export async function signalAlertWork(tx: Pick<Db, 'execute'>): Promise<void> {
  await tx.execute(sql`select pg_notify(${ALERT_WAKE_CHANNEL}, '')`);
}
