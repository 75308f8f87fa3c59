// /mfa failures through signed requests: reasons ranked by sign-ins and by users, in plain words
// with advice, unrecognised results quoted, the users most affected, paging and the CSV export.
import { describe, expect, it } from 'vitest';
import { loadSignins, type SigninSpec } from '../support/graph-records.js';
import { replyText } from '../support/reply-text.js';
import { useReportFixture } from '../support/report-fixture.js';
import { buttonsOf } from '../support/slack-harness.js';

const NOW = new Date('2026-11-27T12:30:00Z');
const ago = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
const push = (succeeded: boolean, detail: string) => ({ method: 'Mobile app notification', succeeded, detail });
const denied = (id: string, at: Date, upn: string, detail: string): SigninSpec => ({ id, at, upn, errorCode: 500121, mfa: push(false, detail) });

// The last 7 days: 15 sign-ins, 14 required MFA, 3 satisfied, 10 denied, 1 interrupted.
// By sign-ins: no response 4 (bob), declined 3 (carol, dave, erin), "quantum" 2 (grace),
// interrupted 1 (frank), "badger" 1 (bob). By users: declined 3, then the rest with 1 each.
const SIGNINS: SigninSpec[] = [
  ...[2, 3, 26, 27].map((h, i) => denied(`nr${i}`, ago(h), 'bob@contoso.com', 'MFA denied; user did not respond to mobile app notification')),
  denied('badger', ago(50), 'bob@contoso.com', 'MFA denied; badger on the line'),
  { id: 'bob-ok', at: ago(51), upn: 'bob@contoso.com', mfa: push(true, 'MFA successfully completed') },
  denied('dec-carol', ago(4), 'carol@contoso.com', 'MFA denied; user declined the authentication'),
  // Inside the current, partial hour: read from the raw rows, not the rollup.
  denied('dec-dave', new Date('2026-11-27T12:10:00Z'), 'dave@contoso.com', 'MFA Denied; user declined the authentication'),
  denied('dec-erin', ago(30), 'erin@contoso.com', 'MFA denied; user declined the authentication'),
  { id: 'int-frank', at: ago(28), upn: 'frank@contoso.com', errorCode: 50074, failureReason: 'Strong Authentication is required.' },
  denied('q1', ago(72), 'grace@contoso.com', 'MFA denied; quantum flux misaligned'),
  denied('q2', ago(73), 'grace@contoso.com', 'MFA denied; quantum flux misaligned'),
  // 2026-11-22: two satisfied and one that did not require MFA; no failures that day.
  { id: 'al1', at: ago(120), upn: 'alice@contoso.com', mfa: push(true, 'MFA successfully completed') },
  { id: 'al2', at: ago(121), upn: 'alice@contoso.com', mfa: push(true, 'MFA successfully completed') },
  { id: 'al3', at: ago(122), upn: 'alice@contoso.com', mfaRequired: false },
  // 8-9 days ago (in 30d, not 7d): eight more unrecognised results, one sign-in each, all zed's.
  ...Array.from({ length: 8 }, (_, i) => denied(`z${i}`, ago(200 + i), 'zed@contoso.com', `MFA denied; oddity number ${i + 1}`)),
];

const fixture = useReportFixture({ now: NOW, load: (store) => loadSignins(store, SIGNINS) });
const text = fixture.text;

