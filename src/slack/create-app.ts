// Builds the Bolt app for HTTP or Socket Mode. Signature verification is Bolt's and is never
// turned off; over HTTP the request gate (request-gate.ts) checks every request before Bolt does.
import type { Server } from 'node:http';
import { App, HTTPReceiver, type Logger } from '@slack/bolt';
import type { Store } from '../../db/client.js';
import { createAdminCheck } from './admin-check.js';
import { createAnswerAdmission, DEFAULT_ADMISSION, type AdmissionLimits } from './answer-admission.js';
import { createAnswerCache, DEFAULT_ANSWER_CACHE_MB } from './answer-cache.js';
import { registerAppHome } from './app-home.js';
import { registerFraudActions } from './fraud-actions.js';
import { registerMfaActions } from './mfa-actions.js';
import { registerMfaCommand, type MfaCommandDeps, type Outcome } from './mfa-command.js';
import { gateSlackRequests } from './request-gate.js';
import { createSeenRequests } from './seen-requests.js';

export interface SlackAppOptions {
  botToken: string;
  signingSecret: string;
  /** Set for Socket Mode. */
  appToken?: string | undefined;
  slackApiUrl: string;
  admins: readonly string[];
  adminGroup?: string | undefined;
  timeZone: string;
  store: Store;
  /** Where the query audit and the replay check write (see MfaCommandDeps.records); default `store`. */
  recordStore?: Store;
  logger: Logger;
  now?: () => Date;
  /** The Web API client's retries; tests keep them short. */
  retries?: number;
  /** How long /mfa waits to answer inside the acknowledgement (default 2 s). */
  inlineAnswerMs?: number;
  /** /mfa questions worked on at once and waiting (ANSWERS_AT_ONCE, ANSWERS_WAITING). */
  admission?: AdmissionLimits;
  /** What the kept answers may weigh (ANSWER_CACHE_MB); 0 keeps none. */
  answerCacheBytes?: number;
}

export interface SlackApp {
  app: App;
  /** Starts listening; in HTTP mode resolves to the server (port 0 picks a free port; host limits the interface). */
  start(port: number, host?: string): Promise<Server | undefined>;
  stop(): Promise<void>;
}

export function createSlackApp(options: SlackAppOptions): SlackApp {
  const socketMode = Boolean(options.appToken);
  const app = new App({
    token: options.botToken,
    ...(socketMode ? { socketMode: true, appToken: options.appToken, signingSecret: options.signingSecret } : { receiver: gatedReceiver(options) }),
    logger: options.logger,
    // Bolt resets a given logger's level to its own default unless told the level to keep.
    logLevel: options.logger.getLevel(),
    clientOptions: {
      slackApiUrl: options.slackApiUrl,
      ...(options.retries !== undefined ? { retryConfig: { retries: options.retries } } : {}),
    },
  });

  const isAdmin = createAdminCheck({
    admins: options.admins,
    group: options.adminGroup,
    client: app.client,
    logger: options.logger,
  });
  const cacheBytes = options.answerCacheBytes ?? DEFAULT_ANSWER_CACHE_MB * 1024 * 1024;
  const answers = cacheBytes > 0 ? createAnswerCache<Outcome>({ store: options.store, logger: options.logger, maxBytes: cacheBytes }) : undefined;
  const deps: MfaCommandDeps = {
    store: options.store,
    records: options.recordStore ?? options.store,
    isAdmin,
    timeZone: options.timeZone,
    now: options.now ?? (() => new Date()),
    logger: options.logger,
    inlineAnswerMs: options.inlineAnswerMs,
    answers,
    admission: createAnswerAdmission(options.admission ?? DEFAULT_ADMISSION),
  };
  const homeDeps = { ...deps, admins: options.admins, adminGroup: options.adminGroup };
  registerMfaCommand(app, deps);
  registerMfaActions(app, deps);
  registerFraudActions(app, homeDeps);
  registerAppHome(app, homeDeps);
  app.error(async (error) => {
    // Listeners catch their own errors; anything here is a bug or a Slack delivery problem.
    options.logger.error('Unhandled error in a Slack listener', error);
  });

  return {
    app,
    async start(port, host) {
      await answers?.start();
      const started = await app.start(host ? { port, host } : port);
      return socketMode ? undefined : (started as Server);
    },
    async stop() {
      await app.stop();
      await answers?.stop();
    },
  };
}

/** Bolt's HTTP receiver (signature verification on, as by default) behind the request gate. */
function gatedReceiver(options: SlackAppOptions): HTTPReceiver {
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    logger: options.logger,
    logLevel: options.logger.getLevel(),
    customRoutes: [
      {
        path: '/healthz',
        method: ['GET'],
        handler: (_req, res) => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('ok');
        },
      },
    ],
  });
  const seen = createSeenRequests({ store: options.recordStore ?? options.store, logger: options.logger });
  receiver.requestListener = gateSlackRequests(receiver.requestListener, { signingSecret: options.signingSecret, logger: options.logger, seen });
  return receiver;
}
