// What a request to the Slack endpoint must be before Bolt sees it. Each check answers with the
// HTTP status to refuse with and a reason naming what was wrong and what is expected; no reason
// ever carries the signing secret, the signature or the body.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseForm } from 'node:querystring';
import { FORM_CONTENT_TYPE, signSlackRequest } from './sign-request.js';
import { clip } from '../views/blocks.js';

export const JSON_CONTENT_TYPE = 'application/json';

/** Slack's replay window: a timestamp more than five minutes from now, either way, is refused. */
export const SLACK_TIMESTAMP_WINDOW_S = 300;

/**
 * The largest body read. Slash commands are a few kB; the largest payloads are interactions,
 * which carry the message or view they came from: the largest message our builders can make (49
 * sections of 3,000 characters, src/views/blocks.ts) arrives as a 200 kB form body. Bolt's own
 * default is 4 MB; this is 1/16 of that for each request in flight.
 */
export const SLACK_BODY_LIMIT_BYTES = 256 * 1024;

export type SlackMediaType = typeof FORM_CONTENT_TYPE | typeof JSON_CONTENT_TYPE;

export interface Refusal {
  status: 400 | 401 | 409 | 413 | 415;
  reason: string;
}

/** A request whose signature and timestamp are Slack's. */
export interface Signed {
  signature: string;
  timestampSec: number;
}

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && 'status' in value && 'reason' in value;
}

/** Header values come from the sender: quoted and clipped before they reach a reason (and the log). */
function quoted(value: string): string {
  return JSON.stringify(clip(value, 80));
}

/**
 * Slack sends forms (commands, interactions) and JSON (events), in UTF-8. Parameters are allowed
 * (`; charset=utf-8`); the caller passes the bare media type on to Bolt, which compares it exactly.
 */
export function checkContentType(header: string | undefined): SlackMediaType | Refusal {
  const expected = `expected ${FORM_CONTENT_TYPE} or ${JSON_CONTENT_TYPE}`;
  if (!header) return { status: 415, reason: `the content-type header is missing; ${expected}` };
  const [type = '', ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (type !== FORM_CONTENT_TYPE && type !== JSON_CONTENT_TYPE) {
    return { status: 415, reason: `content type ${quoted(type)} is not accepted; ${expected}` };
  }
  const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length).replaceAll('"', '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return { status: 415, reason: `charset ${quoted(charset)} is not accepted; expected utf-8` };
  }
  return type;
}

export function tooLarge(limitBytes: number, declared?: number): Refusal {
  const what = declared === undefined ? 'the body is' : `the declared content-length (${declared} bytes) is`;
  return { status: 413, reason: `${what} larger than the ${limitBytes}-byte limit for a Slack request` };
}

/** A content-length beyond the limit is refused before a byte of the body is read. */
export function checkDeclaredLength(header: string | undefined, limitBytes: number): Refusal | null {
  const declared = header === undefined ? NaN : Number(header);
  return Number.isFinite(declared) && declared > limitBytes ? tooLarge(limitBytes, declared) : null;
}

/**
 * Slack's SSL check when a Request URL is saved: exactly `ssl_check=1`, sent without signature
 * headers. Bolt answers it and dispatches nothing (it strips any other field).
 */
export const SSL_CHECK_BODY = 'ssl_check=1';

export function isSslCheck(mediaType: SlackMediaType, body: string): boolean {
  return mediaType === FORM_CONTENT_TYPE && parseForm(body).ssl_check === '1';
}

const TIMESTAMP_HEADER = 'x-slack-request-timestamp';
const SIGNATURE_HEADER = 'x-slack-signature';

/** The signature headers, the timestamp within the window either way, and the HMAC of the body. */
export function checkSignature(headers: IncomingHttpHeaders, body: string, signingSecret: string, nowMs: number): Signed | Refusal {
  const signature = headers[SIGNATURE_HEADER];
  const timestamp = headers[TIMESTAMP_HEADER];
  const missing = [SIGNATURE_HEADER, TIMESTAMP_HEADER].filter((name) => !headers[name]);
  if (missing.length > 0) {
    const which = missing.length === 1 ? `the ${missing[0]} header is` : `the ${missing.join(' and ')} headers are`;
    return { status: 401, reason: `${which} missing; Slack signs every request with both` };
  }
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) {
    return { status: 401, reason: `${TIMESTAMP_HEADER} is not a Unix time in whole seconds` };
  }
  const timestampSec = Number(timestamp);
  const ageSec = Math.floor(nowMs / 1000) - timestampSec;
  if (Math.abs(ageSec) > SLACK_TIMESTAMP_WINDOW_S) {
    const off = ageSec > 0 ? `${ageSec} s old (stale: a late or replayed request, or a slow clock)` : `${-ageSec} s in the future (a fast clock)`;
    return { status: 401, reason: `${TIMESTAMP_HEADER} is ${off}; at most ${SLACK_TIMESTAMP_WINDOW_S} s either way is accepted` };
  }
  if (typeof signature !== 'string' || !/^v0=[0-9a-f]{64}$/.test(signature)) {
    return { status: 401, reason: `${SIGNATURE_HEADER} is not of the form v0=<64 hex digits>` };
  }
  const expected = signSlackRequest(signingSecret, body, timestampSec)[SIGNATURE_HEADER];
  if (!timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
    return { status: 401, reason: `${SIGNATURE_HEADER} does not match the body (signed with another secret, or the body was changed)` };
  }
  return { signature, timestampSec };
}

function jsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A JSON body is a JSON object; an interaction's `payload` field is one JSON object with a type. */
export function checkBody(mediaType: SlackMediaType, body: string): Refusal | null {
  if (mediaType === JSON_CONTENT_TYPE) {
    return jsonObject(body) ? null : { status: 400, reason: 'the body is not a JSON object' };
  }
  const { payload } = parseForm(body);
  if (payload === undefined) return null;
  if (typeof payload !== 'string') return { status: 400, reason: 'the payload field is given more than once' };
  const parsed = jsonObject(payload);
  if (!parsed) return { status: 400, reason: 'the payload field is not a JSON object' };
  if (typeof parsed.type !== 'string' || parsed.type === '') {
    return { status: 400, reason: 'the payload field has no "type" (e.g. "block_actions")' };
  }
  return null;
}

export const REPLAY: Refusal = {
  status: 409,
  reason: `a replay: a request with this signature was already received (within the ${SLACK_TIMESTAMP_WINDOW_S / 60}-minute window)`,
};
