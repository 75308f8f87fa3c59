// Real HTTP requests to the real app: each bad request is refused with its status and exactly one
// log line naming what was wrong (never the secret, the signature or the body), runs nothing, and
// the bot answers the next good request. A replay is refused by the replica that saw the original
// and by another replica on the same database, and still by memory when the database is gone.
import http from 'node:http';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_BODY_LIMIT_BYTES } from '../../src/slack/request-checks.js';
import { blockActionsBody, FORM_CONTENT_TYPE, postSignedToSlackApp, signSlackRequest, slashCommandBody } from '../../src/slack/sign-request.js';
import { replyText } from '../support/reply-text.js';
import { ADMIN, SIGNING_SECRET, startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, testBackend, type TestStore } from '../support/test-store.js';

let store: TestStore;
let harness: Harness;
beforeAll(async () => {
  store = await openTestStore();
  harness = await startHarness({ store });
  // Bolt's start-up calls (auth.test) are logged; let them pass before lines are counted.
  await stillAnswers();
});
afterAll(async () => {
  await harness?.close();
  await store?.close();
});

interface Sent {
  status: number;
  text: string;
}

/** A POST with exactly these headers (no signing unless given). */
async function post(url: string, body: string, headers: Record<string, string>): Promise<Sent> {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}

/** A slash command body whose answer, if any, would go to its own response_url. */
function command(text: string) {
  const responseUrl = harness.api.responseUrl();
  return { body: slashCommandBody({ text, userId: ADMIN, responseUrl }), responseId: responseUrl.split('/').pop()! };
}

const nowSec = () => Math.floor(Date.now() / 1000);
const answersTo = (h: Harness, responseId: string) => h.api.calls.filter((call) => call.kind === 'respond' && call.id === responseId);
const auditedTimes = async (text: string) =>
  Number((await store.rows<{ n: number | string }>(sql`SELECT count(*) AS n FROM query_audit WHERE command_text = ${text}`))[0]!.n);

async function stillAnswers(h: Harness = harness): Promise<void> {
  expect(replyText((await h.command('help')).reply)).toContain('/mfa summary');
}

/** The lines worth an operator's attention (debug lines trace the fake Slack's calls). */
const noticed = (h: Harness) => h.logLines.filter((line) => !/^\S+ DEBUG /.test(line));

/**
 * Sends one bad request and checks: its status, the reason in the answer, exactly one log line
 * (the refusal; nothing else above debug) with nothing secret in any line, and that the bot
 * answers the next good request.
 */
