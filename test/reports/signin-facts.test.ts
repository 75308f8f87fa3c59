// "Data as of": the newest sign-in, read through the newest hour of the hourly rollup, is the
// newest stored sign-in even while that rollup lags behind a bulk import, or is empty.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSignins } from '../../src/ingest/write-signins.js';
import { newestSigninAt } from '../../src/reports/signin-facts.js';
import { loadSignins, normalised } from '../support/graph-records.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

let store: TestStore;

beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store?.close();
});

describe('newestSigninAt', () => {
  it('is null for a store without sign-ins', async () => {
    expect(await newestSigninAt(store)).toBeNull();
  });

  it('is the newest sign-in, in the rollup or not yet', async () => {
    await loadSignins(store, [
      { id: 'a', at: '2026-11-20T08:10:00Z', upn: 'a@contoso.com' },
      { id: 'b', at: '2026-11-26T09:41:07Z', upn: 'b@contoso.com' },
    ]);
    expect(await newestSigninAt(store)).toEqual(new Date('2026-11-26T09:41:07Z'));
    // A bulk import leaves the rollup to its end: the rollup's newest hour is then days behind.
    await writeSignins(store, normalised([{ id: 'c', at: '2026-11-27T23:59:59Z', upn: 'c@contoso.com' }]), { rollup: 'deferred' });
    const [hour] = await store.rows<{ hour: Date | string }>(sql`select max(hour) as hour from signin_hourly`);
    expect(new Date(hour!.hour)).toEqual(new Date('2026-11-26T09:00:00Z'));
    expect(await newestSigninAt(store)).toEqual(new Date('2026-11-27T23:59:59Z'));
    await store.rows(sql`delete from signin_hourly`);
    expect(await newestSigninAt(store)).toEqual(new Date('2026-11-27T23:59:59Z'));
  });
});
