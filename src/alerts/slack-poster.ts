// The bot's own posts to Slack (alerts, the daily summary, notices): one attempt per call, paced
// to Slack's one message per second per channel, with every failure sorted into what the caller
// must do about it. Retrying is the caller's business (deliver-once.ts), because only the caller
// knows whether a retry could double a post.
//
// The Web API client is told never to retry on its own: @slack/web-api would otherwise pause every
// call of the client on a 429 and retry 5xx answers for ~30 minutes without us knowing whether an
// attempt reached the channel (slack-and-stack.md §1.7).
import { webApi, type Logger } from '@slack/bolt';
import type { Clock } from '../time/clock.js';
import { ChannelPacer } from './channel-pacer.js';

export interface SlackMessage {
  text: string;
  blocks: unknown[];
}

/** Marks a post so it can be found again in the channel (the key of exactly-once). */
export interface PostMarker {
  eventType: string;
  dedupeKey: string;
}

export interface PostRequest extends SlackMessage {
  channel: string;
  /** Reply in this thread. */
  threadTs?: string | null;
  marker: PostMarker;
}

export type PostOutcome =
  | { kind: 'posted'; ts: string }
  /** `beforeSend` said no (the caller lost its claim while waiting for the channel's turn). */
  | { kind: 'not_sent' }
  /** 429: certainly not posted; Slack asks us to wait. */
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** 5xx, network error or timeout: the message may or may not have been posted. */
  | { kind: 'uncertain'; error: string }
  /** An `ok:false` answer: not posted. `configuration` when an admin must fix something (channel, scopes, token). */
  | { kind: 'refused'; error: string; configuration: boolean };

export type LookupOutcome =
  | { kind: 'found'; ts: string }
  | { kind: 'not_found' }
  /** Slack could not answer now (429, 5xx, network): look again later. */
  | { kind: 'unavailable'; error: string; retryAfterMs?: number }
  /** Slack will not let us look (e.g. a missing history scope). */
  | { kind: 'refused'; error: string };

export interface SlackPoster {
  /**
   * One paced attempt. `beforeSend` runs once it is this post's turn, right before the request
   * goes out, so whatever it records (a claim, "a post may be on its way") is fresh when it does.
   */
  post(request: PostRequest, beforeSend?: () => Promise<boolean>): Promise<PostOutcome>;
  /**
   * Looks for a message carrying `marker` in the channel (or in the thread `threadTs`) posted at
   * or after `sinceMs`: did an earlier attempt reach Slack after all?
   */
  find(channel: string, threadTs: string | null, marker: PostMarker, sinceMs: number): Promise<LookupOutcome>;
  /** Replaces a posted message (an alert card after a button press). Throws on failure. */
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
}

export interface SlackPosterOptions {
  token: string;
  slackApiUrl: string;
  clock: Clock;
  logger: Logger;
  /** Per request; an attempt that takes longer counts as uncertain. */
  timeoutMs?: number;
  /** Minimum gap between two posts to one channel (Slack: one per second). */
  paceMs?: number;
}

/** Platform errors an admin has to fix; they will not go away by retrying soon. */
const CONFIGURATION_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'channel_is_archived',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'ekm_access_denied',
  'missing_scope',
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'org_login_required',
]);

/** History pages read when looking for an earlier post (200 messages each). */
const MAX_LOOKUP_PAGES = 10;
/** Slack's clock and ours may differ: look a little earlier than the first attempt. */
const LOOKUP_MARGIN_MS = 5 * 60_000;

type Classified =
  | { kind: 'rate_limited'; retryAfterMs: number }
  | { kind: 'uncertain'; error: string }
  | { kind: 'refused'; error: string; configuration: boolean };

