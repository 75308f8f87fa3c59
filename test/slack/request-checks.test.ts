// The gate's checks one by one, at their edges: the content types Slack sends, the body limit
// against the largest interaction our own messages can cause, the five-minute window either way,
// the signature, and the shape of a body or payload.
import { describe, expect, it } from 'vitest';
import {
  checkBody,
  checkContentType,
  checkDeclaredLength,
  checkSignature,
  isSslCheck,
  JSON_CONTENT_TYPE,
  SLACK_BODY_LIMIT_BYTES,
} from '../../src/slack/request-checks.js';
import { blockActionsBody, FORM_CONTENT_TYPE, signSlackRequest, slashCommandBody } from '../../src/slack/sign-request.js';
import { header, LIMITS, reply, section } from '../../src/views/blocks.js';

const SECRET = 'unit-signing-secret-0123456789';
const NOW_MS = Date.UTC(2026, 10, 27, 12, 0, 0);
const NOW_S = NOW_MS / 1000;
const body = slashCommandBody({ text: 'summary 7d', userId: 'UADMIN0001', responseUrl: 'http://127.0.0.1:1/respond/1' });

describe('checkContentType', () => {
  it('accepts the form and JSON types, with a utf-8 charset or none, in any case', () => {
    expect(checkContentType(FORM_CONTENT_TYPE)).toBe(FORM_CONTENT_TYPE);
    expect(checkContentType('Application/X-WWW-Form-URLEncoded; charset=UTF-8')).toBe(FORM_CONTENT_TYPE);
    expect(checkContentType('application/json; charset="utf-8"')).toBe(JSON_CONTENT_TYPE);
  });

  it('refuses anything else with 415, naming what came and what is expected', () => {
    expect(checkContentType('text/plain')).toEqual({
      status: 415,
      reason: 'content type "text/plain" is not accepted; expected application/x-www-form-urlencoded or application/json',
    });
    expect(checkContentType('multipart/form-data; boundary=x')).toMatchObject({ status: 415, reason: expect.stringContaining('"multipart/form-data"') });
    expect(checkContentType(undefined)).toMatchObject({ status: 415, reason: expect.stringMatching(/^the content-type header is missing; expected/) });
    expect(checkContentType('application/json; charset=latin1')).toEqual({ status: 415, reason: 'charset "latin1" is not accepted; expected utf-8' });
  });

  it('clips what the sender wrote before it reaches the reason', () => {
    const refusal = checkContentType(`text/${'x'.repeat(5000)}`);
    expect(refusal).toMatchObject({ status: 415 });
    expect((refusal as { reason: string }).reason.length).toBeLessThan(200);
  });
});

describe('the body limit', () => {
  it('refuses a declared length past the limit, and nothing at or under it', () => {
    expect(checkDeclaredLength(String(1024 * 1024), SLACK_BODY_LIMIT_BYTES)).toEqual({
      status: 413,
      reason: `the declared content-length (1048576 bytes) is larger than the ${SLACK_BODY_LIMIT_BYTES}-byte limit for a Slack request`,
    });
    expect(checkDeclaredLength(String(SLACK_BODY_LIMIT_BYTES), SLACK_BODY_LIMIT_BYTES)).toBeNull();
    expect(checkDeclaredLength(undefined, SLACK_BODY_LIMIT_BYTES)).toBeNull();
  });

  it('leaves room for a button pressed on the largest message our views can build', () => {
    const line = '• *ann.example@contoso.com*: 12 failed MFA prompts (SMS, 3 denied), last 2026-11-27 09:14 UTC\n';
    const text = line.repeat(Math.ceil(LIMITS.sectionText / line.length));
    const largest = reply('Users', [header('Users'), ...Array.from({ length: LIMITS.blocksPerMessage }, () => section(text))]);
    const pressed = blockActionsBody({
      type: 'block_actions',
      user: { id: 'UADMIN0001', username: 'uadmin0001', team_id: 'T0SIM0001' },
      container: { type: 'message', message_ts: '1764244440.000100', channel_id: 'C0SIMADMIN', is_ephemeral: false },
      message: { type: 'message', user: 'U0SIMBOT1', ts: '1764244440.000100', ...largest },
      actions: [{ type: 'button', action_id: 'mfa_page:1', block_id: 'mfa_pager', value: 'users|2', action_ts: '1764244441.000200' }],
    });
    expect(Buffer.byteLength(pressed)).toBeGreaterThan(150_000);
    expect(checkDeclaredLength(String(Buffer.byteLength(pressed)), SLACK_BODY_LIMIT_BYTES)).toBeNull();
  });
});

