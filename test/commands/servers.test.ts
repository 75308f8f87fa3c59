// /mfa servers through signed requests: the imported MFA Server status report, NPS / AD FS hosts,
// and sign-ins through them (which count as the host being heard from); flags known by construction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphSignInSchema } from '../../src/ingest/graph-signin.js';
import { prepareSignin } from '../../src/ingest/prepare-signin.js';
import { writeServers } from '../../src/ingest/write-legacy.js';
import { writeSignins } from '../../src/ingest/write-signins.js';
import { graphSignin } from '../support/graph-records.js';
import { replyText } from '../support/reply-text.js';
import { buttonsOf, startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const NOW = new Date('2026-11-27T12:30:00Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const IMPORTED = 'import:mfa-server-csv';

let store: TestStore;
let harness: Harness;
beforeAll(async () => {
  store = await openTestStore();
  await writeServers(store, [
    // MFA Servers as the last status report had them: one still claiming to be online.
    { name: 'mfa01', component: 'mfa_server', version: '8.0.1.1', state: 'Online', ipAddress: '10.0.0.1', lastCommunicationAt: new Date('2024-09-29T17:00:00Z'), source: IMPORTED },
    { name: 'mfa02', component: 'mfa_server', version: '8.0.1.1', state: 'Offline', ipAddress: '10.0.0.2', lastCommunicationAt: new Date('2024-09-20T08:00:00Z'), source: IMPORTED },
    // nps01's stored time is three hours old, but a sign-in came through it ten minutes ago.
    { name: 'nps01', component: 'nps', version: '1.2.2216.1', state: 'Online', ipAddress: '10.0.0.11', lastCommunicationAt: minutesAgo(180), source: 'graph-signins' },
    // nps02: nothing for 3 h 41 min: silent.
    { name: 'nps02', component: 'nps', version: '1.2.2216.1', state: 'Online', ipAddress: '10.0.0.12', lastCommunicationAt: minutesAgo(221), source: 'graph-signins' },
    { name: 'adfs01', component: 'adfs', version: '10.0.20348.2227', state: 'Online', ipAddress: '10.0.0.21', lastCommunicationAt: minutesAgo(2), source: 'graph-signins' },
  ]);
  // Sign-ins through nps01, and through an NPS server at 10.0.0.13 the list does not know.
  await writeSignins(
    store,
    [
      { id: 'n1', at: minutesAgo(10), ip: '10.0.0.11' },
      { id: 'n2', at: minutesAgo(95), ip: '10.0.0.11' },
      { id: 'n3', at: minutesAgo(5), ip: '10.0.0.13' },
    ].map(({ id, at, ip }) =>
      prepareSignin(
        graphSignInSchema.parse({
          ...graphSignin({ id, at, upn: 'alice@contoso.com', resourceId: 'radius', mfa: { method: 'Phone call', succeeded: true, detail: 'MFA successfully completed' } }),
          ipAddress: ip,
        }),
        'graph-beta',
      ),
    ),
  );
  harness = await startHarness({ store, now: () => NOW });
});
afterAll(async () => {
  await harness?.close();
  await store?.close();
});

describe('/mfa servers', () => {
  it('lists every host, silent ones first, with last communication in TZ and how long ago', async () => {
    const { reply } = await harness.command('servers');
    const text = replyText(reply);
    expect(text).toContain('On-premises MFA servers');
    expect(text).toContain(
      '6 hosts: 2 MFA Servers (retired 2024-09-30), 3 NPS extension hosts, 1 AD FS host. 1 host silent for over 60 minutes: nps02.',
    );
    const lines = text.split('\n').filter((l) => l.startsWith('• '));
    expect(lines).toEqual([
      '• nps02 · NPS extension 1.2.2216.1 · Online · 10.0.0.12 · last communication 2026-11-27 08:49 (UTC), 3 h 41 min ago · :warning: silent for over 60 minutes',
      '• 10.0.0.13 · NPS extension · not in the server list (seen in sign-ins) · last communication 2026-11-27 12:25 (UTC) (its newest sign-in), 5 minutes ago',
      '• adfs01 · AD FS adapter 10.0.20348.2227 · Online · 10.0.0.21 · last communication 2026-11-27 12:28 (UTC), 2 minutes ago',
      '• nps01 · NPS extension 1.2.2216.1 · Online · 10.0.0.11 · last communication 2026-11-27 12:20 (UTC) (its newest sign-in), 10 minutes ago',
      '• mfa01 · MFA Server 8.0.1.1 · Online · 10.0.0.1 · last communication 2024-09-29 17:00 (UTC), 788 days ago · :warning: retired 2024-09-30: the import says Online, but MFA Server has not served MFA since then',
      '• mfa02 · MFA Server 8.0.1.1 · Offline · 10.0.0.2 · last communication 2024-09-20 08:00 (UTC), 798 days ago · retired 2024-09-30',
    ]);
    expect(text).toContain(
      'Server list from `graph-signins`: 3 hosts; imported MFA Server report files (`import:mfa-server-csv`): 2 hosts; NPS addresses seen only in sign-ins: 1.',
    );
    expect(text).toContain('Snapshot at 2026-11-27 12:30 (UTC); no period');
    expect(text).toContain('Data as of 2026-11-27 12:25 (UTC)');
    expect(text).toContain('Showing 1–6 of 6');
    expect(buttonsOf(reply).map((b) => b.text)).toEqual(['Export CSV']);
  });

  it('exports the hosts with both last-communication times', async () => {
    const { reply } = await harness.command('servers');
    const { response } = await harness.press(buttonsOf(reply).find((b) => b.text === 'Export CSV')!);
    expect(response!.text).toBe('Sent mfa-servers.csv (6 rows) to you in a direct message.');
    const csv = harness.api.uploads().find((u) => u.filename === 'mfa-servers.csv')!.bytes.toString('utf8').trim().split('\r\n');
    expect(csv[0]).toBe('name,component,version,state,ip_address,last_communication,stored_last_communication,newest_signin,flag,listed,source');
    expect(csv[4]).toBe(
      'nps01,NPS extension,1.2.2216.1,Online,10.0.0.11,2026-11-27T12:20:00.000Z,2026-11-27T09:30:00.000Z,2026-11-27T12:20:00.000Z,ok,true,graph-signins',
    );
  });
});

describe('/mfa servers bad input', () => {
  it('is a snapshot and says so when given a period', async () => {
    const text = replyText((await harness.command('servers 7d')).reply);
    expect(text).toContain('servers is a snapshot of now and takes no period or other words');
    expect(text).toContain('Usage: `/mfa servers`, e.g. `/mfa servers`');
  });
});

describe('/mfa servers on an empty store', () => {
  it('says how servers get into the store', async () => {
    const empty = await openTestStore();
    const h = await startHarness({ store: empty, now: () => NOW });
    try {
      const text = replyText((await h.command('servers')).reply);
      expect(text).toContain('No on-premises servers in the store yet. MFA Servers come from the MFA Server status report');
      expect(text).toContain('`npm run import -- FILE`');
      expect(text).toContain('NPS extension and AD FS hosts appear from their sign-ins');
      expect(text).toContain('Snapshot at 2026-11-27 12:30 (UTC); no period');
    } finally {
      await h.close();
      await empty.close();
    }
  });
});
