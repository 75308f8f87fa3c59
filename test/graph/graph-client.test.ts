// The Graph client against the fake Graph on loopback, on a virtual clock: headers, opaque paging
// links confined to GRAPH_API_URL's host, pacing per endpoint family, and recovery from 429,
// 5xx bursts and expired tokens, each retry logged once without the token.
import { LogLevel } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGraphClient, type GraphClient, type RetryPolicy } from '../../src/graph/graph-client.js';
import { GraphLinkError, GraphRequestError } from '../../src/graph/graph-errors.js';
import { createTokenClient, type TokenClient } from '../../src/graph/token-client.js';
import { createLogger } from '../../src/logger.js';
import { rejection } from '../support/rejection.js';
import { createVirtualClock, FakeGraph, type FakeCollection, type VirtualClock } from '../support/fake-graph.js';

const SIGNINS = '/beta/auditLogs/signIns?$filter=createdDateTime%20ge%202026-03-01T00:00:00Z&$top=1000';
const RISK = "/v1.0/identityProtection/riskDetections?$filter=riskEventType%20eq%20'userReportedSuspiciousActivity'&$top=500";
const REGISTRATIONS = '/v1.0/reports/authenticationMethods/userRegistrationDetails';

let graph: FakeGraph;
let clock: VirtualClock;
let tokens: TokenClient;
let logLines: string[];

function signin(i: number) {
  return { id: `s-${String(i).padStart(3, '0')}`, createdDateTime: new Date(Date.parse('2026-03-03T00:00:00Z') + i * 60_000).toISOString() };
}

function client(options: { retry?: Partial<RetryPolicy>; graph?: FakeGraph } = {}): GraphClient {
  const target = options.graph ?? graph;
  return createGraphClient({
    apiUrl: target.apiUrl,
    tokens,
    clock,
    random: () => 0.5,
    retry: options.retry,
    logger: createLogger({ level: LogLevel.DEBUG, secrets: [graph.clientSecret], sink: (line) => logLines.push(line) }),
  });
}

/**
 * Reads several listings a page at a time, taking turns. Sequential on purpose: on a virtual
 * clock, one caller's pacing sleep moves time for a request another caller already sent.
 */
async function readInTurns(graphClient: GraphClient, paths: string[]) {
  const links: Array<string | null> = [...paths];
  while (links.some(Boolean)) {
    for (let i = 0; i < links.length; i++) {
      if (links[i]) links[i] = (await graphClient.getPage(links[i]!)).nextLink;
    }
  }
}

async function readAll(graphClient: GraphClient, path: string) {
  const pages = [];
  let link: string | null = path;
  while (link) {
    const page = await graphClient.getPage(link);
    pages.push(page);
    link = page.nextLink;
  }
  return pages;
}

beforeEach(async () => {
  clock = createVirtualClock();
  graph = await FakeGraph.start({ clock, pageSize: { signIns: 10, riskDetections: 2, registrations: 5 } });
  graph.load('signIns', Array.from({ length: 35 }, (_, i) => signin(i)));
  tokens = createTokenClient({ loginUrl: graph.loginUrl, tenantId: graph.tenantId, clientId: graph.clientId, clientSecret: graph.clientSecret, clock });
  logLines = [];
});
afterEach(async () => {
  await graph.stop();
});

const requestTimes = (collection: FakeCollection) => graph.graphRequests(collection).map((r) => r.at);

