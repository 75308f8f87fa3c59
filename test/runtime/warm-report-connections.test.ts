// Before the first question, every connection of the report pool is open and has planned over
// the day partitions; on PGlite there is nothing to open.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warmReportConnections } from '../../src/runtime/warm-report-connections.js';
import { createLogger } from '../../src/logger.js';
import { loadSignins } from '../support/graph-records.js';
import { openTestStore, testBackend, type TestStore } from '../support/test-store.js';

let store: TestStore;
const logged: string[] = [];
const logger = createLogger({ sink: (line) => logged.push(line) });

beforeAll(async () => {
  store = await openTestStore();
  await loadSignins(store, [
    { id: 'w-1', at: '2026-11-25T08:00:00Z', upn: 'a@contoso.com' },
    { id: 'w-2', at: '2026-11-26T08:00:00Z', upn: 'b@contoso.com' },
  ]);
});
afterAll(async () => {
  await store?.close();
});

describe('warmReportConnections', () => {
  it.runIf(testBackend() === 'postgres')('opens every connection of the pool, each having planned over the partitions', async () => {
    const reports = store.withStatementTimeout(20_000, 4);
    try {
      expect(await warmReportConnections(reports, logger)).toBe(4);
      // Each connection's last statement (pg_stat_activity keeps it while idle) is the warm-up's plan.
      const [open] = await store.rows<{ n: number; planned: number }>(sql`
        select count(*)::int as n, count(*) filter (where query ~ '^[[:space:]]*EXPLAIN SELECT 1 FROM "signins"')::int as planned
        from pg_stat_activity
        where datname = current_database() and application_name = 'mfa-bot reports'`);
      expect(open).toEqual({ n: 4, planned: 4 });
      expect(logged.join('\n')).toMatch(/Warmed 4 report connections in \d+ ms/);
    } finally {
      await reports.close();
    }
  });

  it.runIf(testBackend() === 'pglite')('has nothing to open on PGlite', async () => {
    expect(await warmReportConnections(store, logger)).toBe(0);
  });
});
