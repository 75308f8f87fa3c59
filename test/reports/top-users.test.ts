// The bounded rankings (most prompted, most failed, most affected) must name the same users in
// the same order as ranking every user of the period from the raw sign-ins, for any period, over
// several rounds, when they give up and count everyone, and after corrections.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failuresReport } from '../../src/reports/failures.js';
import { FAILED, FLOW, PROMPTED, WHO } from '../../src/reports/signin-predicates.js';
import { compareText, topUsersByBound, userKeyIn, type RankingWindow, type UserKey } from '../../src/reports/top-users.js';
import { usageOverview } from '../../src/reports/usage.js';
import { seedDemoTenant } from '../../src/seed/seed-store.js';
import type { Period } from '../../src/time/period.js';
import { writeSignins } from '../../src/ingest/write-signins.js';
import { graphSignInSchema } from '../../src/ingest/graph-signin.js';
import { prepareSignin } from '../../src/ingest/prepare-signin.js';
import { graphSignin, loadSignins } from '../support/graph-records.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const NOW = new Date('2026-11-27T09:47:13Z');
let store: TestStore;

beforeAll(async () => {
  store = await openTestStore();
  await seedDemoTenant(store, { users: 90, days: 5, seed: 5, now: NOW });
  // A user known only by UPN (an import without user ids), failing and prompted most of all.
  const declined = { method: 'Mobile app notification', succeeded: false, detail: 'MFA denied; user declined the authentication' };
  const rows = Array.from({ length: 60 }, (_, n) => {
    const record = graphSignin({ id: `no-id-${n}`, at: new Date(NOW.getTime() - (n + 1) * 3_000_000), upn: 'no.id@contoso.com', mfa: declined });
    delete record.userId;
    return prepareSignin(graphSignInSchema.parse(record), 'import:portal-csv');
  });
  await writeSignins(store, rows);
});
afterAll(async () => {
  await store?.close();
});

const periods: Array<[string, Period]> = [
  ['everything', { from: new Date('2026-11-01T00:00:00Z'), to: NOW, label: '' }],
  ['ragged', { from: new Date('2026-11-24T07:13:59Z'), to: new Date('2026-11-26T18:02:00Z'), label: '' }],
  ['one hour', { from: new Date('2026-11-25T10:00:00Z'), to: new Date('2026-11-25T11:00:00Z'), label: '' }],
];

interface Counted {
  who: string;
  upn: string | null;
  prompts: number;
  failed: number;
}

/** Every user's prompts and failures in the period, straight from the sign-ins. */
async function everyUser(period: Period, only?: UserKey[]): Promise<Counted[]> {
  const rows = await store.rows<Counted>(sql`
    select ${WHO} as who, max(upn) as upn, count(distinct ${FLOW}) filter (where ${PROMPTED})::int as prompts,
           count(*) filter (where ${FAILED})::int as failed
    from signins
    where created_at >= ${period.from.toISOString()}::timestamptz and created_at < ${period.to.toISOString()}::timestamptz
      and ${only ? userKeyIn(only) : sql`${WHO} is not null`}
    group by 1`);
  return rows.map((r) => ({ ...r, prompts: Number(r.prompts), failed: Number(r.failed) }));
}

const byPrompts = (a: Counted, b: Counted) => b.prompts - a.prompts || b.failed - a.failed || compareText(a.upn, b.upn) || compareText(a.who, b.who);
const byFailures = (a: Counted, b: Counted) => b.failed - a.failed || b.prompts - a.prompts || compareText(a.upn, b.upn) || compareText(a.who, b.who);
const top = (rows: Counted[], order: (a: Counted, b: Counted) => number, value: (r: Counted) => number, n = 10) =>
  rows.filter((r) => value(r) > 0).sort(order).slice(0, n);

async function expectRankingsMatchRaw(period: Period, window: RankingWindow = {}) {
  const all = await everyUser(period);
  const usage = await usageOverview(store, period, window);
  expect(usage.mostPrompted.map((u) => [u.upn, u.prompts])).toEqual(top(all, byPrompts, (r) => r.prompts).map((r) => [r.upn, r.prompts]));
  expect(usage.mostFailed.map((u) => [u.upn, u.denied + u.interrupted])).toEqual(top(all, byFailures, (r) => r.failed).map((r) => [r.upn, r.failed]));
  const failures = await failuresReport(store, period, window);
  const byFailedOnly = (a: Counted, b: Counted) => b.failed - a.failed || compareText(a.upn, b.upn) || compareText(a.who, b.who);
  expect(failures.mostAffected.map((u) => [u.upn, u.failed])).toEqual(top(all, byFailedOnly, (r) => r.failed).map((r) => [r.upn, r.failed]));
  return { usage, failures };
}

