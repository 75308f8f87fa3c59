// What a Slack request whose report could not be read tells the user, and how loudly it is
// logged: the report store stopped a query that ran past its statement timeout, the store is
// unreachable (both: warnings, the user can act on them), or anything else (an error: a bug).
import type { Logger } from '@slack/bolt';
import type { Store } from '../../db/client.js';
import { isStatementTimeout, isStoreUnavailable } from '../../db/errors.js';
import type { Reply } from '../views/blocks.js';
import { notice } from '../views/notice-view.js';

export interface ReportFailure {
  /** The query audit's outcome. */
  outcome: 'timeout' | 'error';
  reply: Reply;
  /** The store could not be reached: nothing was read, and an audit write would wait in vain too. */
  storeUnavailable: boolean;
}

/** `what` names the request in the log line, e.g. "/mfa" or "the Home tab". */
export function reportFailure(error: unknown, store: Store, logger: Logger, what: string): ReportFailure {
  if (store.statementTimeoutMs !== null && isStatementTimeout(error)) {
    const seconds = store.statementTimeoutMs / 1000;
    logger.warn(`The report store stopped a query of ${what} at its statement timeout (${seconds} s)`);
    return { outcome: 'timeout', reply: notice.timedOut(seconds), storeUnavailable: false };
  }
  if (isStoreUnavailable(error)) {
    logger.warn(`The report store is unavailable (${what})`, error);
    return { outcome: 'error', reply: notice.storeUnavailable(), storeUnavailable: true };
  }
  logger.error(`Answering ${what} failed`, error);
  return { outcome: 'error', reply: notice.failed(), storeUnavailable: false };
}
