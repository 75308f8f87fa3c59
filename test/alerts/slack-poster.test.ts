// What each kind of Slack trouble means for a post: wait (429), maybe posted (5xx, network),
// or refused (ok:false, and whether an admin has to fix something). Against the local stand-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackPoster, type PostRequest } from '../../src/alerts/slack-poster.js';
import { createLogger } from '../../src/logger.js';
import { LocalSlackApi } from '../../src/simulator/local-slack-api.js';
import { VirtualClock } from '../support/virtual-clock.js';

const clock = new VirtualClock();
const logger = createLogger({ sink: () => {} });
let api: LocalSlackApi;

const request = (key: string, channel = 'C0POSTER01'): PostRequest => ({
  channel,
  text: `message ${key}`,
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `message ${key}` } }],
  marker: { eventType: 'mfa_fraud_alert', dedupeKey: key },
});

beforeAll(async () => {
  api = new LocalSlackApi({ now: clock.now });
  await api.start();
});
afterAll(async () => {
  await api?.stop();
});

describe('slack poster', () => {
  it('sorts Slack answers into what the caller must do', async () => {
    const poster = createSlackPoster({ token: 'xoxb-test', slackApiUrl: api.apiUrl, clock, logger });
    api.failNext('chat.postMessage', { status: 429, retryAfter: 2 });
    expect(await poster.post(request('a'))).toEqual({ kind: 'rate_limited', retryAfterMs: 2000 });
    api.failNext('chat.postMessage', { status: 502 });
    expect(await poster.post(request('b'))).toEqual({ kind: 'uncertain', error: 'HTTP 502' });
    api.failNext('chat.postMessage', { error: 'not_in_channel' });
    expect(await poster.post(request('c'))).toEqual({ kind: 'refused', error: 'not_in_channel', configuration: true });
    api.failNext('chat.postMessage', { error: 'invalid_blocks' });
    expect(await poster.post(request('d'))).toEqual({ kind: 'refused', error: 'invalid_blocks', configuration: false });
    const posted = await poster.post(request('e'));
    expect(posted).toMatchObject({ kind: 'posted' });
  });

  it('counts a network failure as "maybe posted"', async () => {
    // Nothing listens on port 1 of loopback.
    const poster = createSlackPoster({ token: 'xoxb-test', slackApiUrl: 'http://127.0.0.1:1/api/', clock, logger, timeoutMs: 2000 });
    const outcome = await poster.post(request('f'));
    expect(outcome.kind).toBe('uncertain');
    expect(outcome.kind === 'uncertain' && outcome.error).toMatch(/^network: /);
  });

  it('finds an earlier post by its key, in the channel or in a thread', async () => {
    const poster = createSlackPoster({ token: 'xoxb-test', slackApiUrl: api.apiUrl, clock, logger });
    const top = await poster.post(request('g', 'C0POSTER02'));
    if (top.kind !== 'posted') throw new Error('not posted');
    const reply = await poster.post({ ...request('h', 'C0POSTER02'), threadTs: top.ts });
    if (reply.kind !== 'posted') throw new Error('not posted');
    const since = clock.now() - 60_000;
    expect(await poster.find('C0POSTER02', null, { eventType: 'mfa_fraud_alert', dedupeKey: 'g' }, since)).toEqual({ kind: 'found', ts: top.ts });
    expect(await poster.find('C0POSTER02', top.ts, { eventType: 'mfa_fraud_alert', dedupeKey: 'h' }, since)).toEqual({ kind: 'found', ts: reply.ts });
    expect(await poster.find('C0POSTER02', null, { eventType: 'mfa_fraud_alert', dedupeKey: 'h' }, since)).toEqual({ kind: 'not_found' });
    expect(await poster.find('C0POSTER02', null, { eventType: 'mfa_bot_post', dedupeKey: 'g' }, since)).toEqual({ kind: 'not_found' });
  });

  it('paces posts to one channel a second apart, other channels independently', async () => {
    const paced = new VirtualClock();
    const local = new LocalSlackApi({ now: paced.now });
    await local.start();
    try {
      const poster = createSlackPoster({ token: 'xoxb-test', slackApiUrl: local.apiUrl, clock: paced, logger });
      for (const key of ['1', '2', '3']) await poster.post(request(key, 'C0PACE0001'));
      const times = local.callsTo('chat.postMessage').map((c) => c.at.getTime());
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1000);
      expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(1000);
      // Posts started together take turns: each waits a second after the one before.
      paced.sleeps.length = 0;
      paced.advance(5000);
      await Promise.all(['4', '5', '6'].map((key) => poster.post(request(key, 'C0PACE0001'))));
      expect(paced.sleeps).toEqual([1000, 1000]);
      // Another channel does not wait for this one.
      paced.sleeps.length = 0;
      await poster.post(request('7', 'C0PACE0002'));
      expect(paced.sleeps).toEqual([]);
    } finally {
      await local.stop();
    }
  });
});
