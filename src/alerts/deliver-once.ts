// Delivers one claimed message to Slack at most once, and eventually (at least once) unless
// Slack keeps refusing it. Slack has no idempotency key for chat.postMessage, so exactly-once
// rests on three things:
//   1. before each attempt the row records "a post may be on its way" (`post_attempted_at`);
//   2. every post carries its dedupe key in message metadata;
//   3. an attempt that may have reached Slack (a 5xx, a timeout, a crash before the ts was
//      recorded) is followed by a look at the channel (or thread) for that key before posting
//      again: found, its ts is recorded instead of posting a second time.
// A 429 or an `ok:false` answer means "not posted", so the marker is cleared and no look is
// needed. Failures that outlast this pass release the row with a time for the next attempt.
import type { Logger } from '@slack/bolt';
import { backoffDelay } from '../time/backoff.js';
import type { LookupOutcome, PostMarker, PostOutcome, SlackMessage, SlackPoster } from './slack-poster.js';
import type { Clock } from '../time/clock.js';

/** What the delivery knows about the row it delivers. */
export interface Deliverable {
  marker: PostMarker;
  channel: string;
  threadTs: string | null;
  /** Set when an earlier attempt may have reached Slack: when it started. */
  maybePostedSinceMs: number | null;
}

/** The row's side of a delivery: each call is one small UPDATE guarded by the claim. */
export interface DeliveryLedger {
  /** Renews the claim and marks a post as possibly on its way; false when the claim was lost. */
  beginAttempt(nowMs: number): Promise<boolean>;
  /** The last attempt certainly did not post (429, ok:false). */
  notPosted(): Promise<void>;
  /** Slack has the message. */
  posted(ts: string, nowMs: number): Promise<void>;
  /** Gives the row back until `retryAtMs`, recording why it is not delivered yet. */
  release(error: string, retryAtMs: number): Promise<void>;
}

export interface DeliveryHooks {
  /** Runs between Slack accepting a post and the ts being recorded (tests simulate a crash here). */
  afterPost?(marker: PostMarker, ts: string): Promise<void> | void;
}

export interface DeliveryDeps {
  poster: SlackPoster;
  clock: Clock;
  logger: Logger;
  hooks?: DeliveryHooks;
  /** Reports Slack refusals that need an admin (logged once per channel and error by the caller). */
  onRefused(channel: string, error: string, configuration: boolean): void;
  onDelivered(channel: string): void;
}

export type DeliveryResult =
  | { kind: 'posted'; ts: string }
  | { kind: 'found'; ts: string }
  | { kind: 'released'; error: string }
  | { kind: 'refused'; error: string }
  | { kind: 'claim_lost' };

/** Attempts with an uncertain outcome (5xx, network) within one pass before the row is released. */
export const UNCERTAIN_ATTEMPTS = 5;
/** 429s waited out within one pass before the row is released. */
export const RATE_LIMIT_WAITS = 10;
/** A refused post is tried again after this (a channel fixed by an admin starts receiving). */
export const REFUSED_RETRY_MS = 5 * 60_000;
const BACKOFF = { baseDelayMs: 1000, maxDelayMs: 60_000 };

export async function deliverOnce(item: Deliverable, render: () => Promise<SlackMessage>, ledger: DeliveryLedger, deps: DeliveryDeps): Promise<DeliveryResult> {
  const { poster, clock } = deps;
  let maybePostedSince = item.maybePostedSinceMs;
  let uncertain = 0;
  let rateLimited = 0;
  let lastError = '';
  let message: SlackMessage | null = null;

  while (uncertain < UNCERTAIN_ATTEMPTS && rateLimited <= RATE_LIMIT_WAITS) {
    if (maybePostedSince !== null) {
      const look: LookupOutcome = await poster.find(item.channel, item.threadTs, item.marker, maybePostedSince);
      if (look.kind === 'found') {
        deps.logger.info(`Found ${item.marker.dedupeKey} already in ${item.channel} (ts ${look.ts}) from an earlier attempt; recorded it instead of posting again`);
        await ledger.posted(look.ts, clock.now());
        deps.onDelivered(item.channel);
        return { kind: 'found', ts: look.ts };
      }
      if (look.kind === 'unavailable') {
        // Posting blind could double the message: wait and look again.
        lastError = `could not check the channel for an earlier attempt: ${look.error}`;
        uncertain += 1;
        await clock.sleep(look.retryAfterMs ?? backoffDelay(uncertain, BACKOFF));
        continue;
      }
      if (look.kind === 'refused') {
        // We may never be able to look (e.g. no channels:history scope): prefer a possible
        // duplicate to a lost alert, and say so.
        deps.logger.warn(`Cannot look in ${item.channel} for an earlier attempt of ${item.marker.dedupeKey} (${look.error}); posting it again, which may duplicate it. Grant the bot channels:history and groups:history.`);
      }
    }

    message ??= await render();
    // Marked only once the channel's turn has come: a long wait (a Retry-After) must not
    // outlast the claim it renews.
    const outcome: PostOutcome = await poster.post({ channel: item.channel, threadTs: item.threadTs, marker: item.marker, ...message }, async () => {
      const mine = await ledger.beginAttempt(clock.now());
      if (mine) maybePostedSince ??= clock.now();
      return mine;
    });

    switch (outcome.kind) {
      case 'not_sent':
        return { kind: 'claim_lost' };
      case 'posted':
        await deps.hooks?.afterPost?.(item.marker, outcome.ts);
        await ledger.posted(outcome.ts, clock.now());
        deps.onDelivered(item.channel);
        return { kind: 'posted', ts: outcome.ts };
      case 'rate_limited':
        // The pacer holds the channel for Retry-After; the next post waits for it.
        await ledger.notPosted();
        maybePostedSince = null;
        rateLimited += 1;
        lastError = `rate limited by Slack (Retry-After ${Math.round(outcome.retryAfterMs / 1000)} s)`;
        deps.logger.debug(`Slack rate-limited a post to ${item.channel}; waiting ${outcome.retryAfterMs} ms`);
        continue;
      case 'refused':
        await ledger.notPosted();
        deps.onRefused(item.channel, outcome.error, outcome.configuration);
        await ledger.release(describeRefusal(item.channel, outcome.error), clock.now() + REFUSED_RETRY_MS);
        return { kind: 'refused', error: outcome.error };
      case 'uncertain':
        uncertain += 1;
        lastError = `Slack did not confirm the post: ${outcome.error}`;
        deps.logger.warn(`Post of ${item.marker.dedupeKey} to ${item.channel} failed (${outcome.error}); attempt ${uncertain} of ${UNCERTAIN_ATTEMPTS} in this pass`);
        await clock.sleep(backoffDelay(uncertain, BACKOFF));
        continue;
    }
  }
  const retryAt = clock.now() + backoffDelay(uncertain + 1, BACKOFF);
  await ledger.release(lastError, retryAt);
  return { kind: 'released', error: lastError };
}

/** What `/mfa fraud` shows for an undelivered alert. */
export function describeRefusal(channel: string, error: string): string {
  switch (error) {
    case 'channel_not_found':
      return `Slack says channel ${channel} does not exist or the bot cannot see it (channel_not_found)`;
    case 'not_in_channel':
      return `The bot is not a member of ${channel} (not_in_channel): invite it with /invite`;
    case 'is_archived':
    case 'channel_is_archived':
      return `Channel ${channel} is archived (${error})`;
    default:
      return `Slack refused the post to ${channel}: ${error}`;
  }
}
