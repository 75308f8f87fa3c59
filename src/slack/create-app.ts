// Builds the Bolt app for HTTP or Socket Mode. Signature verification is Bolt's and is never
// turned off; the only difference between the modes is how requests arrive.
import type { Server } from 'node:http';
import { App, type Logger } from '@slack/bolt';
import type { Store } from '../../db/client.js';
import { createAdminCheck } from './admin-check.js';
import { registerAppHome } from './app-home.js';
import { registerFraudActions } from './fraud-actions.js';
import { registerMfaActions } from './mfa-actions.js';
import { registerMfaCommand, type MfaCommandDeps } from './mfa-command.js';

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
  logger: Logger;
  now?: () => Date;
  /** The Web API client's retries; tests keep them short. */
  retries?: number;
  /** How long /mfa waits to answer inside the acknowledgement (default 2 s). */
  inlineAnswerMs?: number;
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
    signingSecret: options.signingSecret,
    ...(socketMode ? { socketMode: true, appToken: options.appToken } : {}),
    logger: options.logger,
    // Bolt resets a given logger's level to its own default unless told the level to keep.
    logLevel: options.logger.getLevel(),
    clientOptions: {
      slackApiUrl: options.slackApiUrl,
      ...(options.retries !== undefined ? { retryConfig: { retries: options.retries } } : {}),
    },
    customRoutes: socketMode
      ? []
      : [
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

  const isAdmin = createAdminCheck({
    admins: options.admins,
    group: options.adminGroup,
    client: app.client,
    logger: options.logger,
  });
  const deps: MfaCommandDeps = {
    store: options.store,
    isAdmin,
    timeZone: options.timeZone,
    now: options.now ?? (() => new Date()),
    logger: options.logger,
    inlineAnswerMs: options.inlineAnswerMs,
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
      const started = await app.start(host ? { port, host } : port);
      return socketMode ? undefined : (started as Server);
    },
    async stop() {
      await app.stop();
    },
  };
}