describe('/mfa failures', () => {
  it('answers first: how many failed, for how many users, the top reason', async () => {
    const t = await text('failures 7d');
    expect(t).toContain('Why MFA failed: the last 7 days');
    expect(t).toContain(
      '11 (78.6%) of the 14 sign-ins that required MFA were denied or interrupted, for 6 of 7 users challenged. ' +
        'The most common reason: Denied: the user did not respond to the Authenticator notification (4 sign-ins, 36.4%).',
    );
    expect(t).toContain('Denied\n10 (90.9%)');
    expect(t).toContain('Interrupted\n1 (9.1%)');
    expect(t).toContain('Reasons\n5');
    expect(t).toContain('Users who could not complete MFA\n6 (85.7%)');
  });

  it('ranks the reasons by sign-ins, in plain words, with what to do', async () => {
    const t = await text('failures 7d');
    expect(t).toContain(
      '1. Denied: the user did not respond to the Authenticator notification\n4 sign-ins (36.4% of failures) · 1 user\n' +
        'What to do: Ask the user to check notifications on their phone; many unanswered prompts can be an MFA fatigue attack',
    );
    expect(t).toContain('2. Denied: the user declined the prompt\n3 sign-ins (27.3% of failures) · 3 users\nWhat to do: Ask the user whether they started this sign-in');
    // Strings the vocabulary lacks are grouped by their raw text and quoted.
    expect(t).toContain('3. Unrecognised result: “MFA denied; quantum flux misaligned”\n2 sign-ins (18.2% of failures) · 1 user\nWhat to do: Microsoft logged a result this bot does not know yet');
    expect(t).toContain('4. Interrupted: MFA was required and the user was sent to complete it\n1 sign-in (9.1% of failures) · 1 user');
    expect(t).toContain('5. Unrecognised result: “MFA denied; badger on the line”\n1 sign-in (9.1% of failures) · 1 user');
  });

  it('ranks the reasons by distinct users too', async () => {
    const t = await text('failures 7d');
    const byUsers = t.slice(t.indexOf('By users affected'));
    expect(byUsers).toContain(
      'By users affected\n' +
        '1. Denied: the user declined the prompt: 3 users (50% of users who failed)\n' +
        '2. Denied: the user did not respond to the Authenticator notification: 1 user (16.7% of users who failed)\n' +
        '3. Unrecognised result: “MFA denied; quantum flux misaligned”: 1 user (16.7% of users who failed)',
    );
  });

  it('names the users most affected with their top reason', async () => {
    const t = await text('failures 7d');
    const users = t.slice(t.indexOf('Users most affected')).split('\n');
    expect(users[1]).toBe(
      '1. bob@contoso.com: 5 failed sign-ins (5 denied, 0 interrupted); mostly Denied: the user did not respond to the Authenticator notification (4); last 2026-11-27 10:30',
    );
    expect(users[2]).toBe('2. grace@contoso.com: 2 failed sign-ins (2 denied, 0 interrupted); mostly Unrecognised result: “MFA denied; quantum flux misaligned” (2); last 2026-11-24 12:30');
    expect(users[3]).toMatch(/^3\. carol@contoso.com: 1 failed sign-in \(1 denied, 0 interrupted\); mostly Denied: the user declined the prompt \(1\)/);
    expect(users[6]).toMatch(/^6\. frank@contoso.com: 1 failed sign-in \(0 denied, 1 interrupted\); mostly Interrupted/);
    expect(t).not.toContain('alice@contoso.com');
    expect(t).toContain('Showing 1–5 of 5 reasons');
    expect(t).toContain('Period: 2026-11-20 12:30 to 2026-11-27 12:30 (UTC)');
    expect(t).toContain('Data as of 2026-11-27 12:10 (UTC)');
  });

  it('pages a long list of reasons and keeps the figures of the whole period', async () => {
    const { reply } = await fixture.harness.command('failures 30d');
    const t = replyText(reply);
    expect(t).toContain('19 (86.4%) of the 22 sign-ins that required MFA were denied or interrupted, for 7 of 8 users challenged.');
    expect(t).toContain('Showing 1–10 of 13 reasons');
    expect(buttonsOf(reply).map((b) => b.text)).toEqual(['Next', 'Export CSV']);
    const { response } = await fixture.harness.press(buttonsOf(reply).find((b) => b.text === 'Next')!);
    const next = replyText(response);
    expect(next).toContain('Showing 11–13 of 13 reasons');
    expect(next).toContain('By sign-ins (continued)');
    expect(next).toMatch(/11\. Unrecognised result: “MFA denied; oddity number \d”\n1 sign-in \(5.3% of failures\) · 1 user/);
    expect(next).not.toContain('Users most affected');
    expect(buttonsOf(response).map((b) => b.text)).toEqual(['Previous', 'Export CSV']);
  });

  it('exports every reason as CSV', async () => {
    const { reply } = await fixture.harness.command('failures 7d');
    const before = fixture.harness.api.uploads().length;
    const { response } = await fixture.harness.press(buttonsOf(reply).find((b) => b.text === 'Export CSV')!);
    expect(response!.text).toBe('Sent mfa-failures.csv (5 rows) to you in a direct message.');
    const upload = fixture.harness.api.uploads()[before]!;
    const csv = upload.bytes.toString('utf8').trim().split('\r\n');
    expect(csv[0]).toBe('reason,code,sign_ins,users,share,advice');
    expect(csv[1]).toBe(
      'Denied: the user did not respond to the Authenticator notification,denied_no_response,4,1,36.4%,Ask the user to check notifications on their phone; many unanswered prompts can be an MFA fatigue attack',
    );
    expect(csv[3]).toMatch(/^Unrecognised result: “MFA denied; quantum flux misaligned”,other,2,1,18.2%,/);
    expect(csv[4]).toMatch(/^Interrupted: MFA was required and the user was sent to complete it,interrupted_mfa_required,1,1,9.1%,/);
    expect(csv).toHaveLength(6);
  });

  it('says when nothing failed', async () => {
    const t = await text('failures 2026-11-22');
    expect(t).toContain('No MFA failures: none of the 2 sign-ins that required MFA was denied or interrupted.');
  });

  it('says what is missing when the period or the store is empty', async () => {
    expect(await text('failures 2026-01-01..2026-01-31')).toContain('No sign-ins in this period. The newest sign-in in the store is from 2026-11-27 12:10 (UTC)');
    const t = await text('failures', 'empty');
    expect(t).toContain('No sign-ins in the store yet: run `npm run sync` (Microsoft Graph) or `npm run import -- FILE`');
    expect(t).toContain('No sign-ins in the store yet');
  });

  it('names bad input with an example that works', async () => {
    const bad = await text('failures fortnight');
    expect(bad).toContain('"fortnight" is not a period I understand');
    expect(bad).toContain('e.g. `/mfa failures 7d`');
    expect(await text("failures 7d '; drop table signins; --")).toContain('failures takes one period at most');
    expect(await text('failures 7d 30d')).toContain('failures takes one period at most');
  });
});
