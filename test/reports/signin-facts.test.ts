// The rollup-backed facts must equal a plain aggregate over the raw sign-ins for any period,
// aligned to hours or not, and stay equal after late corrections.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphSignInSchema } from '../../src/ingest/graph-signin.js';
import { ingestSignins } from '../../src/ingest/ingest-records.js';
import { signinFacts, type SigninFact } from '../../src/reports/signin-facts.js';
import { demoSignins } from '../../src/seed/demo-tenant.js';
import { seedDemoTenant } from '../../src/seed/seed-store.js';
import { summaryReport } from '../../src/reports/summary.js';
import type { Period } from '../../src/time/period.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const NOW = new Date('2026-11-27T09:47:13Z');
const TENANT = { users: 60, days: 6, seed: 11, now: NOW };
let store: TestStore;

beforeAll(async () => {
  store = await openTestStore();
  await seedDemoTenant(store, TENANT);
});
afterAll(async () => {
  await store?.close();
});

function key(f: SigninFact): string {
  return [f.mfaRequired, f.mfaOutcome, f.mfaResultCode, f.mfaResultDetail, f.mfaMethod, f.errorCode, f.onpremComponent].join('|');
}

async function rawFacts(period: Period): Promise<Map<string, number>> {
  const rows = await store.rows<Record<string, string | number>>(sql`
    select mfa_required, mfa_outcome, coalesce(mfa_result_code, '') as code, coalesce(mfa_result_detail, '') as detail,
           coalesce(mfa_method, '') as method, error_code, coalesce(onprem_component, '') as onprem, count(*)::int as n
    from signins where created_at >= ${period.from.toISOString()}::timestamptz and created_at < ${period.to.toISOString()}::timestamptz
    group by 1, 2, 3, 4, 5, 6, 7`);
  return new Map(rows.map((r) => [[r.mfa_required, r.mfa_outcome, r.code, r.detail, r.method, Number(r.error_code), r.onprem].join('|'), Number(r.n)]));
}

async function expectFactsMatchRaw(period: Period) {
  const facts = await signinFacts(store, period);
  const fromRollup = new Map(facts.map((f) => [key(f), f.signins]));
  expect(fromRollup).toEqual(await rawFacts(period));
}

const periods: Array<[string, Period]> = [
  ['whole store', { from: new Date('2026-11-01T00:00:00Z'), to: NOW, label: '' }],
  ['hour-aligned', { from: new Date('2026-11-24T00:00:00Z'), to: new Date('2026-11-26T13:00:00Z'), label: '' }],
  ['ragged at both ends', { from: new Date('2026-11-23T07:13:59.123Z'), to: new Date('2026-11-26T18:02:00Z'), label: '' }],
  ['inside one hour', { from: new Date('2026-11-25T10:05:00Z'), to: new Date('2026-11-25T10:55:00Z'), label: '' }],
  ['last 24h', { from: new Date(NOW.getTime() - 86_400_000), to: NOW, label: '' }],
];

describe('signinFacts', () => {
  it.each(periods)('equals the raw aggregate: %s', async (_name, period) => {
    await expectFactsMatchRaw(period);
  });

  it('still equals it after late corrections and a re-import', async () => {
    // Re-deliver a day of sign-ins with every denied MFA step corrected to a success.
    const day = [...demoSignins(TENANT)].filter((r) => r.createdDateTime.startsWith('2026-11-25'));
    expect(day.length).toBeGreaterThan(50);
    const corrected = day.map((record) => {
      const copy = structuredClone(record) as unknown as { authenticationDetails?: Array<{ succeeded?: boolean; authenticationStepResultDetail?: string }>; status?: { errorCode: number } };
      for (const step of copy.authenticationDetails ?? []) {
        if (step.succeeded === false) {
          step.succeeded = true;
          step.authenticationStepResultDetail = 'MFA successfully completed';
        }
      }
      if (copy.status?.errorCode === 500121) copy.status.errorCode = 0;
      return graphSignInSchema.parse(copy);
    });
    const before = await summaryReport(store, { ...periods[0]![1], label: 'all' });
    const result = await ingestSignins(store, corrected, 'graph-beta');
    expect(result.updated).toBeGreaterThan(0);
    expect(result.inserted).toBe(0);
    const after = await summaryReport(store, { ...periods[0]![1], label: 'all' });
    expect(after.signins).toBe(before.signins);
    expect(after.denied).toBeLessThan(before.denied);
    for (const [, period] of periods) await expectFactsMatchRaw(period);
    // The same corrected records again change nothing.
    const again = await ingestSignins(store, corrected, 'graph-beta');
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: corrected.length });
  });
});
