// A stand-in for Microsoft Graph and the Entra login endpoint on loopback, built from the
// documented shapes (graph-data.md §2, §6, §7, §8): the client-credentials token endpoint and the
// four list endpoints the sync reads, with server-side paging through an opaque $skiptoken,
// newest-first ordering, the `ge` date filters, the Prefer header for evolvable enums, fault
// injection (429 with and without Retry-After, 5xx, expired tokens, malformed bodies), a log of
// every request with its time, and records that can be changed between runs (late corrections).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../src/time/clock.js';

export type FakeCollection = 'signIns' | 'registrations' | 'riskDetections' | 'directoryAudits';

type GraphRecord = Record<string, unknown>;

interface Route {
  collection: FakeCollection;
  path: string;
  context: string;
  /** Newest-first on this field; collections without one are listed by id. */
  timeField: string | null;
  defaultTop: number;
  maxTop: number;
}

const ROUTES: readonly Route[] = [
  { collection: 'signIns', path: '/beta/auditLogs/signIns', context: 'beta/$metadata#auditLogs/signIns', timeField: 'createdDateTime', defaultTop: 1000, maxTop: 1000 },
  {
    collection: 'registrations',
    path: '/v1.0/reports/authenticationMethods/userRegistrationDetails',
    context: 'v1.0/$metadata#reports/authenticationMethods/userRegistrationDetails',
    timeField: null,
    defaultTop: 1000,
    maxTop: 1000,
  },
  {
    collection: 'riskDetections',
    path: '/v1.0/identityProtection/riskDetections',
    context: 'v1.0/$metadata#identityProtection/riskDetections',
    timeField: 'detectedDateTime',
    defaultTop: 20,
    maxTop: 500,
  },
  { collection: 'directoryAudits', path: '/v1.0/auditLogs/directoryAudits', context: 'v1.0/$metadata#auditLogs/directoryAudits', timeField: 'activityDateTime', defaultTop: 1000, maxTop: 1000 },
];

/** A clock that only moves when something sleeps on it (or the test advances it). */
export interface VirtualClock extends Clock {
  advance(ms: number): void;
}

