// Upserts by Graph id: re-delivery changes nothing, a late correction updates the row, its
// Conditional Access rows and the hourly rollup, in one transaction.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalised, type SigninSpec } from '../support/graph-records.js';
import { writeSignins } from '../../src/ingest/write-signins.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store?.close();
});

const policy = { id: 'p-mfa', displayName: 'Require MFA for all users', grant: ['Mfa'], result: 'success' };
const first: SigninSpec = {
  id: 'late-1',
  at: '2026-11-20T10:15:00Z',
  upn: 'Frank@Contoso.com',
  // Microsoft first logs "satisfied by claim in the token", then corrects it (graph-data.md §2).
  mfa: { method: 'Previously satisfied', succeeded: true, detail: 'MFA requirement satisfied by claim in the token' },
  policies: [policy],
};
const corrected: SigninSpec = {
  ...first,
  mfa: { method: 'Mobile app notification', succeeded: true, detail: 'MFA successfully completed' },
  policies: [policy, { id: 'p-freq', displayName: 'Sign-in frequency 8h', session: ['SignInFrequency'], result: 'success' }],
};
const other: SigninSpec = { id: 'other-1', at: '2026-11-21T23:59:59Z', upn: 'gina@contoso.com', mfaRequired: false };

async function hourly() {
  return store.rows<{ hour: string; mfa_method: string; mfa_result_code: string; signins: number }>(
    sql`select to_char(hour at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as hour, mfa_method, mfa_result_code, signins from signin_hourly order by 1, 2`,
  );
}

describe('writeSignins', () => {
  it('inserts new sign-ins into their day partitions, lowercasing the UPN', async () => {
    const result = await writeSignins(store, normalised([first, other]));
    expect(result).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    const rows = await store.rows<{ id: string; upn: string; part: string }>(
      sql`select id, upn, tableoid::regclass::text as part from signins order by id`,
    );
    expect(rows).toEqual([
      { id: 'late-1', upn: 'frank@contoso.com', part: 'signins_p20261120' },
      { id: 'other-1', upn: 'gina@contoso.com', part: 'signins_p20261121' },
    ]);
  });

  it('changes nothing when the same records arrive again', async () => {
    expect(await writeSignins(store, normalised([first, other]))).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    const [count] = await store.rows<{ n: number }>(sql`select count(*)::int as n from signins`);
    expect(count!.n).toBe(2);
  });

  it('applies a late correction to the row, its policies and the rollup', async () => {
    expect(await hourly()).toEqual([
      { hour: '2026-11-20 10:00', mfa_method: 'Previously satisfied', mfa_result_code: 'satisfied_by_claim', signins: 1 },
      { hour: '2026-11-21 23:00', mfa_method: '', mfa_result_code: '', signins: 1 },
    ]);
    expect(await writeSignins(store, normalised([corrected]))).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    const [row] = await store.rows<{ mfa_method: string; mfa_result_code: string }>(sql`select mfa_method, mfa_result_code from signins where id = 'late-1'`);
    expect(row).toEqual({ mfa_method: 'Mobile app notification', mfa_result_code: 'completed' });
    const policies = await store.rows<{ policy_id: string; session_controls: string[] }>(
      sql`select policy_id, session_controls from signin_ca_policies where signin_id = 'late-1' order by policy_id`,
    );
    expect(policies).toEqual([
      { policy_id: 'p-freq', session_controls: ['SignInFrequency'] },
      { policy_id: 'p-mfa', session_controls: [] },
    ]);
    expect(await hourly()).toEqual([
      { hour: '2026-11-20 10:00', mfa_method: 'Mobile app notification', mfa_result_code: 'completed', signins: 1 },
      { hour: '2026-11-21 23:00', mfa_method: '', mfa_result_code: '', signins: 1 },
    ]);
  });

  it('keeps the last copy when a batch carries one sign-in twice', async () => {
    const result = await writeSignins(store, normalised([{ ...other, id: 'dup-1' }, { ...other, id: 'dup-1', mfaRequired: true }]));
    expect(result).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    const [row] = await store.rows<{ mfa_required: string }>(sql`select mfa_required from signins where id = 'dup-1'`);
    expect(row!.mfa_required).toBe('yes');
  });
});
