// The watch that gives up on a silent Postgres (db/server-watch.ts) must never give up on a slow
// statement of a server that answers: a report running longer than the watch's patience is probed,
// found alive, and left to finish. (A silent server: test/slack/store-outage.test.ts.) Postgres
// only: the watch is on the postgres.js sockets.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../db/client.js';
import { openTestStore, testBackend, type TestStore } from '../support/test-store.js';

describe.skipIf(testBackend() === 'pglite')('the watch on a slow but healthy Postgres', () => {
  let store: TestStore;
  let reports: Store;

  beforeAll(async () => {
    store = await openTestStore();
    reports = store.withStatementTimeout(20_000);
  });
  afterAll(async () => {
    await reports?.close();
    await store?.close();
  });

  it('lets a statement run three times the report pool\'s half second of patience', async () => {
    const [row] = await reports.rows<{ slept: string }>(sql`SELECT pg_sleep(1.5)::text AS "slept"`);
    expect(row).toEqual({ slept: '' });
  });
});
