// GET requests to Microsoft Graph, one page at a time: bearer token, the Prefer header for
// unknown enum members, client-side pacing per endpoint family, and retries for throttling
// (429), server errors (5xx), network errors and an expired token (401). Callers page by passing
// each response's nextLink back in, so they can commit a page before asking for the next.
import type { Logger } from '@slack/bolt';
import { randomUUID } from 'node:crypto';
import { backoffDelay, parseRetryAfter, type BackoffPolicy } from '../time/backoff.js';
import { systemClock, type Clock } from '../time/clock.js';
import { describeFamily, endpointFamily, GRAPH_PACING, type EndpointFamily } from './endpoint-family.js';
import { GraphRequestError, GraphTokenError } from './graph-errors.js';
import { resolveGraphUrl } from './graph-links.js';
import { createRateLimiter, type RateLimiter, type WindowPolicy } from './rate-limiter.js';
import type { TokenClient } from './token-client.js';

export interface RetryPolicy extends BackoffPolicy {
  /** Attempts per request when the server fails (5xx), the network fails or a token cannot be fetched. */
  maxAttempts: number;
  /** 429 answers tolerated per request before giving up. */
  maxThrottleRetries: number;
  /** Longest Retry-After honoured; a longer one is cut to this. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  maxThrottleRetries: 10,
  baseDelayMs: 2_000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 5 * 60_000,
};

export interface GraphClientOptions {
  /** GRAPH_API_URL, e.g. https://graph.microsoft.com */
  apiUrl: string;
  tokens: TokenClient;
  logger: Logger;
  clock?: Clock;
  fetch?: typeof fetch;
  /** Per-family limits; defaults to the documented ones (GRAPH_PACING). */
  pacing?: Partial<Record<EndpointFamily, WindowPolicy | null>>;
  retry?: Partial<RetryPolicy>;
  /** Jitter source (tests make it deterministic). */
  random?: () => number;
  /** Per-request timeout; a sign-in page of 1,000 records is about 11 MB. */
  timeoutMs?: number;
}

export interface GraphPage {
  /** The URL this page was fetched from. */
  link: string;
  value: unknown[];
  /** Absolute link to the next page, or null on the last page. Opaque: store and pass back as is. */
  nextLink: string | null;
}

export interface GraphClient {
  readonly apiUrl: string;
  readonly clock: Clock;
  /** Fetches one page of a collection: a path ("/v1.0/…?$filter=…") or a nextLink. */
  getPage(pathOrLink: string): Promise<GraphPage>;
  /** Throws GraphLinkError unless `link` may be followed (same host as GRAPH_API_URL). */
  checkLink(link: string): void;
}

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

interface GraphErrorBody {
  error?: { code?: string; message?: string };
}

function describeStatus(status: number, body: GraphErrorBody | null): { code: string | null; text: string } {
  const code = body?.error?.code ?? null;
  const message = body?.error?.message;
  return { code, text: `HTTP ${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}` };
}

