// npm start: runs the bot in the mode the environment selects (see src/config.ts): Slack over
// HTTP, Socket Mode, or, with no Slack credentials, the local simulator on the embedded store.
import { LogLevel, type Logger } from '@slack/bolt';
import type { Store } from '../db/client.js';
import { exitOnError } from './cli/exit-on-error.js';
import { loadConfig, loadDotEnv, type Config } from './config.js';
import { createLogger } from './logger.js';
import { createBackgroundWork } from './runtime/background-work.js';
import { STOP_WAIT_MS, stopGracefully, stopSignal } from './runtime/graceful-stop.js';
import { openConfiguredStore } from './runtime/open-configured-store.js';
import { trackRequests } from './runtime/request-tracker.js';
import { warmReportConnections } from './runtime/warm-report-connections.js';
import { runRepl } from './simulator/repl.js';
import { startSimulator } from './simulator/simulator.js';
import { createSlackApp } from './slack/create-app.js';
import { formatSyncSummary } from './sync/format-summary.js';
import { runConfiguredSync } from './sync/graph-settings.js';

/** The pool of the audit and replay-check writes (one-row inserts; two keep up at 50 requests a second). */
const RECORD_CONNECTIONS = 2;

async function runSimulatorMode(config: Config, logger: Logger, store: Store): Promise<void> {
  const simulator = await startSimulator({
    store,
    logger,
    timeZone: config.TZ,
    admins: config.MFA_ADMINS,
    adminGroup: config.MFA_ADMIN_GROUP,
    onSeeding: (t) => process.stdout.write(`First run: seeding a demo tenant (${t.users} users, ${t.days} days of sign-ins) into ${store.description}…\n`),
    onPost: (text) => process.stdout.write(`\n${text}\n`),
    background: { config },
  });
  try {
    await runRepl(simulator, process.stdin, process.stdout);
  } finally {
    await simulator.close();
  }
}

async function runSlackMode(config: Config, logger: Logger, store: Store): Promise<void> {
  if (store.kind === 'pglite') {
    logger.warn('Running against the embedded PGlite store: fine for one replica; set DATABASE_URL to Postgres for production.');
  }
  // Requests read through a pool whose statements stop after REPORT_TIMEOUT_SECONDS: a report
  // nobody waits for any more must not keep running. Jobs, sync and retention keep `store`.
  const reports = store.withStatementTimeout(config.REPORT_TIMEOUT_SECONDS * 1000);
  // The replay check before every acknowledgement and the audit row of every answer are one-row
  // writes: two connections of their own keep them from waiting behind busy report queries.
  const records = store.withStatementTimeout(config.REPORT_TIMEOUT_SECONDS * 1000, RECORD_CONNECTIONS);
  await warmReportConnections(reports, logger);
  // Listening for the signal before anything starts: one that comes during start-up (a long
  // catch-up of missed job slots) stops the bot as gracefully as any other.
  const signalled = stopSignal(logger);
  const slack = createSlackApp({
    botToken: config.SLACK_BOT_TOKEN!,
    signingSecret: config.SLACK_SIGNING_SECRET!,
    appToken: config.SLACK_APP_TOKEN,
    slackApiUrl: config.SLACK_API_URL,
    admins: config.MFA_ADMINS,
    adminGroup: config.MFA_ADMIN_GROUP,
    timeZone: config.TZ,
    store: reports,
    recordStore: records,
    logger,
    admission: { running: config.ANSWERS_AT_ONCE, waiting: config.ANSWERS_WAITING },
    answerCacheBytes: config.ANSWER_CACHE_MB * 1024 * 1024,
  });
  const requests = trackRequests(slack.app);
  const server = await slack.start(config.PORT);
  logger.info(config.mode === 'socket' ? 'Connected to Slack in Socket Mode' : `Listening for Slack on port ${config.PORT} (/slack/events)`);
  const background = createBackgroundWork({
    store,
    logger,
    config,
    botToken: config.SLACK_BOT_TOKEN!,
    slackApiUrl: config.SLACK_API_URL,
    stopTimeoutMs: STOP_WAIT_MS,
    // A sync with a failed source counts as a failed run (job_runs, logs); its pages are kept.
    sync: async () => {
      const summary = await runConfiguredSync(store, config, logger);
      const text = formatSyncSummary(summary).trim();
      if (!summary.ok) throw new Error(text);
      return text;
    },
  });
  if (config.MFA_ADMINS.length === 0 && !config.MFA_ADMIN_GROUP) {
    logger.warn('Neither MFA_ADMINS nor MFA_ADMIN_GROUP is set: every /mfa request will be refused.');
  }
  await background.dispatcher.start();
  // The jobs' start runs the slots missed while the bot was down; a signal meanwhile stops them.
  await Promise.race([background.jobs.start(), signalled]);
  await signalled;
  // The store closes last, in main.
  await stopGracefully({ slack, server, requests, background, reports, records, logger });
}

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const logger = createLogger({
    level: config.mode === 'simulator' ? LogLevel.WARN : LogLevel.INFO,
    secrets: [config.SLACK_SIGNING_SECRET, config.SLACK_BOT_TOKEN, config.SLACK_APP_TOKEN, config.GRAPH_CLIENT_SECRET],
  });
  const store = await openConfiguredStore(config, logger);
  try {
    if (config.mode === 'simulator') await runSimulatorMode(config, logger, store);
    else await runSlackMode(config, logger, store);
  } finally {
    await store.close();
  }
  process.exit(0);
}

main().catch(exitOnError);