async function expectRefused(send: () => Promise<Sent>, status: number, reason: string | RegExp, secrets: string[] = []): Promise<void> {
  harness.logLines.length = 0;
  const result = await send();
  expect(result.status).toBe(status);
  const pattern = typeof reason === 'string' ? new RegExp(reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : reason;
  expect(result.text).toMatch(new RegExp(`^${pattern.source}\n$`));
  expect(noticed(harness)).toEqual([expect.stringMatching(/ WARN \[mfa-bot\] Refused a Slack request from 127\.0\.0\.1 with HTTP \d+: /)]);
  expect(noticed(harness)[0]).toMatch(new RegExp(`with HTTP ${status}: ${pattern.source}$`));
  for (const secret of [SIGNING_SECRET, ...secrets]) expect(harness.logLines.join('\n')).not.toContain(secret);
  await stillAnswers();
}

describe('a forged request', () => {
  it('is refused 401 when signed with another secret, and runs nothing', async () => {
    const { body, responseId } = command('summary 7d forged-by-another-secret');
    const headers = signSlackRequest('not-the-signing-secret', body);
    await expectRefused(
      () => post(harness.url, body, { 'content-type': FORM_CONTENT_TYPE, ...headers }),
      401,
      'x-slack-signature does not match the body (signed with another secret, or the body was changed)',
      [headers['x-slack-signature'].slice(3), 'forged-by-another-secret'],
    );
    expect(answersTo(harness, responseId)).toEqual([]);
    expect(await auditedTimes('summary 7d forged-by-another-secret')).toBe(0);
  });

  it('is refused 401 when the body was changed after signing', async () => {
    const { body, responseId } = command('help');
    const headers = signSlackRequest(SIGNING_SECRET, body);
    const tampered = body.replace(`user_id=${ADMIN}`, 'user_id=UOTHER0001');
    expect(tampered).not.toBe(body);
    await expectRefused(
      () => post(harness.url, tampered, { 'content-type': FORM_CONTENT_TYPE, ...headers }),
      401,
      'x-slack-signature does not match the body (signed with another secret, or the body was changed)',
      [headers['x-slack-signature'].slice(3), 'UOTHER0001'],
    );
    expect(answersTo(harness, responseId)).toEqual([]);
  });
});

describe('missing signature headers', () => {
  it('are refused 401, naming the header missing, or both', async () => {
    const { body } = command('help');
    const { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp } = signSlackRequest(SIGNING_SECRET, body);
    const form = { 'content-type': FORM_CONTENT_TYPE };
    await expectRefused(() => post(harness.url, body, { ...form, 'x-slack-request-timestamp': timestamp }), 401, 'the x-slack-signature header is missing; Slack signs every request with both');
    await expectRefused(
      () => post(harness.url, body, { ...form, 'x-slack-signature': signature }),
      401,
      'the x-slack-request-timestamp header is missing; Slack signs every request with both',
      [signature.slice(3)],
    );
    await expectRefused(
      () => post(harness.url, body, form),
      401,
      'the x-slack-signature and x-slack-request-timestamp headers are missing; Slack signs every request with both',
    );
  });
});

describe('timestamps', () => {
  it('more than five minutes old or ahead are refused 401; four minutes either way are answered', async () => {
    await expectRefused(
      async () => {
        const result = await harness.command('help', { post: { timestampSec: nowSec() - 360 } });
        return { status: result.status, text: result.body };
      },
      401,
      // A second may tick between signing and checking on a loaded machine.
      /x-slack-request-timestamp is 36[01] s old \(stale: a late or replayed request, or a slow clock\); at most 300 s either way is accepted/,
    );
    await expectRefused(
      async () => {
        const result = await harness.command('help', { post: { timestampSec: nowSec() + 360 } });
        return { status: result.status, text: result.body };
      },
      401,
      /x-slack-request-timestamp is (360|359) s in the future \(a fast clock\); at most 300 s either way is accepted/,
    );
    for (const skew of [-240, 240]) {
      const answered = await harness.command('help', { post: { timestampSec: nowSec() + skew } });
      expect(answered.status).toBe(200);
      expect(replyText(answered.reply)).toContain('/mfa summary');
    }
  });
});

describe('a replay within the five-minute window', () => {
  it('is refused 409 by the replica that answered it and by another on the same database, and runs once', async () => {
    const text = 'summary 24h replayed';
    const { body, responseId } = command(text);
    const timestampSec = nowSec();
    const first = await postSignedToSlackApp(harness.url, SIGNING_SECRET, body, { timestampSec });
    expect(first.status).toBe(200);
    await expect.poll(() => auditedTimes(text)).toBe(1);

    const reason = 'a replay: a request with this signature was already received (within the 5-minute window)';
    const signature = signSlackRequest(SIGNING_SECRET, body, timestampSec)['x-slack-signature'].slice(3);
    await expectRefused(async () => postSignedToSlackApp(harness.url, SIGNING_SECRET, body, { timestampSec }), 409, reason, [signature]);

    const otherReplica = await startHarness({ store });
    try {
      const again = await postSignedToSlackApp(otherReplica.url, SIGNING_SECRET, body, { timestampSec });
      expect(again).toMatchObject({ status: 409, text: `${reason}\n` });
      expect(otherReplica.logLines.filter((line) => line.includes('Refused a Slack request'))).toHaveLength(1);
      await stillAnswers(otherReplica);
    } finally {
      await otherReplica.close();
    }

    // One answer in all: in the acknowledgement, or else through the response_url.
    const inAck = Boolean((first.json as { blocks?: unknown[] } | undefined)?.blocks) && !first.text.includes('Working on it');
    expect(answersTo(harness, responseId).length + (inAck ? 1 : 0)).toBe(1);
    expect(await auditedTimes(text)).toBe(1);
  });

  // PGlite lives inside the process and cannot become unreachable; a Postgres pool can.
  it.runIf(testBackend() === 'postgres')('is still refused from memory when the database is gone, while new requests are let through', async () => {
    const doomed = store.withStatementTimeout(5_000);
    const replica = await startHarness({ store: doomed });
    try {
      await doomed.close();
      const { body } = command('help');
      const timestampSec = nowSec();
      const first = await postSignedToSlackApp(replica.url, SIGNING_SECRET, body, { timestampSec });
      expect(first.status).toBe(200);
      const replayed = await postSignedToSlackApp(replica.url, SIGNING_SECRET, body, { timestampSec });
      expect(replayed.status).toBe(409);
      await stillAnswers(replica);
      expect(replica.logLines.filter((line) => line.includes('Refused a Slack request'))).toHaveLength(1);
      expect(replica.logLines.filter((line) => line.includes('Replay check: the database did not record a Slack request'))).toHaveLength(1);
    } finally {
      await replica.close();
    }
  });
});

describe('content types', () => {
  it('other than a form or JSON are refused 415; a form with charset=utf-8 is answered', async () => {
    const { body } = command('help');
    await expectRefused(
      () => postSignedToSlackApp(harness.url, SIGNING_SECRET, body, { contentType: 'text/plain' }),
      415,
      'content type "text/plain" is not accepted; expected application/x-www-form-urlencoded or application/json',
    );
    await expectRefused(
      () => postSignedToSlackApp(harness.url, SIGNING_SECRET, body, { contentType: 'multipart/form-data; boundary=gate' }),
      415,
      'content type "multipart/form-data" is not accepted; expected application/x-www-form-urlencoded or application/json',
    );
    const answered = await harness.command('help', { post: { contentType: 'application/x-www-form-urlencoded; charset=UTF-8' } });
    expect(replyText(answered.reply)).toContain('/mfa summary');
  });
});

/**
 * Streams a form body that never ends, so the app cannot be waiting for its end; resolves with
 * the answer that arrives while it is still being sent.
 */
function postEndlessBody(url: string): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { 'content-type': FORM_CONTENT_TYPE, ...signSlackRequest(SIGNING_SECRET, 'payload=') } });
    const chunk = Buffer.alloc(16 * 1024, 'a');
    let answered = false;
    let sent = 0;
    const pump = () => {
      while (!answered) {
        // Bolt's own limit is 4 MB: far past ours, an answer would no longer prove anything.
        if ((sent += chunk.length) > 64 * 1024 * 1024) return reject(new Error('no answer after 64 MB'));
        if (!request.write(chunk)) return void request.once('drain', pump);
      }
    };
    request.on('response', (response) => {
      answered = true;
      let text = '';
      response.setEncoding('utf8').on('data', (part: string) => (text += part));
      response.on('end', () => {
        request.destroy();
        resolve({ status: response.statusCode!, text });
      });
    });
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    request.write('payload=');
    pump();
  });
}

