// /mfa user through signed requests: who is meant (exact UPN, display name, part of a name, a
// user seen only in sign-ins), their sign-ins with results in plain words and the Conditional
// Access policies that applied, registration, block / bypass now, fraud reports, paging and the
// CSV export, and every bad-input line. Figures are known by construction from the data below.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphRegistration } from '../../src/ingest/graph-registration.js';
import { ingestRegistrations, ingestRiskDetections } from '../../src/ingest/ingest-records.js';
import { contentKey, writeBlockEvents, writeBypassEvents } from '../../src/ingest/write-legacy.js';
import { loadSignins, type SigninSpec } from '../support/graph-records.js';
import { replyText } from '../support/reply-text.js';
import { buttonsOf, startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const NOW = new Date('2026-11-27T12:30:00Z');
const ago = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
const push = (succeeded: boolean, detail: string) => ({ method: 'Mobile app notification', succeeded, detail });
const OK = 'MFA successfully completed';

function registration(upn: string, name: string, options: { registered: boolean; admin?: boolean; id?: string }): GraphRegistration {
  return {
    id: options.id ?? `id-${upn.split('@')[0]!.toLowerCase()}`,
    userPrincipalName: upn,
    userDisplayName: name,
    userType: 'member',
    isAdmin: options.admin ?? false,
    isMfaRegistered: options.registered,
    isMfaCapable: options.registered,
    methodsRegistered: options.registered ? ['password', 'microsoftAuthenticatorPush', 'mobilePhone'] : ['password'],
    defaultMfaMethod: options.registered ? 'microsoftAuthenticatorPush' : 'none',
    lastUpdatedDateTime: '2026-11-20T08:00:00Z',
  };
}

const REGISTRATIONS: GraphRegistration[] = [
  // Mixed case on purpose: registration UPNs keep their case, sign-in UPNs are lowercase.
  registration('AdeleV@contoso.com', 'Adele Vance', { registered: true, admin: true, id: 'id-adelev' }),
  registration('adele.smith@contoso.com', 'Adele Smith', { registered: false }),
  registration('alexw@contoso.com', 'Alex Wilber', { registered: true }),
  ...Array.from({ length: 12 }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return registration(`temp${n}@contoso.com`, `Temp Worker ${n}`, { registered: true });
  }),
];

const ADELE = { upn: 'adelev@contoso.com', userId: 'id-adelev' };
const MFA_POLICY = { id: 'ca-1', displayName: 'Require MFA for admins', grant: ['Mfa'], session: ['SignInFrequency'], result: 'success' };
const REPORT_ONLY = { id: 'ca-2', displayName: 'Device compliance (report-only)', grant: ['RequireCompliantDevice'], result: 'reportOnlyFailure' };
const NOT_APPLIED = { id: 'ca-3', displayName: 'Block legacy authentication', grant: ['Block'], result: 'notApplied' };

// Adele, last 7 days: 13 sign-ins; 12 required MFA: 7 satisfied, 3 denied, 1 interrupted, 1 stopped
// before MFA (wrong password). One more 10 days ago (30d: 14 sign-ins, 13 required, 8 satisfied).
const ADELE_SIGNINS: SigninSpec[] = [
  { id: 'a01', at: ago(1), ...ADELE, mfa: push(true, OK), policies: [MFA_POLICY, REPORT_ONLY, NOT_APPLIED] },
  { id: 'a02', at: ago(2), ...ADELE, mfa: { method: 'SMS', succeeded: true, detail: OK, methodDetail: '+1 425 555 0164' } },
  { id: 'a03', at: ago(3), ...ADELE, errorCode: 500121, mfa: push(false, 'MFA denied; user declined the authentication') },
  { id: 'a04', at: ago(4), ...ADELE, errorCode: 500121, mfa: { method: 'Voice', succeeded: false, detail: 'MFA denied; Phone call went to voicemail' } },
  { id: 'a05', at: ago(5), ...ADELE, errorCode: 50074, failureReason: 'Strong Authentication is required.' },
  { id: 'a06', at: ago(6), ...ADELE, errorCode: 500121, mfa: push(false, 'Brand new wording nobody documented') },
  { id: 'a07', at: ago(7), ...ADELE, mfaRequired: false },
  { id: 'a08', at: ago(8), ...ADELE, errorCode: 50126, failureReason: 'Invalid username or password' },
  { id: 'a09', at: ago(10), ...ADELE, mfa: push(true, OK) },
  { id: 'a10', at: ago(11), ...ADELE, mfa: push(true, OK) },
  { id: 'a11', at: ago(12), ...ADELE, mfa: push(true, OK) },
  { id: 'a12', at: ago(13), ...ADELE, mfa: push(true, OK) },
  // Before a rename: another UPN, the same object id.
  { id: 'a14', at: ago(20), upn: 'adele.vance.old@contoso.com', userId: 'id-adelev', mfa: push(true, OK) },
  { id: 'a13', at: ago(240), ...ADELE, mfa: push(true, OK) },
];

