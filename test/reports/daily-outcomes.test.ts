// MFA outcomes per local day (what the trend chart draws): known by construction in UTC and in a
// zone whose midnight falls mid-hour (Asia/Kolkata), equal to a plain per-day count over the raw
// sign-ins for a seeded tenant in several zones, and one user's trend from their own sign-ins.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyOutcomes, localDays } from '../../src/reports/daily-outcomes.js';
import { summaryReport } from '../../src/reports/summary.js';
import { trendReport } from '../../src/reports/trend.js';
import { seedDemoTenant } from '../../src/seed/seed-store.js';
import { parsePeriod } from '../../src/time/period.js';
import { formatLocalDate } from '../../src/time/zoned.js';
import { loadSignins, type SigninSpec } from '../support/graph-records.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const NOW = new Date('2026-11-27T12:30:00Z');
const push = (succeeded: boolean, detail: string) => ({ method: 'Mobile app notification', succeeded, detail });
const ok = (id: string, at: string, upn = 'alice@contoso.com'): SigninSpec => ({ id, at, upn, mfa: push(true, 'MFA successfully completed') });
const declined = (id: string, at: string, upn = 'alice@contoso.com'): SigninSpec => ({ id, at, upn, errorCode: 500121, mfa: push(false, 'MFA denied; user declined the authentication') });
const interrupted = (id: string, at: string, upn = 'bob@contoso.com'): SigninSpec => ({ id, at, upn, errorCode: 50074, failureReason: 'Strong Authentication is required.' });

// 7d ends 2026-11-27 12:30 UTC and starts 2026-11-20 12:30 UTC (18:00 in Kolkata, +5:30).
const SIGNINS: SigninSpec[] = [
  ok('before', '2026-11-20T12:10:00Z'), // before the period
  ok('s1', '2026-11-20T12:45:00Z'), // in the period's partial first hour; Kolkata 20th 18:15
  interrupted('i1', '2026-11-21T18:20:00Z'), // Kolkata 21st 23:50
  declined('d1', '2026-11-21T18:40:00Z', 'bob@contoso.com'), // Kolkata 22nd 00:10: the hour 18:00–19:00 UTC is cut by Kolkata's midnight
  ok('s2', '2026-11-25T09:00:00Z'),
  ok('s3', '2026-11-25T09:05:00Z'),
  ok('s4', '2026-11-25T23:59:00Z', 'bob@contoso.com'), // Kolkata 26th 05:29
  { id: 'n1', at: '2026-11-26T10:00:00Z', upn: 'alice@contoso.com', mfaRequired: false }, // no MFA: not counted
  declined('d2', '2026-11-27T12:10:00Z'), // in the period's partial last hour
];

const counts = (days: Array<{ day: string; satisfied: number; denied: number; interrupted: number }>) =>
  Object.fromEntries(days.filter((d) => d.satisfied + d.denied + d.interrupted > 0).map((d) => [d.day, [d.satisfied, d.denied, d.interrupted]]));

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
  await loadSignins(store, SIGNINS);
});
afterAll(async () => {
  await store?.close();
});

describe('MFA outcomes per local day', () => {
  it('lists every local day of the period, empty ones included', () => {
    const days = localDays(parsePeriod('7d', NOW, 'UTC'), 'UTC');
    expect(days.map((d) => d.day)).toEqual(['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27']);
    expect(localDays(parsePeriod('today', NOW, 'UTC'), 'UTC').map((d) => d.day)).toEqual(['2026-11-27']);
  });

  it('counts satisfied, denied and interrupted per UTC day (rollup hours and raw edges)', async () => {
    const days = await dailyOutcomes(store, parsePeriod('7d', NOW, 'UTC'), 'UTC');
    expect(days).toHaveLength(8);
    expect(counts(days)).toEqual({
      '2026-11-20': [1, 0, 0],
      '2026-11-21': [0, 1, 1],
      '2026-11-25': [3, 0, 0],
      '2026-11-27': [0, 1, 0],
    });
  });

  it('cuts days at local midnight where it falls mid-hour (Asia/Kolkata)', async () => {
    const days = await dailyOutcomes(store, parsePeriod('7d', NOW, 'Asia/Kolkata'), 'Asia/Kolkata');
    expect(counts(days)).toEqual({
      '2026-11-20': [1, 0, 0],
      '2026-11-21': [0, 0, 1],
      '2026-11-22': [0, 1, 0],
      '2026-11-25': [2, 0, 0],
      '2026-11-26': [1, 0, 0],
      '2026-11-27': [0, 1, 0],
    });
  });

  it("gives one user's trend from their own sign-ins, with their failure reasons", async () => {
    const user = { upn: 'bob@contoso.com', userId: 'id-bob@contoso.com', displayName: 'bob', inDirectory: false };
    const trend = await trendReport(store, parsePeriod('7d', NOW, 'UTC'), 'UTC', user);
    expect(counts(trend.days)).toEqual({ '2026-11-21': [0, 1, 1], '2026-11-25': [1, 0, 0] });
    expect([trend.satisfied, trend.denied, trend.interrupted]).toEqual([1, 1, 1]);
    expect(trend.reasons.map((r) => r.signins)).toEqual([1, 1]);
    expect(trend.dataAsOf).toEqual(new Date('2026-11-27T12:10:00Z'));
  });

  it("gives the tenant's trend with the summary's totals and reasons", async () => {
    const period = parsePeriod('7d', NOW, 'UTC');
    const [trend, summary] = await Promise.all([trendReport(store, period, 'UTC'), summaryReport(store, period)]);
    expect([trend.satisfied, trend.denied, trend.interrupted]).toEqual([4, 2, 1]);
    expect(trend.reasons).toEqual(summary.topFailureReasons);
    const sum = (k: 'satisfied' | 'denied' | 'interrupted') => trend.days.reduce((n, d) => n + d[k], 0);
    expect([sum('satisfied'), sum('denied'), sum('interrupted')]).toEqual([trend.satisfied, trend.denied, trend.interrupted]);
  });
});

describe('MFA outcomes per local day on a seeded tenant', () => {
  let seeded: TestStore;
  beforeAll(async () => {
    seeded = await openTestStore();
    await seedDemoTenant(seeded, { users: 40, days: 5, seed: 7, now: NOW });
  });
  afterAll(async () => {
    await seeded?.close();
  });

  for (const timeZone of ['UTC', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/New_York']) {
    it(`equals a plain count of the raw sign-ins per local day in ${timeZone}`, async () => {
      const period = parsePeriod('5d', NOW, timeZone);
      const rows = await seeded.rows<{ at: string | Date; outcome: string }>(sql`
        SELECT "created_at" AS "at", "mfa_outcome" AS "outcome" FROM "signins"
        WHERE "created_at" >= ${period.from.toISOString()}::timestamptz AND "created_at" < ${period.to.toISOString()}::timestamptz
          AND "mfa_required" = 'yes' AND "mfa_outcome" IN ('satisfied', 'denied', 'interrupted')`);
      const expected = localDays(period, timeZone);
      const byDay = new Map(expected.map((d) => [d.day, d]));
      for (const row of rows) {
        const day = byDay.get(formatLocalDate(new Date(row.at), timeZone))!;
        day[row.outcome as 'satisfied' | 'denied' | 'interrupted'] += 1;
      }
      expect(rows.length).toBeGreaterThan(100);
      expect(await dailyOutcomes(seeded, period, timeZone)).toEqual(expected);
    });
  }
});
