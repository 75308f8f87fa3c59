// /mfa usage through signed requests: overall usage, the users with the most prompts and the most
// failures, one user's days (in TZ), user resolution and its refusals, and the CSV exports.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRegistrations } from '../../src/ingest/ingest-records.js';
import { loadSignins, pushRegistration, type SigninSpec } from '../support/graph-records.js';
import { replyText } from '../support/reply-text.js';
import { buttonsOf, startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const NOW = new Date('2026-11-27T12:30:00Z');
const at = (iso: string) => new Date(`2026-11-${iso}:00Z`);
const push = (succeeded: boolean, detail: string) => ({ method: 'Mobile app notification', succeeded, detail });
const many = (n: number, make: (i: number) => SigninSpec) => Array.from({ length: n }, (_, i) => make(i));
const declined = (id: string, when: Date, upn: string): SigninSpec => ({ id, at: when, upn, errorCode: 500121, mfa: push(false, 'MFA denied; user declined the authentication') });

// alice: 7 sign-ins, 6 required MFA, 4 prompts (the interrupted record and the completion of one
// flow are one prompt; the token claim is none), 4 satisfied (1 without a prompt), 1 denied, 1 interrupted.
// By UTC day: 24th 1, 25th 3, 26th 2, 27th 1. In Asia/Kolkata (+5:30) the 24th 19:00 is the 25th.
const ALICE: SigninSpec[] = [
  { id: 'a0', at: at('24T19:00'), upn: 'alice@contoso.com', mfa: push(true, 'MFA successfully completed') },
  { id: 'a1', at: at('25T09:00'), upn: 'alice@contoso.com', correlationId: 'flow-1', errorCode: 50074, failureReason: 'Strong Authentication is required.' },
  { id: 'a2', at: at('25T09:01'), upn: 'alice@contoso.com', correlationId: 'flow-1', mfa: push(true, 'MFA successfully completed') },
  { id: 'a3', at: at('25T10:00'), upn: 'alice@contoso.com', mfa: { method: 'Previously satisfied', succeeded: true, detail: 'MFA requirement satisfied by claim in the token' } },
  declined('a4', at('26T08:00'), 'alice@contoso.com'),
  { id: 'a5', at: at('26T09:00'), upn: 'alice@contoso.com', mfaRequired: false },
  // Inside the current, partial hour.
  { id: 'a6', at: at('27T12:10'), upn: 'alice@contoso.com', mfa: { method: 'SMS', succeeded: true, detail: 'MFA successfully completed', methodDetail: '+1 425 555 0164' } },
];

// The last 7 days: 19 sign-ins by 5 users, 18 required MFA, 14 prompts; 12 satisfied, 4 denied, 2 interrupted.
const SIGNINS: SigninSpec[] = [
  ...ALICE,
  ...many(3, (i) => declined(`b${i}`, at(`26T1${i}:00`), 'bob@contoso.com')),
  { id: 'b3', at: at('26T14:00'), upn: 'bob@contoso.com', mfa: push(true, 'MFA successfully completed') },
  ...many(5, (i) => ({ id: `c${i}`, at: at(`23T1${i}:00`), upn: 'carol@contoso.com', mfa: push(true, 'MFA successfully completed') })),
  { id: 'n0', at: at('22T10:00'), upn: 'alan@contoso.com', errorCode: 50074, failureReason: 'Strong Authentication is required.' },
  ...many(2, (i) => ({ id: `d${i}`, at: at(`21T1${i}:00`), upn: 'dave@contoso.com', additionalDetails: 'MFA requirement skipped due to remembered device' })),
  // Ten days ago: outside 7d.
  { id: 'z0', at: at('17T12:30'), upn: 'zed@contoso.com', mfa: push(true, 'MFA successfully completed') },
];

let store: TestStore;
let harness: Harness;
let kolkata: Harness;
let empty: TestStore;
let emptyHarness: Harness;

beforeAll(async () => {
  store = await openTestStore();
  await loadSignins(store, SIGNINS);
  await ingestRegistrations(
    store,
    [
      pushRegistration('alice@contoso.com', 'Alice Smith'),
      pushRegistration('alan@contoso.com', 'Alan Smithee'),
      pushRegistration('bob@contoso.com', 'Bob Jones'),
      pushRegistration('eve@contoso.com', 'Eve Adams'),
    ],
    'graph',
  );
  harness = await startHarness({ store, now: () => NOW });
  kolkata = await startHarness({ store, now: () => NOW, timeZone: 'Asia/Kolkata' });
  empty = await openTestStore();
  emptyHarness = await startHarness({ store: empty, now: () => NOW });
});

afterAll(async () => {
  await harness?.close();
  await kolkata?.close();
  await store?.close();
  await emptyHarness?.close();
  await empty?.close();
});

const text = async (command: string, h = () => harness) => replyText((await h().command(command)).reply);

describe('/mfa usage (overall and user summary)', () => {
  it('answers with the overall usage of the period', async () => {
    const t = await text('usage 7d');
    expect(t).toContain('MFA usage: the last 7 days');
    expect(t).toContain(
      '19 sign-ins by 5 users; 18 (94.7%) required MFA, in 14 prompts. 12 satisfied, 4 denied, 2 interrupted. 5 users challenged; 3 could not complete MFA at least once.',
    );
    expect(t).toContain('Period: 2026-11-20 12:30 to 2026-11-27 12:30 (UTC)');
    expect(t).toContain('Data as of 2026-11-27 12:10 (UTC)');
  });

  it('lists the users with the most prompts and the most failures', async () => {
    const t = await text('usage');
    expect(t).toContain(
      'Most MFA prompts\n' +
        '1. carol@contoso.com: 5 prompts in 5 sign-ins; 0 failed MFA sign-ins\n' +
        '2. bob@contoso.com: 4 prompts in 4 sign-ins; 3 failed MFA sign-ins\n' +
        '3. alice@contoso.com: 4 prompts in 7 sign-ins; 2 failed MFA sign-ins\n' +
        '4. alan@contoso.com: 1 prompt in 1 sign-in; 1 failed MFA sign-in\n' +
        'Most MFA failures\n' +
        '1. bob@contoso.com: 3 failed MFA sign-ins (3 denied, 0 interrupted) of 4 prompts\n' +
        '2. alice@contoso.com: 2 failed MFA sign-ins (1 denied, 1 interrupted) of 4 prompts\n' +
        '3. alan@contoso.com: 1 failed MFA sign-in (0 denied, 1 interrupted) of 1 prompt',
    );
    expect(t).not.toContain('dave@contoso.com');
    expect(t).toContain("One user's days: `/mfa usage carol@contoso.com`");
  });

  it('exports every user with a sign-in as CSV', async () => {
    const { reply } = await harness.command('usage 7d');
    expect(buttonsOf(reply).map((b) => b.text)).toEqual(['Export CSV']);
    const before = harness.api.uploads().length;
    const { response } = await harness.press(buttonsOf(reply)[0]!);
    expect(response!.text).toBe('Sent mfa-usage-by-user.csv (5 rows) to you in a direct message.');
    const csv = harness.api.uploads()[before]!.bytes.toString('utf8').trim().split('\r\n');
    expect(csv).toEqual([
      'upn,display_name,sign_ins,mfa_required,prompts,satisfied,denied,interrupted',
      'carol@contoso.com,carol,5,5,5,5,0,0',
      'alice@contoso.com,alice,7,6,4,4,1,1',
      'bob@contoso.com,bob,4,4,4,1,3,0',
      'alan@contoso.com,alan,1,1,1,0,0,1',
      'dave@contoso.com,dave,2,2,0,2,0,0',
    ]);
  });
});

describe('/mfa usage <period> <user>', () => {
  const ALICE_DAYS_UTC =
    'Per day (UTC; days without sign-ins are left out)\n' +
    '• 2026-11-24: 1 sign-in · 1 prompt · 1 satisfied · 0 denied · 0 interrupted\n' +
    '• 2026-11-25: 3 sign-ins · 1 prompt · 2 satisfied (1 without a prompt) · 0 denied · 1 interrupted\n' +
    '• 2026-11-26: 2 sign-ins · 1 prompt · 0 satisfied · 1 denied · 0 interrupted\n' +
    '• 2026-11-27: 1 sign-in · 1 prompt · 1 satisfied · 0 denied · 0 interrupted';

  it("shows one user's counts per day", async () => {
    const t = await text('usage 7d alice@contoso.com');
    expect(t).toContain('MFA usage of Alice Smith: the last 7 days');
    expect(t).toContain(
      'Alice Smith (alice@contoso.com): 7 sign-ins, 6 (85.7%) required MFA, in 4 prompts. 4 satisfied (1 without a prompt), 1 denied, 1 interrupted: `/mfa failures` explains the reasons.',
    );
    expect(t).toContain('Methods: Mobile app notification 3, Previously satisfied 1, Text message 1');
    expect(t).toContain(ALICE_DAYS_UTC);
    expect(t).toContain('Showing 1–4 of 4 days');
    expect(t).not.toContain('425');
  });

  it('finds the user by any case, by display name, by part of a name, with the user first', async () => {
    expect(await text('usage ALICE@Contoso.com 7d')).toContain(ALICE_DAYS_UTC);
    expect(await text('usage 7d "Alice Smith"')).toContain(ALICE_DAYS_UTC);
    expect(await text('usage ali')).toContain(ALICE_DAYS_UTC);
    expect(await text('usage bob')).toContain('Bob Jones (bob@contoso.com): 4 sign-ins');
  });

  it('cuts days in TZ', async () => {
    const t = await text('usage 7d alice@contoso.com', () => kolkata);
    expect(t).toContain(
      'Per day (Asia/Kolkata; days without sign-ins are left out)\n' +
        '• 2026-11-25: 4 sign-ins · 2 prompts · 3 satisfied (1 without a prompt) · 0 denied · 1 interrupted\n' +
        '• 2026-11-26: 2 sign-ins · 1 prompt · 0 satisfied · 1 denied · 0 interrupted\n' +
        '• 2026-11-27: 1 sign-in · 1 prompt · 1 satisfied · 0 denied · 0 interrupted',
    );
    expect(t).toContain('Period: 2026-11-20 18:00 to 2026-11-27 18:00 (Asia/Kolkata)');
  });

  it("exports the user's days as CSV", async () => {
    const { reply } = await harness.command('usage 7d alice@contoso.com');
    const before = harness.api.uploads().length;
    const { response } = await harness.press(buttonsOf(reply).find((b) => b.text === 'Export CSV')!);
    expect(response!.text).toBe('Sent mfa-usage-alice-contoso-com.csv (4 rows) to you in a direct message.');
    const csv = harness.api.uploads()[before]!.bytes.toString('utf8').trim().split('\r\n');
    expect(csv).toEqual([
      'day,sign_ins,mfa_required,prompts,satisfied,satisfied_without_prompt,denied,interrupted',
      '2026-11-24,1,1,1,1,0,0,0',
      '2026-11-25,3,3,1,2,1,0,1',
      '2026-11-26,2,1,1,0,0,1,0',
      '2026-11-27,1,1,1,1,0,0,0',
    ]);
  });

  it('says when the user has no sign-ins in the period', async () => {
    expect(await text('usage 7d zed@contoso.com')).toContain(
      'zed@contoso.com has no sign-ins in this period. Their newest sign-in in the store is from 2026-11-17 12:30 (UTC).',
    );
    expect(await text('usage 7d eve@contoso.com')).toContain(
      'Eve Adams (eve@contoso.com) has no sign-ins in this period. The store has no sign-in of theirs at all (they are in the registration details).',
    );
  });

  it('lists the candidates when a name matches several users', async () => {
    const { reply } = await harness.command('usage 7d smith');
    const t = replyText(reply);
    expect(t).toBe("`smith` matches 2 users. Use the UPN, e.g. `/mfa usage 7d alan@contoso.com`:\n• Alan Smithee (alan@contoso.com)\n• Alice Smith (alice@contoso.com)");
    expect(await text('usage smith 30d')).toContain('e.g. `/mfa usage 30d alan@contoso.com`');
  });

  it('names an unknown user and how to name one', async () => {
    expect(await text('usage 7d bobby')).toBe(
      'No user matches `bobby`. Try a UPN like `bobby@contoso.com` or part of a display name, e.g. `/mfa usage 7d "Alice Smith"`.',
    );
    const injected = await text(`usage 7d "'; drop table signins; --"`);
    expect(injected).toBe(
      "No user matches `'; drop table signins; --`. Try a UPN like `alice@contoso.com` or part of a display name, e.g. `/mfa usage 7d \"Alice Smith\"`.",
    );
    const [row] = await store.rows<{ n: number }>(sql`select count(*)::int as n from signins`);
    expect(row!.n).toBe(SIGNINS.length);
  });

  it('refuses too many words, two periods and a very long user', async () => {
    expect(await text('usage 7d alice bob')).toContain('usage takes one user (a UPN or part of a name); put a name with spaces in quotes');
    expect(await text('usage 7d 30d')).toContain('usage takes one period at most');
    expect(await text(`usage ${'x'.repeat(300)}`)).toContain('a user is a UPN or part of a name, at most 256 characters');
    const bad = await text('usage alice 2026-13-01');
    expect(bad).toContain('2026-13-01 is not a calendar date');
    expect(bad).toContain('e.g. `/mfa usage 7d`');
  });
});

describe('/mfa usage on an empty store', () => {
  it('says how to load sign-ins', async () => {
    expect(await text('usage', () => emptyHarness)).toContain('No sign-ins in the store yet: run `npm run sync` (Microsoft Graph) or `npm run import -- FILE`');
    expect(await text('usage 7d alice@contoso.com', () => emptyHarness)).toContain('No users to look up. No sign-ins in the store yet');
  });
});