const OTHER_SIGNINS: SigninSpec[] = [
  { id: 'x01', at: ago(2), upn: 'alexw@contoso.com', userId: 'id-alexw', mfa: push(true, OK) },
  // Only in the sign-ins: a guest the registration details do not list.
  { id: 'z01', at: ago(30), upn: 'zoe@fabrikam.com', mfa: push(false, 'MFA denied; user did not respond to mobile app notification'), errorCode: 500121 },
];

let store: TestStore;
let empty: TestStore;
let harness: Harness;
let emptyHarness: Harness;

beforeAll(async () => {
  [store, empty] = await Promise.all([openTestStore(), openTestStore()]);
  await ingestRegistrations(store, REGISTRATIONS, 'graph');
  await loadSignins(store, [...ADELE_SIGNINS, ...OTHER_SIGNINS]);
  const block = (upn: string, action: 'block' | 'unblock', at: Date, reason: string, actor: string) => ({
    dedupeKey: contentKey('block', upn, action, at),
    upn,
    action,
    reason,
    actor,
    occurredAt: at,
    source: 'import:mfa-server-csv',
  });
  await writeBlockEvents(store, [
    block('AdeleV@contoso.com', 'block', ago(120), 'Lost phone', 'admin@contoso.com'),
    block('AdeleV@contoso.com', 'unblock', ago(96), 'Phone found', 'admin@contoso.com'),
    block('AdeleV@contoso.com', 'block', ago(48), 'Suspicious prompts', 'secops@contoso.com'),
    block('alexw@contoso.com', 'block', ago(72), 'Travel', 'admin@contoso.com'),
    block('alexw@contoso.com', 'unblock', ago(24), 'Back home', 'admin@contoso.com'),
  ]);
  const bypass = (upn: string, at: Date, seconds: number, reason: string) => ({
    dedupeKey: contentKey('bypass', upn, at),
    upn,
    seconds,
    reason,
    actor: 'helpdesk@contoso.com',
    occurredAt: at,
    expiresAt: new Date(at.getTime() + seconds * 1000),
    source: 'import:mfa-server-csv',
  });
  await writeBypassEvents(store, [
    bypass('adelev@contoso.com', ago(48), 300, 'Old bypass'),
    bypass('adelev@contoso.com', new Date(NOW.getTime() - 180_000), 600, 'New phone setup'),
  ]);
  const report = (id: string, upn: string, at: Date) => ({
    id,
    riskEventType: 'userReportedSuspiciousActivity',
    riskLevel: 'high',
    riskState: 'atRisk',
    source: 'EndUserReported',
    userId: `id-${upn}`,
    userPrincipalName: upn,
    ipAddress: '198.51.100.7',
    location: { city: 'Lisbon', countryOrRegion: 'PT' },
    correlationId: `corr-${id}`,
    activityDateTime: at.toISOString(),
    detectedDateTime: at.toISOString(),
  });
  await ingestRiskDetections(store, [
    report('rd-1', 'AdeleV@contoso.com', ago(30)),
    report('rd-2', 'adelev@contoso.com', ago(24 * 20)),
    report('rd-3', 'alexw@contoso.com', ago(30)),
  ]);
  [harness, emptyHarness] = await Promise.all([startHarness({ store, now: () => NOW }), startHarness({ store: empty, now: () => NOW })]);
});

afterAll(async () => {
  await harness?.close();
  await emptyHarness?.close();
  await store?.close();
  await empty?.close();
});

async function ask(text: string, h: Harness = harness): Promise<string> {
  const { reply } = await h.command(text);
  return replyText(reply);
}

const signinLines = (text: string) => text.split('\n').filter((line) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} · /.test(line));

