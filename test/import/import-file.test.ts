// Every accepted export format, from hand-written fixtures, into a real store: what each file is
// recognised as, and exactly which rows it leaves behind (classified MFA results, normalised
// methods, phone numbers only ever scrubbed).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, type FileImportResult } from '../../src/import/import-file.js';
import { openTestStore, type TestStore } from '../support/test-store.js';
import { fixture, tempDir } from './fixtures.js';

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store?.close();
});

const load = (name: string) => importFile(store, fixture(name));

/** The summary fields a test asserts whole. */
const counts = (r: FileImportResult) => ({
  status: r.status,
  format: r.format,
  kinds: r.kinds,
  inserted: r.inserted,
  updated: r.updated,
  unchanged: r.unchanged,
  quarantined: r.quarantined,
  newFraudReports: r.newFraudReports,
});

interface SigninRow {
  id: string;
  upn: string | null;
  source: string;
  mfa_required: string;
  mfa_outcome: string;
  mfa_result_code: string | null;
  mfa_method: string | null;
  mfa_auth_detail: string | null;
  error_code: number;
  city: string | null;
  country_or_region: string | null;
}

async function signins(ids: string[]): Promise<SigninRow[]> {
  return store.rows<SigninRow>(sql`
    select id, upn, source, mfa_required, mfa_outcome, mfa_result_code, mfa_method, mfa_auth_detail, error_code, city, country_or_region
    from signins where id = any(${sql.param(ids)}::text[]) order by id`);
}

const row = (id: string, upn: string, source: string, rest: Partial<SigninRow>): SigninRow => ({
  id,
  upn,
  source,
  mfa_required: 'yes',
  mfa_outcome: 'satisfied',
  mfa_result_code: null,
  mfa_method: null,
  mfa_auth_detail: null,
  error_code: 0,
  city: null,
  country_or_region: null,
  ...rest,
});

