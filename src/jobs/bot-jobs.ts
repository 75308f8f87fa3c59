// Which jobs the bot runs, from the configuration. A job whose channel or credentials are not
// configured is left out, with a line in the log saying so.
import type { Logger } from '@slack/bolt';
import type { Store } from '../../db/client.js';
import type { AlertDispatcher } from '../alerts/alert-dispatcher.js';
import type { Config } from '../config.js';
import type { FileUploader } from '../slack/file-uploader.js';
import { dailySummaryJob } from './daily-summary.js';
import type { Job, JobRunner } from './job-runner.js';
import { mfaFatigueJob } from './mfa-fatigue-scan.js';
import { retentionJob } from './retention.js';
import { serverWatchJob } from './server-watch.js';

export type JobConfig = Pick<
  Config,
  | 'TZ'
  | 'FRAUD_ALERT_CHANNEL'
  | 'SUMMARY_CHANNEL'
  | 'SUMMARY_CRON'
  | 'SYNC_CRON'
  | 'RETENTION_DAYS'
  | 'MFA_FATIGUE_PROMPTS'
  | 'MFA_FATIGUE_MINUTES'
  | 'SERVER_SILENT_MINUTES'
  | 'GRAPH_TENANT_ID'
  | 'GRAPH_CLIENT_ID'
  | 'GRAPH_CLIENT_SECRET'
>;

/** A Graph sync with the configured app registration; resolves to a summary for the log. */
export type SyncRunner = () => Promise<unknown>;

export interface BotJobDeps {
  store: Store;
  config: JobConfig;
  dispatcher: AlertDispatcher;
  logger: Logger;
  /** The Graph sync, when the build has one (src/sync). */
  sync?: SyncRunner;
  /** Uploads the daily summary's chart; without it the summary is text only. */
  uploadChart?: FileUploader;
}

export const FRAUD_ESCALATION_JOB = 'fraud-escalation';
export const GRAPH_SYNC_JOB = 'graph-sync';

/** The escalation check, every minute: the dispatcher does the work (it owns the Slack client). */
export function escalationJob(dispatcher: AlertDispatcher): Job {
  return {
    name: FRAUD_ESCALATION_JOB,
    cron: '* * * * *',
    async run() {
      const escalated = await dispatcher.escalateDue();
      return escalated > 0 ? `escalated ${escalated} alerts` : 'nothing due';
    },
  };
}

/** SYNC_CRON: pull Microsoft Graph into the store. Each source has its own lease as well. */
export function graphSyncJob(cron: string, sync: SyncRunner): Job {
  return {
    name: GRAPH_SYNC_JOB,
    cron,
    // A sync may page for a long time; it is not presumed dead before its own lease says so.
    leaseMs: 60 * 60_000,
    async run() {
      const summary = await sync();
      const text = typeof summary === 'string' ? summary : JSON.stringify(summary);
      return text ? text.slice(0, 500) : 'done';
    },
  };
}

export function addBotJobs(runner: JobRunner, deps: BotJobDeps): void {
  const { config, store, logger } = deps;
  runner.add(mfaFatigueJob({ store, policy: { prompts: config.MFA_FATIGUE_PROMPTS, minutes: config.MFA_FATIGUE_MINUTES } }));
  runner.add(retentionJob({ store, days: config.RETENTION_DAYS }));

  if (config.FRAUD_ALERT_CHANNEL) {
    runner.add(escalationJob(deps.dispatcher));
    runner.add(serverWatchJob({ store, channel: config.FRAUD_ALERT_CHANNEL, silentMinutes: config.SERVER_SILENT_MINUTES, timeZone: config.TZ }));
  } else {
    logger.warn('FRAUD_ALERT_CHANNEL is not set: no escalations and no server watch posts.');
  }

  if (config.SUMMARY_CHANNEL) {
    runner.add(dailySummaryJob({ store, channel: config.SUMMARY_CHANNEL, cron: config.SUMMARY_CRON, timeZone: config.TZ, uploadChart: deps.uploadChart, logger }));
  } else {
    logger.warn('SUMMARY_CHANNEL is not set: no daily summary.');
  }

  if (config.SYNC_CRON) {
    const graphConfigured = Boolean(config.GRAPH_TENANT_ID && config.GRAPH_CLIENT_ID && config.GRAPH_CLIENT_SECRET);
    if (!graphConfigured) logger.warn('SYNC_CRON is set but GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET are not: no scheduled sync.');
    else if (!deps.sync) logger.warn('SYNC_CRON is set but this build has no Graph sync to run: no scheduled sync.');
    else runner.add(graphSyncJob(config.SYNC_CRON, deps.sync));
  }
}
