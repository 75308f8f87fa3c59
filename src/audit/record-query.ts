// The query audit: one row per /mfa question, allowed or refused. An audit write that fails is
// logged, never allowed to turn an answer into an error.
import type { Logger } from '@slack/bolt';
import type { Store } from '../../db/client.js';
import { isStoreUnavailable } from '../../db/errors.js';
import { queryAudit } from '../../db/schema.js';
import { scrubPhoneNumbers } from '../ingest/scrub.js';

export type AuditEntry = Omit<typeof queryAudit.$inferInsert, 'id' | 'at'>;

const MAX_TEXT = 500;

/** Whether the row was written; a caller that has data to show may still decline to show it. */
export type AuditResult = 'recorded' | 'store unavailable' | 'failed';

export async function recordQuery(store: Store, entry: AuditEntry, logger: Logger): Promise<AuditResult> {
  const commandText = scrubPhoneNumbers(entry.commandText.replace(/[\p{Cc}]/gu, ' ')).slice(0, MAX_TEXT);
  try {
    await store.db.insert(queryAudit).values({ ...entry, commandText });
    return 'recorded';
  } catch (error) {
    // An unreachable store is an outage the reply already reported, not a bug.
    if (isStoreUnavailable(error)) {
      logger.warn(`Could not record the query audit entry of ${entry.actor} (${entry.outcome}): the report store is unavailable`);
      return 'store unavailable';
    }
    logger.error('Could not record the query audit entry', { actor: entry.actor, outcome: entry.outcome }, error);
    return 'failed';
  }
}