describe('importFile: Microsoft Graph JSON', () => {
  it('loads a beta sign-in list response, classifying each MFA result and scrubbing the phone number', async () => {
    expect(counts(await load('signins-beta-list.json'))).toEqual({
      status: 'imported',
      format: 'Graph JSON list response',
      kinds: [['sign-ins (Graph beta)', 3]],
      inserted: 3,
      updated: 0,
      unchanged: 0,
      quarantined: 0,
      newFraudReports: 0,
    });
    const beta = 'import:graph-beta';
    expect(await signins(['b-1', 'b-2', 'b-3'])).toEqual([
      row('b-1', 'alice@contoso.com', beta, { mfa_result_code: 'completed', mfa_method: 'Mobile app notification', mfa_auth_detail: "Alice's iPhone", city: 'Seattle', country_or_region: 'US' }),
      row('b-2', 'bob@contoso.com', beta, {
        mfa_outcome: 'denied',
        mfa_result_code: 'denied_incorrect_code',
        mfa_method: 'Text message',
        mfa_auth_detail: '+X XXXXXXXX64',
        error_code: 500121,
        city: 'Berlin',
        country_or_region: 'DE',
      }),
      row('b-3', 'carol@contoso.com', beta, { mfa_required: 'no', mfa_outcome: 'not_required' }),
    ]);
    // The phone number is scrubbed in the stored steps too, and only applied policies are kept.
    const [steps] = await store.rows<{ steps: string }>(sql`select auth_steps::text as steps from signins where id = 'b-2'`);
    expect(steps!.steps).toContain('+X XXXXXXXX64');
    expect(steps!.steps).not.toContain('555');
    expect(await store.rows(sql`select signin_id, policy_id, grant_controls, result from signin_ca_policies where signin_id = 'b-1'`)).toEqual([
      { signin_id: 'b-1', policy_id: 'p-mfa', grant_controls: ['Mfa'], result: 'success' },
    ]);
    // Imported sign-ins are in the hourly rollup the reports read.
    expect(await store.rows(sql`select to_char(hour at time zone 'UTC', 'HH24') as h, mfa_result_code as code, signins from signin_hourly where hour >= '2025-06-11' and hour < '2025-06-12' order by 1`)).toEqual([
      { h: '09', code: 'completed', signins: 1 },
      { h: '10', code: 'denied_incorrect_code', signins: 1 },
      { h: '11', code: '', signins: 1 },
    ]);
  });

  it('loads a plain array of v1.0 sign-ins, inferring MFA from the error code and the CA grant', async () => {
    expect(counts(await load('signins-v1-array.json'))).toMatchObject({ format: 'JSON array', kinds: [['sign-ins (Graph v1.0)', 2]], inserted: 2, quarantined: 0 });
    const v1 = 'import:graph-v1';
    expect(await signins(['v-1', 'v-2'])).toEqual([
      row('v-1', 'dave@contoso.com', v1, { mfa_outcome: 'interrupted', mfa_result_code: 'interrupted_mfa_required', error_code: 50074, city: 'Paris', country_or_region: 'FR' }),
      row('v-2', 'erin@contoso.com', v1, { mfa_result_code: 'satisfied_other', city: 'Lyon', country_or_region: 'FR' }),
    ]);
  });

  it('loads a userRegistrationDetails list response', async () => {
    expect(counts(await load('registrations-list.json'))).toMatchObject({ format: 'Graph JSON list response', kinds: [['registrations (userRegistrationDetails)', 2]], inserted: 2 });
    expect(
      await store.rows(sql`select user_id, upn, user_type, is_admin, is_mfa_registered, methods_registered, default_method, source from user_registrations where user_id in ('u-alice', 'u-frank') order by user_id`),
    ).toEqual([
      { user_id: 'u-alice', upn: 'Alice@contoso.com', user_type: 'member', is_admin: true, is_mfa_registered: true, methods_registered: ['microsoftAuthenticatorPush', 'mobilePhone'], default_method: 'push', source: 'import:graph-v1' },
      { user_id: 'u-frank', upn: 'frank@fabrikam.com', user_type: 'guest', is_admin: false, is_mfa_registered: false, methods_registered: [], default_method: null, source: 'import:graph-v1' },
    ]);
  });

  it('loads a JSON array of risk detections', async () => {
    expect(counts(await load('risk-detections-array.json'))).toMatchObject({ format: 'JSON array', kinds: [['risk detections', 1]], inserted: 1, newFraudReports: 0 });
    expect(await store.rows(sql`select id, risk_event_type, risk_level, upn, city, country_or_region from risk_detections where id = 'rd-1'`)).toEqual([
      { id: 'rd-1', risk_event_type: 'unfamiliarFeatures', risk_level: 'medium', upn: 'dave@contoso.com', city: 'Lagos', country_or_region: 'NG' },
    ]);
  });

  it('loads NDJSON directory audits', async () => {
    expect(counts(await load('directory-audits.ndjson'))).toMatchObject({ format: 'NDJSON', kinds: [['directory audits', 2]], inserted: 2 });
    expect(await store.rows(sql`select id, activity, initiator_upn, target_upn from directory_audits where id like 'da-%' order by id`)).toEqual([
      { id: 'da-1', activity: 'User registered security info', initiator_upn: 'erin@contoso.com', target_upn: 'erin@contoso.com' },
      { id: 'da-2', activity: 'User deleted security info', initiator_upn: 'admin@contoso.com', target_upn: 'bob@contoso.com' },
    ]);
  });

  it('tells the kind of every record of a mixed NDJSON file from its content', async () => {
    expect(counts(await load('mixed.ndjson'))).toEqual({
      status: 'imported',
      format: 'NDJSON',
      kinds: [
        ['sign-ins (Graph v1.0)', 1],
        ['registrations (userRegistrationDetails)', 1],
        ['risk detections', 1],
        ['directory audits', 1],
      ],
      inserted: 4,
      updated: 0,
      unchanged: 0,
      quarantined: 0,
      newFraudReports: 0,
    });
    const [found] = await store.rows<Record<string, number>>(sql`
      select (select count(*)::int from signins where id = 'm-signin') as signin,
             (select count(*)::int from user_registrations where user_id = 'u-quinn' and source = 'import:graph-beta') as registration,
             (select count(*)::int from risk_detections where id = 'm-risk') as risk,
             (select count(*)::int from directory_audits where id = 'm-audit') as audit`);
    expect(found).toEqual({ signin: 1, registration: 1, risk: 1, audit: 1 });
  });
});

