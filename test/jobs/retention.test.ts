// Retention drops whole day partitions of sign-ins (and their Conditional Access rows and
// quarter-hour rollups) older than RETENTION_DAYS, with their hourly rollup rows, and keeps every
// newer day and all other history.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARTITIONED_TABLES } from '../../db/partitions.js';
import { applyRetention, trimPromptFlows } from '../../src/jobs/retention.js';
import { distinctUsers } from '../../src/reports/distinct-users.js';
import { loadSignins } from '../support/graph-records.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const NOW = new Date('2026-11-27T03:30:00Z');
let store: TestStore;

beforeAll(async () => {
  store = await openTestStore();
  const policy = [{ id: 'p1', displayName: 'Require MFA', grant: ['mfa'], result: 'success' }];
  const mfa = { method: 'Mobile app notification', succeeded: true, detail: 'MFA successfully completed' };
  await loadSignins(store, [
    { id: 'old-1', at: '2026-10-01T10:00:00Z', upn: 'a@contoso.com', policies: policy, mfa },
    { id: 'old-2', at: '2026-10-27T23:59:00Z', upn: 'a@contoso.com', policies: policy, mfa },
    // Only on a dropped day that shares runs of days (from 10-26) with kept ones.
    { id: 'old-3', at: '2026-10-27T12:00:00Z', upn: 'b@contoso.com', policies: policy, mfa },
    { id: 'kept-1', at: '2026-10-28T00:00:00Z', upn: 'a@contoso.com', policies: policy, mfa },
    { id: 'kept-2', at: '2026-11-26T12:00:00Z', upn: 'a@contoso.com', policies: policy, mfa },
  ]);
});
afterAll(async () => {
  await store?.close();
});

const partitions = async () =>
  (
    await store.rows<{ relname: string }>(sql`
      SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = ANY(${sql.param([...PARTITIONED_TABLES])}::text[]) ORDER BY c.relname`)
  ).map((r) => r.relname);
const ofDays = (...days: string[]) => [...PARTITIONED_TABLES].sort().flatMap((table) => days.map((day) => `${table}_p${day}`));

describe('retention', () => {
  it('drops the day partitions older than RETENTION_DAYS and their rollup, nothing newer', async () => {
    expect(await partitions()).toEqual(ofDays('20261001', '20261027', '20261028', '20261126'));
    expect(ofDays('20261001')).toEqual(['signin_ca_policies_p20261001', 'signin_quarter_user_sets_p20261001', 'signin_quarterly_p20261001', 'signins_p20261001']);
    // The run of two days from the cut (10-28) lost no day: retention leaves its rows where they are.
    const runAtCut = sql`SELECT ctid::text AS "at" FROM signin_user_sets WHERE level = 'days2' AND start = '2026-10-28T00:00:00Z' ORDER BY 1`;
    const runRowsBefore = await store.rows<{ at: string }>(runAtCut);
    expect(runRowsBefore.length).toBeGreaterThan(0);
    const result = await applyRetention(store, NOW, 30);
    expect(await store.rows<{ at: string }>(runAtCut)).toEqual(runRowsBefore);
    expect(await trimPromptFlows(store, result.cutoff)).toBe(3);
    expect(result.droppedPartitions).toEqual(ofDays('20261001', '20261027'));
    expect(await partitions()).toEqual(ofDays('20261028', '20261126'));
    expect(result.hourlyRows).toBe(3);

    const ids = await store.rows<{ id: string }>(sql`SELECT id FROM signins ORDER BY id`);
    expect(ids.map((r) => r.id)).toEqual(['kept-1', 'kept-2']);
    const [policies] = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM signin_ca_policies`);
    expect(policies!.n).toBe(2);
    const hours = await store.rows<{ hour: Date | string }>(sql`SELECT hour FROM signin_hourly ORDER BY hour`);
    expect(hours.map((r) => new Date(r.hour).toISOString())).toEqual(['2026-10-28T00:00:00.000Z', '2026-11-26T12:00:00.000Z']);

    // Every rollup kept per hour or day, and the prompt flows, start at the cut too.
    const rollups: Array<[string, string]> = [
      ['signin_daily', 'day'],
      ['signin_ca_hourly', 'hour'],
      ['signin_ca_daily', 'day'],
      ['signin_prompt_hourly', 'hour'],
      ['signin_quarterly', 'quarter'],
      ['signin_quarter_user_sets', 'start'],
      ['prompt_flows', 'first_at'],
    ];
    for (const [table, column] of rollups) {
      const [oldest] = await store.rows<{ at: Date | string | null }>(sql`SELECT min(${sql.identifier(column)}) AS at FROM ${sql.identifier(table)}`);
      expect([table, new Date(oldest!.at!).toISOString()]).toEqual([table, '2026-10-28T00:00:00.000Z']);
    }

    // The user sets of hours and days start at the cut; the runs of 4, 8 and 16 days from 10-26
    // that reach past it hold the kept days' users only (b signed in on a dropped day alone).
    const levels = await store.rows<{ level: string; oldest: Date | string }>(sql`
      SELECT level, min(start) AS oldest FROM signin_user_sets GROUP BY level ORDER BY level`);
    expect(levels.map((r) => [r.level, new Date(r.oldest).toISOString().slice(0, 10)])).toEqual([
      ['day', '2026-10-28'],
      ['days16', '2026-10-26'],
      ['days2', '2026-10-28'],
      ['days4', '2026-10-26'],
      ['days8', '2026-10-26'],
      ['hour', '2026-10-28'],
    ]);
    const users = await distinctUsers(store, { from: new Date('2026-10-26T00:00:00Z'), to: new Date('2026-11-27T00:00:00Z'), label: '' }, ['all']);
    expect([...users]).toEqual([['all\u0000', 1]]);

    // Idempotent: a second run finds nothing to drop.
    expect((await applyRetention(store, NOW, 30)).droppedPartitions).toEqual([]);
  });
});
