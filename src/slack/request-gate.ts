// The gate in front of Bolt's HTTPReceiver for POST /slack/events. Every request is checked
// (request-checks.ts) and a bad one refused with its status and one log line naming what was
// wrong, before Bolt reads anything. A good one goes on to Bolt with its body already read: Bolt
// takes a `rawBody` it finds on the request instead of reading the stream again, and verifies
// the signature once more (its own check stays on). Other paths (/healthz) go straight to Bolt.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '@slack/bolt';
import {
  checkBody,
  checkContentType,
  checkDeclaredLength,
  checkSignature,
  isRefusal,
  isSslCheck,
  REPLAY,
  SLACK_BODY_LIMIT_BYTES,
  SSL_CHECK_BODY,
  tooLarge,
  type Refusal,
} from './request-checks.js';
import type { SeenRequests } from './seen-requests.js';

const SLACK_EVENTS_PATH = '/slack/events';

export interface RequestGateOptions {
  signingSecret: string;
  logger: Logger;
  seen: SeenRequests;
}

type Body = Buffer | 'too large' | 'abandoned';

/**
 * Reads the body up to `limitBytes`. Past the limit it stops keeping chunks and the request is
 * answered at once; what else arrives before the connection closes is discarded (the stream keeps
 * flowing with no listener), so an endless body costs no memory.
 */
function readBody(req: IncomingMessage, limitBytes: number): Promise<Body> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (body: Body) => {
      req.off('data', onData).off('end', onEnd).off('error', onAbandoned).off('close', onAbandoned);
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) settle('too large');
      else chunks.push(chunk);
    };
    const onEnd = () => settle(Buffer.concat(chunks, size));
    const onAbandoned = () => settle('abandoned');
    req.on('data', onData).on('end', onEnd).on('error', onAbandoned).on('close', onAbandoned);
  });
}

function isSlackEvents(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || !req.url) return false;
  try {
    return new URL(req.url, 'http://localhost').pathname === SLACK_EVENTS_PATH;
  } catch {
    return false;
  }
}

/** Wraps Bolt's request listener: POST /slack/events passes the checks first. */
export function gateSlackRequests(next: RequestListener, options: RequestGateOptions): RequestListener {
  const { signingSecret, logger, seen } = options;

  const refuse = (req: IncomingMessage, res: ServerResponse, refusal: Refusal) => {
    logger.warn(`Refused a Slack request from ${req.socket.remoteAddress ?? 'an unknown address'} with HTTP ${refusal.status}: ${refusal.reason}`);
    // Closing the connection spares reading the rest of a body refused before it was read (415, 413).
    res.writeHead(refusal.status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
    res.end(`${refusal.reason}\n`);
  };

  const admit = async (req: IncomingMessage, res: ServerResponse) => {
    const mediaType = checkContentType(req.headers['content-type']);
    if (isRefusal(mediaType)) return refuse(req, res, mediaType);
    const declared = checkDeclaredLength(req.headers['content-length'], SLACK_BODY_LIMIT_BYTES);
    if (declared) return refuse(req, res, declared);
    const raw = await readBody(req, SLACK_BODY_LIMIT_BYTES);
    if (raw === 'too large') return refuse(req, res, tooLarge(SLACK_BODY_LIMIT_BYTES));
    if (raw === 'abandoned') {
      logger.warn(`A Slack request from ${req.socket.remoteAddress ?? 'an unknown address'} was abandoned before its body arrived`);
      return;
    }
    const body = raw.toString('utf8');
    // Bolt compares the content type exactly; it now gets the bare media type that was checked.
    req.headers['content-type'] = mediaType;
    if (isSslCheck(mediaType, body)) {
      // Unsigned by design, so nothing but the check itself goes on (Bolt strips the rest too).
      return next(Object.assign(req, { rawBody: Buffer.from(SSL_CHECK_BODY) }), res);
    }
    const signed = checkSignature(req.headers, body, signingSecret, Date.now());
    if (isRefusal(signed)) return refuse(req, res, signed);
    const malformed = checkBody(mediaType, body);
    if (malformed) return refuse(req, res, malformed);
    if ((await seen.remember(signed.signature, signed.timestampSec)) === 'replay') return refuse(req, res, REPLAY);
    next(Object.assign(req, { rawBody: raw }), res);
  };

  return (req, res) => {
    // Anything else is Bolt's (custom routes, its 404), and its errors go to Bolt's handler.
    if (!isSlackEvents(req)) return next(req, res);
    admit(req, res).catch((error: unknown) => {
      logger.error('The Slack request gate failed on a request', error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
}