// Missing permission or licence is the usual 403; say which one the request needs.
function forbiddenHint(family: EndpointFamily): string {
  if (family === 'identityProtection') return ' The app needs the IdentityRiskEvent.Read.All application permission (admin-consented) and an Entra ID P1/P2 licence.';
  if (family === 'reports') return ' The app needs the AuditLog.Read.All application permission (admin-consented; Directory.Read.All too for sign-ins) and an Entra ID P1/P2 licence.';
  return '';
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const clock = options.clock ?? systemClock;
  const doFetch = options.fetch ?? fetch;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const random = options.random ?? Math.random;
  const logger = options.logger;
  const limiters = new Map<EndpointFamily, RateLimiter | null>();

  const limiterFor = (family: EndpointFamily): RateLimiter | null => {
    if (!limiters.has(family)) {
      const policy = options.pacing && family in options.pacing ? options.pacing[family] : GRAPH_PACING[family];
      limiters.set(family, policy ? createRateLimiter(policy, clock) : null);
    }
    return limiters.get(family)!;
  };

  async function getPage(pathOrLink: string): Promise<GraphPage> {
    const url = resolveGraphUrl(options.apiUrl, pathOrLink);
    const family = endpointFamily(url);
    const limiter = limiterFor(family);
    const what = `Graph GET ${url.pathname}`;
    let failures = 0;
    let throttled = 0;
    let refreshedToken = false;

    // One log line per retry or wait, with the reason; the request URL's query is left out (it
    // carries nothing secret, but skiptokens are long) and no header is ever logged.
    const waitAndRetry = async (reason: string, waitMs: number, attemptNote: string) => {
      logger.warn(`${what}: ${reason}; retrying in ${(waitMs / 1000).toFixed(waitMs < 10_000 ? 1 : 0)} s (${attemptNote})`);
      await clock.sleep(waitMs);
    };
    const failOrBackoff = async (reason: string, status: number | null, code: string | null, retryAfterMs: number | null = null) => {
      failures++;
      if (failures >= retry.maxAttempts) {
        throw new GraphRequestError(`${what} failed after ${failures} attempts: ${reason}`, status, code);
      }
      const waitMs = retryAfterMs !== null ? Math.min(retryAfterMs, retry.maxRetryAfterMs) : backoffDelay(failures, retry, random);
      await waitAndRetry(reason, waitMs, `attempt ${failures + 1} of ${retry.maxAttempts}`);
    };

    for (;;) {
      let token: string;
      try {
        token = await options.tokens.getToken();
      } catch (error) {
        if (error instanceof GraphTokenError && error.transient) {
          await failOrBackoff(error.message, null, null);
          continue;
        }
        throw error;
      }
      // Acquire the slot right before sending, after the token: a slot held while waiting for
      // the login endpoint would let the real request times bunch up.
      if (limiter) {
        const { waitedMs } = await limiter.acquire();
        if (waitedMs > 0) {
          const { maxRequests, windowMs } = limiter.policy;
          logger.debug(`${what}: paced ${(waitedMs / 1000).toFixed(1)} s (${describeFamily(family)}: at most ${maxRequests} requests per ${windowMs / 1000} s)`);
        }
      }

      let response: Response;
      try {
        response = await doFetch(url, {
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            // NPSExtension / ADFederationServicesMFAAdapter token issuers and reportOnly* CA results
            // are "evolvable enum" members Graph hides without this (graph-data.md §0.9).
            prefer: 'include-unknown-enum-members',
            'client-request-id': randomUUID(),
          },
          signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
        });
      } catch (error) {
        const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
        await failOrBackoff(`network error (${reason})`, null, null);
        continue;
      }

      if (response.ok) {
        let body: { value?: unknown; '@odata.nextLink'?: unknown };
        try {
          body = (await response.json()) as typeof body;
        } catch (error) {
          // A body cut off mid-transfer: fetch it again.
          await failOrBackoff(`unreadable response body (${(error as Error).message})`, response.status, null);
          continue;
        }
        if (!Array.isArray(body?.value)) {
          throw new GraphRequestError(`${what}: the response is not a Graph collection (no "value" array)`, response.status);
        }
        const next = body['@odata.nextLink'];
        return { link: url.toString(), value: body.value, nextLink: typeof next === 'string' && next.length > 0 ? next : null };
      }

      const text = await response.text().catch(() => '');
      let errorBody: GraphErrorBody | null = null;
      try {
        errorBody = JSON.parse(text) as GraphErrorBody;
      } catch {
        errorBody = null;
      }
      const { code, text: statusText } = describeStatus(response.status, errorBody);
      const requestId = response.headers.get('request-id');
      const reason = `${statusText}${requestId ? ` (request-id ${requestId})` : ''}`;

      if (response.status === 401 && !refreshedToken) {
        // Expired or revoked before our own refresh margin: one fresh token, then give up.
        refreshedToken = true;
        options.tokens.invalidate(token);
        logger.warn(`${what}: ${reason}; fetching a fresh token and retrying once`);
        continue;
      }
      if (response.status === 429) {
        throttled++;
        if (throttled > retry.maxThrottleRetries) {
          throw new GraphRequestError(`${what} is still throttled after ${retry.maxThrottleRetries} retries: ${reason}`, 429, code);
        }
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'), clock.now());
        const waitMs = retryAfter !== null ? Math.min(retryAfter, retry.maxRetryAfterMs) : backoffDelay(throttled, retry, random);
        const why = retryAfter !== null ? 'Retry-After' : 'no Retry-After: exponential backoff';
        await waitAndRetry(`throttled, ${reason}, ${why}`, waitMs, `throttle retry ${throttled} of ${retry.maxThrottleRetries}`);
        continue;
      }
      if (RETRYABLE_STATUS.has(response.status)) {
        await failOrBackoff(reason, response.status, code, parseRetryAfter(response.headers.get('retry-after'), clock.now()));
        continue;
      }
      const advice = response.status === 403 ? forbiddenHint(family) : response.status === 401 ? ' The token was refused twice: check the app registration and its admin consent.' : '';
      throw new GraphRequestError(`${what} failed: ${reason}.${advice}`, response.status, code);
    }
  }

  return {
    apiUrl: options.apiUrl,
    clock,
    getPage,
    checkLink(link) {
      resolveGraphUrl(options.apiUrl, link);
    },
  };
}
