// /mfa signin <id> through signed requests: one sign-in with every column of the sign-ins report,
// its steps, its stored Conditional Access policies and the other events of its flow; an NPS
// extension event; a result Microsoft words in a way the vocabulary does not know; the empty
// store; and the bad-id lines.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphSignInSchema } from '../../src/ingest/graph-signin.js';
import { prepareSignin } from '../../src/ingest/prepare-signin.js';
import { writeSignins } from '../../src/ingest/write-signins.js';
import { graphSignin, type SigninSpec } from '../support/graph-records.js';
import { replyText } from '../support/reply-text.js';
import { startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const NOW = new Date('2026-11-27T12:30:00Z');

const FULL_ID = '6b3f2a1e-0d4c-4f7a-9a8e-2c1d5e7f9b10';
const FLOW = 'corr-flow-1';

function record(spec: SigninSpec, extra: Record<string, unknown> = {}) {
  return prepareSignin(graphSignInSchema.parse({ ...graphSignin(spec), ...extra }), 'graph-beta');
}

const SIGNINS = [
  // The user failed with a text message (wrong code), then approved a push: satisfied.
  record(
    {
      id: FULL_ID,
      at: '2026-11-27T09:15:42Z',
      upn: 'adelev@contoso.com',
      userId: 'id-adelev',
      correlationId: FLOW,
      policies: [
        { id: 'ca-1', displayName: 'Require MFA for admins', grant: ['Mfa'], session: ['SignInFrequency'], result: 'success' },
        { id: 'ca-2', displayName: 'Device compliance (report-only)', grant: ['RequireCompliantDevice'], result: 'reportOnlyFailure' },
        { id: 'ca-3', displayName: 'Block legacy authentication', grant: ['Block'], result: 'notApplied' },
      ],
    },
    {
      userDisplayName: 'Adele Vance',
      resourceDisplayName: 'Office 365 Exchange Online',
      authenticationRequirementPolicies: [{ requirementProvider: 'multiConditionalAccess', detail: 'Conditional Access' }],
      authenticationDetails: [
        {
          authenticationStepDateTime: '2026-11-27T09:15:42Z',
          authenticationMethod: 'Password',
          authenticationMethodDetail: 'Password in the cloud',
          succeeded: true,
          authenticationStepResultDetail: 'Correct password',
          authenticationStepRequirement: 'Primary authentication',
        },
        {
          authenticationStepDateTime: '2026-11-27T09:15:50Z',
          authenticationMethod: 'SMS',
          authenticationMethodDetail: '+44 20 7946 0958',
          succeeded: false,
          authenticationStepResultDetail: 'MFA denied; user entered incorrect code',
          authenticationStepRequirement: 'Multi-factor authentication',
        },
        {
          authenticationStepDateTime: '2026-11-27T09:16:20Z',
          authenticationMethod: 'Authenticator App',
          authenticationMethodDetail: "Adele's iPhone",
          succeeded: true,
          authenticationStepResultDetail: 'MFA successfully completed',
          authenticationStepRequirement: 'Multi-factor authentication',
        },
      ],
    },
  ),
  // Two more events of the same flow: the interrupt that sent her to MFA, and a token refresh.
  record({ id: 'aaaaaaaa-0000-0000-0000-000000000001', at: '2026-11-27T09:15:30Z', upn: 'adelev@contoso.com', correlationId: FLOW, errorCode: 50074, failureReason: 'Strong Authentication is required.' }),
  record(
    { id: 'aaaaaaaa-0000-0000-0000-000000000002', at: '2026-11-27T09:40:00Z', upn: 'adelev@contoso.com', correlationId: FLOW, mfa: { method: 'Previously satisfied', succeeded: true, detail: 'MFA requirement satisfied by claim in the token' } },
    { isInteractive: false },
  ),
  // An NPS extension event: sparse, no CA data.
  record(
    { id: 'bbbbbbbb-0000-0000-0000-000000000001', at: '2026-11-26T18:00:00Z', upn: 'alexw@contoso.com', resourceId: 'radius', tokenIssuerType: 'NPSExtension', errorCode: 500121, mfa: { method: 'Phone call', succeeded: false, detail: 'Something Microsoft never documented' } },
    { conditionalAccessStatus: null, appDisplayName: null, resourceDisplayName: null, correlationId: null },
  ),
];

let store: TestStore;
let empty: TestStore;
let harness: Harness;
let emptyHarness: Harness;

beforeAll(async () => {
  [store, empty] = await Promise.all([openTestStore(), openTestStore()]);
  await writeSignins(store, SIGNINS);
  [harness, emptyHarness] = await Promise.all([
    startHarness({ store, now: () => NOW, timeZone: 'Europe/Berlin' }),
    startHarness({ store: empty, now: () => NOW }),
  ]);
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

describe('/mfa signin', () => {
  it('answers first: required and why, the result in plain words, the method', async () => {
    const { reply } = await harness.command(`signin ${FULL_ID}`);
    expect(reply!.response_type).toBe('ephemeral');
    const text = replyText(reply);
    expect(text).toContain('Sign-in: Adele Vance, 2026-11-27 10:15 (Europe/Berlin)');
    expect(text).toContain(
      'MFA required: yes (Conditional Access)\nResult: Completed: MFA successfully completed\nMethod: Mobile app notification (Adele\'s iPhone)\nSign-in: succeeded (error code 0)',
    );
  });

  it('shows every column of the sign-ins report', async () => {
    const text = await ask(`signin ${FULL_ID}`);
    expect(text).toContain('Time\n2026-11-27 10:15:42 (Europe/Berlin)\n2026-11-27T09:15:42.000Z');
    expect(text).toContain('User\nAdele Vance\nadelev@contoso.com\nid id-adelev');
    expect(text).toContain('Application\nOffice 365 Exchange Online\n00000002-0000-0ff1-ce00-000000000000');
    expect(text).toContain('Resource\nOffice 365 Exchange Online\n00000002-0000-0ff1-ce00-000000000000');
    expect(text).toContain('IP address\n203.0.113.10');
    expect(text).toContain('Place\nSeattle, US');
    expect(text).toContain('Client app\nBrowser');
    expect(text).toContain('Interactive\nyes');
    expect(text).toContain('Token issuer\nAzureAD · not an on-premises component event');
    expect(text).toContain('Source\ngraph-beta');
    expect(text).toContain('Status\nError code: 0 (Success)\nFailure reason: —\nAdditional details: —');
    expect(text).toContain(
      'MFA\nRequired: yes (Conditional Access)\nOutcome: satisfied\nResult: Completed: MFA successfully completed (code completed)\n' +
        'Result as logged: “MFA successfully completed”\nMethod: Mobile app notification (logged as “Authenticator App”)\nAuthentication detail: Adele\'s iPhone',
    );
  });

  it('lists every authentication step, phone numbers scrubbed', async () => {
    const text = await ask(`signin ${FULL_ID}`);
    expect(text).toContain(
      'Authentication steps (3)\n' +
        '1. 2026-11-27 10:15:42 · Primary authentication · Password (Password in the cloud) · succeeded: “Correct password”\n' +
        '2. 2026-11-27 10:15:50 · Multi-factor authentication · SMS (+X XXXXXXXX58) · failed: “MFA denied; user entered incorrect code”\n' +
        "3. 2026-11-27 10:16:20 · Multi-factor authentication · Authenticator App (Adele's iPhone) · succeeded: “MFA successfully completed”",
    );
    expect(text).not.toMatch(/7946|0958/);
  });

  it('lists the stored Conditional Access policies and says which are not stored', async () => {
    const text = await ask(`signin ${FULL_ID}`);
    expect(text).toContain(
      'Conditional Access: status success\n' +
        '• Device compliance (report-only): report-only: would have failed · grant: RequireCompliantDevice · session: none\n' +
        '• Require MFA for admins: success (grant controls satisfied) · grant: Mfa · session: SignInFrequency\n' +
        'Only policies that applied are stored (success, failure, report-only); policies that did not apply or are disabled are not.',
    );
    expect(text).not.toContain('Block legacy authentication');
  });

  it('names the other events of the same flow', async () => {
    const text = await ask(`signin ${FULL_ID}`);
    expect(text).toContain(
      'Correlation id `corr-flow-1`\n2 other sign-ins of the same flow share it:\n' +
        '• `aaaaaaaa-0000-0000-0000-000000000001`: 2026-11-27 10:15, interrupted, error 50074\n' +
        '• `aaaaaaaa-0000-0000-0000-000000000002`: 2026-11-27 10:40, satisfied',
    );
    const other = await ask('signin aaaaaaaa-0000-0000-0000-000000000001');
    expect(other).toContain('Sign-in: failed with error 50074: Strong authentication is required and the user did not pass the MFA challenge');
    expect(other).toContain('Result: Interrupted: MFA was required and the user was sent to complete it');
    expect(other).toContain('What to do: Usually normal; look for a later sign-in with the same correlation ID');
    expect(other).toContain('2 other sign-ins of the same flow share it');
    expect(other).toContain(`\`${FULL_ID}\`: 2026-11-27 10:15, satisfied`);
  });

  it('ends with the record and how fresh the store is, in TZ', async () => {
    const { reply } = await harness.command(`signin ${FULL_ID}`);
    const last = reply!.blocks.at(-1) as { type: string; elements: Array<{ text: string }> };
    expect(last.type).toBe('context');
    expect(last.elements.map((e) => e.text)).toEqual([
      expect.stringContaining(`Sign-in \`${FULL_ID}\` · loaded `),
      'Data as of 2026-11-27 10:40 (Europe/Berlin)',
    ]);
  });

  it('shows an NPS extension event and an unrecognised result with its raw text', async () => {
    const text = await ask('signin bbbbbbbb-0000-0000-0000-000000000001');
    expect(text).toContain('Result: Unrecognised result: “Something Microsoft never documented”');
    expect(text).toContain('Sign-in: failed with error 500121: Authentication failed during the strong authentication (MFA) request');
    expect(text).toContain('Token issuer\nNPSExtension · on-premises component: NPS extension');
    expect(text).toContain('Resource\n—\nradius');
    expect(text).toContain('Conditional Access: status —\nNo Conditional Access data on this record');
    expect(text).toContain('Correlation id: none recorded');
  });

  it('finds an id pasted in upper case', async () => {
    expect(await ask(`signin ${FULL_ID.toUpperCase()}`)).toContain('Sign-in: Adele Vance, 2026-11-27 10:15 (Europe/Berlin)');
  });
});

describe('/mfa signin: bad input', () => {
  it('says an id is unknown, and where ids come from', async () => {
    const { reply } = await harness.command('signin 00000000-0000-0000-0000-000000000000');
    const text = replyText(reply);
    expect(text).toContain('No sign-in with id `00000000-0000-0000-0000-000000000000` in the store. Copy an id from `/mfa user &lt;upn&gt;`');
    expect(text).toContain('Data as of 2026-11-27 10:40 (Europe/Berlin)');
    const [audit] = await store.rows<{ outcome: string }>(sql`select outcome from query_audit order by id desc limit 1`);
    expect(audit!.outcome).toBe('usage_error');
  });

  it.each([
    ['signin', 'say which sign-in: its id, as /mfa user lists it'],
    [`signin ${FULL_ID} 7d`, 'signin takes one sign-in id and nothing else (one record: no period)'],
    ['signin abc$def', '"abc$def" is not a sign-in id: ids are letters, digits and hyphens'],
    [`signin "'; DROP TABLE signins; --"`, `"'; DROP TABLE signins; --" is not a sign-in id`],
    ['signin "6b3f2a1e 0d4c"', '"6b3f2a1e 0d4c" is not a sign-in id'],
    [`signin ${'a'.repeat(101)}`, 'that id is 101 characters long; sign-in ids are at most 100 letters, digits and hyphens'],
  ])('%s', async (command, expected) => {
    const { reply } = await harness.command(command);
    expect(reply!.response_type).toBe('ephemeral');
    const text = replyText(reply);
    expect(text).toContain(expected);
    expect(text).toContain('Usage: `/mfa signin <id>`');
  });

  it('leaves the store alone whatever the id says', async () => {
    const [row] = await store.rows<{ n: number }>(sql`select count(*)::int as n from signins`);
    expect(Number(row!.n)).toBe(4);
  });
});

describe('/mfa signin on an empty store', () => {
  it('says what is missing and how to load it', async () => {
    const text = await ask(`signin ${FULL_ID}`, emptyHarness);
    expect(text).toContain('No sign-ins in the store yet: run `npm run sync` (Microsoft Graph) or `npm run import -- FILE` to load them');
    expect(text).toContain('No sign-ins in the store yet');
  });
});