export function createVirtualClock(start = Date.parse('2026-03-04T10:00:00Z')): VirtualClock {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += Math.max(0, ms);
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

export interface FakeGraphOptions {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  tokenLifetimeSeconds?: number;
  /** Server-side page size per collection (Graph may return fewer than $top). */
  pageSize?: Partial<Record<FakeCollection, number>>;
  /** Times requests and token expiry (default: the real clock). */
  clock?: Clock;
  /** Origin written into @odata.nextLink instead of the server's own (to test refusing foreign links). */
  nextLinkOrigin?: string;
}

export interface RecordedRequest {
  /** Clock time the request arrived. */
  at: number;
  method: string;
  path: string;
  collection: FakeCollection | 'token' | null;
  /** 1 for a first page, n for the page a skiptoken leads to. */
  page: number | null;
  status: number;
  prefer: string | null;
  filter: string | null;
  top: number | null;
  /** Ids of the records returned. */
  ids: string[];
}

export interface FaultRule {
  /** Which endpoint; any Graph list endpoint when absent. */
  collection?: FakeCollection | 'token';
  /** Only this page number. */
  page?: number;
  /** How many matching requests fail (default 1; Infinity: until cleared). */
  times?: number;
  status: number;
  retryAfterSeconds?: number;
  code?: string;
  message?: string;
  /** Sent verbatim instead of a Graph error body (e.g. a truncated JSON page with status 200). */
  rawBody?: string;
}

interface PageState {
  /** Route path. */
  r: string;
  f: string | null;
  t: number;
  p: number;
  /** Continuation key: [time, id] of the last record sent, or [id] for id-ordered lists. */
  k: Array<number | string>;
}

interface Clause {
  field: string;
  op: 'ge' | 'eq';
  value: string;
}

const PREFER_UNKNOWN_ENUMS = 'include-unknown-enum-members';
// Evolvable enum members Graph only sends with the Prefer header (graph-data.md §0.9, §3.3).
const EVOLVABLE_TOKEN_ISSUERS = new Set(['AzureADBackupAuth', 'ADFederationServicesMFAAdapter', 'NPSExtension']);

const idOf = (record: GraphRecord): string => (typeof record.id === 'string' ? record.id : '');

export class FakeGraph {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly requests: RecordedRequest[] = [];
  apiUrl = '';
  loginUrl = '';
  private readonly server: Server;
  private readonly clock: Clock;
  private readonly data = new Map<FakeCollection, GraphRecord[]>(ROUTES.map((r) => [r.collection, []]));
  private readonly tokens = new Map<string, number>();
  private faults: Array<FaultRule & { left: number }> = [];
  private tokensIssued = 0;

  private constructor(private readonly options: FakeGraphOptions) {
    this.tenantId = options.tenantId ?? 'contoso-tenant-id';
    this.clientId = options.clientId ?? 'mfa-bot-client-id';
    this.clientSecret = options.clientSecret ?? 'fake-graph-client-secret-value';
    this.clock = options.clock ?? { now: () => Date.now(), sleep: async () => {} };
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'FakeGraphBug', message: String(error) } }));
      });
    });
  }

  static async start(options: FakeGraphOptions = {}): Promise<FakeGraph> {
    const graph = new FakeGraph(options);
    await new Promise<void>((resolve) => graph.server.listen(0, '127.0.0.1', resolve));
    const { port } = graph.server.address() as AddressInfo;
    graph.apiUrl = `http://127.0.0.1:${port}`;
    graph.loginUrl = `http://127.0.0.1:${port}/login`;
    return graph;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The GRAPH_* environment a process needs to use this fake. */
  env(): Record<string, string> {
    return {
      GRAPH_TENANT_ID: this.tenantId,
      GRAPH_CLIENT_ID: this.clientId,
      GRAPH_CLIENT_SECRET: this.clientSecret,
      GRAPH_API_URL: this.apiUrl,
      GRAPH_LOGIN_URL: this.loginUrl,
    };
  }

  /** Replaces a collection's records (copied: later changes go through update()). */
  load(collection: FakeCollection, records: ReadonlyArray<object>): void {
    this.data.set(collection, records.map((r) => structuredClone(r) as GraphRecord));
  }

  add(collection: FakeCollection, ...records: object[]): void {
    this.data.get(collection)!.push(...records.map((r) => structuredClone(r) as GraphRecord));
  }

  /** Changes a stored record in place, as Microsoft does when it corrects a sign-in late. */
  update(collection: FakeCollection, id: string, change: (record: GraphRecord) => void): void {
    const record = this.data.get(collection)!.find((r) => idOf(r) === id);
    if (!record) throw new Error(`fake Graph has no ${collection} record ${id}`);
    change(record);
  }

  records(collection: FakeCollection): GraphRecord[] {
    return this.data.get(collection)!;
  }

  fail(rule: FaultRule): void {
    this.faults.push({ ...rule, left: rule.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Every token issued so far now fails with 401 InvalidAuthenticationToken (expired). */
  expireTokens(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, -Infinity);
  }

  get issuedTokens(): number {
    return this.tokensIssued;
  }

  /** Requests to the list endpoints (optionally one collection). */
  graphRequests(collection?: FakeCollection): RecordedRequest[] {
    return this.requests.filter((r) => r.collection !== 'token' && r.collection !== null && (!collection || r.collection === collection));
  }

  // --- HTTP ------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.apiUrl);
    const entry: RecordedRequest = {
      at: this.clock.now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      collection: null,
      page: null,
      status: 0,
      prefer: headerValue(req.headers.prefer),
      filter: null,
      top: null,
      ids: [],
    };
    this.requests.push(entry);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': randomUUID(), ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };

    if (url.pathname === `/login/${this.tenantId}/oauth2/v2.0/token` || /^\/login\/[^/]+\/oauth2\/v2\.0\/token$/.test(url.pathname)) {
      entry.collection = 'token';
      return this.token(req, url, send);
    }
    const route = ROUTES.find((r) => r.path === url.pathname);
    if (!route || req.method !== 'GET') {
      return send(404, graphError('ResourceNotFound', `Resource not found for the segment '${url.pathname}'.`));
    }
    entry.collection = route.collection;

    let state: PageState;
    const skiptoken = url.searchParams.get('$skiptoken');
    if (skiptoken) {
      try {
        state = JSON.parse(Buffer.from(skiptoken, 'base64url').toString('utf8')) as PageState;
        if (state.r !== route.path) throw new Error('token for another collection');
      } catch {
        return send(400, graphError('BadRequest', 'Invalid $skiptoken value.'));
      }
    } else {
      const top = url.searchParams.has('$top') ? Number(url.searchParams.get('$top')) : route.defaultTop;
      if (!Number.isInteger(top) || top < 1 || top > route.maxTop) {
        return send(400, graphError('BadRequest', `Invalid page size specified: '${url.searchParams.get('$top')}'. Must be between 1 and ${route.maxTop} inclusive.`));
      }
      state = { r: route.path, f: url.searchParams.get('$filter'), t: top, p: 1, k: [] };
    }
    entry.page = state.p;
    entry.filter = state.f;
    entry.top = state.t;

    const fault = this.takeFault(route.collection, state.p);
    if (fault) {
      if (fault.rawBody !== undefined) return send(fault.status, fault.rawBody);
      const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
      const code = fault.code ?? (fault.status === 429 ? 'TooManyRequests' : fault.status === 401 ? 'InvalidAuthenticationToken' : fault.status >= 500 ? 'UnknownError' : 'BadRequest');
      const message = fault.message ?? (fault.status === 429 ? 'Too many requests.' : fault.status === 401 ? 'Lifetime validation failed, the token is expired.' : 'Injected fault.');
      return send(fault.status, graphError(code, message), headers);
    }

    const auth = /^Bearer (.+)$/.exec(headerValue(req.headers.authorization) ?? '');
    if (!auth) return send(401, graphError('InvalidAuthenticationToken', 'Access token is empty.'));
    const expiresAt = this.tokens.get(auth[1]!);
    if (expiresAt === undefined) return send(401, graphError('InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'));
    if (expiresAt <= this.clock.now()) return send(401, graphError('InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.'));

    let clauses: Clause[];
    try {
      clauses = parseFilter(state.f, route);
    } catch (error) {
      return send(400, graphError('BadRequest', (error as Error).message));
    }
    const size = Math.min(state.t, this.options.pageSize?.[route.collection] ?? state.t);
    const all = this.listing(route, clauses);
    const rest = state.k.length === 0 ? all : all.filter((item) => compareKeys(item.key, state.k) > 0);
    const page = rest.slice(0, size);
    const includeEvolvable = (entry.prefer ?? '').split(',').some((p) => p.trim() === PREFER_UNKNOWN_ENUMS);
    entry.ids = page.map((item) => idOf(item.record));

    const body: Record<string, unknown> = {
      '@odata.context': `${this.apiUrl}/${route.context}`,
      value: page.map((item) => (includeEvolvable || route.collection !== 'signIns' ? item.record : hideEvolvableMembers(item.record))),
    };
    if (rest.length > page.length) {
      const next: PageState = { ...state, p: state.p + 1, k: page[page.length - 1]!.key };
      const origin = this.options.nextLinkOrigin ?? this.apiUrl;
      body['@odata.nextLink'] = `${origin}${route.path}?$top=${state.t}&$skiptoken=${Buffer.from(JSON.stringify(next)).toString('base64url')}`;
    }
    send(200, body, includeEvolvable ? { 'preference-applied': PREFER_UNKNOWN_ENUMS } : {});
  }

  private async token(req: IncomingMessage, url: URL, send: (status: number, body: unknown, headers?: Record<string, string>) => void): Promise<void> {
    const fault = this.takeFault('token', undefined);
    if (fault) {
      return send(fault.status, fault.rawBody ?? { error: fault.code ?? 'temporarily_unavailable', error_description: `${fault.message ?? 'AADSTS50196: The server terminated an operation.'}\r\nTrace ID: ${randomUUID()}` });
    }
    const form = new URLSearchParams(await readBody(req));
    const tenant = url.pathname.split('/')[2];
    const trace = `\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${new Date(this.clock.now()).toISOString()}`;
    if (req.method !== 'POST') return send(405, { error: 'invalid_request', error_description: `AADSTS900561: The endpoint only accepts POST requests.${trace}` });
    if (tenant !== this.tenantId) {
      return send(400, { error: 'invalid_request', error_description: `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID.${trace}`, error_codes: [90002] });
    }
    if (form.get('grant_type') !== 'client_credentials' || form.get('scope') !== 'https://graph.microsoft.com/.default') {
      return send(400, { error: 'invalid_request', error_description: `AADSTS90014: The request body must contain grant_type=client_credentials and a .default scope.${trace}` });
    }
    if (form.get('client_id') !== this.clientId) {
      return send(400, {
        error: 'unauthorized_client',
        error_description: `AADSTS700016: Application with identifier '${form.get('client_id')}' was not found in the directory '${tenant}'.${trace}`,
        error_codes: [700016],
      });
    }
    if (form.get('client_secret') !== this.clientSecret) {
      return send(401, {
        error: 'invalid_client',
        error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${this.clientId}'.${trace}`,
        error_codes: [7000215],
      });
    }
    const lifetime = this.options.tokenLifetimeSeconds ?? 3599;
    const token = `fake-access-token-${++this.tokensIssued}-${randomUUID()}`;
    this.tokens.set(token, this.clock.now() + lifetime * 1000);
    send(200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token });
  }

  private takeFault(collection: FakeCollection | 'token', page: number | undefined): FaultRule | null {
    const fault = this.faults.find(
      (f) => f.left > 0 && (f.collection === undefined ? collection !== 'token' : f.collection === collection) && (f.page === undefined || f.page === page),
    );
    if (!fault) return null;
    fault.left--;
    return fault;
  }

  private listing(route: Route, clauses: Clause[]): Array<{ record: GraphRecord; key: Array<number | string> }> {
    const matching = this.data.get(route.collection)!.filter((record) =>
      clauses.every((clause) => {
        const value = record[clause.field];
        if (clause.op === 'eq') return value === clause.value;
        const at = Date.parse(String(value));
        // A record whose time cannot be read is passed on: the client's validation deals with it.
        return Number.isNaN(at) || at >= Date.parse(clause.value);
      }),
    );
    if (!route.timeField) {
      return matching.map((record) => ({ record, key: [idOf(record)] })).sort((a, b) => compareKeys(a.key, b.key));
    }
    const field = route.timeField;
    return matching
      .map((record) => {
        const at = Date.parse(String(record[field]));
        // Newest first: the key sorts ascending on the negated time, then descending on id.
        return { record, key: [Number.isNaN(at) ? -Number.MAX_SAFE_INTEGER : -at, invert(idOf(record))] };
      })
      .sort((a, b) => compareKeys(a.key, b.key));
  }
}

