// /mfa methods through signed requests: per method sign-ins, users, success rate and share, and
// the satisfied-without-a-prompt breakdown, with figures known by construction.
import { describe, expect, it } from 'vitest';
import { loadSignins, type SigninSpec } from '../support/graph-records.js';
import { useReportFixture } from '../support/report-fixture.js';
import { buttonsOf } from '../support/slack-harness.js';

const NOW = new Date('2026-11-27T12:30:00Z');
const ago = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
const step = (method: string, succeeded: boolean, detail: string) => ({ method, succeeded, detail });
const many = (n: number, make: (i: number) => SigninSpec) => Array.from({ length: n }, (_, i) => make(i));

// The last 7 days: 18 sign-ins, 17 required MFA, 12 of them name a method.
// Mobile app notification 6 (alice 3 + bob 1 satisfied, bob 1 denied, carol 1 interrupted: 3 users, 4/6),
// Previously satisfied 3 (alice 2 by claim, frank 1 first factor by claim: 2 users),
// Text message 2 (dave, satisfied), Phone call 1 (erin, voicemail).
// No method: gina 2 remembered device, hank 1 trusted location, ivan 1 app password, frank 1 interrupted.
// Satisfied: 13, of which 7 without a prompt (claim 3, remembered device 2, location 1, app password 1).
const SIGNINS: SigninSpec[] = [
  ...many(3, (i) => ({ id: `push-alice-${i}`, at: ago(2 + i), upn: 'alice@contoso.com', mfa: step('Authenticator App', true, 'MFA successfully completed') })),
  { id: 'push-bob-ok', at: ago(6), upn: 'bob@contoso.com', mfa: step('Mobile app notification', true, 'MFA completed in Azure AD') },
  { id: 'push-bob-no', at: ago(7), upn: 'bob@contoso.com', errorCode: 500121, mfa: step('Mobile app notification', false, 'MFA denied; user declined the authentication') },
  { id: 'push-carol', at: ago(8), upn: 'carol@contoso.com', errorCode: 50074, mfa: step('Mobile app notification', false, 'MFA required in Azure AD') },
  ...many(2, (i) => ({ id: `prev-alice-${i}`, at: ago(10 + i), upn: 'alice@contoso.com', mfa: step('Previously satisfied', true, 'MFA requirement satisfied by claim in the token') })),
  { id: 'prev-frank', at: ago(12), upn: 'frank@contoso.com', mfa: step('Previously satisfied', true, 'First factor requirement satisfied by claim in the token') },
  // Inside the current, partial hour: read from the raw rows.
  ...many(2, (i) => ({ id: `sms-dave-${i}`, at: new Date(`2026-11-27T12:1${i}:00Z`), upn: 'dave@contoso.com', mfa: { ...step('SMS', true, 'MFA successfully completed'), methodDetail: '+1 425 555 0164' } })),
  { id: 'voice-erin', at: ago(20), upn: 'erin@contoso.com', errorCode: 500121, mfa: step('Voice', false, 'MFA denied; Phone call went to voicemail') },
  ...many(2, (i) => ({ id: `gina-${i}`, at: ago(30 + i), upn: 'gina@contoso.com', additionalDetails: 'MFA requirement skipped due to remembered device' })),
  { id: 'hank', at: ago(40), upn: 'hank@contoso.com', additionalDetails: 'MFA requirement skipped due to location' },
  { id: 'ivan', at: ago(41), upn: 'ivan@contoso.com', additionalDetails: 'MFA requirement skipped due to app password' },
  { id: 'frank-int', at: ago(42), upn: 'frank@contoso.com', errorCode: 50074, failureReason: 'Strong Authentication is required.' },
  // 2026-11-21: the only sign-in that day, and it did not require MFA.
  { id: 'jane', at: ago(150), upn: 'jane@contoso.com', mfaRequired: false },
  // 10 days ago: only in 30d.
  { id: 'fido-kate', at: ago(240), upn: 'kate@contoso.com', mfa: step('FIDO2 security key', true, 'MFA successfully completed') },
];

const fixture = useReportFixture({ now: NOW, load: (store) => loadSignins(store, SIGNINS) });
const text = fixture.text;

