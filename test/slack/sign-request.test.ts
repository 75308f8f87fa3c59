import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { App, HTTPReceiver, LogLevel, verifySlackRequest } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LocalSlackApi } from '../../src/simulator/local-slack-api.js';
import {
  blockActionsBody,
  postSignedToSlackApp,
  signSlackRequest,
  slashCommandBody,
} from '../../src/slack/sign-request.js';

const SECRET = 'test-signing-secret';

describe('signSlackRequest', () => {
  it('produces a v0 signature that Bolt verifies', () => {
    const body = slashCommandBody({ text: 'summary 7d', userId: 'U0ADMIN1', responseUrl: 'http://127.0.0.1:1/respond/x' });
    const headers = signSlackRequest(SECRET, body);

    expect(headers['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(() =>
      verifySlackRequest({
        signingSecret: SECRET,
        body,
        headers: {
          'x-slack-signature': headers['x-slack-signature'],
          'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
        },
      }),
    ).not.toThrow();
  });

  it('is rejected with another secret, another body or a stale timestamp', () => {
    const body = 'command=%2Fmfa&text=summary';
    const verify = (secret: string, signedBody: string, ts?: number): void => {
      const headers = signSlackRequest(secret, signedBody, ts);
      verifySlackRequest({
        signingSecret: SECRET,
        body,
        headers: {
          'x-slack-signature': headers['x-slack-signature'],
          'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
        },
      });
    };
    expect(() => verify('wrong-secret', body)).toThrow();
    expect(() => verify(SECRET, `${body}&x=1`)).toThrow();
    expect(() => verify(SECRET, body, Math.floor(Date.now() / 1000) - 10 * 60)).toThrow();
  });

  it('matches a known vector', () => {
    // printf 'v0:1531420618:hello' | openssl dgst -sha256 -hmac secret
    expect(signSlackRequest('secret', 'hello', 1531420618)).toEqual({
      'x-slack-request-timestamp': '1531420618',
      'x-slack-signature': 'v0=cf20310fa94bde55d7304d8575f22412a81fd33f33f2177e7f815b5172e04376',
    });
  });
});

describe('request bodies', () => {
  it('slashCommandBody carries every slash command field', () => {
    const params = new URLSearchParams(
      slashCommandBody({ text: 'summary 7d', userId: 'U0ADMIN1', responseUrl: 'http://127.0.0.1:9/respond/a', triggerId: 't.1' }),
    );
    for (const field of [
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'channel_name',
      'user_id',
      'user_name',
      'command',
      'text',
      'api_app_id',
      'response_url',
      'trigger_id',
    ]) {
      expect(params.get(field), field).toBeTruthy();
    }
    expect(params.get('command')).toBe('/mfa');
    expect(params.get('text')).toBe('summary 7d');
    expect(params.get('response_url')).toBe('http://127.0.0.1:9/respond/a');
    expect(params.get('trigger_id')).toBe('t.1');
  });

  it('blockActionsBody wraps the JSON payload in a payload= field', () => {
    const payload = { type: 'block_actions', actions: [{ action_id: 'refresh', value: 'a&b=c' }] };
    expect(JSON.parse(new URLSearchParams(blockActionsBody(payload)).get('payload') ?? '')).toEqual(payload);
  });
});

describe('postSignedToSlackApp', () => {
  it('sends the exact form content type and the signature headers on the wire', async () => {
    let seen: { headers: http.IncomingHttpHeaders; body: string } | undefined;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen = { headers: req.headers, body: Buffer.concat(chunks).toString() };
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const body = 'text=caf%C3%A9+%E2%9C%93';
      const result = await postSignedToSlackApp(`http://127.0.0.1:${port}/slack/events`, SECRET, body);
      expect(result).toEqual({ status: 200, text: '{"ok":true}', json: { ok: true } });
      expect(seen?.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(seen?.body).toBe(body);
      const expected = signSlackRequest(SECRET, body, Number(seen?.headers['x-slack-request-timestamp']));
      expect(seen?.headers['x-slack-signature']).toBe(expected['x-slack-signature']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses to post anywhere but loopback', async () => {
    await expect(postSignedToSlackApp('https://example.com/slack/events', SECRET, 'a=b')).rejects.toThrow(/loopback/);
  });
});

describe('against a real Bolt app (HTTPReceiver) and LocalSlackApi', () => {
  const slack = new LocalSlackApi();
  let server: http.Server;
  let eventsUrl: string;

  beforeAll(async () => {
    await slack.start();
    const receiver = new HTTPReceiver({ signingSecret: SECRET, logLevel: LogLevel.ERROR });
    const app = new App({
      receiver,
      token: 'xoxb-bolt-test',
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/mfa', async ({ command, ack, respond }) => {
      await ack({ response_type: 'ephemeral', text: `Working on ${command.text}…` });
      await respond({ response_type: 'ephemeral', text: `Done: ${command.text}` });
    });
    app.action('refresh', async ({ ack, respond, body }) => {
      await ack();
      await respond({ replace_original: true, text: `refreshed by ${body.user.id}` });
    });
    server = http.createServer(receiver.requestListener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await slack.stop();
  });

  it('acks a signed slash command and replies through the response_url', async () => {
    const responseUrl = slack.responseUrl();
    const body = slashCommandBody({ text: 'summary 7d', userId: 'U0ADMIN1', responseUrl });

    const result = await postSignedToSlackApp(eventsUrl, SECRET, body);

    expect(result.status).toBe(200);
    expect(result.json).toEqual({ response_type: 'ephemeral', text: 'Working on summary 7d…' });
    const reply = await slack.waitFor((call) => call.kind === 'respond');
    expect(reply.body).toEqual({ response_type: 'ephemeral', text: 'Done: summary 7d' });
    expect(slack.callsTo('auth.test').length).toBeGreaterThanOrEqual(1);
  });

  it('routes a block action payload', async () => {
    const responseUrl = slack.responseUrl();
    const payload = {
      type: 'block_actions',
      user: { id: 'U0ADMIN1', username: 'ada', team_id: 'T0SIM0001' },
      api_app_id: 'A0SIMAPP1',
      team: { id: 'T0SIM0001', domain: 'mfa-sim' },
      channel: { id: 'C0SIMADMIN', name: 'mfa-admins' },
      container: { type: 'message', message_ts: '1732700000.000100', channel_id: 'C0SIMADMIN', is_ephemeral: true },
      trigger_id: '1.2.3',
      response_url: responseUrl,
      actions: [{ type: 'button', action_id: 'refresh', block_id: 'b1', value: '7d', action_ts: '1732700001.000200' }],
    };
    const result = await postSignedToSlackApp(eventsUrl, SECRET, blockActionsBody(payload));
    expect(result.status).toBe(200);
    const reply = await slack.waitFor((call) => call.kind === 'respond' && call.id === new URL(responseUrl).pathname.split('/').pop());
    expect(reply.body).toEqual({ replace_original: true, text: 'refreshed by U0ADMIN1' });
  });

  it('is answered 401 for a bad signature and 400 for a charset-suffixed content type', async () => {
    const body = slashCommandBody({ text: 'summary', userId: 'U0ADMIN1', responseUrl: slack.responseUrl() });
    expect((await postSignedToSlackApp(eventsUrl, SECRET, body, { signature: 'v0=deadbeef' })).status).toBe(401);
    expect((await postSignedToSlackApp(eventsUrl, 'other-secret', body)).status).toBe(401);
    expect(
      (await postSignedToSlackApp(eventsUrl, SECRET, body, { contentType: 'application/x-www-form-urlencoded; charset=UTF-8' })).status,
    ).toBe(400);
  });
});
