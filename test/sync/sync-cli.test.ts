// npm run sync as a process against the fake Graph on loopback: the summary per source, exit 1
// with what failed and that the next run resumes, and a clear message when Graph is not set up.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoDirectoryAudits, demoRegistrationDetails, demoRiskDetections, demoSignins } from '../../src/seed/demo-tenant.js';
import { FakeGraph } from '../support/fake-graph.js';
import { runCli } from '../support/run-cli.js';
import { cliStore, type CliStore } from '../support/store-url.js';

// An hour ago, so everything is inside the 30 days the CLI backfills whenever the test runs.
const TENANT = { users: 12, days: 2, seed: 5, now: new Date(Date.now() - 3_600_000) };
const SIGNINS = Array.from(demoSignins(TENANT));

let target: CliStore;
let graph: FakeGraph;

beforeAll(async () => {
  target = await cliStore();
});
afterAll(async () => {
  await target?.dispose();
});
beforeEach(async () => {
  // Two pages of sign-ins; everything else fits one page, so one run stays under 5 requests per 10 s.
  graph = await FakeGraph.start({ pageSize: { signIns: Math.ceil(SIGNINS.length / 2) } });
  graph.load('signIns', SIGNINS);
  graph.load('registrations', demoRegistrationDetails(TENANT));
  graph.load('riskDetections', demoRiskDetections(TENANT));
  graph.load('directoryAudits', demoDirectoryAudits(TENANT));
});
afterEach(async () => {
  await graph.stop();
});

async function storedSignins(): Promise<number> {
  const store = await target.open();
  try {
    const [row] = await store.rows<{ n: number }>(sql`select count(*)::int as n from signins`);
    return row!.n;
  } finally {
    await store.close();
  }
}

describe('npm run sync', () => {
  it('pulls Graph into the store, prints a summary per source, and exits 0; then resumes after a failure', { timeout: 120_000 }, async () => {
    // First run: sign-ins page 2 is refused, the other sources complete.
    graph.fail({ collection: 'signIns', page: 2, status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' });
    const failed = await runCli('src/cli/sync.ts', [], { ...target.env, ...graph.env() });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^ {2}sign-ins: +FAILED after 1 page, \d+ new, 0 updated, 0 quarantined, \d+\.\d s$/m);
    expect(failed.stdout).toMatch(/^ {2}registrations: +1 page, 12 new, 0 updated, 0 quarantined, \d+\.\d s$/m);
    expect(failed.stdout).toContain('sign-ins failed: Graph GET /beta/auditLogs/signIns failed: HTTP 403 Authorization_RequestDenied');
    expect(failed.stdout).toContain('Nothing committed is lost: the next run resumes from the last page committed.');
    expect(failed.stdout + failed.stderr).not.toContain(graph.clientSecret);
    expect(failed.stdout + failed.stderr).not.toContain('fake-access-token');

    const second = await runCli('src/cli/sync.ts', [], { ...target.env, ...graph.env() });
    expect(second.stderr).not.toMatch(/ERROR/);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^Microsoft Graph sync finished in \d+\.\d s:$/m);
    expect(second.stdout).toMatch(/^ {2}sign-ins: +1 page, \d+ new, 0 updated, 0 quarantined, \d+\.\d s \(resumed an interrupted run\)$/m);
    for (const label of ['registrations', 'risk detections', 'directory audits']) {
      expect(second.stdout).toMatch(new RegExp(`^ {2}${label}: +1 page, 0 new, 0 updated, 0 quarantined, \\d+\\.\\d s$`, 'm'));
    }
    expect(graph.graphRequests('signIns').filter((r) => r.status === 200).map((r) => r.page)).toEqual([1, 2]);
    expect(await storedSignins()).toBe(SIGNINS.length);
  });

  it('names every missing GRAPH_* variable and exits 1', async () => {
    const result = await runCli('src/cli/sync.ts', [], { ...target.env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Microsoft Graph is not configured: set GRAPH_TENANT_ID, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET');
    expect(result.stdout).toBe('');
    expect(graph.requests).toHaveLength(0);
  });

  it('names the one that is missing when the others are set', async () => {
    const { GRAPH_CLIENT_SECRET: _secret, ...partial } = graph.env();
    const result = await runCli('src/cli/sync.ts', [], { ...target.env, ...partial });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GRAPH_CLIENT_SECRET: required');
    expect(graph.requests).toHaveLength(0);
  });

  it('reports refused credentials clearly, without the secret', async () => {
    const result = await runCli('src/cli/sync.ts', [], { ...target.env, ...graph.env(), GRAPH_CLIENT_SECRET: 'a-wrong-secret-value' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`Microsoft Entra ID refused a Graph token for client ID ${graph.clientId} in tenant ${graph.tenantId}: invalid_client`);
    expect(result.stdout).toContain('Check GRAPH_CLIENT_SECRET');
    expect(result.stdout + result.stderr).not.toContain('a-wrong-secret-value');
  });
});