describe('a body past the limit', () => {
  it('is refused 413 from its declared length, before it is read', async () => {
    const body = `payload=${'a'.repeat(1024 * 1024)}`;
    await expectRefused(
      () => postSignedToSlackApp(harness.url, SIGNING_SECRET, body),
      413,
      `the declared content-length (${body.length} bytes) is larger than the ${SLACK_BODY_LIMIT_BYTES}-byte limit for a Slack request`,
      ['aaaaaaaa'],
    );
  });

  it('is refused 413 while it is still streaming in, with no length declared', async () => {
    await expectRefused(() => postEndlessBody(harness.url), 413, `the body is larger than the ${SLACK_BODY_LIMIT_BYTES}-byte limit for a Slack request`, [
      'aaaaaaaa',
    ]);
  });
});

describe('a malformed interaction payload', () => {
  it('is refused 400 when it is not JSON, or has no type, and runs nothing', async () => {
    const responseUrl = harness.api.responseUrl();
    const notJson = new URLSearchParams({ payload: `{"type":"block_actions","response_url":"${responseUrl}"` }).toString();
    await expectRefused(() => postSignedToSlackApp(harness.url, SIGNING_SECRET, notJson), 400, 'the payload field is not a JSON object', ['block_actions']);
    const untyped = blockActionsBody({ user: { id: ADMIN }, response_url: responseUrl, actions: [{ action_id: 'mfa_page', value: 'x' }] });
    await expectRefused(() => postSignedToSlackApp(harness.url, SIGNING_SECRET, untyped), 400, 'the payload field has no "type" (e.g. "block_actions")', ['mfa_page']);
    expect(answersTo(harness, responseUrl.split('/').pop()!)).toEqual([]);
  });

  it('is refused 400 when an event body is not JSON', async () => {
    await expectRefused(
      () => postSignedToSlackApp(harness.url, SIGNING_SECRET, 'type=event_callback', { contentType: 'application/json' }),
      400,
      'the body is not a JSON object',
    );
  });
});

describe('what the gate lets by', () => {
  it("answers Slack's unsigned SSL check, and dispatches nothing smuggled into it", async () => {
    harness.logLines.length = 0;
    const responseUrl = harness.api.responseUrl();
    const smuggled = `ssl_check=1&${new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', response_url: responseUrl, user: { id: ADMIN }, actions: [] }) })}`;
    expect(await post(harness.url, 'ssl_check=1&token=x', { 'content-type': FORM_CONTENT_TYPE })).toEqual({ status: 200, text: '' });
    expect(await post(harness.url, smuggled, { 'content-type': FORM_CONTENT_TYPE })).toEqual({ status: 200, text: '' });
    await stillAnswers();
    expect(answersTo(harness, responseUrl.split('/').pop()!)).toEqual([]);
    expect(harness.logLines.filter((line) => line.includes('Refused'))).toEqual([]);
  });

  it('keeps /healthz, and Bolt keeps verifying signatures behind the gate', async () => {
    const health = await fetch(harness.url.replace('/slack/events', '/healthz'));
    expect({ status: health.status, text: await health.text() }).toEqual({ status: 200, text: 'ok' });
    const receiver = (harness.slack.app as unknown as { receiver: { signatureVerification: boolean } }).receiver;
    expect(receiver.signatureVerification).toBe(true);
  });
});
