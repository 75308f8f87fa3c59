// Client-credentials tokens against the fake login endpoint: cached, refreshed before expiry,
// and refused credentials reported with the tenant and client id but never the secret.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GraphTokenError } from '../../src/graph/graph-errors.js';
import { createTokenClient } from '../../src/graph/token-client.js';
import { rejection } from '../support/rejection.js';
import { createVirtualClock, FakeGraph, type VirtualClock } from '../support/fake-graph.js';

let graph: FakeGraph;
let clock: VirtualClock;
beforeEach(async () => {
  clock = createVirtualClock();
  graph = await FakeGraph.start({ clock, tokenLifetimeSeconds: 3600 });
});
afterEach(async () => {
  await graph.stop();
});

const client = (overrides: { clientSecret?: string; tenantId?: string; clientId?: string } = {}) =>
  createTokenClient({
    loginUrl: graph.loginUrl,
    tenantId: overrides.tenantId ?? graph.tenantId,
    clientId: overrides.clientId ?? graph.clientId,
    clientSecret: overrides.clientSecret ?? graph.clientSecret,
    clock,
  });

describe('createTokenClient', () => {
  it('posts the client-credentials form and reuses the token until 5 minutes before it expires', async () => {
    const tokens = client();
    const first = await tokens.getToken();
    expect(await tokens.getToken()).toBe(first);
    clock.advance(54 * 60_000);
    expect(await tokens.getToken()).toBe(first);
    clock.advance(2 * 60_000); // 56 minutes: inside the 5-minute margin of a 60-minute token
    const second = await tokens.getToken();
    expect(second).not.toBe(first);
    expect(graph.issuedTokens).toBe(2);
    expect(graph.requests.filter((r) => r.collection === 'token').map((r) => [r.method, r.path])).toEqual([
      ['POST', `/login/${graph.tenantId}/oauth2/v2.0/token`],
      ['POST', `/login/${graph.tenantId}/oauth2/v2.0/token`],
    ]);
  });

  it('shares one login request between concurrent callers', async () => {
    const tokens = client();
    const all = await Promise.all([tokens.getToken(), tokens.getToken(), tokens.getToken()]);
    expect(new Set(all).size).toBe(1);
    expect(graph.issuedTokens).toBe(1);
  });

  it('fetches a new token after the current one is invalidated', async () => {
    const tokens = client();
    const first = await tokens.getToken();
    tokens.invalidate('some other token');
    expect(await tokens.getToken()).toBe(first);
    tokens.invalidate(first);
    expect(await tokens.getToken()).not.toBe(first);
  });

  it('names the tenant and client id, and what to check, when the secret is wrong; never the secret', async () => {
    const secret = 'wrong-secret-value-1234';
    const error = await rejection(client({ clientSecret: secret }).getToken());
    expect(error).toBeInstanceOf(GraphTokenError);
    const message = (error as GraphTokenError).message;
    expect(message).toContain(`client ID ${graph.clientId} in tenant ${graph.tenantId}`);
    expect(message).toContain('invalid_client: AADSTS7000215: Invalid client secret provided.');
    expect(message).toContain('Check GRAPH_CLIENT_SECRET');
    expect(message).not.toContain(secret);
    expect(message).not.toContain('Trace ID');
    expect((error as GraphTokenError).transient).toBe(false);
  });

  it('says which setting to check for an unknown tenant or client', async () => {
    const tenant = (await rejection(client({ tenantId: 'no-such-tenant' }).getToken())) as Error;
    expect(tenant.message).toMatch(/AADSTS90002: Tenant 'no-such-tenant' not found.*Check GRAPH_TENANT_ID/);
    const app = (await rejection(client({ clientId: 'no-such-app' }).getToken())) as Error;
    expect(app.message).toMatch(/client ID no-such-app .*AADSTS700016.*Check GRAPH_CLIENT_ID/);
  });

  it('marks login endpoint outages and unreachable endpoints as transient', async () => {
    graph.fail({ collection: 'token', status: 503 });
    expect(((await rejection(client().getToken())) as GraphTokenError).transient).toBe(true);
    const unreachable = createTokenClient({ loginUrl: 'http://127.0.0.1:9/login', tenantId: 't', clientId: 'c', clientSecret: 'secret-value', clock });
    const error = (await rejection(unreachable.getToken())) as GraphTokenError;
    expect(error.transient).toBe(true);
    expect(error.message).toContain('Could not reach the Microsoft Entra login endpoint');
  });
});
