// Nothing lost or doubled: a second import of the same files changes nothing (quarantine included),
// a corrected record updates its row, and a user's fraud report that arrives as three records in
// three files of three formats raises exactly one fraud report, as the Graph sync would.
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/import/import-file.js';
import { openTestStore, type TestStore } from '../support/test-store.js';
import { FIXTURES, fixture, tempDir } from './fixtures.js';

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

async function tableCounts() {
  const [row] = await store.rows<Record<string, number>>(sql`
    select (select count(*)::int from signins) as signins, (select count(*)::int from signin_ca_policies) as policies,
           (select count(*)::int from signin_hourly) as hourly, (select count(*)::int from user_registrations) as registrations,
           (select count(*)::int from risk_detections) as risks, (select count(*)::int from directory_audits) as audits,
           (select count(*)::int from fraud_reports) as fraud, (select count(*)::int from fraud_report_sources) as fraud_sources,
           (select count(*)::int from mfa_block_events) as blocks, (select count(*)::int from mfa_bypass_events) as bypasses,
           (select count(*)::int from mfa_servers) as servers, (select count(*)::int from onprem_activity) as activity,
           (select count(*)::int from quarantined_records) as quarantined`);
  return row!;
}

describe('a fraud report imported from files', () => {
  it('creates exactly one fraud report from the risk detection, the audit entry and the denied sign-in', async () => {
    const results = [];
    for (const name of ['fraud-signin.csv', 'fraud-risk-detection.json', 'fraud-audit.ndjson']) results.push(await importFile(store, fixture(name)));
    expect(results.map((r) => [r.format, r.inserted, r.newFraudReports])).toEqual([
      ['Entra portal sign-in CSV', 1, 1],
      ['Graph JSON list response', 1, 0],
      ['NDJSON', 1, 0],
    ]);
    expect(await store.rows(sql`select upn, correlation_id, app_display_name, mfa_method, city, to_char(reported_at at time zone 'UTC', 'HH24:MI:SS') as at from fraud_reports`)).toEqual([
      { upn: 'paul@contoso.com', correlation_id: 'c-fraud-1', app_display_name: 'Office 365 Exchange Online', mfa_method: 'Phone call (Authentication phone)', city: 'Amsterdam', at: '10:00:00' },
    ]);
    expect(await store.rows(sql`select source_kind, source_id from fraud_report_sources order by source_kind`)).toEqual([
      { source_kind: 'directory_audit', source_id: 'f-audit-1' },
      { source_kind: 'risk_detection', source_id: 'f-risk-1' },
      { source_kind: 'signin', source_id: 'f-signin-1' },
    ]);
    // "Fraud reported - user is blocked for MFA" is block history too.
    expect(await store.rows(sql`select upn, action, source from mfa_block_events`)).toEqual([{ upn: 'paul@contoso.com', action: 'block', source: 'graph-audit' }]);
  });
});

describe('importing the same files again', () => {
  it('changes nothing the second time, for every fixture', async () => {
    const names = (await readdir(FIXTURES)).sort();
    const first = [];
    for (const name of names) first.push(await importFile(store, join(FIXTURES, name)));
    const before = await tableCounts();
    const second = [];
    for (const name of names) second.push(await importFile(store, join(FIXTURES, name)));
    expect(await tableCounts()).toEqual(before);
    for (const [i, result] of second.entries()) {
      expect({ name: names[i], status: result.status, inserted: result.inserted, updated: result.updated, fraud: result.newFraudReports }).toEqual({
        name: names[i],
        status: first[i]!.status,
        inserted: 0,
        updated: 0,
        fraud: 0,
      });
      // The same records are still quarantined (and counted as such), but not stored twice.
      expect(result.quarantined).toBe(first[i]!.quarantined);
    }
    expect(before.quarantined).toBe(first.reduce((n, r) => n + r.quarantined, 0));
  });

  it('counts a record repeated in one file once, and updates a corrected record', async () => {
    const signin = { id: 'dup-1', createdDateTime: '2025-06-20T10:00:00Z', userPrincipalName: 'yan@contoso.com', status: { errorCode: 0 } };
    const file = join(temp.path, 'dups.ndjson');
    await writeFile(file, [signin, signin, { ...signin, status: { errorCode: 50126, failureReason: 'Invalid username or password.' } }].map((r) => JSON.stringify(r)).join('\n'));
    expect(await importFile(store, file)).toMatchObject({ inserted: 1, updated: 0, unchanged: 2, quarantined: 0 });
    expect(await store.rows(sql`select error_code from signins where id = 'dup-1'`)).toEqual([{ error_code: 50126 }]);
    await writeFile(file, JSON.stringify({ ...signin, status: { errorCode: 0 } }));
    expect(await importFile(store, file)).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
    expect(await store.rows(sql`select error_code from signins where id = 'dup-1'`)).toEqual([{ error_code: 0 }]);
  });
});