describe('checkSignature', () => {
  // Spread: an interface has no index signature, the headers' type wants one.
  const signedAt = (timestampSec: number, secret = SECRET, signedBody = body) => ({ ...signSlackRequest(secret, signedBody, timestampSec) });

  it('accepts a correct signature up to five minutes either way, and returns it with its timestamp', () => {
    for (const offset of [0, -300, 300]) {
      const headers = signedAt(NOW_S + offset);
      expect(checkSignature(headers, body, SECRET, NOW_MS)).toEqual({ signature: headers['x-slack-signature'], timestampSec: NOW_S + offset });
    }
  });

  it('refuses a stale and a future timestamp one second past the window, saying which', () => {
    expect(checkSignature(signedAt(NOW_S - 301), body, SECRET, NOW_MS)).toEqual({
      status: 401,
      reason: 'x-slack-request-timestamp is 301 s old (stale: a late or replayed request, or a slow clock); at most 300 s either way is accepted',
    });
    expect(checkSignature(signedAt(NOW_S + 301), body, SECRET, NOW_MS)).toEqual({
      status: 401,
      reason: 'x-slack-request-timestamp is 301 s in the future (a fast clock); at most 300 s either way is accepted',
    });
  });

  it('names the missing header, or both', () => {
    const { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature } = signedAt(NOW_S);
    expect(checkSignature({ 'x-slack-request-timestamp': timestamp }, body, SECRET, NOW_MS)).toEqual({
      status: 401,
      reason: 'the x-slack-signature header is missing; Slack signs every request with both',
    });
    expect(checkSignature({ 'x-slack-signature': signature }, body, SECRET, NOW_MS)).toMatchObject({
      reason: 'the x-slack-request-timestamp header is missing; Slack signs every request with both',
    });
    expect(checkSignature({}, body, SECRET, NOW_MS)).toMatchObject({
      status: 401,
      reason: 'the x-slack-signature and x-slack-request-timestamp headers are missing; Slack signs every request with both',
    });
  });

  it('refuses another secret, a changed body, a malformed timestamp or signature', () => {
    const mismatch = { status: 401, reason: 'x-slack-signature does not match the body (signed with another secret, or the body was changed)' };
    expect(checkSignature(signedAt(NOW_S, 'another-secret'), body, SECRET, NOW_MS)).toEqual(mismatch);
    expect(checkSignature(signedAt(NOW_S), body.replace('summary', 'users'), SECRET, NOW_MS)).toEqual(mismatch);
    const good = signedAt(NOW_S);
    expect(checkSignature({ ...good, 'x-slack-request-timestamp': '1.7e9' }, body, SECRET, NOW_MS)).toMatchObject({
      reason: 'x-slack-request-timestamp is not a Unix time in whole seconds',
    });
    for (const signature of ['v1=' + 'a'.repeat(64), 'v0=' + 'A'.repeat(64), 'v0=abc', good['x-slack-signature'] + '0']) {
      expect(checkSignature({ ...good, 'x-slack-signature': signature }, body, SECRET, NOW_MS)).toEqual({
        status: 401,
        reason: 'x-slack-signature is not of the form v0=<64 hex digits>',
      });
    }
  });

  it('never puts the secret, the signature or the body into a reason', () => {
    const headers = signedAt(NOW_S, 'another-secret');
    const reason = JSON.stringify(checkSignature(headers, body, SECRET, NOW_MS));
    for (const secretish of [SECRET, headers['x-slack-signature'].slice(3), 'summary']) expect(reason).not.toContain(secretish);
  });
});

describe('checkBody', () => {
  const form = (payload: string) => new URLSearchParams({ payload }).toString();

  it('accepts a slash command, an interaction with a type, and a JSON object', () => {
    expect(checkBody(FORM_CONTENT_TYPE, body)).toBeNull();
    expect(checkBody(FORM_CONTENT_TYPE, blockActionsBody({ type: 'block_actions', actions: [] }))).toBeNull();
    expect(checkBody(JSON_CONTENT_TYPE, '{"type":"event_callback"}')).toBeNull();
  });

  it('refuses a payload that is not JSON, not an object, has no type, or comes twice', () => {
    expect(checkBody(FORM_CONTENT_TYPE, form('{not json'))).toEqual({ status: 400, reason: 'the payload field is not a JSON object' });
    expect(checkBody(FORM_CONTENT_TYPE, form('[1,2]'))).toEqual({ status: 400, reason: 'the payload field is not a JSON object' });
    expect(checkBody(FORM_CONTENT_TYPE, form('{"actions":[]}'))).toEqual({ status: 400, reason: 'the payload field has no "type" (e.g. "block_actions")' });
    expect(checkBody(FORM_CONTENT_TYPE, form('{"type":""}'))).toMatchObject({ status: 400 });
    expect(checkBody(FORM_CONTENT_TYPE, 'payload=%7B%7D&payload=%7B%7D')).toEqual({ status: 400, reason: 'the payload field is given more than once' });
  });

  it('refuses a JSON body that is not a JSON object', () => {
    expect(checkBody(JSON_CONTENT_TYPE, 'type=event_callback')).toEqual({ status: 400, reason: 'the body is not a JSON object' });
    expect(checkBody(JSON_CONTENT_TYPE, 'null')).toEqual({ status: 400, reason: 'the body is not a JSON object' });
  });
});

describe('isSslCheck', () => {
  it("is Slack's exact ssl_check=1 form only", () => {
    expect(isSslCheck(FORM_CONTENT_TYPE, 'ssl_check=1&token=x')).toBe(true);
    expect(isSslCheck(FORM_CONTENT_TYPE, 'ssl_check=true')).toBe(false);
    expect(isSslCheck(FORM_CONTENT_TYPE, body)).toBe(false);
    expect(isSslCheck(JSON_CONTENT_TYPE, 'ssl_check=1')).toBe(false);
  });
});
