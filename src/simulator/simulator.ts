// The local simulator: the real Bolt app in HTTP mode on loopback, behind the local Slack
// stand-in, with a store seeded with the demo tenant on first run. `ask` sends a correctly signed
// slash command exactly as Slack would and returns the reply rendered as text; channel posts
// (alerts, summaries) are handed to `onPost` as they happen. Uploaded files (charts, CSV exports)
// are written to `chartDir` and their path handed to `onPost`; `ask` adds the path of its chart.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@slack/bolt';
import { sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { defaultChartDir, writeChartFile } from '../charts/chart-files.js';
import { startBackgroundWork, type BackgroundConfig, type BackgroundWork } from '../runtime/background-work.js';
import { seedDemoTenant, type SeedSummary } from '../seed/seed-store.js';
import { createSlackApp, type SlackApp } from '../slack/create-app.js';
import { eventCallbackBody, postSignedToSlackApp, slashCommandBody } from '../slack/sign-request.js';
import { renderMessageAsText } from '../views/render-text.js';
import { LocalSlackApi, type SlackCall } from './local-slack-api.js';

/** The simulated admin who types the commands. */
export const SIMULATOR_USER = 'USIMADMIN1';
/** Where alerts and summaries go when FRAUD_ALERT_CHANNEL / SUMMARY_CHANNEL are not set. */
export const SIMULATOR_ALERT_CHANNEL = 'C0SIMFRAUD';
export const SIMULATOR_SUMMARY_CHANNEL = 'C0SIMSUMMARY';
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
  /** Where uploaded files are written (default: mfa-bot-charts in the system's temporary folder). */
  chartDir?: string;
  /**
   * Runs the alert dispatcher and the scheduled jobs against the local Slack stand-in, with this
   * configuration (channels default to the simulator's). Without it, only commands are answered.
   */
  background?: { config: Omit<BackgroundConfig, 'FRAUD_ALERT_CHANNEL' | 'SUMMARY_CHANNEL'> & Partial<Pick<BackgroundConfig, 'FRAUD_ALERT_CHANNEL' | 'SUMMARY_CHANNEL'>> };
}

export interface Simulator {
  url: string;
  /** The local Slack stand-in (every call it received). */
  api: LocalSlackApi;
  /** The dispatcher and jobs, when started with `background`. */
  background: BackgroundWork | null;
  seeded: SeedSummary | null;
  /** `/mfa summary 7d`, `summary 7d`, `home` (the Home tab), or `as U123 /mfa summary` to ask as someone else. */
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

  const chartDir = options.chartDir ?? defaultChartDir();
  /** Written files by Slack file id. */
  const written = new Map<string, Promise<string | null>>();
  api.on('call', (call) => {
    if (call.kind === 'api' && call.method === 'chat.postMessage' && call.status === 200) {
      const thread = call.body.thread_ts ? ` (in the thread of ${String(call.body.thread_ts)})` : '';
      options.onPost?.(`── posted to ${String(call.body.channel)}${thread} ──\n${renderMessageAsText(call.body)}`, call);
    }
    if (call.method === 'files.completeUploadExternal' && typeof call.response === 'object' && call.response.ok === true) {
      for (const entry of Array.isArray(call.body.files) ? (call.body.files as Array<{ id?: string }>) : []) {
        const file = api.uploads().find((f) => f.id === entry.id);
        if (!file) continue;
        const writing = writeChartFile(`${file.id}-${file.filename}`, file.bytes, chartDir).then(
          (path) => {
            options.onPost?.(`── uploaded ${file.filename} to ${file.channelId ?? 'no channel'} ──\nwritten to ${path}`, call);
            return path;
          },
          (error: unknown) => {
            options.logger.error(`Could not write the uploaded ${file.filename} to ${chartDir}`, error);
            return null;
          },
        );
        written.set(file.id, writing);
      }
    }
  });

  const background = options.background
    ? await startBackgroundWork({
        store: options.store,
        logger: options.logger,
        config: {
          ...options.background.config,
          FRAUD_ALERT_CHANNEL: options.background.config.FRAUD_ALERT_CHANNEL ?? SIMULATOR_ALERT_CHANNEL,
          SUMMARY_CHANNEL: options.background.config.SUMMARY_CHANNEL ?? SIMULATOR_SUMMARY_CHANNEL,
        },
        botToken: 'xoxb-local-simulator',
        slackApiUrl: api.apiUrl,
      })
    : null;

  /** Opens the Home tab as `user` (a signed app_home_opened event) and renders what was published. */
  async function openHome(user: string): Promise<string> {
    const before = new Set(api.calls);
    const body = eventCallbackBody({ type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab: 'home' }, { teamId: api.teamId, apiAppId: api.appId });
    const result = await postSignedToSlackApp(url, signingSecret, body, { contentType: 'application/json' });
    if (result.status !== 200) return `The app answered HTTP ${result.status}: ${result.text}`;
    const published = await api.waitFor((call) => !before.has(call) && call.method === 'views.publish' && call.body.user_id === user, 30_000);
    return renderMessageAsText(published.body.view as { blocks?: unknown[] });
  }

  return {
    url,
    api,
    background,
    seeded,
    async ask(line) {
      let text = line.trim();
      let user = SIMULATOR_USER;
      const as = /^as\s+([UW][A-Z0-9]+)\s+(.*)$/i.exec(text);
      if (as) {
        user = as[1]!.toUpperCase();
        text = as[2]!;
      }
      if (/^home$/i.test(text)) return openHome(user);
      text = text.replace(/^\/mfa\b\s*/i, '');
      const responseUrl = api.responseUrl();
      const before = new Set(api.calls);
      const result = await postSignedToSlackApp(url, signingSecret, slashCommandBody({ text, userId: user, responseUrl }));
      if (result.status !== 200) return `The app answered HTTP ${result.status}: ${result.text}`;
      const acked = result.json as { text?: string; blocks?: unknown[] } | undefined;
      let answer: string;
      if (acked && !acked.text?.startsWith('Working on it')) answer = renderMessageAsText(acked);
      else {
        const id = responseUrl.split('/').pop();
        const late = await api.waitFor((call) => call.kind === 'respond' && call.id === id, 30_000);
        answer = renderMessageAsText(late.body);
      }
      // A reply that says a chart follows: wait for its upload and name the file it was written to.
      if (!/The chart is (sent|posted)/.test(answer)) return answer;
      const uploaded = await api
        .waitFor((call) => !before.has(call) && call.method === 'files.completeUploadExternal', 30_000)
        .catch(() => null);
      const ids = Array.isArray(uploaded?.body.files) ? (uploaded.body.files as Array<{ id?: string }>).map((f) => f.id ?? '') : [];
      const paths = await Promise.all(ids.map((fileId) => written.get(fileId) ?? Promise.resolve(null)));
      const lines = paths.filter((p): p is string => p !== null).map((p) => `Chart written to ${p}`);
      return [answer, ...(lines.length ? lines : ['The chart was not uploaded; see the log.'])].join('\n');
    },
    async close() {
      // Jobs stop and the post in flight finishes before Slack (here: the stand-in) goes away.
      await background?.stop();
      await slack.stop();
      await api.stop();
    },
  };
}
