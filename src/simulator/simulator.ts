// The local simulator: the real Bolt app in HTTP mode on loopback, behind the local Slack
// stand-in, with a store seeded with the demo tenant on first run. `ask` sends a correctly signed
// slash command exactly as Slack would and returns the reply rendered as text; channel posts
// (alerts, summaries) are handed to `onPost` as they happen.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@slack/bolt';
import { sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { seedDemoTenant, type SeedSummary } from '../seed/seed-store.js';
import { createSlackApp, type SlackApp } from '../slack/create-app.js';
import { postSignedToSlackApp, slashCommandBody } from '../slack/sign-request.js';
import { renderMessageAsText } from '../views/render-text.js';
import { LocalSlackApi, type SlackCall } from './local-slack-api.js';

/** The simulated admin who types the commands. */
export const SIMULATOR_USER = 'USIMADMIN1';
export interface DemoTenant {
  users: number;
  days: number;
  seed: number;
}
export const DEMO_TENANT: DemoTenant = { users: 200, days: 30, seed: 42 };

export interface SimulatorOptions {
  store: Store;
  logger: Logger;
  timeZone: string;
  admins: readonly string[];
  adminGroup?: string | undefined;
  now?: () => Date;
  /** The tenant seeded into an empty store. */
  tenant?: DemoTenant;
  /** Printed when the demo tenant is being seeded. */
  onSeeding?: (tenant: DemoTenant) => void;
  onPost?: (text: string, call: SlackCall) => void;
}

export interface Simulator {
  url: string;
  seeded: SeedSummary | null;
  /** `/mfa summary 7d`, `summary 7d`, or `as U123 /mfa summary` to ask as someone else. */
  ask(line: string): Promise<string>;
  close(): Promise<void>;
}

export async function seedIfEmpty(store: Store, tenant: DemoTenant, onSeeding?: SimulatorOptions['onSeeding']): Promise<SeedSummary | null> {
  const [row] = await store.rows<{ any: boolean }>(sql`SELECT EXISTS (SELECT 1 FROM "signins") AS "any"`);
  if (row?.any) return null;
  onSeeding?.(tenant);
  return seedDemoTenant(store, { ...tenant, now: new Date() });
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const seeded = await seedIfEmpty(options.store, options.tenant ?? DEMO_TENANT, options.onSeeding);
  const api = new LocalSlackApi();
  await api.start();
  // A fresh secret per run: the simulator signs its own requests, exactly as Slack would.
  const signingSecret = randomBytes(24).toString('hex');
  const slack: SlackApp = createSlackApp({
    botToken: 'xoxb-local-simulator',
    signingSecret,
    slackApiUrl: api.apiUrl,
    admins: [...options.admins, SIMULATOR_USER],
    adminGroup: options.adminGroup,
    timeZone: options.timeZone,
    store: options.store,
    logger: options.logger,
    now: options.now,
    retries: 0,
  });
  const server = await slack.start(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}/slack/events`;

  api.on('call', (call) => {
    if (call.kind === 'api' && call.method === 'chat.postMessage' && call.status === 200) {
      options.onPost?.(`── posted to ${String(call.body.channel)} ──\n${renderMessageAsText(call.body)}`, call);
    }
  });

  return {
    url,
    seeded,
    async ask(line) {
      let text = line.trim();
      let user = SIMULATOR_USER;
      const as = /^as\s+([UW][A-Z0-9]+)\s+(.*)$/i.exec(text);
      if (as) {
        user = as[1]!.toUpperCase();
        text = as[2]!;
      }
      text = text.replace(/^\/mfa\b\s*/i, '');
      const responseUrl = api.responseUrl();
      const result = await postSignedToSlackApp(url, signingSecret, slashCommandBody({ text, userId: user, responseUrl }));
      if (result.status !== 200) return `The app answered HTTP ${result.status}: ${result.text}`;
      const acked = result.json as { text?: string; blocks?: unknown[] } | undefined;
      if (acked && !acked.text?.startsWith('Working on it')) return renderMessageAsText(acked);
      const id = responseUrl.split('/').pop();
      const late = await api.waitFor((call) => call.kind === 'respond' && call.id === id, 30_000);
      return renderMessageAsText(late.body);
    },
    async close() {
      await slack.stop();
      await api.stop();
    },
  };
}