describe('/mfa user: the answer', () => {
  it('sums up the period, then flags the block, the bypass, the fraud report', async () => {
    const { reply } = await harness.command('user adelev@contoso.com');
    expect(reply!.response_type).toBe('ephemeral');
    const text = replyText(reply);
    expect(text).toContain('MFA activity: Adele Vance (adelev@contoso.com)');
    expect(text).toContain(
      '13 sign-ins in the last 7 days; 12 (92.3%) required MFA: 7 satisfied, 3 denied, 1 interrupted, 1 stopped before MFA or unknown.',
    );
    expect(text).toContain(':no_entry: Blocked from MFA now (since 2026-11-25 12:30).');
    expect(text).toContain(':unlock: One-time bypass valid now, until 2026-11-27 12:37.');
    expect(text).toContain(':rotating_light: 1 fraud report in this period.');
    expect(text).toContain('Period: 2026-11-20 12:30 to 2026-11-27 12:30 (UTC)');
    expect(text).toContain('Data as of 2026-11-27 11:30 (UTC)');
    // The last block is the period and data-as-of line.
    const last = reply!.blocks.at(-1) as { type: string; elements: Array<{ text: string }> };
    expect(last.type).toBe('context');
    expect(last.elements[0]!.text).toMatch(/^Period: /);
  });

  it('lists the sign-ins newest first with place, IP, results in plain words, method and Conditional Access', async () => {
    const text = await ask('user adelev@contoso.com');
    const lines = signinLines(text);
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('2026-11-27 11:30 · Office 365 Exchange Online · Seattle, US · 203.0.113.10');
    const block = (id: string) => {
      const all = text.split('\n');
      const end = all.findIndex((l) => l.endsWith(`id \`${id}\``));
      return all.slice(end - 2, end + 3).join('\n');
    };
    expect(block('a01')).toContain('MFA required: yes · Completed: MFA successfully completed · Method: Mobile app notification');
    expect(block('a01')).toContain(
      'Conditional Access: Device compliance (report-only): report-only: would have failed · grant: RequireCompliantDevice · session: none\n' +
        'Conditional Access: Require MFA for admins: success (grant controls satisfied) · grant: Mfa · session: SignInFrequency',
    );
    // A policy that did not apply is not stored, so never shown.
    expect(text).not.toContain('Block legacy authentication');
    // Phone numbers only ever scrubbed.
    expect(block('a02')).toContain('Method: Text message (+X XXXXXXXX64)');
    expect(text).not.toMatch(/425|555 0164/);
    expect(block('a03')).toContain('Denied: the user declined the prompt · Method: Mobile app notification');
    expect(block('a03')).toContain('Sign-in failed: error 500121 (Authentication failed during the strong authentication (MFA) request)');
    expect(block('a04')).toContain('Denied: the call went to voicemail · Method: Phone call (Authentication phone)');
    expect(block('a05')).toContain('Interrupted: MFA was required and the user was sent to complete it');
    expect(block('a05')).toContain('error 50074 (Strong authentication is required and the user did not pass the MFA challenge)');
    // An unrecognised result shows what Microsoft wrote.
    expect(block('a06')).toContain('Unrecognised result: “Brand new wording nobody documented”');
    expect(block('a07')).toContain('MFA required: no · No MFA: not required');
    expect(block('a08')).toContain('Not reached: primary authentication failed before MFA');
    expect(block('a08')).toContain('error 50126 (Invalid username or password)');
    expect(text).toContain('Showing 1–10 of 13');
    // Another user's sign-ins are not Adele's.
    expect(text).not.toContain('x01');
  });

  it("shows registration, the block and bypass now with their source and age, and the period's fraud reports", async () => {
    const text = await ask('user adelev@contoso.com');
    expect(text).toContain('Registration: registered for MFA · admin · member');
    expect(text).toContain('Methods: Authenticator push, Mobile phone · default: Authenticator push');
    expect(text).toContain('Can use MFA under the current policy');
    expect(text).toContain(
      ':no_entry: Blocked now: blocked 2026-11-25 12:30 by secops@contoso.com: “Suspicious prompts” (source: import:mfa-server-csv)',
    );
    expect(text).toContain(
      ':unlock: One-time bypass valid until 2026-11-27 12:37 (600 seconds, granted 2026-11-27 12:27 by helpdesk@contoso.com: “New phone setup”) (source: import:mfa-server-csv)',
    );
    expect(text).toContain('MFA Server was retired on 2024-09-30');
    expect(text).toContain('block history newest row 2026-11-26; bypass history newest row 2026-11-27');
    expect(text).toContain('Fraud reports in this period: 1');
    expect(text).toContain('• 2026-11-26 06:30: reported by the user; new, not yet acted on · Lisbon, PT · 198.51.100.7');
  });

  it('widens with the period, and counts the renamed UPN through the object id', async () => {
    const text = await ask('user adelev@contoso.com 30d');
    expect(text).toContain('14 sign-ins in the last 30 days; 13 (92.9%) required MFA: 8 satisfied, 3 denied, 1 interrupted');
    expect(text).toContain('Fraud reports in this period: 2');
    const day = await ask('user adelev@contoso.com 24h');
    expect(day).toContain('13 sign-ins in the last 24 hours');
  });

  it('says when the user had no sign-ins in the period and where the newest one is', async () => {
    const text = await ask('user zoe@fabrikam.com 24h');
    expect(text).toContain('No sign-ins for zoe (zoe@fabrikam.com) in the last 24 hours. Their newest sign-in in the store is from 2026-11-26 06:30 (UTC)');
    expect(text).toContain('/mfa user zoe@fabrikam.com 30d');
    expect(text).toContain('this user is not in the registration details');
    expect(text).toContain('Not blocked: no block or unblock request for this user on record.');
    expect(text).toContain('No one-time bypass valid now.');
    expect(text).toContain('Fraud reports in this period: none.');
  });

  it('shows an unblocked user as not blocked, with the unblock', async () => {
    const text = await ask('user alexw@contoso.com');
    expect(text).toContain('Not blocked: last unblocked 2026-11-26 12:30 by admin@contoso.com: “Back home” (source: import:mfa-server-csv)');
    expect(text).not.toContain('Blocked from MFA now');
    expect(text).toContain('1 sign-in in the last 7 days; 1 (100%) required MFA: 1 satisfied, 0 denied, 0 interrupted.');
  });
});

