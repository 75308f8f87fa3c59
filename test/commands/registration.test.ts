// /mfa registered and /mfa unregistered through signed requests: counts and coverage known by
// construction, admins first, guests only with --all, paging buttons and the CSV export.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRegistrations } from '../../src/ingest/ingest-records.js';
import type { GraphRegistration } from '../../src/ingest/graph-registration.js';
import { replyText } from '../support/reply-text.js';
import { ADMIN, buttonsOf, OUTSIDER, startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

// 40 members: 30 unregistered (2 of them admins), 10 registered; 3 guests, all unregistered.
function user(n: number, options: { registered: boolean; admin?: boolean; guest?: boolean }): GraphRegistration {
  const name = `${options.guest ? 'guest' : 'user'}${String(n).padStart(2, '0')}`;
  return {
    id: `id-${name}`,
    userPrincipalName: `${name}@contoso.com`,
    userDisplayName: `User ${name}`,
    userType: options.guest ? 'guest' : 'member',
    isAdmin: options.admin ?? false,
    isMfaRegistered: options.registered,
    isMfaCapable: options.registered,
    methodsRegistered: options.registered ? ['password', 'microsoftAuthenticatorPush', 'mobilePhone'] : ['password'],
    defaultMfaMethod: options.registered ? 'microsoftAuthenticatorPush' : 'none',
    lastUpdatedDateTime: '2026-11-20T08:00:00Z',
  };
}
const RECORDS: GraphRegistration[] = [
  ...Array.from({ length: 30 }, (_, i) => user(i + 1, { registered: false, admin: i === 28 || i === 29 })),
  ...Array.from({ length: 10 }, (_, i) => user(i + 31, { registered: true })),
  ...Array.from({ length: 3 }, (_, i) => user(i + 1, { registered: false, guest: true })),
];

let store: TestStore;
let harness: Harness;
beforeAll(async () => {
  store = await openTestStore();
  await ingestRegistrations(store, RECORDS, 'graph');
  harness = await startHarness({ store });
});
afterAll(async () => {
  await harness?.close();
  await store?.close();
});

describe('/mfa unregistered', () => {
  it('counts and lists members not registered, admins first, a page at a time', async () => {
    const { reply } = await harness.command('unregistered');
    const text = replyText(reply);
    expect(text).toContain('Not registered for MFA: 30 of 40 members');
    expect(text).toContain('Coverage 25%: 10 (25%) registered, 30 (75%) not registered; 10 (25%) can use MFA under the current policy.');
    expect(text).toContain('Guests are left out');
    const lines = text.split('\n').filter((l) => l.startsWith('• '));
    expect(lines).toHaveLength(25);
    expect(lines[0]).toBe('• User user29 (user29@contoso.com) · admin: no MFA method');
    expect(lines[1]).toBe('• User user30 (user30@contoso.com) · admin: no MFA method');
    expect(lines[2]).toContain('user01@contoso.com');
    expect(text).toContain('Showing 1–25 of 30');
    expect(buttonsOf(reply).map((b) => b.text)).toEqual(['Next', 'Export CSV']);
  });

  it('pages with Next and Previous, re-running the same query', async () => {
    const first = await harness.command('unregistered');
    const next = buttonsOf(first.reply).find((b) => b.text === 'Next')!;
    const { response } = await harness.press(next);
    expect(response!.replace_original).toBe(true);
    const text = replyText(response);
    expect(text).toContain('Showing 26–30 of 30');
    expect(text.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(5);
    expect(text).toContain('user28@contoso.com');
    expect(buttonsOf(response).map((b) => b.text)).toEqual(['Previous', 'Export CSV']);
    const back = await harness.press(buttonsOf(response).find((b) => b.text === 'Previous')!);
    expect(replyText(back.response)).toContain('Showing 1–25 of 30');
  });

  it('includes guests with --all', async () => {
    const text = replyText((await harness.command('unregistered --all')).reply);
    expect(text).toContain('Not registered for MFA: 33 of 43 users');
    expect(text).toContain('Showing 1–25 of 33');
  });

  it('exports the whole list as CSV to the presser in a direct message', async () => {
    const { reply } = await harness.command('unregistered --all');
    const exportButton = buttonsOf(reply).find((b) => b.text === 'Export CSV')!;
    const { response } = await harness.press(exportButton);
    expect(response!.text).toBe('Sent mfa-unregistered.csv (33 rows) to you in a direct message.');
    const [upload] = harness.api.uploads();
    expect(upload!.filename).toBe('mfa-unregistered.csv');
    const csv = upload!.bytes.toString('utf8').trim().split('\r\n');
    expect(csv[0]).toBe('upn,display_name,user_type,is_admin,mfa_registered,mfa_capable,methods,default_method,last_updated');
    expect(csv).toHaveLength(34);
    expect(csv[1]).toBe('user29@contoso.com,User user29,member,true,false,false,password,,2026-11-20T08:00:00.000Z');
    expect(csv.filter((line) => line.includes(',guest,'))).toHaveLength(3);
    expect(harness.api.callsTo('conversations.open')[0]!.body.users).toBe(ADMIN);
  });

  it('refuses a press by a non-admin', async () => {
    const { reply } = await harness.command('unregistered');
    const { response } = await harness.press(buttonsOf(reply)[0]!, { user: OUTSIDER });
    expect(response!.text).toContain('Sorry, /mfa answers only MFA administrators');
    const [audit] = await store.rows<{ actor: string; allowed: boolean; command_text: string }>(
      sql`select actor, allowed, command_text from query_audit order by id desc limit 1`,
    );
    expect(audit).toEqual({ actor: OUTSIDER, allowed: false, command_text: 'unregistered [page from 25]' });
  });

  it('names a bad option', async () => {
    expect(replyText((await harness.command('unregistered --everyone')).reply)).toContain('the only option is --all (include guests)');
  });
});

describe('/mfa registered', () => {
  it('lists registered members with their methods and default method', async () => {
    const text = replyText((await harness.command('registered')).reply);
    expect(text).toContain('Registered for MFA: 10 of 40 members');
    expect(text).toContain('• User user31 (user31@contoso.com): Authenticator push, Mobile phone; default Authenticator push');
    expect(text).toContain('Showing 1–10 of 10');
  });

  it('posts for the whole channel with public', async () => {
    const { reply } = await harness.command('registered public');
    expect(reply!.response_type).toBe('in_channel');
  });
});
