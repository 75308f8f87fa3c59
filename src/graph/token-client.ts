// Client-credentials tokens for Microsoft Graph. One token is cached and reused until about five
// minutes before it expires; a 401 from Graph (token expired early or revoked) invalidates it so
// the next request fetches a fresh one. Messages name the tenant and client id, never the secret.
import { systemClock, type Clock } from '../time/clock.js';
import { GraphTokenError } from './graph-errors.js';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export interface TokenClientOptions {
  /** GRAPH_LOGIN_URL, e.g. https://login.microsoftonline.com */
  loginUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  clock?: Clock;
  fetch?: typeof fetch;
  /** Refresh this long before expiry (default 5 minutes, at most half the token's lifetime). */
  refreshMarginMs?: number;
  timeoutMs?: number;
}

export interface TokenClient {
  getToken(): Promise<string>;
  /** Forget `token` (Graph rejected it); the next getToken() fetches a new one. */
  invalidate(token: string): void;
  /** How many tokens were fetched: for logs and tests. */
  readonly fetched: number;
}

interface Cached {
  token: string;
  refreshAt: number;
}

// The first sentence of error_description; the rest is trace/correlation ids and a timestamp.
function firstLine(text: string): string {
  return text.split(/\r?\n/)[0]!.trim();
}

// What to check for the AADSTS codes an admin meets when setting up the app registration.
function hint(error: string, description: string): string {
  if (/AADSTS7000215|AADSTS7000222/.test(description)) return ' Check GRAPH_CLIENT_SECRET: it is wrong or has expired.';
  if (/AADSTS700016/.test(description)) return ' Check GRAPH_CLIENT_ID, and that the app is registered (or consented) in this tenant.';
  if (/AADSTS90002|AADSTS900023/.test(description)) return ' Check GRAPH_TENANT_ID.';
  if (error === 'invalid_client') return ' Check GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET.';
  return '';
}

export function createTokenClient(options: TokenClientOptions): TokenClient {
  const clock = options.clock ?? systemClock;
  const doFetch = options.fetch ?? fetch;
  const url = `${options.loginUrl.replace(/\/+$/, '')}/${encodeURIComponent(options.tenantId)}/oauth2/v2.0/token`;
  const who = `client ID ${options.clientId} in tenant ${options.tenantId}`;
  const secret = options.clientSecret;
  // Belt and braces: whatever the login endpoint echoes, the secret never reaches a message.
  const clean = (text: string) => (secret.length >= 4 ? text.split(secret).join('[redacted]') : text);
  let cached: Cached | null = null;
  let pending: Promise<string> | null = null;
  let fetched = 0;

  async function requestToken(): Promise<string> {
    const body = new URLSearchParams({
      client_id: options.clientId,
      client_secret: secret,
      scope: options.scope ?? GRAPH_SCOPE,
      grant_type: 'client_credentials',
    });
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: body.toString(),
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      throw new GraphTokenError(clean(`Could not reach the Microsoft Entra login endpoint (${options.loginUrl}) for a Graph token for ${who}: ${reason}`), true);
    }
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Handled below: a token response without JSON is an error either way.
    }
    if (!response.ok) {
      const error = typeof json.error === 'string' ? json.error : `HTTP ${response.status}`;
      const description = typeof json.error_description === 'string' ? firstLine(json.error_description) : text.slice(0, 200);
      throw new GraphTokenError(
        clean(`Microsoft Entra ID refused a Graph token for ${who}: ${error}: ${description}.${hint(error, description)}`),
        response.status >= 500 || response.status === 429,
      );
    }
    const token = json.access_token;
    const expiresIn = Number(json.expires_in);
    if (typeof token !== 'string' || token.length === 0 || !Number.isFinite(expiresIn)) {
      throw new GraphTokenError(`The Microsoft Entra login endpoint answered without an access token for ${who}`, true);
    }
    const lifetimeMs = expiresIn * 1000;
    const margin = Math.min(options.refreshMarginMs ?? 5 * 60_000, lifetimeMs / 2);
    cached = { token, refreshAt: clock.now() + lifetimeMs - margin };
    fetched++;
    return token;
  }

  return {
    getToken() {
      if (cached && clock.now() < cached.refreshAt) return Promise.resolve(cached.token);
      // Concurrent callers share one request to the login endpoint.
      pending ??= requestToken().finally(() => {
        pending = null;
      });
      return pending;
    },
    invalidate(token) {
      if (cached?.token === token) cached = null;
    },
    get fetched() {
      return fetched;
    },
  };
}
