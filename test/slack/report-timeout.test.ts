// A report that outruns the report store's statement timeout, through the real path: a signed
// /mfa request into the Bolt app, a real Postgres database. What makes it slow is real too: another
// session holds an exclusive lock on the tables the summary reads, so its queries wait until the
// server cancels them. Postgres only: PGlite accepts statement_timeout but never enforces it (one
// WebAssembly thread with no timer to interrupt a statement), so the bot sets none there.
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../db/client.js';
import { loadSignins } from '../support/graph-records.js';
import { replyText } from '../support/reply-text.js';
import { ADMIN, startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, testBackend, type TestStore } from '../support/test-store.js';

const NOW = new Date('2026-11-27T12:30:00Z');
const TIMEOUT_MS = 300;

describe.skipIf(testBackend() === 'pglite')('the report store statement timeout', () => {
  let store: TestStore;
  let reports: Store;
  let harness: Harness;
  let other: postgres.Sql;

  beforeAll(async () => {
    store = await openTestStore();
    await loadSignins(store, [
      { id: 't1', at: new Date('2026-11-26T09:00:00Z'), upn: 'alice@contoso.com', mfa: { method: 'Mobile app notification', succeeded: true, detail: 'MFA successfully completed' } },
    ]);
    reports = store.withStatementTimeout(TIMEOUT_MS);
    harness = await startHarness({ store: reports, now: () => NOW });
    other = postgres(store.databaseUrl!, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await harness?.close();
    await reports?.close();
    await other?.end();
    await store?.close();
  });

  it('applies only to the report pool, not to the store that imports and jobs use', async () => {
    const [withLimit] = await reports.rows<{ statement_timeout: string }>(sql`SHOW statement_timeout`);
    const [without] = await store.rows<{ statement_timeout: string }>(sql`SHOW statement_timeout`);
    expect(withLimit?.statement_timeout).toBe(`${TIMEOUT_MS}ms`);
    expect(without?.statement_timeout).toBe('0');
  });

  it('stops the report, says so, audits it, and leaves no query running', async () => {
    const [last] = await store.rows<{ id: number | null }>(sql`SELECT max("id") AS "id" FROM "query_audit"`);
    const { reply, activeReads } = await other.begin(async (tx) => {
      await tx`LOCK TABLE "signins", "signin_hourly", "signin_daily", "signin_user_sets" IN ACCESS EXCLUSIVE MODE`;
      const asked = await harness.command('summary 7d');
      // The reply follows the first cancelled query; the report's other queries, started a moment
      // later, reach their own timeout soon after. Waited for while the lock is still held, so
      // only the server's cancel can end them.
      let active = -1;
      for (let attempt = 0; attempt < 100 && active !== 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
        // pg_stat_activity is read once per transaction unless told to look again.
        await tx`SELECT pg_stat_clear_snapshot()`;
        const [row] = await tx<Array<{ n: number }>>`
          SELECT count(*)::int AS "n" FROM pg_stat_activity
          WHERE "datname" = current_database() AND "application_name" = 'mfa-bot reports' AND "state" = 'active'`;
        active = row?.n ?? -1;
      }
      return { reply: asked.reply, activeReads: active };
    });
    expect(replyText(reply)).toContain(
      `This report took longer than ${TIMEOUT_MS / 1000} s on the report store, so it was stopped. Try a shorter period (e.g. \`7d\`), or try again later.`,
    );
    expect(activeReads).toBe(0);
    // One row, the command's own: allowed, timed out, its text kept.
    const audit = await store.rows(sql`
      SELECT "actor", "allowed", "outcome", "subcommand", "command_text" FROM "query_audit" WHERE "id" > ${last?.id ?? 0} ORDER BY "id"`);
    expect(audit).toEqual([{ actor: ADMIN, allowed: true, outcome: 'timeout', subcommand: null, command_text: 'summary 7d' }]);
    expect(harness.logLines.some((line) => line.includes(`The report store stopped a query of /mfa at its statement timeout (${TIMEOUT_MS / 1000} s)`))).toBe(true);
  });

  it('answers again once the store is quick again', async () => {
    const { reply } = await harness.command('summary 7d');
    expect(replyText(reply)).toContain('MFA summary: the last 7 days');
  });
});

describe.runIf(testBackend() === 'pglite')('the report store statement timeout on PGlite', () => {
  it('is not set: the reports read the store itself, and closing them leaves it open', async () => {
    const store = await openTestStore();
    try {
      const reports = store.withStatementTimeout(TIMEOUT_MS);
      expect(reports.statementTimeoutMs).toBeNull();
      await reports.close();
      const [row] = await store.rows<{ one: number }>(sql`SELECT 1 AS "one"`);
      expect(row?.one).toBe(1);
    } finally {
      await store.close();
    }
  });
});
