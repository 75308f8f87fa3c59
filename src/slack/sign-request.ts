/**
 * Build and send correctly signed Slack requests (slash commands, block actions) to a Bolt app.
 * Used by the local simulator and the tests; the requests go to loopback only.
 *
 * Signing: `x-slack-signature: v0=<hex HMAC-SHA256("v0:<ts>:<raw body>", signing secret)>`
 * with `x-slack-request-timestamp: <ts>` in Unix seconds.
 */
import { createHmac } from 'node:crypto';

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

export interface SlackSignatureHeaders {
  'x-slack-request-timestamp': string;
  'x-slack-signature': string;
}

export function signSlackRequest(
  signingSecret: string,
  body: string,
  timestampSec: number = Math.floor(Date.now() / 1000),
): SlackSignatureHeaders {
  const timestamp = String(Math.floor(timestampSec));
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': `v0=${digest}` };
}

export interface SlashCommandFields {
  /** Default `/mfa`. */
  command?: string | undefined;
  text: string;
  userId: string;
  userName?: string | undefined;
  teamId?: string | undefined;
  teamDomain?: string | undefined;
  channelId?: string | undefined;
  channelName?: string | undefined;
  apiAppId?: string | undefined;
  responseUrl: string;
  triggerId?: string | undefined;
}

/** The URL-encoded form body of a slash command, with every field Slack sends. */
export function slashCommandBody(fields: SlashCommandFields): string {
  const teamId = fields.teamId ?? 'T0SIM0001';
  const channelId = fields.channelId ?? 'C0SIMADMIN';
  return new URLSearchParams({
    token: 'simulated-verification-token',
    team_id: teamId,
    team_domain: fields.teamDomain ?? 'mfa-sim',
    channel_id: channelId,
    channel_name: fields.channelName ?? (channelId.startsWith('D') ? 'directmessage' : 'mfa-admins'),
    user_id: fields.userId,
    user_name: fields.userName ?? fields.userId.toLowerCase(),
    command: fields.command ?? '/mfa',
    text: fields.text,
    api_app_id: fields.apiAppId ?? 'A0SIMAPP1',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId ?? simulatedTriggerId(),
  }).toString();
}

/** The form body of an interactive payload (`block_actions`, `view_submission`, …). */
export function blockActionsBody(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface PostSignedOptions {
  /** Sign with this timestamp (e.g. a stale one to test rejection). */
  timestampSec?: number | undefined;
  /** Send this signature instead of the correct one. */
  signature?: string | undefined;
  /** Override the content type (Bolt accepts only `application/x-www-form-urlencoded` exactly). */
  contentType?: string | undefined;
}

export interface SignedPostResult {
  status: number;
  text: string;
  /** The response body parsed as JSON, or undefined when it is not JSON (e.g. an empty ack). */
  json: unknown;
}

/**
 * POST a signed form body to a Slack app's request URL (e.g. `http://127.0.0.1:3000/slack/events`).
 * The body is sent as a string with an explicit content type, so nothing appends `;charset=…`.
 * Only loopback URLs are allowed.
 */
export async function postSignedToSlackApp(
  url: string,
  signingSecret: string,
  body: string,
  opts: PostSignedOptions = {},
): Promise<SignedPostResult> {
  assertLoopback(url);
  const headers = signSlackRequest(signingSecret, body, opts.timestampSec);
  if (opts.signature !== undefined) headers['x-slack-signature'] = opts.signature;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': opts.contentType ?? FORM_CONTENT_TYPE, ...headers },
    body,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

function assertLoopback(url: string): void {
  const { hostname } = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(hostname)) {
    throw new Error(`postSignedToSlackApp only posts to loopback, not ${hostname}`);
  }
}

function simulatedTriggerId(): string {
  const random = Math.floor(Math.random() * 1e12).toString().padStart(12, '0');
  return `${Math.floor(Date.now() / 1000)}.${random}.sim${random.slice(0, 8)}`;
}

export interface EventCallbackFields {
  teamId?: string | undefined;
  apiAppId?: string | undefined;
  eventId?: string | undefined;
  eventTime?: number | undefined;
}

/** The JSON body of an Events API `event_callback` (send with content type `application/json`). */
export function eventCallbackBody(event: Record<string, unknown>, fields: EventCallbackFields = {}): string {
  const teamId = fields.teamId ?? 'T0SIM0001';
  const eventTime = fields.eventTime ?? Math.floor(Date.now() / 1000);
  return JSON.stringify({
    token: 'simulated-verification-token',
    team_id: teamId,
    api_app_id: fields.apiAppId ?? 'A0SIMAPP1',
    event: { event_ts: `${eventTime}.000100`, ...event },
    type: 'event_callback',
    event_id: fields.eventId ?? `Ev${eventTime.toString(36).toUpperCase()}${Math.floor(Math.random() * 1e9).toString(36).toUpperCase()}`,
    event_time: eventTime,
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: 'U0SIMBOT1', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });
}