describe('bounded rankings', () => {
  it('has users enough to rank, with ties, and one known only by UPN on top', async () => {
    const all = await everyUser(periods[0]![1]);
    expect(top(all, byFailures, (r) => r.failed)[0]).toMatchObject({ who: 'no.id@contoso.com', failed: 60 });
    expect(all.filter((r) => r.failed > 0).length).toBeGreaterThan(20);
    // The most prompted users' tenth is tied, with the tie broken by failures.
    const tenth = top(all, byPrompts, (r) => r.prompts)[9]!;
    const tied = all.filter((r) => r.prompts === tenth.prompts);
    expect(tied.length).toBeGreaterThan(1);
    expect(new Set(tied.map((r) => r.failed)).size).toBeGreaterThan(1);
    // The most failed users' tenth is tied too, with the tie broken by prompts.
    const tenthFailed = top(all, byFailures, (r) => r.failed)[9]!;
    const tiedFailed = all.filter((r) => r.failed === tenthFailed.failed);
    expect(tiedFailed.length).toBeGreaterThan(1);
    expect(new Set(tiedFailed.map((r) => r.prompts)).size).toBeGreaterThan(1);
  });

  it.each(periods)('equal ranking every user: %s', async (_name, period) => {
    await expectRankingsMatchRaw(period);
  });

  it.each(periods)('equal it in usage and failures when the bounds give up and every user is counted: %s', async (_name, period) => {
    const { failures } = await expectRankingsMatchRaw(period, { firstWindow: 2, maxChecked: 2 });
    // Everything shown of the users most affected (reasons, names, last failure) as the bounds give it.
    expect(failures.mostAffected).toEqual((await failuresReport(store, period)).mostAffected);
    expect(failures.mostAffected.every((u) => u.denied + u.interrupted === u.failed && u.topReason.signins > 0)).toBe(true);
  });

  it.each([
    ['over several rounds', 2, 100_000],
    ['when it gives up and counts everyone', 2, 8],
  ])('equal it %s', async (_name, firstWindow, maxChecked) => {
    for (const [, period] of periods) {
      const all = await everyUser(period);
      const ranked = await topUsersByBound(store, {
        bound: 'prompted',
        limit: 10,
        exact: (users) => everyUser(period, users),
        value: (r) => r.prompts,
        compare: byPrompts,
        everyone: async () => all,
        firstWindow,
        maxChecked,
      });
      expect(ranked).toEqual(top(all, byPrompts, (r) => r.prompts));
    }
  });

  it('keeps the bounds at or above every user true counts, after corrections too', async () => {
    const [first] = await store.rows<{ who: string; upn: string }>(sql`select ${WHO} as who, upn from signins where ${FAILED} order by created_at limit 1`);
    // Three more failures for one user: the bound grows with them.
    await loadSignins(
      store,
      [1, 2, 3].map((n) => ({
        id: `late-${n}`,
        at: new Date(NOW.getTime() - n * 60_000),
        upn: first!.upn,
        userId: first!.who,
        mfa: { method: 'Mobile app notification', succeeded: false, detail: 'MFA denied; user declined the authentication' },
      })),
    );
    const all = await everyUser({ from: new Date(0), to: new Date('2100-01-01T00:00:00Z'), label: '' });
    const bounds = new Map(
      (await store.rows<{ user_key: string; prompted: number; failed: number }>(sql`select * from user_signin_bounds`)).map((b) => [b.user_key, b]),
    );
    for (const user of all) {
      expect(Number(bounds.get(user.who)?.prompted ?? 0)).toBeGreaterThanOrEqual(user.prompts);
      expect(Number(bounds.get(user.who)?.failed ?? 0)).toBeGreaterThanOrEqual(user.failed);
    }
    await expectRankingsMatchRaw(periods[0]![1]);
  });
});
