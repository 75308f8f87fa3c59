// Migration 0016: every statement that changes what a report reads sends the NOTIFY the bots'
// answer caches listen for. A table added later without the trigger fails here, and so does a
// report that starts reading one of the tables left out.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '../../db/schema.js';
import { STORE_CHANGED_CHANNEL } from '../../src/slack/answer-cache.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

/** Written by every request, post or job and read by no report (see the migration). */
const LEFT_OUT = ['job_runs', 'quarantined_records', 'query_audit', 'server_watch', 'slack_outbox', 'slack_seen_requests'];
/** Where answers are read and shown. */
const REPORT_CODE = ['src/reports', 'src/views', 'commands'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the store-changed notification', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('is sent by every table but those no report reads', async () => {
    const rows = await store.rows<{ table: string }>(sql`
      select c.relname as table from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where t.tgname = 'mfa_bot_store_changed' and not c.relispartition order by 1`);
    const tables = (Object.values(schema) as unknown[]).filter((value): value is PgTable => is(value, PgTable)).map((table) => getTableName(table));
    expect(rows.map((row) => row.table)).toEqual(tables.filter((table) => !LEFT_OUT.includes(table)).sort());
  });

  it('leaves out only tables no report, view or command reads', () => {
    const exportNames = Object.entries(schema)
      .filter(([, value]) => is(value, PgTable) && LEFT_OUT.includes(getTableName(value as PgTable)))
      .map(([name]) => name);
    expect(exportNames).toHaveLength(LEFT_OUT.length);
    for (const file of REPORT_CODE.flatMap(sourceFiles)) {
      const text = readFileSync(file, 'utf8');
      for (const name of [...LEFT_OUT, ...exportNames]) expect(text.includes(name), `${file} reads ${name}`).toBe(false);
    }
  });

  it('arrives once per committed transaction, however many tables it wrote', async () => {
    const heard: string[] = [];
    const unlisten = await store.listen(STORE_CHANGED_CHANNEL, (payload) => heard.push(payload));
    try {
      await store.db.transaction(async (tx) => {
        await tx.execute(sql`update signins set upn = upn`);
        await tx.execute(sql`update signin_daily set signins = signins`);
      });
      const deadline = Date.now() + 5000;
      while (heard.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heard).toEqual(['']);
    } finally {
      await unlisten();
    }
  });
});
