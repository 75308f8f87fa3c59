// Queues a bot post (summary, notice) for the dispatcher: one row per dedupe key, so queueing the
// same post twice (two replicas, a retried job) still posts it once. Commits wake the dispatcher.
import type { Db, Store } from '../../db/client.js';
import { slackOutbox } from '../../db/schema.js';
import type { SlackMessage } from './slack-poster.js';
import { signalAlertWork } from './wake-signal.js';

export interface OutboxMessage {
  dedupeKey: string;
  kind: string;
  channel: string;
  threadTs?: string | null;
  message: SlackMessage;
}

type Executor = Pick<Db, 'insert' | 'execute'>;

/** Inside a caller's transaction; true when the message was new. */
export async function enqueueInTx(tx: Executor, message: OutboxMessage): Promise<boolean> {
  const inserted = await tx
    .insert(slackOutbox)
    .values({ dedupeKey: message.dedupeKey, kind: message.kind, channel: message.channel, threadTs: message.threadTs ?? null, message: message.message })
    .onConflictDoNothing({ target: slackOutbox.dedupeKey })
    .returning({ id: slackOutbox.id });
  if (inserted.length > 0) await signalAlertWork(tx);
  return inserted.length > 0;
}

export function enqueuePost(store: Store, message: OutboxMessage): Promise<boolean> {
  return store.db.transaction((tx) => enqueueInTx(tx, message));
}