/** Sorts a WebClient error into what it means for a post. */
export function classifySlackError(error: unknown): Classified {
  if (error instanceof webApi.WebAPIRateLimitedError) return { kind: 'rate_limited', retryAfterMs: Math.max(1, error.retryAfter) * 1000 };
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = error.data.error;
    // Some gateways answer a rate limit with 200 {ok:false, error:'ratelimited'}.
    if (code === 'ratelimited' || code === 'rate_limited') return { kind: 'rate_limited', retryAfterMs: 1000 };
    if (code === 'internal_error' || code === 'fatal_error' || code === 'service_unavailable' || code === 'request_timeout') {
      return { kind: 'uncertain', error: code };
    }
    return { kind: 'refused', error: code, configuration: CONFIGURATION_ERRORS.has(code) };
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    if (error.statusCode === 429) return { kind: 'rate_limited', retryAfterMs: 1000 };
    return { kind: 'uncertain', error: `HTTP ${error.statusCode}` };
  }
  if (error instanceof webApi.WebAPIRequestError) return { kind: 'uncertain', error: `network: ${error.original?.message ?? error.message}` };
  return { kind: 'uncertain', error: error instanceof Error ? error.message : String(error) };
}

interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

/** The WebClient logs through this: its chatter goes to debug, and it cannot rename our logger. */
function clientLogger(logger: Logger): Logger {
  return {
    debug: (...parts) => logger.debug(...parts),
    info: (...parts) => logger.debug(...parts),
    warn: (...parts) => logger.debug(...parts),
    error: (...parts) => logger.warn(...parts),
    setLevel: () => {},
    getLevel: () => logger.getLevel(),
    setName: () => {},
  };
}

export function createSlackPoster(options: SlackPosterOptions): SlackPoster {
  const client = new webApi.WebClient(options.token, {
    slackApiUrl: options.slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 15_000,
    logger: clientLogger(options.logger),
  });
  const pacer = new ChannelPacer(options.clock, options.paceMs ?? 1000);

  return {
    async post(request, beforeSend) {
      await pacer.turn(request.channel);
      if (beforeSend && !(await beforeSend())) return { kind: 'not_sent' };
      try {
        const answer = await client.apiCall('chat.postMessage', {
          channel: request.channel,
          text: request.text,
          blocks: request.blocks,
          ...(request.threadTs ? { thread_ts: request.threadTs } : {}),
          metadata: { event_type: request.marker.eventType, event_payload: { dedupe_key: request.marker.dedupeKey } },
          unfurl_links: false,
          unfurl_media: false,
        });
        const { ts } = answer as { ts?: unknown };
        if (typeof ts !== 'string' || !ts) return { kind: 'uncertain', error: 'Slack answered without a message ts' };
        return { kind: 'posted', ts };
      } catch (error) {
        const outcome = classifySlackError(error);
        // Everyone posting to the channel from this process waits out a rate limit.
        if (outcome.kind === 'rate_limited') pacer.pause(request.channel, outcome.retryAfterMs);
        return outcome;
      }
    },

    async find(channel, threadTs, marker, sinceMs) {
      const oldest = Math.max(0, sinceMs - LOOKUP_MARGIN_MS) / 1000;
      let cursor: string | undefined;
      try {
        for (let page = 0; page < MAX_LOOKUP_PAGES; page += 1) {
          const answer = threadTs
            ? await client.apiCall('conversations.replies', { channel, ts: threadTs, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) })
            : await client.apiCall('conversations.history', {
                channel,
                oldest: oldest.toFixed(6),
                include_all_metadata: true,
                limit: 200,
                ...(cursor ? { cursor } : {}),
              });
          for (const message of ((answer as { messages?: HistoryMessage[] }).messages ?? [])) {
            if (message.metadata?.event_type === marker.eventType && message.metadata.event_payload?.dedupe_key === marker.dedupeKey && message.ts) {
              return { kind: 'found', ts: message.ts };
            }
          }
          cursor = (answer.response_metadata as { next_cursor?: string } | undefined)?.next_cursor || undefined;
          if (!cursor) break;
        }
        return { kind: 'not_found' };
      } catch (error) {
        const outcome = classifySlackError(error);
        if (outcome.kind === 'refused') return { kind: 'refused', error: outcome.error };
        if (outcome.kind === 'rate_limited') return { kind: 'unavailable', error: 'ratelimited', retryAfterMs: outcome.retryAfterMs };
        return { kind: 'unavailable', error: outcome.error };
      }
    },

    async update(channel, ts, message) {
      await client.apiCall('chat.update', { channel, ts, text: message.text, blocks: message.blocks });
    },
  };
}
