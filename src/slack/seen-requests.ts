// The signed Slack requests already received. Slack's signature covers the timestamp and the
// body, so a request with a signature seen before is a byte-for-byte replay. Replicas share what
// they have seen through slack_seen_requests (whoever inserts the row first has the request).
// Each process also remembers on its own, so a database that is down or slow never holds a
// request up: the gate then relies on this process's memory (a replay sent to another replica
// gets through, and the command answers "the report store is unavailable" by itself).
import type { Logger } from '@slack/bolt';
import { lt } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { slackSeenRequests } from '../../db/schema.js';
import { SLACK_TIMESTAMP_WINDOW_S } from './request-checks.js';

/**
 * How long past its timestamp a signature is kept: twice the window, so a replica whose clock
 * runs up to five minutes behind still finds it.
 */
const KEEP_MS = 2 * SLACK_TIMESTAMP_WINDOW_S * 1000;
const PRUNE_EVERY_MS = 60_000;
/** How long a request waits for the database once it has stopped answering. */
const FAILING_WAIT_MS = 50;

export type Sighting = 'first' | 'replay';

export interface SeenRequests {
  /** Records a signed request; 'replay' when this or another replica already had it. */
  remember(signature: string, timestampSec: number): Promise<Sighting>;
  /** Deletes the rows past their expiry; returns how many. */
  prune(): Promise<number>;
}

export interface SeenRequestsOptions {
  store: Store;
  logger: Logger;
  /**
   * How long a request waits for the database before it is let through on this process's memory
   * alone. Slack wants an answer within 3 s and /mfa waits up to 2 s inline, so this stays small.
   */
  databaseWaitMs?: number;
  now?: () => number;
}

class NoAnswer extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NoAnswer(ms)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** What went wrong, by code: a driver's message may carry connection details. */
function describeFailure(error: unknown): string {
  if (error instanceof NoAnswer) return error.message;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `error ${code}` : error instanceof Error ? error.name : 'an unknown error';
}

export function createSeenRequests({ store, logger, databaseWaitMs = 500, now = Date.now }: SeenRequestsOptions): SeenRequests {
  /** signature → when it may be forgotten (ms); insertion order is roughly expiry order. */
  const local = new Map<string, number>();
  let lastPruneMs = -Infinity;
  let databaseFailing = false;

  const forgetExpired = (nowMs: number) => {
    for (const [signature, expiresMs] of local) {
      if (expiresMs >= nowMs) break;
      local.delete(signature);
    }
  };

  const prune = async () => {
    const deleted = await store.db
      .delete(slackSeenRequests)
      .where(lt(slackSeenRequests.expiresAt, new Date(now())))
      .returning({ signature: slackSeenRequests.signature });
    return deleted.length;
  };

  const pruneNowAndThen = (nowMs: number) => {
    if (nowMs - lastPruneMs < PRUNE_EVERY_MS) return;
    lastPruneMs = nowMs;
    // Housekeeping off the request's path; the next round retries what this one could not do.
    prune().catch((error: unknown) => logger.debug(`Could not delete expired Slack request signatures (${describeFailure(error)})`));
  };

  const databaseAnswered = () => {
    if (!databaseFailing) return;
    databaseFailing = false;
    logger.info('Replay check: the database answers again; the replicas share the Slack requests they have seen again');
  };

  const databaseFailed = (error: unknown) => {
    if (databaseFailing) return;
    databaseFailing = true;
    logger.warn(
      `Replay check: the database did not record a Slack request (${describeFailure(error)}); until it does, each replica ` +
        'refuses only the replays it has seen itself',
    );
  };

  return {
    async remember(signature, timestampSec) {
      const nowMs = now();
      forgetExpired(nowMs);
      if (local.has(signature)) return 'replay';
      const expiresMs = timestampSec * 1000 + KEEP_MS;
      local.set(signature, expiresMs);
      pruneNowAndThen(nowMs);
      const insert = store.db
        .insert(slackSeenRequests)
        .values({ signature, expiresAt: new Date(expiresMs) })
        .onConflictDoNothing()
        .returning({ signature: slackSeenRequests.signature })
        .execute();
      // Past the deadline the insert may still land (and then serves the other replicas); its
      // failure is already reported by the deadline's.
      insert.catch(() => {});
      try {
        // While the database is failing, a request waits only a moment: the insert still tells
        // when it answers again, but requests stop paying the full wait one after another.
        const inserted = await withDeadline(insert, databaseFailing ? FAILING_WAIT_MS : databaseWaitMs);
        databaseAnswered();
        return inserted.length === 1 ? 'first' : 'replay';
      } catch (error) {
        databaseFailed(error);
        return 'first';
      }
    },
    prune,
  };
}
