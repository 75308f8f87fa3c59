// /mfa ca through signed requests: per policy applied / succeeded / failed with its distinct
// controls, report-only policies apart, the CA status mix, paging and the CSV export.
import { describe, expect, it } from 'vitest';
import { graphSignInSchema } from '../../src/ingest/graph-signin.js';
import { prepareSignin } from '../../src/ingest/prepare-signin.js';
import { writeSignins } from '../../src/ingest/write-signins.js';
import type { Store } from '../../db/client.js';
import { graphSignin, type SigninSpec } from '../support/graph-records.js';
import { replyText } from '../support/reply-text.js';
import { useReportFixture } from '../support/report-fixture.js';
import { buttonsOf } from '../support/slack-harness.js';

const NOW = new Date('2026-11-27T12:30:00Z');
const ago = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

type Spec = SigninSpec & { caStatus?: string | null };

const MFA = (result: string, grant = ['Mfa'], session: string[] = [], displayName = 'Require MFA for all users') => ({ id: 'p-mfa', displayName, grant, session, result });
const BLOCK = (result: string) => ({ id: 'p-block', displayName: 'Block legacy authentication', grant: ['Block'], result });
const REPORT_ONLY = (result: string) => ({ id: 'p-ro', displayName: 'Require compliant device', grant: ['RequireCompliantDevice'], result });
const NOT_APPLIED = { id: 'p-guests', displayName: 'Guests need MFA', grant: ['Mfa'], result: 'notApplied' };

// The last 7 days: 10 sign-ins; CA status success 4, failure 3, notApplied 2, none 1.
// "Require MFA for all users" applied 5 (4 succeeded, 1 failed; grant Mfa + RequireCompliantDevice,
// session SignInFrequency; an older sign-in knew it as "Old MFA name"); "Block legacy
// authentication" failed 2; report-only "Require compliant device" 4 (2 success, 1 failure,
// 1 interrupted). "Guests need MFA" never applied, so it is not stored.
const SIGNINS: Spec[] = [
  { id: 'a1', at: ago(2), upn: 'alice@contoso.com', policies: [MFA('success', ['Mfa'], ['SignInFrequency']), REPORT_ONLY('reportOnlySuccess'), NOT_APPLIED] },
  { id: 'a2', at: new Date('2026-11-27T12:10:00Z'), upn: 'alice@contoso.com', policies: [MFA('success'), REPORT_ONLY('reportOnlySuccess')] },
  { id: 'a3', at: ago(100), upn: 'alice@contoso.com', policies: [MFA('success', ['Mfa', 'RequireCompliantDevice'], [], 'Old MFA name')] },
  { id: 'b1', at: ago(5), upn: 'bob@contoso.com', policies: [MFA('success'), REPORT_ONLY('reportOnlyFailure')] },
  {
    id: 'c1',
    at: ago(6),
    upn: 'carol@contoso.com',
    caStatus: 'failure',
    errorCode: 500121,
    mfa: { method: 'Mobile app notification', succeeded: false, detail: 'MFA denied; user declined the authentication' },
    policies: [MFA('failure'), REPORT_ONLY('reportOnlyInterrupted')],
  },
  { id: 'd1', at: ago(7), upn: 'dave@contoso.com', caStatus: 'failure', errorCode: 53003, mfaRequired: false, policies: [BLOCK('failure')] },
  { id: 'd2', at: ago(8), upn: 'dave@contoso.com', caStatus: 'failure', errorCode: 53003, mfaRequired: false, policies: [BLOCK('failure')] },
  // 2026-11-22: nothing applied.
  { id: 'e1', at: ago(120), upn: 'erin@contoso.com', mfaRequired: false },
  { id: 'e2', at: ago(121), upn: 'erin@contoso.com', mfaRequired: false },
  { id: 'n1', at: ago(9), upn: 'nps@contoso.com', resourceId: 'radius', caStatus: null },
  // 2026-11-19 (before the 7 days): CA says success but no applied policy came with it (no CA read permission).
  { id: 'f1', at: ago(190), upn: 'frank@contoso.com', caStatus: 'success', mfaRequired: false },
  // 12.5 days ago (30d only): twelve more enforced policies, one sign-in each.
  ...Array.from({ length: 12 }, (_, i): Spec => {
    const n = String(i + 1).padStart(2, '0');
    return { id: `x${n}`, at: ago(300 + i), upn: 'xavier@contoso.com', policies: [{ id: `p-x${n}`, displayName: `Extra policy ${n}`, grant: ['Mfa'], result: 'success' }] };
  }),
];

async function load(store: Store, specs: Spec[]) {
  const rows = specs.map((spec) => {
    const record = graphSignin(spec);
    if (spec.caStatus !== undefined) record.conditionalAccessStatus = spec.caStatus;
    return prepareSignin(graphSignInSchema.parse(record), 'graph-beta');
  });
  await writeSignins(store, rows);
}

const fixture = useReportFixture({ now: NOW, load: (store) => load(store, SIGNINS) });
const text = fixture.text;