describe('/mfa user: finding the user', () => {
  it('matches a UPN in any case, the part before @, a quoted display name and part of a name', async () => {
    for (const typed of ['ADELEV@CONTOSO.COM', 'adelev', '"Adele Vance"', '“adele vance”', 'vance']) {
      expect(await ask(`user ${typed}`), typed).toContain('MFA activity: Adele Vance (adelev@contoso.com)');
    }
  });

  it('lists the candidates when several users match', async () => {
    const { reply } = await harness.command('user adele');
    const text = replyText(reply);
    expect(text).toContain('`adele` matches 2 users. Be more specific, e.g. with the full UPN: `/mfa user adele.smith@contoso.com`');
    expect(text).toContain('• Adele Smith (adele.smith@contoso.com)\n• Adele Vance (adelev@contoso.com)');
    expect(buttonsOf(reply)).toEqual([]);
  });

  it('lists at most ten candidates and says how many more', async () => {
    const text = await ask('user temp 30d');
    expect(text).toContain('`temp` matches 12 users. Be more specific, e.g. with the full UPN: `/mfa user temp01@contoso.com 30d`');
    expect(text.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(10);
    expect(text).toContain('• Temp Worker 10 (temp10@contoso.com)\n…and 2 more');
  });

  it('finds a user seen only in sign-ins of the period', async () => {
    const text = await ask('user zoe');
    expect(text).toContain('MFA activity: zoe (zoe@fabrikam.com)');
    expect(text).toContain('1 sign-in in the last 7 days; 1 (100%) required MFA: 0 satisfied, 1 denied, 0 interrupted.');
    expect(text).toContain('Denied: the user did not respond to the Authenticator notification');
  });

  it('says nobody matches, and where it looked', async () => {
    const text = await ask('user bob');
    expect(text).toBe(
      'No user matches `bob`. Try a UPN like `bob@contoso.com` or part of a display name (searched the registration details and the sign-ins of the last 7 days).',
    );
    // Part of a name seen only in older sign-ins is not searched: the sign-ins of the period are.
    expect(await ask('user zoe 24h')).toContain('No user matches `zoe`');
  });

  it('treats quotes and SQL as text to match, never as SQL', async () => {
    const text = await ask(`user "'; DROP TABLE signins; --"`);
    expect(text).toContain("No user matches `'; DROP TABLE signins; --`");
    const [row] = await store.rows<{ n: number }>(sql`select count(*)::int as n from signins`);
    expect(Number(row!.n)).toBe(16);
    expect(await ask("user \"o'brien\"")).toContain("No user matches `o'brien`");
  });
});

describe('/mfa user: bad input', () => {
  it.each([
    ['user', 'say which user: a UPN like adele@contoso.com or part of a display name.\nUsage: `/mfa user <upn or name> [period]`, e.g. `/mfa user adele@contoso.com 30d`'],
    ['user 7d', 'say which user'],
    ['user Adele Vance', 'user takes one user at most; a name with spaces goes in "double quotes", e.g. user "Adele Vance" 30d'],
    ['user adelev 7d 30d', 'user takes one user and one period at most'],
    ['user 7d adelev 30d', 'user takes one user and one period at most'],
    ['user adelev 99x', '"99x" is not a period I understand'],
    ['user adelev 2026-02-30', '2026-02-30 is not a calendar date'],
    [`user ${'x'.repeat(300)}`, 'that user is 300 characters long; a UPN or display name is at most 256'],
  ])('%s', async (command, expected) => {
    const { reply } = await harness.command(command);
    expect(reply!.response_type).toBe('ephemeral');
    const text = replyText(reply);
    expect(text).toContain(expected);
    expect(text.split('\n').length).toBeLessThanOrEqual(2);
  });

  it('audits an unknown user as a usage error', async () => {
    await harness.command('user nobody-here');
    const [audit] = await store.rows<{ subcommand: string; outcome: string }>(sql`select subcommand, outcome from query_audit order by id desc limit 1`);
    expect(audit).toEqual({ subcommand: 'user', outcome: 'usage_error' });
  });
});

describe('/mfa user: paging and export', () => {
  it('pages with Next and Previous', async () => {
    const first = await harness.command('user "Adele Vance"');
    expect(buttonsOf(first.reply).map((b) => b.text)).toEqual(['Next', 'Export CSV']);
    const { response } = await harness.press(buttonsOf(first.reply).find((b) => b.text === 'Next')!);
    const text = replyText(response);
    expect(text).toContain('Showing 11–13 of 13');
    const lines = signinLines(text);
    expect(lines.map((l) => l.slice(0, 16))).toEqual(['2026-11-27 00:30', '2026-11-26 23:30', '2026-11-26 16:30']);
    expect(text).toContain('id `a14`');
    // The answer stays on top of every page.
    expect(text).toContain('13 sign-ins in the last 7 days');
    expect(buttonsOf(response).map((b) => b.text)).toEqual(['Previous', 'Export CSV']);
    const back = await harness.press(buttonsOf(response).find((b) => b.text === 'Previous')!);
    expect(replyText(back.response)).toContain('Showing 1–10 of 13');
  });

  it('exports every sign-in of the period as CSV, phone numbers scrubbed', async () => {
    const { reply } = await harness.command('user adelev 30d');
    const { response } = await harness.press(buttonsOf(reply).find((b) => b.text === 'Export CSV')!);
    expect(response!.text).toBe('Sent mfa-user-adelev_contoso.com.csv (14 rows) to you in a direct message.');
    const upload = harness.api.uploads().at(-1)!;
    const csv = upload.bytes.toString('utf8').trim().split('\r\n');
    expect(csv[0]).toBe(
      'created_at,signin_id,upn,app,city,country,ip_address,client_app,error_code,failure_reason,mfa_required,mfa_required_reason,mfa_outcome,mfa_result_code,mfa_result_detail,mfa_method,mfa_auth_detail,ca_status,ca_policies,onprem_component',
    );
    expect(csv).toHaveLength(15);
    expect(csv[1]).toBe(
      '2026-11-27T11:30:00.000Z,a01,adelev@contoso.com,Office 365 Exchange Online,Seattle,US,203.0.113.10,Browser,0,,yes,,satisfied,completed,MFA successfully completed,Mobile app notification,,success,' +
        'Device compliance (report-only): reportOnlyFailure (grant: RequireCompliantDevice; session: none) | Require MFA for admins: success (grant: Mfa; session: SignInFrequency),',
    );
    // A cell starting with "+" is prefixed with an apostrophe so a spreadsheet never runs it as a formula.
    expect(csv[2]).toContain(",Text message,'+X XXXXXXXX64,notApplied,");
    expect(csv.join('\n')).not.toMatch(/425|0164/);
    expect(csv.find((l) => l.includes(',a14,'))).toContain(',adele.vance.old@contoso.com,');
    expect(csv.at(-1)).toMatch(/^2026-11-17T12:30:00.000Z,a13,/);
  });
});

describe('/mfa user on an empty store', () => {
  it('says what is missing and how to load it', async () => {
    const { reply } = await emptyHarness.command('user adele@contoso.com');
    const text = replyText(reply);
    expect(text).toContain('No users in the store yet: there are no registration details and no sign-ins.');
    expect(text).toContain('`npm run sync`');
    expect(text).toContain('`npm run import -- FILE`');
  });
});
