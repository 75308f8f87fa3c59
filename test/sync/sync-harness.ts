// A real store, the fake Graph on loopback and a Graph client on a virtual clock (the documented
// pacing, retries and backoff, but no real waiting), wired to runSync.
import { LogLevel } from '@slack/bolt';
import { sql } from 'drizzle-orm';
import { createGraphClient, type GraphClient, type RetryPolicy } from '../../src/graph/graph-client.js';
import { createTokenClient } from '../../src/graph/token-client.js';
import { createLogger } from '../../src/logger.js';
import { runSync, type SyncOptions, type SyncSummary } from '../../src/sync/run-sync.js';
import type { SourceSummary } from '../../src/sync/sync-source.js';
import type { SyncSourceName } from '../../src/sync/sync-sources.js';
import { createVirtualClock, FakeGraph, type FakeCollection, type VirtualClock } from '../support/fake-graph.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

/** The fake's "now", and the demo tenant's. */
export const NOW = new Date('2026-03-04T10:00:00Z');

export interface SyncHarness {
  store: TestStore;
  graph: FakeGraph;
  clock: VirtualClock;
  client: GraphClient;
  logLines: string[];
  sync(options?: Partial<SyncOptions>): Promise<SyncSummary>;
  close(): Promise<void>;
}

export async function startSyncHarness(
  options: { pageSize?: Partial<Record<FakeCollection, number>>; retry?: Partial<RetryPolicy>; store?: TestStore } = {},
): Promise<SyncHarness> {
  const clock = createVirtualClock(NOW.getTime());
  const graph = await FakeGraph.start({ clock, pageSize: options.pageSize });
  const store = options.store ?? (await openTestStore());
  const logLines: string[] = [];
  const logger = createLogger({ level: LogLevel.DEBUG, secrets: [graph.clientSecret], sink: (line) => logLines.push(line) });
  const tokens = createTokenClient({ loginUrl: graph.loginUrl, tenantId: graph.tenantId, clientId: graph.clientId, clientSecret: graph.clientSecret, clock });
  const client = createGraphClient({ apiUrl: graph.apiUrl, tokens, clock, logger, random: () => 0.5, retry: { maxAttempts: 3, ...options.retry } });
  return {
    store,
    graph,
    clock,
    client,
    logLines,
    sync: (overrides = {}) => runSync(store, client, { logger, now: () => new Date(clock.now()), ...overrides }),
    async close() {
      await graph.stop();
      if (!options.store) await store.close();
    },
  };
}

export function sourceOf(summary: SyncSummary, name: SyncSourceName): SourceSummary {
  const found = summary.sources.find((s) => s.source === name);
  if (!found) throw new Error(`no ${name} in the summary`);
  return found;
}

export async function storedSigninIds(store: TestStore): Promise<string[]> {
  const rows = await store.rows<{ id: string }>(sql`select id from signins order by id`);
  return rows.map((r) => r.id);
}

export async function cursorRow(store: TestStore, source: string) {
  const [row] = await store.rows<{ cursor_at: unknown; resume_link: string | null; last_run_outcome: string | null; last_run_at: unknown }>(
    sql`select cursor_at, resume_link, last_run_outcome, last_run_at from sync_cursors where source = ${source}`,
  );
  return row ? { ...row, cursor_at: row.cursor_at ? new Date(row.cursor_at as string) : null } : undefined;
}
