// The alert dispatcher: posts every fraud alert (and every outbox message) to Slack exactly once,
// within seconds of the commit that created it. It wakes on the NOTIFY sent by that commit
// (wake-signal.ts), and also polls, because notifications sent while it was not listening are
// lost. Each wake-up runs one pass: claim due rows (SKIP LOCKED), deliver them one by one
// (deliver-once.ts), claim again until nothing is due. Several replicas may run one each.
import type { Logger } from '@slack/bolt';
import { eq, sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { isStoreUnavailable } from '../../db/errors.js';
import { slackOutbox } from '../../db/schema.js';
import { systemClock, type Clock } from '../time/clock.js';
import { alertCard, FRAUD_ALERT_EVENT } from './alert-card.js';
import { alertFacts, loadReport } from './alert-facts.js';
import { deliverOnce, describeRefusal, REFUSED_RETRY_MS, type DeliveryDeps, type DeliveryHooks, type DeliveryResult } from './deliver-once.js';
import { claimDue, FRAUD_QUEUE, OUTBOX_QUEUE, queueLedger, unclaim, type QueueTable } from './delivery-queue.js';
import { escalateDueAlerts, type EscalationOptions } from './escalate-alerts.js';
import type { SlackPoster } from './slack-poster.js';
import { placeInThread } from './thread-parent.js';
import { ALERT_WAKE_CHANNEL } from './wake-signal.js';

/** Metadata event type of outbox posts (summaries, escalations, notices). */
export const OUTBOX_EVENT = 'mfa_bot_post';

export interface DispatcherOptions {
  store: Store;
  poster: SlackPoster;
  logger: Logger;
  /** This replica, as recorded in `claimed_by`. */
  instanceId: string;
  /** FRAUD_ALERT_CHANNEL; unset: alerts are recorded and wait, nothing is posted. */
  alertChannel: string | undefined;
  timeZone: string;
  /** Repeated reports of a user within this window go into the first alert's thread. */
  threadWindowMs: number;
  /** Reports already older than this when they reached the store (a backfill) are not posted. */
  maxAgeMs: number;
  escalation: Omit<EscalationOptions, 'timeZone'>;
  clock?: Clock;
  /** Fallback polling interval (default 5 s). */
  pollMs?: number;
  /** A claim not renewed for this long is taken over by another replica (default 5 min). */
  leaseMs?: number;
  batchSize?: number;
  /** How long stop() waits for a post in flight (default 15 s: with the jobs' 10 s, inside a typical 30 s shutdown grace). */
  stopTimeoutMs?: number;
  hooks?: DeliveryHooks;
}

export interface PassSummary {
  posted: number;
  found: number;
  undelivered: number;
  skipped: number;
}

export interface AlertDispatcher {
  /** Starts listening and polling, and runs a first pass. */
  start(): Promise<void>;
  /** Asks for a pass soon (coalesced with one already running). */
  wake(): void;
  /** Runs a pass that starts after this call, and resolves with what it did. */
  runOnce(): Promise<PassSummary>;
  /** Escalates the alerts due now and queues their re-posts. */
  escalateDue(): Promise<number>;
  /** Stops waking up, lets the message in flight finish, and gives the rest back. */
  stop(): Promise<void>;
}

const emptySummary = (): PassSummary => ({ posted: 0, found: 0, undelivered: 0, skipped: 0 });

export function createAlertDispatcher(options: DispatcherOptions): AlertDispatcher {
  const { store, poster, logger, instanceId } = options;
  const clock = options.clock ?? systemClock;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const batchSize = options.batchSize ?? 20;
  const pollMs = options.pollMs ?? 5000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 15_000;
  let stopping = false;
  let current: Promise<PassSummary> | null = null;
  let queued: Promise<PassSummary> | null = null;
  let timer: NodeJS.Timeout | undefined;
  /** Set while the store is unreachable: one warning per outage, not one per poll. */
  let storeDown = false;
  let unlisten: (() => Promise<void>) | undefined;
  /** Slack refusals already logged, per channel: one clear error, not one per attempt. */
  const reported = new Map<string, string>();

  const deps: DeliveryDeps = {
    poster,
    clock,
    logger,
    hooks: options.hooks,
    onRefused(channel, error, configuration) {
      if (reported.get(channel) === error) return;
      reported.set(channel, error);
      const fix = configuration
        ? 'Check the channel ID (FRAUD_ALERT_CHANNEL / SUMMARY_CHANNEL) and invite the bot to the channel.'
        : 'This looks like a bug in the message; it has been kept.';
      logger.error(
        `Cannot post to Slack: ${describeRefusal(channel, error)}. ${fix} Messages for ${channel} stay pending (shown as undelivered in /mfa fraud) and are retried every ${REFUSED_RETRY_MS / 60_000} minutes.`,
      );
    },
    onDelivered(channel) {
      if (!reported.delete(channel)) return;
      logger.info(`Posting to ${channel} works again; delivering what was pending.`);
    },
  };

  async function deliverAlert(id: number, putBack: number[], summary: PassSummary): Promise<void> {
    const report = await loadReport(store, id);
    if (!report || report.alertState !== 'pending' || report.claimedBy !== instanceId) return;
    const maybePosted = report.postAttemptedAt !== null;

    if (!maybePosted && report.deliveryAttempts === 0 && report.createdAt.getTime() - report.reportedAt.getTime() > options.maxAgeMs) {
      const hours = Math.round(options.maxAgeMs / 3_600_000);
      await store.rows(sql`
        UPDATE "fraud_reports" SET "alert_state" = 'skipped', "claimed_by" = NULL, "claimed_at" = NULL,
          "last_delivery_error" = ${`Not posted: the report was more than ${hours} hours old when it reached the store (a backfill; FRAUD_ALERT_MAX_AGE_HOURS)`}
        WHERE "id" = ${id} AND "claimed_by" = ${instanceId} RETURNING "id"`);
      summary.skipped += 1;
      return;
    }

    // An attempt that may have reached Slack fixes where the alert goes: that is where to look.
    let channel = report.slackChannel ?? options.alertChannel!;
    let threadTs = report.slackThreadTs;
    let parentId = report.threadParentId;
    if (!maybePosted) {
      channel = options.alertChannel!;
      const placement = await placeInThread(store, report, channel, options.threadWindowMs);
      if (placement.kind === 'wait') {
        await unclaim(store, FRAUD_QUEUE, id, instanceId);
        putBack.push(id);
        return;
      }
      threadTs = placement.kind === 'reply' ? placement.threadTs : null;
      parentId = placement.kind === 'reply' ? placement.parentId : null;
    }

    const result = await deliverOnce(
      { marker: { eventType: FRAUD_ALERT_EVENT, dedupeKey: report.dedupeKey }, channel, threadTs, maybePostedSinceMs: report.postAttemptedAt?.getTime() ?? null },
      async () => alertCard(await alertFacts(store, report, new Date(clock.now())), { timeZone: options.timeZone }),
      queueLedger(store, FRAUD_QUEUE, id, { instanceId, channel, threadTs, onAttempt: sql`"thread_parent_id" = ${parentId}` }),
      deps,
    );
    count(result, summary);
  }

  async function deliverOutbox(id: number, summary: PassSummary): Promise<void> {
    const [row] = await store.db.select().from(slackOutbox).where(eq(slackOutbox.id, id));
    if (!row || row.state !== 'pending' || row.claimedBy !== instanceId) return;
    const result = await deliverOnce(
      { marker: { eventType: OUTBOX_EVENT, dedupeKey: row.dedupeKey }, channel: row.channel, threadTs: row.threadTs, maybePostedSinceMs: row.postAttemptedAt?.getTime() ?? null },
      async () => row.message,
      queueLedger(store, OUTBOX_QUEUE, id, { instanceId, channel: row.channel, threadTs: row.threadTs }),
      deps,
    );
    count(result, summary);
  }

  function count(result: DeliveryResult, summary: PassSummary): void {
    if (result.kind === 'posted') summary.posted += 1;
    else if (result.kind === 'found') summary.found += 1;
    else if (result.kind !== 'claim_lost') summary.undelivered += 1;
  }

  /** Delivers each claimed row in turn; once stopping, gives the rest back. */
  async function drain(table: QueueTable, ids: number[], deliver: (id: number) => Promise<void>): Promise<void> {
    for (const id of ids) {
      if (stopping) {
        await unclaim(store, table, id, instanceId);
        continue;
      }
      try {
        await deliver(id);
      } catch (error) {
        // The rest would fail the same way: the pass ends, and the wake-up that ran it says so once.
        if (isStoreUnavailable(error)) throw error;
        // The row keeps its claim (and its "maybe posted" mark) until the lease runs out: whoever
        // takes it then looks in Slack before posting.
        logger.error(`Delivering ${table.name} ${id} failed; it will be retried after the lease`, error);
      }
    }
  }

  async function pass(): Promise<PassSummary> {
    const summary = emptySummary();
    const putBack: number[] = [];
    while (!stopping) {
      const claim = { instanceId, nowMs: clock.now(), leaseMs, limit: batchSize };
      const alerts = options.alertChannel ? await claimDue(store, FRAUD_QUEUE, { ...claim, exclude: putBack }) : [];
      const outbox = await claimDue(store, OUTBOX_QUEUE, { ...claim, exclude: [] });
      if (storeDown) {
        storeDown = false;
        logger.info('Alert dispatch: the store is reachable again; delivering what is pending.');
      }
      if (alerts.length === 0 && outbox.length === 0) break;
      await drain(FRAUD_QUEUE, alerts, (id) => deliverAlert(id, putBack, summary));
      await drain(OUTBOX_QUEUE, outbox, (id) => deliverOutbox(id, summary));
    }
    if (summary.posted + summary.found + summary.undelivered + summary.skipped > 0) {
      logger.info(`Alert dispatch: ${summary.posted} posted, ${summary.found} found already posted, ${summary.undelivered} not delivered yet, ${summary.skipped} backfilled reports recorded without a post`);
    }
    return summary;
  }

  function runOnce(): Promise<PassSummary> {
    if (!current) {
      current = pass().finally(() => {
        current = null;
      });
      return current;
    }
    // One pass is running; a wake-up during it may concern rows it has already passed over.
    queued ??= current
      .catch(() => emptySummary())
      .then(() => {
        queued = null;
        return runOnce();
      });
    return queued;
  }

  /** The pass whose failure is logged: wake-ups that joined it do not log it again. */
  let watchedPass: Promise<PassSummary> | null = null;

  function wake(): void {
    if (stopping) return;
    const pass = runOnce();
    if (pass === watchedPass) return;
    watchedPass = pass;
    pass.catch((error: unknown) => {
      if (!isStoreUnavailable(error)) {
        logger.error('Alert dispatch pass failed; the next wake-up or poll retries', error);
        return;
      }
      // A claimed row keeps its claim (and its "maybe posted" mark) until the lease runs out;
      // whoever takes it then looks in Slack before posting. Nothing is lost or doubled.
      if (storeDown) logger.debug('Alert dispatch: the store is still unavailable');
      else logger.warn(`Alert dispatch: the store is unavailable; alerts and posts wait in it and go out once it is back (retried every ${pollMs / 1000} s).`);
      storeDown = true;
    });
  }

  return {
    async start() {
      if (!options.alertChannel) {
        logger.warn('FRAUD_ALERT_CHANNEL is not set: fraud alerts are recorded (see /mfa fraud) but not posted to Slack.');
      }
      try {
        unlisten = await store.listen(ALERT_WAKE_CHANNEL, () => wake(), () => wake());
      } catch (error) {
        logger.warn(`Could not LISTEN for new alerts; polling every ${pollMs / 1000} s instead`, error);
      }
      timer = setInterval(wake, pollMs);
      timer.unref();
      wake();
    },
    wake,
    runOnce,
    async escalateDue() {
      if (!options.alertChannel) return 0;
      const escalated = await escalateDueAlerts(store, new Date(clock.now()), { ...options.escalation, timeZone: options.timeZone });
      for (const report of escalated) {
        logger.info(`Escalated fraud alert #${report.id} (${report.upn}): not acknowledged within ${options.escalation.minutes} minutes`);
        // The card in the channel shows the new status; the re-post itself goes through the outbox.
        try {
          const card = alertCard(await alertFacts(store, report, new Date(clock.now())), { timeZone: options.timeZone });
          await poster.update(report.slackChannel!, report.slackTs!, card);
        } catch (error) {
          logger.warn(`Could not mark alert #${report.id} as escalated on its card`, error);
        }
      }
      if (escalated.length > 0) wake();
      return escalated.length;
    },
    async stop() {
      stopping = true;
      clearInterval(timer);
      await unlisten?.().catch((error: unknown) => logger.debug('UNLISTEN failed while stopping', error));
      // Finish the message in flight; the pass gives back what it had not started. A message
      // still waiting out Slack (a long Retry-After) is left claimed: after the lease another
      // replica takes it and looks in Slack before posting, so nothing is lost or doubled.
      let deadline: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        Promise.allSettled([current, queued]).then(() => true),
        new Promise<boolean>((resolve) => (deadline = setTimeout(() => resolve(false), stopTimeoutMs))),
      ]);
      clearTimeout(deadline);
      if (!finished) logger.warn(`Stopped without waiting longer for a Slack post in flight (${stopTimeoutMs / 1000} s); another replica or the next start delivers it.`);
    },
  };
}
