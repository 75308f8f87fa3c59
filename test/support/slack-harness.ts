// The real Bolt app in HTTP mode on loopback, talking to the local Slack stand-in that records
// every call. Tests send correctly signed requests exactly as Slack would.
import type { AddressInfo } from 'node:net';
import { LogLevel } from '@slack/bolt';
import type { Store } from '../../db/client.js';
import { createLogger } from '../../src/logger.js';
import { LocalSlackApi } from '../../src/simulator/local-slack-api.js';
import type { AdmissionLimits } from '../../src/slack/answer-admission.js';
import { createSlackApp, type SlackApp } from '../../src/slack/create-app.js';
import { blockActionsBody, postSignedToSlackApp, slashCommandBody, type PostSignedOptions } from '../../src/slack/sign-request.js';
import type { Reply } from '../../src/views/blocks.js';

export const ADMIN = 'UADMIN0001';
export const OUTSIDER = 'UOUTSIDE01';
export const SIGNING_SECRET = 'test-signing-secret-0123456789';

export interface HarnessOptions {
  store: Store;
  now?: () => Date;
  admins?: string[];
  adminGroup?: string;
  groups?: Record<string, string[]>;
  timeZone?: string;
  inlineAnswerMs?: number;
  admission?: AdmissionLimits;
  answerCacheBytes?: number;
}

export interface CommandReply extends Reply {
  response_type?: string;
  replace_original?: boolean;
}

export interface Harness {
  api: LocalSlackApi;
  slack: SlackApp;
  url: string;
  logLines: string[];
  /** Sends `/mfa <text>` and returns the reply, from the ack body or the response_url. */
  command(text: string, options?: { user?: string; post?: PostSignedOptions }): Promise<{ status: number; reply: CommandReply | null; body: string; via: 'ack' | 'response_url' | null }>;
  /**
   * Presses a button of a reply (a signed block_actions request); returns what went to its
   * response_url. `channel` / `messageTs` name the message pressed (a posted card); with
   * `awaitResponse: false` it returns once the app has acknowledged (a press answered in place).
   */
  press(
    button: { action_id: string; value?: string; block_id?: string },
    options?: { user?: string; channel?: string; messageTs?: string; awaitResponse?: boolean },
  ): Promise<{ status: number; response: CommandReply | null }>;
  close(): Promise<void>;
}

/** Every button in a reply's blocks. */
export function buttonsOf(reply: { blocks?: unknown[] } | null): Array<{ action_id: string; value?: string; block_id?: string; text: string }> {
  const found: Array<{ action_id: string; value?: string; block_id?: string; text: string }> = [];
  for (const block of (reply?.blocks ?? []) as Array<{ type: string; block_id?: string; elements?: Array<{ type: string; action_id: string; value?: string; text?: { text: string } }> }>) {
    if (block.type !== 'actions') continue;
    for (const element of block.elements ?? []) {
      if (element.type === 'button') found.push({ action_id: element.action_id, value: element.value, block_id: block.block_id, text: element.text?.text ?? '' });
    }
  }
  return found;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const api = new LocalSlackApi({ groups: options.groups ?? {} });
  await api.start();
  const logLines: string[] = [];
  const logger = createLogger({ level: LogLevel.DEBUG, secrets: [SIGNING_SECRET], sink: (line) => logLines.push(line) });
  const slack = createSlackApp({
    botToken: 'xoxb-test-token',
    signingSecret: SIGNING_SECRET,
    slackApiUrl: api.apiUrl,
    admins: options.admins ?? [ADMIN],
    adminGroup: options.adminGroup,
    timeZone: options.timeZone ?? 'UTC',
    store: options.store,
    logger,
    now: options.now,
    retries: 0,
    inlineAnswerMs: options.inlineAnswerMs,
    admission: options.admission,
    answerCacheBytes: options.answerCacheBytes,
  });
  const server = await slack.start(0, '127.0.0.1');
  const { port } = server!.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/slack/events`;

  return {
    api,
    slack,
    url,
    logLines,
    async command(text, { user = ADMIN, post } = {}) {
      const responseUrl = api.responseUrl();
      const body = slashCommandBody({ text, userId: user, responseUrl });
      const result = await postSignedToSlackApp(url, SIGNING_SECRET, body, post);
      if (result.status !== 200) return { status: result.status, reply: null, body: result.text, via: null };
      const acked = result.json as CommandReply | undefined;
      if (acked?.blocks && !acked.text?.startsWith('Working on it')) return { status: 200, reply: acked, body: result.text, via: 'ack' };
      const id = responseUrl.split('/').pop();
      const late = await api.waitFor((call) => call.kind === 'respond' && call.id === id, 10_000);
      return { status: 200, reply: late.body as unknown as CommandReply, body: result.text, via: 'response_url' };
    },
    async press(button, { user = ADMIN, channel = 'C0SIMADMIN', messageTs, awaitResponse = true } = {}) {
      const responseUrl = api.responseUrl();
      const payload = {
        type: 'block_actions',
        user: { id: user, username: user.toLowerCase(), team_id: api.teamId },
        api_app_id: api.appId,
        token: 'simulated-verification-token',
        team: { id: api.teamId, domain: api.teamDomain },
        channel: { id: channel, name: 'mfa-admins' },
        container: { type: 'message', message_ts: messageTs ?? '1700000000.000100', channel_id: channel, is_ephemeral: !messageTs },
        trigger_id: `${Date.now()}.trigger`,
        response_url: responseUrl,
        actions: [{ type: 'button', action_id: button.action_id, block_id: button.block_id ?? 'mfa_pager', value: button.value, action_ts: `${Date.now() / 1000}` }],
      };
      const result = await postSignedToSlackApp(url, SIGNING_SECRET, blockActionsBody(payload));
      if (result.status !== 200 || !awaitResponse) return { status: result.status, response: null };
      const id = responseUrl.split('/').pop();
      const call = await api.waitFor((c) => c.kind === 'respond' && c.id === id, 10_000);
      return { status: 200, response: call.body as unknown as CommandReply };
    },
    async close() {
      await slack.stop();
      await api.stop();
    },
  };
}
