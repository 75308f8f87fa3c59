// /mfa through the real path: signed HTTP requests into the Bolt HTTP receiver, a real database,
// the local Slack stand-in. Figures are checked against data whose answers are known by construction.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyText } from '../support/reply-text.js';
import { loadSignins, type SigninSpec } from '../support/graph-records.js';
import { ADMIN, OUTSIDER, startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const NOW = new Date('2026-11-27T12:30:00Z');
const ago = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
const push = (succeeded: boolean, detail: string) => ({ method: 'Mobile app notification', succeeded, detail });

// Seven days back from NOW: 9 sign-ins, 8 required MFA, 4 satisfied, 3 denied, 1 interrupted.
const SIGNINS: SigninSpec[] = [
  { id: 's1', at: ago(24), upn: 'alice@contoso.com', mfa: push(true, 'MFA successfully completed') },
  { id: 's2', at: ago(48), upn: 'alice@contoso.com', mfa: { method: 'SMS', succeeded: true, detail: 'MFA successfully completed', methodDetail: '+1 425 555 0164' } },
  { id: 's3', at: ago(25), upn: 'bob@contoso.com', errorCode: 500121, mfa: push(false, 'MFA denied; user declined the authentication') },
  { id: 's4', at: ago(72), upn: 'bob@contoso.com', errorCode: 500121, mfa: push(false, 'MFA Denied; user declined the authentication') },
  { id: 's5', at: ago(49), upn: 'carol@contoso.com', errorCode: 500121, mfa: { method: 'Voice', succeeded: false, detail: 'MFA denied; Phone call went to voicemail' } },
  { id: 's6', at: ago(26), upn: 'dave@contoso.com', errorCode: 50074, failureReason: 'Strong Authentication is required.' },
  { id: 's7', at: ago(27), upn: 'erin@contoso.com', mfaRequired: false },
  { id: 's8', at: ago(96), upn: 'erin@contoso.com', mfa: { method: 'Previously satisfied', succeeded: true, detail: 'MFA requirement satisfied by claim in the token' } },
  // Inside the current, partial hour: read from the raw rows, not the rollup.
  { id: 's9', at: new Date('2026-11-27T12:10:00Z'), upn: 'carol@contoso.com', mfa: push(true, 'MFA successfully completed') },
  // Outside 7 days, inside 30.
  { id: 's10', at: ago(240), upn: 'alice@contoso.com', mfa: push(true, 'MFA successfully completed') },
];

let store: TestStore;
let harness: Harness;

beforeAll(async () => {
  store = await openTestStore();
  await loadSignins(store, SIGNINS);
  harness = await startHarness({ store, now: () => NOW });
});

afterAll(async () => {
  await harness?.close();
  await store?.close();
});

function textOf(reply: { text?: string; blocks?: unknown[] } | null): string {
  expect(reply).not.toBeNull();
  return replyText(reply);
}

describe('/mfa summary', () => {
  it('answers with the figures of the period, ephemerally', async () => {
    const { status, reply } = await harness.command('summary 7d');
    expect(status).toBe(200);
    expect(reply!.response_type).toBe('ephemeral');
    const text = textOf(reply);
    expect(text).toContain('MFA summary: the last 7 days');
    expect(text).toContain('9 sign-ins; 8 (88.9%) required MFA');
    expect(text).toContain('Satisfied\n4 (50%)');
    expect(text).toContain('Denied\n3 (37.5%)');
    expect(text).toContain('Interrupted\n1 (12.5%)');
    expect(text).toContain('Users challenged\n5');
    expect(text).toContain('Users who could not complete MFA\n3');
    expect(text).toContain('1. Denied: the user declined the prompt: 2 sign-ins (50% of failures)');
    expect(text).toMatch(/2\. .*voicemail.*: 1 sign-in \(25% of failures\)/);
    expect(text).toMatch(/3\. Interrupted: MFA was required.*: 1 sign-in \(25% of failures\)/);
    expect(text).toContain('Mobile app notification: 4 (57.1%)');
    expect(text).toContain('Text message: 1 (14.3%)');
    expect(text).toContain('Phone call (Authentication phone): 1 (14.3%)');
    expect(text).toContain('Previously satisfied: 1 (14.3%)');
    expect(text).toContain('Data as of 2026-11-27 12:10 (UTC)');
    expect(text).toContain('Period: 2026-11-20 12:30 to 2026-11-27 12:30 (UTC)');
  });

  it('defaults to seven days and widens with the period', async () => {
    const week = textOf((await harness.command('summary')).reply);
    expect(week).toContain('9 sign-ins');
    const month = textOf((await harness.command('summary 30d')).reply);
    expect(month).toContain('10 sign-ins; 9 (90%) required MFA');
    expect(month).toContain('Satisfied\n5 (55.6%)');
  });

  it('reads local days in TZ for today and yesterday', async () => {
    const today = textOf((await harness.command('summary today')).reply);
    expect(today).toContain('1 sign-in; 1 (100%) required MFA');
    const yesterday = textOf((await harness.command('summary yesterday')).reply);
    // 2026-11-26: s1 (11:30), s3 (10:30), s6 (09:30), s7 (08:30).
    expect(yesterday).toContain('4 sign-ins; 3 (75%) required MFA');
  });

  it('says what is missing when the period is empty', async () => {
    const text = textOf((await harness.command('summary 2026-01-01..2026-01-31')).reply);
    expect(text).toContain('No sign-ins in this period. The newest sign-in in the store is from 2026-11-27 12:10 (UTC)');
  });

  it('never shows a phone number unscrubbed', async () => {
    const [row] = await store.rows<{ mfa_auth_detail: string }>(sql`select mfa_auth_detail from signins where id = 's2'`);
    expect(row!.mfa_auth_detail).toBe('+X XXXXXXXX64');
  });
});

describe('bad input', () => {
  it('meets an unknown subcommand with a guess and the help', async () => {
    const text = textOf((await harness.command('sumary 7d')).reply);
    expect(text).toContain("I don't know `sumary`. Did you mean `/mfa summary`?");
    expect(text).toContain('/mfa summary [period]');
  });

  it('shows an unknown subcommand with a backtick whole inside its code span', async () => {
    const text = textOf((await harness.command('sum`mary 7d')).reply);
    expect(text).toContain("I don't know `sum'mary`.");
  });

  it('names a bad period and gives an example that works', async () => {
    const text = textOf((await harness.command('summary fortnight')).reply);
    expect(text).toContain('"fortnight" is not a period I understand');
    expect(text).toContain('e.g. `/mfa summary 7d`');
  });

  it('refuses too many arguments, SQL and binary junk without touching data', async () => {
    const text = textOf((await harness.command("summary 7d '; drop table signins; --")).reply);
    expect(text).toContain('summary takes one period at most');
    const junk = textOf((await harness.command('summary \u0000\u0007\u001b')).reply);
    expect(junk).toContain('9 sign-ins');
    const [row] = await store.rows<{ n: number }>(sql`select count(*)::int as n from signins`);
    expect(row!.n).toBe(10);
  });

  it('refuses an absurdly long command with the limit', async () => {
    const text = textOf((await harness.command(`summary ${'x'.repeat(10_000)}`)).reply);
    expect(text).toContain('That command is 10,008 characters long');
  });
});

describe('/mfa help', () => {
  it('lists every subcommand with an example', async () => {
    const text = textOf((await harness.command('help')).reply);
    expect(text).toContain('/mfa summary [period]');
    expect(text).toContain('e.g. `/mfa summary 7d`');
    expect(text).toContain('/mfa help [subcommand]');
  });

  it('answers an empty command with the help', async () => {
    const text = textOf((await harness.command('')).reply);
    expect(text).toContain('mfa-bot: what you can ask');
  });

  it('gives one subcommand in full', async () => {
    const text = textOf((await harness.command('help summary')).reply);
    expect(text).toContain('/mfa summary 2026-11-01..2026-11-07');
  });
});

describe('access', () => {
  it('refuses a non-admin politely, with no data', async () => {
    const { reply } = await harness.command('summary 7d', { user: OUTSIDER });
    const text = textOf(reply);
    expect(text).toContain('Sorry, /mfa answers only MFA administrators');
    expect(text).not.toMatch(/sign-ins/);
  });

  it('audits every command, allowed or refused', async () => {
    const before = await store.rows<{ n: number }>(sql`select count(*)::int as n from query_audit`);
    await harness.command('summary 30d');
    await harness.command('summary 30d', { user: OUTSIDER });
    const rows = await store.rows<{ actor: string; allowed: boolean; outcome: string; row_count: number | null; command_text: string; subcommand: string | null }>(
      sql`select actor, allowed, outcome, row_count, command_text, subcommand from query_audit order by id desc limit 2`,
    );
    expect(rows).toEqual([
      { actor: OUTSIDER, allowed: false, outcome: 'refused', row_count: null, command_text: 'summary 30d', subcommand: null },
      { actor: ADMIN, allowed: true, outcome: 'answered', row_count: 10, command_text: 'summary 30d', subcommand: 'summary' },
    ]);
    const after = await store.rows<{ n: number }>(sql`select count(*)::int as n from query_audit`);
    expect(after[0]!.n - before[0]!.n).toBe(2);
  });
});

describe('request verification', () => {
  it('rejects a forged signature with 401 and answers nothing', async () => {
    const { status, reply } = await harness.command('summary 7d', { post: { signature: 'v0=deadbeef' } });
    expect(status).toBe(401);
    expect(reply).toBeNull();
  });

  it('rejects a timestamp older than five minutes', async () => {
    const { status } = await harness.command('summary 7d', { post: { timestampSec: Math.floor(Date.now() / 1000) - 6 * 60 } });
    expect(status).toBe(401);
  });
});
