// New sign-ins go into the store by COPY and re-delivered ones through an upsert; whichever road a
// record takes, it is counted exactly once (new / updated / unchanged / quarantined), a change
// reaches its row and its Conditional Access rows, and a broken line is quarantined with its line
// number. Small batches put copies of one sign-in into different batches.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/import/import-file.js';
import { openTestStore, type TestStore } from '../support/test-store.js';
import { tempDir } from './fixtures.js';

let store: TestStore;
let temp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  store = await openTestStore();
  temp = await tempDir();
});
afterAll(async () => {
  await store?.close();
  await temp?.dispose();
});

const policy = (id: string, result = 'success') => ({ id, displayName: `Policy ${id}`, enforcedGrantControls: ['Mfa'], enforcedSessionControls: [], result });
const signin = (id: string, hour: number, extra: Record<string, unknown> = {}) => ({
  id,
  createdDateTime: `2025-07-01T${String(hour).padStart(2, '0')}:10:00Z`,
  userPrincipalName: `${id}@contoso.com`,
  appDisplayName: 'Office 365',
  status: { errorCode: 0 },
  appliedConditionalAccessPolicies: [policy('p1')],
  ...extra,
});

async function writeLines(name: string, lines: unknown[]): Promise<string> {
  const file = join(temp.path, name);
  await writeFile(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
  return file;
}

const stored = () =>
  store.rows<{ id: string; error_code: number; policies: string }>(sql`
    select s.id, s.error_code, coalesce(string_agg(p.policy_id, ',' order by p.policy_id), '') as policies
    from signins s left join signin_ca_policies p on p.signin_id = s.id and p.signin_created_at = s.created_at
    where s.id like 'cc-%' group by s.id, s.error_code order by s.id`);

describe('an NDJSON import, new and re-delivered sign-ins mixed', () => {
  it('counts every line once when copies of a sign-in fall into different batches', async () => {
    const file = await writeLines('first.ndjson', [
      signin('cc-a', 1),
      signin('cc-b', 2),
      signin('cc-a', 1), // the next batch: stored by now, unchanged
      'not json {',
      signin('cc-c', 3),
      signin('cc-c', 3), // same batch: one write, one unchanged
    ]);
    const result = await importFile(store, file, { batchSize: 2 });
    expect(result).toMatchObject({ inserted: 3, updated: 0, unchanged: 2, quarantined: 1 });
    expect(result.samples[0]?.locator).toBe(`${file}:4`);
    expect(await stored()).toEqual([
      { id: 'cc-a', error_code: 0, policies: 'p1' },
      { id: 'cc-b', error_code: 0, policies: 'p1' },
      { id: 'cc-c', error_code: 0, policies: 'p1' },
    ]);
  });

  it('updates a changed sign-in and its policies, leaves the same ones alone and adds the new one', async () => {
    const file = await writeLines('second.ndjson', [
      signin('cc-a', 1),
      signin('cc-b', 2, { status: { errorCode: 50126, failureReason: 'Invalid username or password.' }, appliedConditionalAccessPolicies: [policy('p1'), policy('p2', 'failure')] }),
      signin('cc-d', 4),
      signin('cc-c', 3),
    ]);
    expect(await importFile(store, file, { batchSize: 3 })).toMatchObject({ inserted: 1, updated: 1, unchanged: 2, quarantined: 0 });
    expect(await stored()).toEqual([
      { id: 'cc-a', error_code: 0, policies: 'p1' },
      { id: 'cc-b', error_code: 50126, policies: 'p1,p2' },
      { id: 'cc-c', error_code: 0, policies: 'p1' },
      { id: 'cc-d', error_code: 0, policies: 'p1' },
    ]);
    // The hourly rollup follows the correction.
    expect(await store.rows(sql`select error_code, sum(signins)::int as n from signin_hourly where hour >= '2025-07-01' and hour < '2025-07-02' group by 1 order by 1`)).toEqual([
      { error_code: 0, n: 3 },
      { error_code: 50126, n: 1 },
    ]);
  });

  it('changes nothing when the same file comes again', async () => {
    const file = join(temp.path, 'second.ndjson');
    const before = await stored();
    expect(await importFile(store, file)).toMatchObject({ inserted: 0, updated: 0, unchanged: 4, quarantined: 0 });
    expect(await stored()).toEqual(before);
  });
});
