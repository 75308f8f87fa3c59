// What the bot does besides answering Slack: the alert dispatcher and the scheduled jobs, built the
// same way for HTTP, Socket Mode and the simulator (main.ts starts them itself, racing the jobs'
// catch-up against a stop signal; the simulator through startBackgroundWork). Stopping stops the
// jobs first (no new runs; the runs in progress finish while the dispatcher still delivers, since
// a run may wait for a post it queued: the daily summary's chart follows the summary), then lets
// the dispatcher finish the post in flight, both within one time limit; the caller closes the
// store after.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '@slack/bolt';
import type { Store } from '../../db/client.js';
import { createAlertDispatcher, type AlertDispatcher } from '../alerts/alert-dispatcher.js';
import type { DeliveryHooks } from '../alerts/deliver-once.js';
import { createSlackPoster, type SlackPoster } from '../alerts/slack-poster.js';
import type { Config } from '../config.js';
import { addBotJobs, type JobConfig, type SyncRunner } from '../jobs/bot-jobs.js';
import { createJobRunner, type JobRunner } from '../jobs/job-runner.js';
import { createFileUploader } from '../slack/file-uploader.js';
import { systemClock, type Clock } from '../time/clock.js';
import { settleWithin } from './settle-within.js';

export type BackgroundConfig = JobConfig &
  Pick<Config, 'FRAUD_ESCALATE_MINUTES' | 'FRAUD_ESCALATE_MENTION' | 'FRAUD_THREAD_HOURS' | 'FRAUD_ALERT_MAX_AGE_HOURS'>;

export interface BackgroundOptions {
  store: Store;
  logger: Logger;
  config: BackgroundConfig;
  botToken: string;
  slackApiUrl: string;
  /** The Graph sync for SYNC_CRON (src/sync), when there is one. */
  sync?: SyncRunner;
  clock?: Clock;
  /** Names this replica in `claimed_by` columns; default host, pid and a random suffix. */
  instanceId?: string;
  /** Tests: a fault between post and record. */
  hooks?: DeliveryHooks;
  /** Fallback polling of the dispatcher (default 5 s). */
  pollMs?: number;
  /** How long stop() waits for job runs and the post in flight, together (default: the runner's 10 s, then the dispatcher's 15 s). */
  stopTimeoutMs?: number;
}

export interface BackgroundWork {
  dispatcher: AlertDispatcher;
  jobs: JobRunner;
  poster: SlackPoster;
  stop(): Promise<void>;
}

export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** Builds the dispatcher and the job runner without starting them. */
export function createBackgroundWork(options: BackgroundOptions): BackgroundWork {
  const { store, logger, config } = options;
  const clock = options.clock ?? systemClock;
  const instanceId = options.instanceId ?? newInstanceId();
  const { stopTimeoutMs } = options;
  const poster = createSlackPoster({ token: options.botToken, slackApiUrl: options.slackApiUrl, clock, logger });
  const dispatcher = createAlertDispatcher({
    store,
    poster,
    logger,
    clock,
    instanceId,
    alertChannel: config.FRAUD_ALERT_CHANNEL,
    timeZone: config.TZ,
    threadWindowMs: config.FRAUD_THREAD_HOURS * 3_600_000,
    maxAgeMs: config.FRAUD_ALERT_MAX_AGE_HOURS * 3_600_000,
    escalation: { minutes: config.FRAUD_ESCALATE_MINUTES, mention: config.FRAUD_ESCALATE_MENTION },
    hooks: options.hooks,
    pollMs: options.pollMs,
    stopTimeoutMs,
  });
  const jobs = createJobRunner({ store, logger, timeZone: config.TZ, instanceId, clock, stopTimeoutMs });
  const uploadChart = createFileUploader({ token: options.botToken, slackApiUrl: options.slackApiUrl, logger });
  addBotJobs(jobs, { store, config, dispatcher, logger, sync: options.sync, uploadChart });
  return {
    dispatcher,
    jobs,
    poster,
    async stop() {
      const started = Date.now();
      await jobs.stop();
      if (stopTimeoutMs === undefined) return dispatcher.stop();
      // What is left of the time; a post abandoned at the deadline is found in Slack by whoever
      // delivers the row next, not posted twice (deliver-once.ts).
      if (!(await settleWithin(dispatcher.stop(), started + stopTimeoutMs - Date.now()))) {
        logger.warn('Stopped without waiting longer for the alert dispatcher; another replica or the next start delivers what it had.');
      }
    },
  };
}

export async function startBackgroundWork(options: BackgroundOptions): Promise<BackgroundWork> {
  const work = createBackgroundWork(options);
  await work.dispatcher.start();
  await work.jobs.start();
  return work;
}