describe('importFile: the Entra portal download', () => {
  it('maps the portal sign-in CSV onto Graph sign-ins, and quarantines the row with a bad date', async () => {
    const file = fixture('portal-signins.csv');
    const result = await importFile(store, file);
    expect(counts(result)).toEqual({
      status: 'imported',
      format: 'Entra portal sign-in CSV',
      kinds: [['sign-ins (portal CSV)', 4]],
      inserted: 4,
      updated: 0,
      unchanged: 0,
      quarantined: 1,
      newFraudReports: 0,
    });
    expect(result.samples).toEqual([{ locator: `${file}:6`, reason: 'unparsable date "sometime on Sunday"' }]);
    const csv = 'import:portal-csv';
    expect(await signins(['p-1', 'p-2', 'p-3', 'p-4'])).toEqual([
      row('p-1', 'gina@contoso.com', csv, { mfa_result_code: 'completed', mfa_method: 'Mobile app notification', city: 'Redmond', country_or_region: 'US' }),
      row('p-2', 'henry@contoso.com', csv, {
        mfa_outcome: 'denied',
        mfa_result_code: 'denied_user_declined',
        mfa_method: 'Text message',
        mfa_auth_detail: '+X XXXXXXXX99',
        error_code: 500121,
        city: 'London',
        country_or_region: 'GB',
      }),
      row('p-3', 'ivan@contoso.com', csv, { mfa_required: 'no', mfa_outcome: 'not_required', city: 'Oslo', country_or_region: 'NO' }),
      // MFA completed, then Conditional Access blocked the sign-in: the MFA result is still "completed".
      row('p-4', 'gina@contoso.com', csv, {
        mfa_result_code: 'completed',
        mfa_method: 'Phone call (Authentication phone)',
        mfa_auth_detail: '+X XXXXXXXX58',
        error_code: 53003,
        city: 'Redmond',
        country_or_region: 'US',
      }),
    ]);
    expect(await store.rows(sql`select ca_status, correlation_id, client_app_used from signins where id = 'p-2'`)).toEqual([
      { ca_status: 'failure', correlation_id: 'c-p-2', client_app_used: 'Browser' },
    ]);
  });

  it('accepts the portal CSV with other header spellings, semicolons and US dates', async () => {
    expect(counts(await load('portal-signins-variant.csv'))).toMatchObject({ format: 'Entra portal sign-in CSV', inserted: 2, quarantined: 0 });
    const csv = 'import:portal-csv';
    expect(await signins(['pv-1', 'pv-2'])).toEqual([
      row('pv-1', 'jane@contoso.com', csv, { mfa_result_code: 'satisfied_by_claim', mfa_method: 'Previously satisfied', city: 'Dublin', country_or_region: 'IE' }),
      row('pv-2', 'kim@contoso.com', csv, {
        mfa_outcome: 'denied',
        mfa_result_code: 'denied_voicemail',
        mfa_method: 'Phone call (Authentication phone)',
        mfa_auth_detail: '+X XXXXXXXX23',
        error_code: 500121,
        city: 'Dublin',
        country_or_region: 'IE',
      }),
    ]);
    expect(await store.rows(sql`select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as at from signins where id in ('pv-1', 'pv-2') order by id`)).toEqual([
      { at: '2025-06-15 09:00' },
      { at: '2025-06-15 13:30' },
    ]);
  });

  it('reads the portal JSON download with PascalCase names as Graph sign-ins', async () => {
    expect(counts(await load('portal-signins.json'))).toMatchObject({ format: 'Entra portal JSON download (JSON array)', kinds: [['sign-ins (portal JSON)', 2]], inserted: 2 });
    const json = 'import:portal-json';
    expect(await signins(['pj-1', 'pj-2'])).toEqual([
      row('pj-1', 'lena@contoso.com', json, { mfa_result_code: 'skipped_remembered_device', mfa_method: 'Mobile app verification code', mfa_auth_detail: 'Hardware token', city: 'Vienna', country_or_region: 'AT' }),
      row('pj-2', 'max@contoso.com', json, { mfa_outcome: 'denied', mfa_result_code: 'denied_no_response', mfa_method: 'Mobile app notification', error_code: 500121 }),
    ]);
  });
});