describe('/mfa ca', () => {
  it('answers first with the CA status mix of the sign-ins', async () => {
    const t = await text('ca 7d');
    expect(t).toContain('Conditional Access: the last 7 days');
    expect(t).toContain(
      'Of 10 sign-ins, Conditional Access succeeded on 4 (40%), failed on 3 (30%) and applied no policy to 2 (20%). ' +
        '2 policies applied; the one applied most often: Require MFA for all users (5 sign-ins). 1 report-only policy evaluated.',
    );
    expect(t).toContain('Success (policies applied and were met)\n4 (40%)');
    expect(t).toContain('Failure (blocked, or a control was not met)\n3 (30%)');
    expect(t).toContain('Not applied (no policy applied)\n2 (20%)');
    expect(t).toContain('Not recorded\n1 (10%)');
  });

  it('lists each enforced policy with its results and distinct controls, report-only apart', async () => {
    const t = await text('ca 7d');
    expect(t).toContain(
      'Enforced policies\n' +
        '1. Require MFA for all users\nApplied to 5 sign-ins (50% of sign-ins): 4 succeeded, 1 failed (20%)\nGrant: Mfa, RequireCompliantDevice · Session: SignInFrequency\n' +
        '2. Block legacy authentication\nApplied to 2 sign-ins (20% of sign-ins): 0 succeeded, 2 failed (100%)\nGrant: Block · Session: none\n' +
        'Report-only policies (evaluated, not enforced: what they would have done)\n' +
        '1. Require compliant device\nEvaluated on 4 sign-ins (40% of sign-ins): 2 would have succeeded, 1 would have failed, 1 would have interrupted\nGrant: RequireCompliantDevice · Session: none',
    );
    expect(t).not.toContain('Old MFA name');
    expect(t).not.toContain('Guests need MFA');
    expect(t).toContain('Policies that did not apply to a sign-in (Graph’s notApplied, notEnabled and reportOnlyNotApplied) are not stored');
    expect(t).toContain('Showing 1–3 of 3 policies');
    expect(t).toContain('Period: 2026-11-20 12:30 to 2026-11-27 12:30 (UTC)');
    expect(t).toContain('Data as of 2026-11-27 12:10 (UTC)');
  });

  it('pages many policies, enforced first, then report-only', async () => {
    const { reply } = await fixture.harness.command('ca 30d');
    const t = replyText(reply);
    expect(t).toContain('14 policies applied');
    expect(t).toContain('Showing 1–10 of 15 policies');
    expect(t).toContain('3. Extra policy 01\nApplied to 1 sign-in');
    expect(t).toContain('10. Extra policy 08');
    expect(t).not.toContain('Report-only policies');
    const { response } = await fixture.harness.press(buttonsOf(reply).find((b) => b.text === 'Next')!);
    const next = replyText(response);
    expect(next).toContain('Showing 11–15 of 15 policies');
    expect(next).toContain('Enforced policies, continued\n11. Extra policy 09');
    expect(next).toContain('14. Extra policy 12');
    expect(next).toContain('Report-only policies (evaluated, not enforced: what they would have done)\n1. Require compliant device');
    expect(buttonsOf(response).map((b) => b.text)).toEqual(['Previous', 'Export CSV']);
  });

  it('exports every policy as CSV', async () => {
    const { reply } = await fixture.harness.command('ca 7d');
    const before = fixture.harness.api.uploads().length;
    const { response } = await fixture.harness.press(buttonsOf(reply).find((b) => b.text === 'Export CSV')!);
    expect(response!.text).toBe('Sent mfa-conditional-access.csv (3 rows) to you in a direct message.');
    const csv = fixture.harness.api.uploads()[before]!.bytes.toString('utf8').trim().split('\r\n');
    expect(csv).toEqual([
      'mode,policy_id,policy,sign_ins,share_of_sign_ins,succeeded,failed,interrupted,other,grant_controls,session_controls',
      'enforced,p-mfa,Require MFA for all users,5,50%,4,1,0,0,Mfa; RequireCompliantDevice,SignInFrequency',
      'enforced,p-block,Block legacy authentication,2,20%,0,2,0,0,Block,',
      'report-only,p-ro,Require compliant device,4,40%,2,1,1,0,RequireCompliantDevice,',
    ]);
  });

  it('says when no policy applied, and suspects a missing permission when CA ran', async () => {
    const none = await text('ca 2026-11-22');
    expect(none).toContain('No enforced policy applied to any of them.');
    expect(none).toContain('No Conditional Access policy applied to any sign-in in this period, enforced or report-only.');
    const hidden = await text('ca 2026-11-19');
    expect(hidden).toContain('Graph leaves out the applied policies when the sync’s app registration cannot read Conditional Access: grant it Policy.Read.All and sync again.');
  });

  it('says what is missing when the period or the store is empty', async () => {
    expect(await text('ca 2026-01-01..2026-01-31')).toContain('No sign-ins in this period. The newest sign-in in the store is from 2026-11-27 12:10 (UTC)');
    expect(await text('ca', 'empty')).toContain('No sign-ins in the store yet: run `npm run sync` (Microsoft Graph) or `npm run import -- FILE`');
  });

  it('names bad input with an example that works', async () => {
    const bad = await text('ca 2026-02-30');
    expect(bad).toContain('2026-02-30 is not a calendar date');
    expect(bad).toContain('e.g. `/mfa ca 7d`');
    expect(await text('ca 7d p-mfa')).toContain('ca takes one period at most');
  });
});