function graphError(code: string, message: string) {
  return { error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': randomUUID(), 'client-request-id': randomUUID() } } };
}

function headerValue(value: string | string[] | undefined): string | null {
  return Array.isArray(value) ? value.join(', ') : (value ?? null);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** "createdDateTime ge 2026-03-01T00:00:00Z and riskEventType eq 'x'": only what the routes document. */
function parseFilter(filter: string | null, route: Route): Clause[] {
  if (!filter) return [];
  return filter.split(/\s+and\s+/i).map((part) => {
    const ge = /^(\w+)\s+ge\s+(\S+)$/.exec(part.trim());
    if (ge) {
      if (ge[1] !== route.timeField) throw new Error(`Invalid filter clause: 'ge' is not supported on '${ge[1]}'.`);
      if (Number.isNaN(Date.parse(ge[2]!)) || !/^\d{4}-\d{2}-\d{2}T/.test(ge[2]!)) throw new Error(`Invalid filter clause: '${ge[2]}' is not a DateTimeOffset.`);
      return { field: ge[1]!, op: 'ge' as const, value: ge[2]! };
    }
    const eq = /^(\w+)\s+eq\s+'([^']*)'$/.exec(part.trim());
    if (eq) return { field: eq[1]!, op: 'eq' as const, value: eq[2]! };
    throw new Error(`Invalid filter clause: '${part}'.`);
  });
}

// Ids compare descending by mapping each character code c to 0xffff - c (lengths stay comparable
// for the fixed-length GUIDs Graph uses).
function invert(id: string): string {
  return Array.from(id, (c) => String.fromCharCode(0xffff - c.charCodeAt(0))).join('');
}

function compareKeys(a: ReadonlyArray<number | string>, b: ReadonlyArray<number | string>): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

function hideEvolvableMembers(record: GraphRecord): GraphRecord {
  const copy = structuredClone(record);
  if (typeof copy.tokenIssuerType === 'string' && EVOLVABLE_TOKEN_ISSUERS.has(copy.tokenIssuerType)) copy.tokenIssuerType = 'unknownFutureValue';
  const policies = copy.appliedConditionalAccessPolicies;
  if (Array.isArray(policies)) {
    for (const policy of policies as GraphRecord[]) {
      if (typeof policy.result === 'string' && policy.result.startsWith('reportOnly')) policy.result = 'unknownFutureValue';
    }
  }
  return copy;
}