/** The most requests in any half-open window of `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
  let most = 0;
  for (const start of times) most = Math.max(most, times.filter((t) => t >= start && t < start + windowMs).length);
  return most;
}

describe('createGraphClient: requests and paging', () => {
  it('sends the bearer token and the Prefer header, and follows nextLinks newest first without gaps', async () => {
    const pages = await readAll(client(), SIGNINS);
    expect(pages.map((p) => p.value.length)).toEqual([10, 10, 10, 5]);
    const ids = pages.flatMap((p) => p.value.map((r) => (r as { id: string }).id));
    expect(ids).toEqual(Array.from({ length: 35 }, (_, i) => signin(34 - i).id));
    expect(graph.graphRequests().every((r) => r.prefer === 'include-unknown-enum-members' && r.status === 200)).toBe(true);
    expect(graph.graphRequests().map((r) => r.page)).toEqual([1, 2, 3, 4]);
    expect(pages.at(-1)!.nextLink).toBeNull();
  });

  it('refuses a nextLink to another host than GRAPH_API_URL, before sending anything there', async () => {
    const other = await FakeGraph.start({ clock, pageSize: { signIns: 10 }, nextLinkOrigin: 'http://127.0.0.1:9' });
    try {
      other.load('signIns', graph.records('signIns'));
      const tokensForOther = createTokenClient({ loginUrl: other.loginUrl, tenantId: other.tenantId, clientId: other.clientId, clientSecret: other.clientSecret, clock });
      const c = createGraphClient({ apiUrl: other.apiUrl, tokens: tokensForOther, clock, logger: createLogger({ sink: () => {} }) });
      const first = await c.getPage(SIGNINS);
      expect(first.nextLink).toMatch(/^http:\/\/127\.0\.0\.1:9\//);
      const error = await rejection(c.getPage(first.nextLink!));
      expect(error).toBeInstanceOf(GraphLinkError);
      expect((error as Error).message).toContain('Refusing to follow a Graph link to http://127.0.0.1:9');
      expect(() => c.checkLink('https://graph.microsoft.com/beta/auditLogs/signIns?$skiptoken=x')).toThrow(GraphLinkError);
      expect(() => c.checkLink(`${other.apiUrl}/beta/auditLogs/signIns?$skiptoken=x`)).not.toThrow();
    } finally {
      await other.stop();
    }
  });

  it('reports a permission problem with the permission the endpoint needs', async () => {
    graph.fail({ collection: 'riskDetections', status: 403, code: 'Forbidden', message: 'You cannot perform the requested operation, required scopes are missing in the token.' });
    const error = (await rejection(client().getPage(RISK))) as GraphRequestError;
    expect(error.status).toBe(403);
    expect(error.message).toContain('HTTP 403 Forbidden: You cannot perform the requested operation');
    expect(error.message).toContain('IdentityRiskEvent.Read.All');
  });

  it('does not retry a bad request', async () => {
    const error = (await rejection(client().getPage('/beta/auditLogs/signIns?$filter=nonsense'))) as GraphRequestError;
    expect(error.status).toBe(400);
    expect(graph.graphRequests()).toHaveLength(1);
  });
});

describe('createGraphClient: pacing', () => {
  it('keeps the reporting APIs at 5 requests per 10 s across endpoints (real policy, virtual clock)', async () => {
    graph.load('registrations', Array.from({ length: 40 }, (_, i) => ({ id: `u-${String(i).padStart(2, '0')}` })));
    const c = client();
    await readInTurns(c, [SIGNINS, REGISTRATIONS]);
    const times = [...requestTimes('signIns'), ...requestTimes('registrations')].sort((a, b) => a - b);
    expect(times).toHaveLength(4 + 8);
    expect(busiestWindow(times, 10_000)).toBe(5);
    // Without waiting longer than needed: 12 requests need two extra windows.
    expect(times.at(-1)! - times[0]!).toBeLessThan(21_000);
  });

  it('keeps Identity Protection at 1 request per second, independently of the reporting budget', async () => {
    graph.load('riskDetections', Array.from({ length: 9 }, (_, i) => ({ id: `r-${i}`, riskEventType: 'userReportedSuspiciousActivity', detectedDateTime: signin(i).createdDateTime })));
    const c = client();
    await readInTurns(c, [RISK, SIGNINS]);
    const risk = requestTimes('riskDetections');
    expect(risk).toHaveLength(5);
    for (let i = 1; i < risk.length; i++) expect(risk[i]! - risk[i - 1]!).toBeGreaterThanOrEqual(1_000);
    expect(busiestWindow(requestTimes('signIns'), 10_000)).toBeLessThanOrEqual(5);
  });

  it('logs pacing waits at debug level with the limit that caused them', async () => {
    // 11 pages: five at once, five after one wait, the last after a second wait.
    graph.load('signIns', Array.from({ length: 110 }, (_, i) => signin(i)));
    await readAll(client(), SIGNINS);
    expect(logLines.filter((l) => l.includes('DEBUG') && l.includes('paced'))).toHaveLength(2);
    expect(logLines.find((l) => l.includes('paced'))).toContain('reporting APIs: at most 5 requests per 10 s');
  });
});

describe('createGraphClient: retries', () => {
  it('waits the Retry-After seconds on a 429 that has one', async () => {
    graph.fail({ collection: 'signIns', page: 2, status: 429, retryAfterSeconds: 17 });
    const pages = await readAll(client(), SIGNINS);
    expect(pages).toHaveLength(4);
    const page2 = graph.graphRequests('signIns').filter((r) => r.page === 2);
    expect(page2.map((r) => r.status)).toEqual([429, 200]);
    expect(page2[1]!.at - page2[0]!.at).toBe(17_000);
    const retries = logLines.filter((l) => l.includes('WARN'));
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatch(/Graph GET \/beta\/auditLogs\/signIns: throttled, HTTP 429 TooManyRequests.*Retry-After; retrying in 17 s/);
  });

  it('backs off exponentially on 429s without Retry-After (as Identity Protection sends them)', async () => {
    graph.load('riskDetections', [{ id: 'r-1', riskEventType: 'userReportedSuspiciousActivity', detectedDateTime: '2026-03-03T00:00:00Z' }]);
    graph.fail({ collection: 'riskDetections', status: 429, times: 3 });
    const page = await client().getPage(RISK);
    expect(page.value).toHaveLength(1);
    const times = requestTimes('riskDetections');
    // random() = 0.5: three-quarters of 2, 4 and 8 s.
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual([1_500, 3_000, 6_000]);
    expect(logLines.filter((l) => l.includes('no Retry-After: exponential backoff'))).toHaveLength(3);
  });

  it('caps the backoff at 60 s and gives up after the configured number of 429s', async () => {
    graph.fail({ collection: 'riskDetections', status: 429, times: Infinity });
    const error = (await rejection(client({ retry: { maxThrottleRetries: 8 } }).getPage(RISK))) as GraphRequestError;
    expect(error.status).toBe(429);
    expect(error.message).toContain('still throttled after 8 retries');
    const times = requestTimes('riskDetections');
    expect(times).toHaveLength(9);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.max(...gaps)).toBe(45_000);
  });

  it('retries a burst of 5xx answers with backoff', async () => {
    graph.fail({ collection: 'signIns', page: 3, status: 503, times: 2 });
    graph.fail({ collection: 'signIns', page: 3, status: 500 });
    const pages = await readAll(client(), SIGNINS);
    expect(pages.flatMap((p) => p.value)).toHaveLength(35);
    expect(graph.graphRequests('signIns').filter((r) => r.page === 3).map((r) => r.status)).toEqual([503, 503, 500, 200]);
    const warnings = logLines.filter((l) => l.includes('WARN'));
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain('HTTP 503 UnknownError');
    expect(warnings[0]).toContain('(attempt 2 of 5)');
  });

  it('gives up after N attempts on a server that keeps failing', async () => {
    graph.fail({ collection: 'signIns', status: 500, times: Infinity });
    const error = (await rejection(client({ retry: { maxAttempts: 3 } }).getPage(SIGNINS))) as GraphRequestError;
    expect(error.message).toMatch(/failed after 3 attempts: HTTP 500/);
    expect(graph.graphRequests('signIns')).toHaveLength(3);
  });

  it('retries a page whose body arrives cut off', async () => {
    graph.fail({ collection: 'signIns', page: 1, status: 200, rawBody: '{"value":[{"id":"s-0' });
    const page = await client().getPage(SIGNINS);
    expect(page.value).toHaveLength(10);
    expect(logLines.some((l) => l.includes('unreadable response body'))).toBe(true);
  });

  it('retries network errors', async () => {
    const dead = createGraphClient({ apiUrl: 'http://127.0.0.1:9', tokens, clock, random: () => 0.5, retry: { maxAttempts: 2 }, logger: createLogger({ sink: (l) => logLines.push(l) }) });
    const error = (await rejection(dead.getPage(SIGNINS))) as GraphRequestError;
    expect(error.status).toBeNull();
    expect(error.message).toMatch(/failed after 2 attempts: network error/);
    expect(logLines.filter((l) => l.includes('network error'))).toHaveLength(1);
  });

  it('fetches a fresh token once when Graph says the token expired, and never logs a token', async () => {
    const c = client();
    await c.getPage(SIGNINS);
    graph.expireTokens();
    const page = await c.getPage(SIGNINS);
    expect(page.value).toHaveLength(10);
    expect(graph.issuedTokens).toBe(2);
    expect(graph.graphRequests('signIns').map((r) => r.status)).toEqual([200, 401, 200]);
    const warning = logLines.filter((l) => l.includes('WARN'));
    expect(warning).toHaveLength(1);
    expect(warning[0]).toMatch(/HTTP 401 InvalidAuthenticationToken: Lifetime validation failed, the token is expired\. \(request-id [0-9a-f-]+\); fetching a fresh token and retrying once/);
    expect(logLines.join('\n')).not.toMatch(/fake-access-token|Bearer/);
  });

  it('gives up when a fresh token is refused too', async () => {
    graph.fail({ collection: 'signIns', status: 401, times: 2 });
    const error = (await rejection(client().getPage(SIGNINS))) as GraphRequestError;
    expect(error.status).toBe(401);
    expect(error.message).toContain('The token was refused twice');
    expect(graph.issuedTokens).toBe(2);
  });

  it('retries when the login endpoint is briefly unavailable, and fails fast on refused credentials', async () => {
    graph.fail({ collection: 'token', status: 503 });
    expect((await client().getPage(SIGNINS)).value).toHaveLength(10);
    const bad = createTokenClient({ loginUrl: graph.loginUrl, tenantId: graph.tenantId, clientId: graph.clientId, clientSecret: 'not-the-secret', clock });
    const c = createGraphClient({ apiUrl: graph.apiUrl, tokens: bad, clock, logger: createLogger({ sink: () => {} }) });
    const error = (await rejection(c.getPage(SIGNINS))) as Error;
    expect(error.name).toBe('GraphTokenError');
    expect(graph.requests.filter((r) => r.collection === 'token' && r.status === 401)).toHaveLength(1);
  });
});
