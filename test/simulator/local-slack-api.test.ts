import { ErrorCode, LogLevel, WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { LocalSlackApi, type SlackCall } from '../../src/simulator/local-slack-api.js';

const TOKEN = 'xoxb-local-test-token';

const blocks = [
  { type: 'header', text: { type: 'plain_text', text: 'MFA summary' } },
  { type: 'section', text: { type: 'mrkdwn', text: '*82%* of users registered' } },
];
const metadata = { event_type: 'mfa_summary_posted', event_payload: { window: '7d', registered: 82 } };

describe('LocalSlackApi', () => {
  const api = new LocalSlackApi({ groups: { S0ADMINS: ['U0ADMIN1', 'U0ADMIN2'] } });
  let client: WebClient;

  beforeAll(async () => {
    await api.start();
    client = new WebClient(TOKEN, { slackApiUrl: api.apiUrl, retryConfig: { retries: 0 } });
  });
  afterEach(() => api.reset());
  afterAll(() => api.stop());

  it('listens on loopback only and builds URLs from the bound port', () => {
    expect(api.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const a = api.responseUrl();
    const b = api.responseUrl();
    expect(a).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/respond\/.+/);
    expect(a).not.toBe(b);
    expect(api.responseUrl('cmd-1')).toBe(`${api.baseUrl}/respond/cmd-1`);
  });

  it('answers auth.test like Slack so Bolt can verify its token', async () => {
    const result = await client.auth.test();
    expect(result).toMatchObject({ ok: true, user_id: api.botUserId, bot_id: api.botId, team_id: api.teamId });
  });

  it('records chat.postMessage with blocks and metadata parsed, and the token out of sight', async () => {
    const result = await client.chat.postMessage({ channel: 'C0MFA', text: 'MFA summary', blocks, metadata });

    expect(result.ok).toBe(true);
    expect(result.channel).toBe('C0MFA');
    expect(result.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(result.message).toMatchObject({ text: 'MFA summary', blocks, metadata, bot_id: api.botId });

    const [call] = api.callsTo('chat.postMessage');
    expect(call).toMatchObject({ kind: 'api', method: 'chat.postMessage', status: 200 });
    expect(call?.body).toMatchObject({ channel: 'C0MFA', text: 'MFA summary', blocks, metadata });
    expect(call?.body).not.toHaveProperty('token');
    expect(call?.token).toBe(TOKEN);
    expect(JSON.stringify(call)).not.toContain(TOKEN);
    expect(api.posts('C0MFA')).toHaveLength(1);
    expect(api.posts('C0OTHER')).toHaveLength(0);
  });

  it('gives unique, increasing message timestamps', async () => {
    const tss: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { ts } = await client.chat.postMessage({ channel: 'C0MFA', text: `n${i}` });
      tss.push(ts ?? '');
    }
    expect(new Set(tss).size).toBe(5);
    expect([...tss].sort((a, b) => Number(a) - Number(b))).toEqual(tss);
  });

  it('serves conversations.history newest first with metadata, honouring oldest and limit', async () => {
    const first = await client.chat.postMessage({ channel: 'C0MFA', text: 'first', metadata });
    const second = await client.chat.postMessage({ channel: 'C0MFA', text: 'second', blocks });
    const third = await client.chat.postMessage({ channel: 'C0MFA', text: 'third' });
    await client.chat.postMessage({ channel: 'C0ELSEWHERE', text: 'not here' });

    const all = await client.conversations.history({ channel: 'C0MFA' });
    expect(all.messages?.map((m) => m.text)).toEqual(['third', 'second', 'first']);
    expect(all.messages?.[2]?.metadata).toEqual(metadata);
    expect(all.messages?.[1]?.blocks).toEqual(blocks);

    const newer = await client.conversations.history({ channel: 'C0MFA', oldest: first.ts ?? '' });
    expect(newer.messages?.map((m) => m.ts)).toEqual([third.ts, second.ts]);

    const limited = await client.conversations.history({ channel: 'C0MFA', limit: 2 });
    expect(limited.messages?.map((m) => m.text)).toEqual(['third', 'second']);
    expect(limited.has_more).toBe(true);
    const next = await client.conversations.history({
      channel: 'C0MFA',
      limit: 2,
      cursor: limited.response_metadata?.next_cursor ?? '',
    });
    expect(next.messages?.map((m) => m.text)).toEqual(['first']);
    expect(next.has_more).toBe(false);
  });

  it('threads replies and updates messages', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0MFA', text: 'parent' });
    await client.chat.postMessage({ channel: 'C0MFA', text: 'reply', thread_ts: parent.ts ?? '' });

    const replies = await client.conversations.replies({ channel: 'C0MFA', ts: parent.ts ?? '' });
    expect(replies.messages?.map((m) => m.text)).toEqual(['parent', 'reply']);
    const history = await client.conversations.history({ channel: 'C0MFA' });
    expect(history.messages?.map((m) => m.text)).toEqual(['parent']);
    expect(history.messages?.[0]?.reply_count).toBe(1);

    const updated = await client.chat.update({ channel: 'C0MFA', ts: parent.ts ?? '', text: 'parent (edited)' });
    expect(updated).toMatchObject({ ok: true, ts: parent.ts, text: 'parent (edited)' });
    await expect(client.chat.update({ channel: 'C0MFA', ts: '1.000000', text: 'x' })).rejects.toMatchObject({
      data: { error: 'message_not_found' },
    });
  });

  it('honours a 429 with Retry-After: the retrying client succeeds on the second attempt', async () => {
    const retrying = new WebClient(TOKEN, {
      slackApiUrl: api.apiUrl,
      retryConfig: { retries: 1 },
      logLevel: LogLevel.ERROR,
    });
    api.failNext('chat.postMessage', { status: 429, retryAfter: 1 });

    const started = Date.now();
    const result = await retrying.chat.postMessage({ channel: 'C0MFA', text: 'after the limit' });

    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    const calls = api.callsTo('chat.postMessage');
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[0]?.response).toEqual({ ok: false, error: 'ratelimited' });
    expect(api.posts()).toHaveLength(1);
  }, 15_000);

  it('rejects immediately on 429 when the client is told to', async () => {
    const strict = new WebClient(TOKEN, {
      slackApiUrl: api.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    api.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    await expect(strict.chat.postMessage({ channel: 'C0MFA', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
  });

  it('surfaces ok:false channel_not_found as a platform error, recorded with status 200', async () => {
    api.failNext('chat.postMessage', { error: 'channel_not_found' });

    const error = (await client.chat.postMessage({ channel: 'C0GONE', text: 'x' }).catch((e: unknown) => e)) as WebAPIPlatformError;

    expect(error.code).toBe(ErrorCode.PlatformError);
    expect(error.data.error).toBe('channel_not_found');
    expect(api.callsTo('chat.postMessage')).toMatchObject([{ status: 200, response: { ok: false, error: 'channel_not_found' } }]);
    expect(api.posts()).toHaveLength(0);
    // only the next call fails
    await expect(client.chat.postMessage({ channel: 'C0MFA', text: 'ok now' })).resolves.toMatchObject({ ok: true });
  });

  it('answers HTTP 500 for `times` calls', async () => {
    api.failNext('conversations.history', { status: 500, times: 2 });
    for (let i = 0; i < 2; i += 1) {
      await expect(client.conversations.history({ channel: 'C0MFA' })).rejects.toMatchObject({
        code: ErrorCode.HTTPError,
        statusCode: 500,
      });
    }
    await expect(client.conversations.history({ channel: 'C0MFA' })).resolves.toMatchObject({ ok: true });
    expect(api.callsTo('conversations.history').map((c) => c.status)).toEqual([500, 500, 200]);
  });

  it('answers not_authed without a token', async () => {
    const anonymous = new WebClient(undefined, { slackApiUrl: api.apiUrl, retryConfig: { retries: 0 } });
    await expect(anonymous.chat.postMessage({ channel: 'C0MFA', text: 'x' })).rejects.toMatchObject({
      data: { error: 'not_authed' },
    });
  });

  it('lists user group members from the configured map', async () => {
    await expect(client.usergroups.users.list({ usergroup: 'S0ADMINS' })).resolves.toMatchObject({
      ok: true,
      users: ['U0ADMIN1', 'U0ADMIN2'],
    });
    await expect(client.usergroups.users.list({ usergroup: 'S0NOPE' })).rejects.toMatchObject({
      data: { ok: false, error: 'no_such_subteam' },
    });
  });

  it('answers users.info with a realistic user, overridable per id', async () => {
    const configured = new LocalSlackApi({ users: { U0ADMIN1: { real_name: 'Ada Admin', tz: 'Europe/Paris', is_admin: true } } });
    await configured.start();
    try {
      const c = new WebClient(TOKEN, { slackApiUrl: configured.apiUrl, retryConfig: { retries: 0 } });
      const { user } = await c.users.info({ user: 'U0ADMIN1' });
      expect(user).toMatchObject({ id: 'U0ADMIN1', real_name: 'Ada Admin', tz: 'Europe/Paris', is_admin: true });
      expect(user?.profile?.real_name).toBe('Ada Admin');
      const other = await c.users.info({ user: 'U0SOMEONE' });
      expect(other.user).toMatchObject({ id: 'U0SOMEONE', name: 'u0someone', tz: expect.any(String) });
    } finally {
      await configured.stop();
    }
  });

  it('publishes Home views and keeps the last one per user', async () => {
    const view = { type: 'home' as const, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] };
    const result = await client.views.publish({ user_id: 'U0ADMIN1', view });
    expect(result.view).toMatchObject({ type: 'home', blocks: view.blocks });
    expect(api.callsTo('views.publish')[0]?.body.view).toEqual(view);
    expect(api.homeViews.get('U0ADMIN1')).toMatchObject({ blocks: view.blocks });
  });

  it('refuses a Home view of more than 100 blocks, as Slack does', async () => {
    const section = { type: 'section', text: { type: 'mrkdwn', text: 'line' } };
    const view = { type: 'home' as const, blocks: Array.from({ length: 101 }, () => section) };
    await expect(client.views.publish({ user_id: 'U0ADMIN2', view })).rejects.toMatchObject({ data: { ok: false, error: 'invalid_arguments' } });
    expect(api.homeViews.has('U0ADMIN2')).toBe(false);
    await client.views.publish({ user_id: 'U0ADMIN2', view: { ...view, blocks: view.blocks.slice(0, 100) } });
    expect(api.homeViews.has('U0ADMIN2')).toBe(true);
  });

  it('runs the whole filesUploadV2 flow and keeps the uploaded bytes', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('chart-bytes')]);

    const result = await client.filesUploadV2({
      channel_id: 'C0MFA',
      file: png,
      filename: 'mfa-7d.png',
      title: 'MFA registrations, last 7 days',
      alt_text: 'bar chart',
      initial_comment: 'Weekly chart',
    });

    expect(result.ok).toBe(true);
    expect(api.calls.map((c) => c.method)).toEqual(['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    const [file] = api.uploads();
    expect(file).toMatchObject({
      filename: 'mfa-7d.png',
      title: 'MFA registrations, last 7 days',
      altText: 'bar chart',
      length: png.length,
      completed: true,
      channelId: 'C0MFA',
      initialComment: 'Weekly chart',
    });
    expect(file?.bytes.equals(png)).toBe(true);
    const complete = api.callsTo('files.completeUploadExternal')[0];
    expect(complete?.body.files).toEqual([{ id: file?.id, title: 'MFA registrations, last 7 days' }]);
    expect(complete?.response).toMatchObject({ files: [{ id: file?.id, mimetype: 'image/png', size: png.length }] });
    expect(api.callsTo('upload')[0]?.token).toBe(TOKEN);
  });

  it('records response_url posts and enforces the five-use limit', async () => {
    const url = api.responseUrl();
    const post = (body: object): Promise<Response> =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const first = await post({ response_type: 'ephemeral', text: 'Working…' });
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('ok');
    for (let i = 2; i <= 5; i += 1) expect((await post({ text: `update ${i}` })).status).toBe(200);
    expect((await post({ text: 'one too many' })).status).toBe(404);

    expect(api.responses().map((b) => b.text)).toEqual(['Working…', 'update 2', 'update 3', 'update 4', 'update 5']);
    expect(api.calls.at(-1)).toMatchObject({ kind: 'respond', status: 404 });
  });

  it('can fail a response_url post', async () => {
    api.failNext('respond', { status: 404 });
    const res = await fetch(api.responseUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(404);
    expect(api.responses()).toHaveLength(0);
  });

  it('records unknown methods and answers ok', async () => {
    await expect(client.apiCall('reactions.add', { channel: 'C0MFA', name: 'white_check_mark', timestamp: '1.2' })).resolves.toMatchObject({
      ok: true,
    });
    expect(api.callsTo('reactions.add')[0]?.body).toMatchObject({ name: 'white_check_mark' });
  });

  it('waitFor resolves on past and future calls, and times out otherwise', async () => {
    await client.chat.postMessage({ channel: 'C0MFA', text: 'already here' });
    await expect(api.waitFor('chat.postMessage')).resolves.toMatchObject({ body: { text: 'already here' } });

    const events: SlackCall[] = [];
    api.on('call', (call) => events.push(call));
    const waiting = api.waitFor((call) => call.method === 'chat.postMessage' && call.body.text === 'later', 2000);
    setTimeout(() => void client.chat.postMessage({ channel: 'C0MFA', text: 'later' }), 50);
    await expect(waiting).resolves.toMatchObject({ body: { channel: 'C0MFA', text: 'later' } });
    expect(events.map((c) => c.body.text)).toContain('later');
    api.removeAllListeners('call');

    await expect(api.waitFor('chat.delete', 100)).rejects.toThrow(/no matching call within 100 ms/);
  });

  it('parses form bodies sent by hand, decoding JSON fields only where expected', async () => {
    const body = new URLSearchParams({
      channel: 'C0MFA',
      text: '[not json]',
      blocks: JSON.stringify(blocks),
      token: TOKEN,
    }).toString();
    const res = await fetch(`${api.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(await res.json()).toMatchObject({ ok: true });
    const [call] = api.callsTo('chat.postMessage');
    expect(call?.body).toEqual({ channel: 'C0MFA', text: '[not json]', blocks });
    expect(call?.token).toBe(TOKEN);
  });
});