describe('/mfa methods', () => {
  it('answers first: the most used method and how many needed no prompt', async () => {
    const t = await text('methods 7d');
    expect(t).toContain('How users complete MFA: the last 7 days');
    expect(t).toContain(
      'Mobile app notification is the most used method: 6 (50%) of the 12 MFA sign-ins naming a method, 66.7% succeeded. ' +
        '7 (53.8%) of the 13 satisfied MFA sign-ins needed no prompt.',
    );
  });

  it('lists each method with sign-ins, share, users and success rate', async () => {
    const t = await text('methods 7d');
    const lines = t.split('\n').filter((l) => l.startsWith('• ') && l.includes('succeeded ('));
    expect(lines).toEqual([
      '• Mobile app notification: 6 sign-ins (50%) · 3 users · 66.7% succeeded (4 satisfied, 1 denied, 1 interrupted)',
      '• Previously satisfied: 3 sign-ins (25%) · 2 users · 100% succeeded (3 satisfied, 0 denied, 0 interrupted)',
      '• Text message: 2 sign-ins (16.7%) · 1 user · 100% succeeded (2 satisfied, 0 denied, 0 interrupted)',
      '• Phone call (Authentication phone): 1 sign-in (8.3%) · 1 user · 0% succeeded (0 satisfied, 1 denied, 0 interrupted)',
    ]);
    expect(t).toContain('5 (29.4%) of the sign-ins that required MFA name no method');
    expect(t).toContain('Showing 1–4 of 4 methods');
    expect(t).toContain('Period: 2026-11-20 12:30 to 2026-11-27 12:30 (UTC)');
    expect(t).toContain('Data as of 2026-11-27 12:11 (UTC)');
    expect(t).not.toContain('425');
  });

  it('breaks down the satisfied sign-ins that needed no prompt', async () => {
    const t = await text('methods 7d');
    expect(t).toContain(
      'Satisfied without a prompt: 7 (53.8%) of 13 satisfied MFA sign-ins\n' +
        '• MFA claim already in the token (previously satisfied): 3 (23.1%)\n' +
        '• Remembered device: 2 (15.4%) (per-user MFA "remember MFA on trusted devices")\n' +
        '• Trusted location: 1 (7.7%) (per-user MFA trusted IPs; Conditional Access named locations are the modern way)\n' +
        '• App password: 1 (7.7%) (legacy clients with per-user MFA app passwords; consider retiring them)\n' +
        '• Prompted and satisfied (or no detail recorded): 6 (46.2%)',
    );
    expect(t).not.toContain('Registered device');
  });

  it('widens with the period', async () => {
    const t = await text('methods 30d');
    expect(t).toContain('• FIDO2 security key: 1 sign-in (7.7%) · 1 user · 100% succeeded (1 satisfied, 0 denied, 0 interrupted)');
    expect(t).toContain('6 (46.2%) of the 13 MFA sign-ins naming a method');
  });

  it('exports the methods as CSV', async () => {
    const { reply } = await fixture.harness.command('methods 7d');
    const before = fixture.harness.api.uploads().length;
    const { response } = await fixture.harness.press(buttonsOf(reply).find((b) => b.text === 'Export CSV')!);
    expect(response!.text).toBe('Sent mfa-methods.csv (4 rows) to you in a direct message.');
    const csv = fixture.harness.api.uploads()[before]!.bytes.toString('utf8').trim().split('\r\n');
    expect(csv).toEqual([
      'method,sign_ins,share,users,satisfied,denied,interrupted,success_rate',
      'Mobile app notification,6,50%,3,4,1,1,66.7%',
      'Previously satisfied,3,25%,2,3,0,0,100%',
      'Text message,2,16.7%,1,2,0,0,100%',
      'Phone call (Authentication phone),1,8.3%,1,0,1,0,0%',
    ]);
  });

  it('says when no sign-in required MFA, the period is empty or the store is', async () => {
    expect(await text('methods 2026-11-21')).toContain('No sign-in in this period required MFA (1 sign-in in all), so no method was used.');
    expect(await text('methods 2026-01-01..2026-01-31')).toContain('No sign-ins in this period. The newest sign-in in the store is from 2026-11-27 12:11 (UTC)');
    expect(await text('methods', 'empty')).toContain('No sign-ins in the store yet: run `npm run sync` (Microsoft Graph) or `npm run import -- FILE`');
  });

  it('names bad input with an example that works', async () => {
    const bad = await text('methods last-week');
    expect(bad).toContain('"last-week" is not a period I understand');
    expect(bad).toContain('e.g. `/mfa methods 7d`');
    expect(await text('methods 7d "; select 1')).toContain('methods takes one period at most');
  });
});
