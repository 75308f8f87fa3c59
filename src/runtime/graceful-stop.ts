// How the bot stops on SIGTERM (or SIGINT) in HTTP and Socket Mode: it takes no new work at once
// (the server stops listening, the scheduler starts no run), lets the work in flight finish
// (requests with their late answers and uploads, job runs, and the alert dispatcher's posts until
// those runs are done), and only then closes the report store that work reads. Each wait is bounded, so the
// process exits within the 10 s an orchestrator typically allows before it kills.
import type { Server } from 'node:http';
import type { Logger } from '@slack/bolt';
import type { Store } from '../../db/client.js';
import type { SlackApp } from '../slack/create-app.js';
import type { BackgroundWork } from './background-work.js';
import type { RequestTracker } from './request-tracker.js';
import { settleWithin } from './settle-within.js';

/** How long work in flight is waited for; the rest of the 10 s is for closing the store. */
export const STOP_WAIT_MS = 7000;
/** Past this after the signal the process exits anyway (with status 1: something hung). */
export const EXIT_DEADLINE_MS = 9500;

export interface RunningParts {
  slack: SlackApp;
  /** The HTTP server (HTTP mode). */
  server: Server | undefined;
  requests: RequestTracker;
  background: BackgroundWork;
  /** The requests' stores (reports, and the audit's and replay check's); the caller closes the main store after this resolves. */
  reports: Store;
  records: Store;
  logger: Logger;
}

export async function stopGracefully(parts: RunningParts): Promise<void> {
  const { logger } = parts;
  const waitMs = STOP_WAIT_MS;
  const deadline = Date.now() + waitMs;
  // Both start now and are waited for below; a failure is logged and the rest still stops.
  const closing = parts.slack.stop().catch((error: unknown) => logger.warn('Stopping the Slack connection failed', error));
  const background = parts.background.stop().catch((error: unknown) => logger.error('Stopping the jobs and the alert dispatcher failed', error));
  if (!(await parts.requests.drain(waitMs))) {
    logger.warn(`Stopped without waiting longer for ${parts.requests.inFlight} Slack request(s) in flight (${waitMs / 1000} s).`);
  }
  // A keep-alive connection left idle by the last answer would hold the server open until the
  // client hangs up.
  parts.server?.closeIdleConnections();
  if (!(await settleWithin(closing, deadline - Date.now()))) parts.server?.closeAllConnections();
  await closing;
  await background;
  await Promise.all([parts.reports.close(), parts.records.close()]);
}

/**
 * Resolves at the first SIGTERM or SIGINT. From then on the process exits within EXIT_DEADLINE_MS
 * whatever happens: with status 1 should stopping hang (a store that never closes, say).
 */
export function stopSignal(logger: Logger): Promise<string> {
  const exitWithinMs = EXIT_DEADLINE_MS;
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      logger.info(`${signal}: stopping (no new work; finishing what is in flight)`);
      setTimeout(() => {
        logger.error(`Did not stop within ${exitWithinMs / 1000} s of the signal; exiting now.`);
        process.exit(1);
      }, exitWithinMs).unref();
      resolve(signal);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
