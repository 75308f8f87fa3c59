// The job runner: node-cron fires, a job_runs-backed coordinator lets one replica run each slot,
// and every run is logged (start, end, duration, outcome) and recorded.
import { setTimeout as delay } from 'node:timers/promises';
import { LogLevel } from '@slack/bolt';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../db/client.js';
import { createLogger } from '../../src/logger.js';
import { createJobRunner, type Job } from '../../src/jobs/job-runner.js';
import { openTestStore, type TestStore } from '../support/test-store.js';
import { VirtualClock } from '../support/virtual-clock.js';

let store: TestStore;
let otherStore: Store;

beforeAll(async () => {
  store = await openTestStore();
  otherStore = store.databaseUrl ? await openStore({ databaseUrl: store.databaseUrl, pgliteDir: '', maxConnections: 3 }) : store;
});
afterAll(async () => {
  if (otherStore && otherStore !== store) await otherStore.close();
  await store?.close();
});

const runsOf = (job: string) =>
  store.rows<{ slot: Date | string; claimed_by: string; status: string; detail: string | null; attempts: number }>(
    sql`SELECT "slot", "claimed_by", "status", "detail", "attempts" FROM "job_runs" WHERE "job" = ${job} ORDER BY "slot"`,
  );

describe('job runner', () => {
  it('runs each node-cron slot once across two replicas and records it', { timeout: 20_000 }, async () => {
    const ran: Array<{ instance: string; slot: string }> = [];
    const lines: string[] = [];
    const runners = (['replica-a', 'replica-b'] as const).map((instance, i) => {
      const runner = createJobRunner({
        store: i === 0 ? store : otherStore,
        logger: createLogger({ level: LogLevel.INFO, sink: (line) => lines.push(line) }),
        timeZone: 'UTC',
        instanceId: instance,
      });
      runner.add({
        name: 'tick',
        cron: '* * * * * *',
        async run({ slot }) {
          ran.push({ instance, slot: slot.toISOString() });
          return `tick by ${instance}`;
        },
      });
      return runner;
    });
    await Promise.all(runners.map((r) => r.start()));
    // node-cron fires on the wall clock: let a few seconds' slots go by.
    await delay(3200);
    await Promise.all(runners.map((r) => r.stop()));

    const slots = ran.map((r) => r.slot);
    expect(slots.length).toBeGreaterThanOrEqual(2);
    expect(new Set(slots).size).toBe(slots.length);
    const rows = await runsOf('tick');
    expect(rows.map((r) => new Date(r.slot).toISOString())).toEqual([...slots].sort());
    for (const row of rows) expect(row).toMatchObject({ status: 'ok', detail: `tick by ${row.claimed_by}`, attempts: 1 });
    expect(lines.some((l) => / INFO .*Job tick \(slot [^)]+\) started on replica-[ab]/.test(l))).toBe(true);
    expect(lines.some((l) => / INFO .*Job tick \(slot [^)]+\) finished in \d+ ms: ok: tick by replica-[ab]/.test(l))).toBe(true);
  });

  it('records a failed run, retries it on catch-up a limited number of times, and takes over a dead run', async () => {
    const clock = new VirtualClock(Date.parse('2026-11-27T09:00:00Z'));
    const lines: string[] = [];
    const slot = new Date('2026-11-27T08:00:00Z');
    let fail = true;
    const job: Job = {
      name: 'flaky',
      cron: '0 8 * * *',
      async run() {
        if (fail) throw new Error('store unreachable');
        return 'fine';
      },
      missedFires: async () => [slot],
    };
    const runner = createJobRunner({ store, logger: createLogger({ sink: (line) => lines.push(line) }), timeZone: 'UTC', instanceId: 'one', clock });
    runner.add(job);

    expect(await runner.runSlot('flaky', slot)).toEqual({ ran: true, status: 'failed', detail: 'store unreachable' });
    expect(lines.some((l) => l.includes('ERROR') && l.includes('Job flaky (slot 2026-11-27T08:00:00.000Z) failed after'))).toBe(true);
    await runner.catchUp();
    expect((await runsOf('flaky'))[0]).toMatchObject({ status: 'failed', attempts: 2 });
    await runner.catchUp();
    expect((await runsOf('flaky'))[0]).toMatchObject({ status: 'failed', attempts: 3 });
    fail = false;
    expect(await runner.runSlot('flaky', slot)).toEqual({ ran: false });

    // A replica that died mid-run leaves 'running'; after the lease another one takes the slot.
    await store.rows(sql`INSERT INTO "job_runs" ("job", "slot", "claimed_by", "started_at", "status") VALUES ('stuck', '2026-11-27T08:00:00Z', 'dead', '2026-11-27T08:00:00Z', 'running') RETURNING "job"`);
    runner.add({ name: 'stuck', cron: '0 8 * * *', run: async () => 'recovered', leaseMs: 30 * 60_000 });
    expect((await runner.runSlot('stuck', slot)).ran).toBe(true);
    expect((await runsOf('stuck'))[0]).toMatchObject({ status: 'ok', claimed_by: 'one', detail: 'recovered', attempts: 2 });
  });

  it('refuses job names that are not kebab-case or not unique', () => {
    const runner = createJobRunner({ store, logger: createLogger({ sink: () => {} }), timeZone: 'UTC', instanceId: 'x' });
    const job = { name: 'daily-summary', cron: '0 8 * * *', run: async () => {} };
    runner.add(job);
    expect(() => runner.add(job)).toThrow('added twice');
    expect(() => runner.add({ ...job, name: 'Daily Summary' })).toThrow('not kebab-case');
  });
});
