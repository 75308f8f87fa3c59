// /mfa onprem through signed requests: NPS extension and AD FS adapter sign-ins through the real
// normalisation (resourceId radius / adfs), the NPS servers' source IPs, and the legacy MFA Server
// activity report rows as the import writes them; every figure known by construction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphSignInSchema } from '../../src/ingest/graph-signin.js';
import { prepareSignin } from '../../src/ingest/prepare-signin.js';
import { contentKey, writeOnpremActivity, writeServers, type OnpremActivityRow } from '../../src/ingest/write-legacy.js';
import { writeSignins } from '../../src/ingest/write-signins.js';
import { graphSignin, type SigninSpec } from '../support/graph-records.js';
import { replyText } from '../support/reply-text.js';
import { buttonsOf, startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const NOW = new Date('2026-11-27T12:30:00Z');
const ago = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
const ok = { method: 'Phone call', succeeded: true, detail: 'MFA successfully completed' };
const declined = { method: 'Mobile app notification', succeeded: false, detail: 'MFA denied; user declined the authentication' };
const voicemail = { method: 'Phone call', succeeded: false, detail: 'MFA denied; Phone call went to voicemail' };

// Last 7 days: 10 sign-ins, 6 through on-premises components.
// NPS via nps01 (10.0.0.11): 2 satisfied, 1 declined (2 users). NPS via 10.0.0.12 (not listed): 1 satisfied.
// AD FS: 1 satisfied, 1 voicemail. Cloud: 4 satisfied.
const SIGNINS: Array<SigninSpec & { ip?: string }> = [
  { id: 'n1', at: ago(2), upn: 'alice@contoso.com', resourceId: 'radius', mfa: ok, ip: '10.0.0.11' },
  { id: 'n2', at: ago(30), upn: 'alice@contoso.com', resourceId: 'radius', mfa: ok, ip: '10.0.0.11' },
  { id: 'n3', at: ago(50), upn: 'bob@contoso.com', resourceId: 'radius', errorCode: 500121, mfa: declined, ip: '10.0.0.11' },
  { id: 'n4', at: ago(5), upn: 'carol@contoso.com', resourceId: 'radius', mfa: ok, ip: '10.0.0.12' },
  { id: 'a1', at: ago(3), upn: 'dave@contoso.com', resourceId: 'adfs', mfa: ok },
  { id: 'a2', at: ago(70), upn: 'erin@contoso.com', resourceId: 'adfs', errorCode: 500121, mfa: voicemail },
  ...[1, 2, 3, 4].map((i) => ({ id: `c${i}`, at: ago(i * 10), upn: 'frank@contoso.com', mfa: ok })),
];

// MFA Server, September 2024: mfa01 2 successes and 1 denial (2 users), mfa02 1 success with no
// succeeded flag (read from the SUCCESS_ prefix).
function activity(server: string, upn: string, callResult: string, succeeded: boolean | null, detail: string, at: string): OnpremActivityRow {
  const occurredAt = new Date(at);
  return {
    dedupeKey: contentKey('onprem', server, upn, callResult, occurredAt),
    occurredAt,
    component: 'mfa_server',
    server,
    upn,
    callResult,
    succeeded,
    detail,
    source: 'import:mfa-server-csv',
  };
}
const ACTIVITY: OnpremActivityRow[] = [
  activity('mfa01', 'alice@contoso.com', 'SUCCESS_PHONE_APP_AUTHENTICATED', true, 'Mobile App Authenticated', '2024-09-10T08:00:00Z'),
  activity('mfa01', 'alice@contoso.com', 'SUCCESS_PHONE_APP_AUTHENTICATED', true, 'Mobile App Authenticated', '2024-09-12T08:00:00Z'),
  activity('mfa01', 'bob@contoso.com', 'FAILED_PHONE_APP_DENIED', false, 'Mobile App Denied', '2024-09-15T08:00:00Z'),
  activity('mfa02', 'carol@contoso.com', 'SUCCESS_SMS_AUTHENTICATED', null, 'Text Message Authenticated', '2024-09-20T17:00:00Z'),
];

let store: TestStore;
let harness: Harness;
beforeAll(async () => {
  store = await openTestStore();
  await writeSignins(
    store,
    SIGNINS.map(({ ip, ...spec }) => {
      const record = graphSignin(spec);
      return prepareSignin(graphSignInSchema.parse(ip ? { ...record, ipAddress: ip } : record), 'graph-beta');
    }),
  );
  await writeOnpremActivity(store, ACTIVITY);
  await writeServers(store, [
    { name: 'nps01', component: 'nps', version: '1.2.2216.1', state: 'Online', ipAddress: '10.0.0.11', lastCommunicationAt: ago(1), source: 'graph-signins' },
  ]);
  harness = await startHarness({ store, now: () => NOW });
});
afterAll(async () => {
  await harness?.close();
  await store?.close();
});

describe('/mfa onprem', () => {
  it('counts NPS extension and AD FS adapter sign-ins with their outcomes and NPS servers', async () => {
    const { reply } = await harness.command('onprem');
    const text = replyText(reply);
    expect(text).toContain('On-premises MFA usage: the last 7 days');
    expect(text).toContain('6 sign-ins went through on-premises components (60% of all 10 sign-ins): NPS extension 4 (66.7%), AD FS adapter 2 (33.3%).');
    expect(text).toContain('NPS extension: 4 sign-ins · satisfied 3 (75%) · denied 1 (25%) · interrupted 0 (0%)');
    expect(text).toContain('Most common failures: 1. Denied: the user declined the prompt: 1 (100%)');
    expect(text).toContain('AD FS adapter: 2 sign-ins · satisfied 1 (50%) · denied 1 (50%) · interrupted 0 (0%)');
    expect(text).toMatch(/Most common failures: 1\. .*voicemail.*: 1 \(100%\)/);
    expect(text).toContain('Per NPS server (an NPS extension sign-in shows the NPS server as its source IP)');
    expect(text).toContain('• nps01 (10.0.0.11): 3 sign-ins, 2 (66.7%) satisfied, 1 denied, 0 interrupted; 2 users');
    expect(text).toContain('• 10.0.0.12: 1 sign-in, 1 (100%) satisfied, 0 denied, 0 interrupted; 1 user');
    // MFA Server: nothing this week, and where its history is.
    expect(text).toContain('MFA Server (historical: MFA Server stopped serving MFA on 2024-09-30; from its imported Activity Report)');
    expect(text).toContain('No MFA Server activity in this period. The imported report runs from 2024-09-10 to 2024-09-20');
    expect(text).toContain('try `/mfa onprem 2024-09-10..2024-09-20`');
    expect(text).toContain('MFA Server activity rows from imported MFA Server report files (`import:mfa-server-csv`): 4 rows. Newest row 2024-09-20 17:00 (UTC)');
    expect(text).toContain('Period: 2026-11-20 12:30 to 2026-11-27 12:30 (UTC)');
    expect(text).toContain('Data as of 2026-11-27 10:30 (UTC)');
    expect(buttonsOf(reply).map((b) => b.text)).toEqual(['Export CSV']);
  });

  it('shows the MFA Server activity report for a period in its lifetime', async () => {
    const text = replyText((await harness.command('onprem 2024-09-10..2024-09-20')).reply);
    expect(text).toContain('No NPS extension or AD FS adapter sign-ins in this period.');
    expect(text).toContain('4 authentications on 2 servers: 3 (75%) succeeded, 1 (25%) failed.');
    expect(text).toContain(
      '• mfa01: 3 authentications, 2 (66.7%) succeeded, 1 failed; 2 users. Top results: SUCCESS_PHONE_APP_AUTHENTICATED “Mobile App Authenticated” 2, FAILED_PHONE_APP_DENIED “Mobile App Denied” 1',
    );
    expect(text).toContain('• mfa02: 1 authentication, 1 (100%) succeeded, 0 failed; 1 user. Top results: SUCCESS_SMS_AUTHENTICATED “Text Message Authenticated” 1');
  });

  it('exports components, NPS servers and MFA Servers as CSV', async () => {
    const { reply } = await harness.command('onprem 2024-09-10..2024-09-20');
    const { response } = await harness.press(buttonsOf(reply).find((b) => b.text === 'Export CSV')!);
    expect(response!.text).toBe('Sent mfa-onprem-usage.csv (2 rows) to you in a direct message.');
    const week = await harness.command('onprem 7d');
    await harness.press(buttonsOf(week.reply).find((b) => b.text === 'Export CSV')!);
    const upload = harness.api.uploads().filter((u) => u.filename === 'mfa-onprem-usage.csv').at(-1)!;
    expect(upload.bytes.toString('utf8').trim().split('\r\n')).toEqual([
      'from,component,server,ip_address,total,succeeded,denied_or_failed,interrupted,other,users',
      'sign-ins,NPS extension,,,4,3,1,0,0,',
      'sign-ins,AD FS adapter,,,2,1,1,0,0,',
      'sign-ins,NPS extension,nps01,10.0.0.11,3,2,1,0,0,2',
      'sign-ins,NPS extension,,10.0.0.12,1,1,0,0,0,1',
    ]);
  });
});

describe('/mfa onprem bad input', () => {
  it('names a bad period and refuses extra words', async () => {
    const text = replyText((await harness.command('onprem nps')).reply);
    expect(text).toContain('"nps" is not a period I understand');
    expect(text).toContain('Usage: `/mfa onprem [period]`, e.g. `/mfa onprem 7d`');
    expect(replyText((await harness.command('onprem 7d nps')).reply)).toContain('onprem takes one period at most');
  });
});

describe('/mfa onprem on an empty store', () => {
  it('says where NPS / AD FS events and MFA Server activity come from', async () => {
    const empty = await openTestStore();
    const h = await startHarness({ store: empty, now: () => NOW });
    try {
      const text = replyText((await h.command('onprem')).reply);
      expect(text).toContain('No on-premises MFA usage in the store yet. NPS extension and AD FS adapter events arrive with the sign-ins');
      expect(text).toContain('`npm run sync`');
      expect(text).toContain("MFA Server's own activity exists only in its Activity Report (MFA Server retired 2024-09-30)");
      expect(text).toContain('No sign-ins in the store yet');
    } finally {
      await h.close();
      await empty.close();
    }
  });
});