describe('importFile: MFA Server report CSVs', () => {
  it('loads blocked user history, scrubbing a phone number in the reason', async () => {
    expect(counts(await load('mfa-server-blocked-users.csv'))).toMatchObject({ format: 'MFA Server blocked user history CSV', kinds: [['MFA Server block/unblock events', 3]], inserted: 3 });
    expect(
      await store.rows(sql`select upn, action, reason, actor, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as at, source from mfa_block_events where source = 'import:mfa-server-csv' order by occurred_at`),
    ).toEqual([
      { upn: 'lee@contoso.com', action: 'block', reason: 'Lost phone reported to helpdesk', actor: 'admin@contoso.com', at: '2024-03-01 10:00', source: 'import:mfa-server-csv' },
      { upn: 'lee@contoso.com', action: 'unblock', reason: 'New phone enrolled', actor: 'admin@contoso.com', at: '2024-03-03 09:30', source: 'import:mfa-server-csv' },
      { upn: 'mia@contoso.com', action: 'block', reason: 'Fraud alert, call back on +X XXXXXXXX77', actor: 'secops@contoso.com', at: '2024-03-05 16:15', source: 'import:mfa-server-csv' },
    ]);
  });

  it('reads Excel re-saves: UTF-16 ("Unicode text") and Windows-1252', async () => {
    const temp = await tempDir();
    try {
      const file = join(temp.path, 'blocked.csv');
      const text = await readFile(fixture('mfa-server-blocked-users.csv'), 'utf8');
      await writeFile(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
      expect(counts(await importFile(store, file))).toMatchObject({ format: 'MFA Server blocked user history CSV', inserted: 0, unchanged: 3, quarantined: 0 });
      // And a Windows-1252 one (Excel's plain "CSV"), which is not valid UTF-8.
      const latin = join(temp.path, 'blocked-1252.csv');
      await writeFile(latin, Buffer.from('Username,Action,Reason,Blocked By,Date/Time\r\nzoe@contoso.com,Blocked,Telefon in München verloren,admin@contoso.com,2024-07-01 10:00:00\r\n', 'latin1'));
      expect(counts(await importFile(store, latin))).toMatchObject({ inserted: 1, quarantined: 0 });
      expect(await store.rows(sql`select reason from mfa_block_events where upn = 'zoe@contoso.com'`)).toEqual([{ reason: 'Telefon in München verloren' }]);
    } finally {
      await temp.dispose();
    }
  });

  it('loads one-time bypasses, expiring seconds after they were created', async () => {
    expect(counts(await load('mfa-server-bypass.csv'))).toMatchObject({ format: 'MFA Server one-time bypass history CSV', inserted: 2 });
    expect(
      await store.rows(sql`select upn, seconds, reason, actor, replication_group, to_char(occurred_at at time zone 'UTC', 'MM-DD HH24:MI') as at, to_char(expires_at at time zone 'UTC', 'MM-DD HH24:MI') as expires from mfa_bypass_events order by occurred_at`),
    ).toEqual([
      { upn: 'nate@contoso.com', seconds: 300, reason: 'Left phone at home', actor: 'admin@contoso.com', replication_group: 'Default', at: '04-02 08:00', expires: '04-02 08:05' },
      { upn: 'olga@contoso.com', seconds: 3600, reason: 'Phone broken - replacement ordered', actor: 'admin@contoso.com', replication_group: null, at: '04-03 12:00', expires: '04-03 13:00' },
    ]);
  });

  it('loads server status', async () => {
    expect(counts(await load('mfa-server-status.csv'))).toMatchObject({ format: 'MFA Server server status CSV', kinds: [['MFA Servers (status)', 2]], inserted: 2 });
    expect(await store.rows(sql`select name, component, version, state, ip_address, to_char(last_communication_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as last from mfa_servers order by name`)).toEqual([
      { name: 'MFA01', component: 'mfa_server', version: '8.0.1.1', state: 'Online', ip_address: '10.0.0.11', last: '2024-09-29 23:10' },
      { name: 'MFA02', component: 'mfa_server', version: '8.0.1.1', state: 'Offline', ip_address: '10.0.0.12', last: '2024-09-20 06:00' },
    ]);
  });

  it('loads the activity report, success from the Call Result prefix', async () => {
    expect(counts(await load('mfa-server-activity.csv'))).toMatchObject({ format: 'MFA Server activity report CSV', kinds: [['MFA Server activity rows', 4]], inserted: 4 });
    expect(await store.rows(sql`select server, upn, call_result, succeeded, detail, component from onprem_activity order by occurred_at`)).toEqual([
      { server: 'MFA01', upn: 'lee@contoso.com', call_result: 'SUCCESS_PHONE_APP_AUTHENTICATED', succeeded: true, detail: 'Mobile App Authenticated', component: 'mfa_server' },
      { server: 'MFA01', upn: 'mia@contoso.com', call_result: 'FAILED_PHONE_APP_DENIED', succeeded: false, detail: 'Mobile App Denied', component: 'mfa_server' },
      { server: 'MFA02', upn: 'nate@contoso.com', call_result: 'FAILED_FRAUD_CODE_ENTERED', succeeded: false, detail: 'Fraud Code Entered', component: 'mfa_server' },
      { server: 'MFA02', upn: 'olga@contoso.com', call_result: 'CONFIG_ISSUE', succeeded: false, detail: 'Phone Unreachable', component: 'mfa_server' },
    ]);
  });
});
