// The query audit has one row for every /mfa command, allowed or refused, whatever became of it:
// answered, refused (not an admin), malformed, help and failed (the store could not answer); the
// timed-out command's row is checked with the statement timeout (test/slack/report-timeout.test.ts).
// Through the real path: signed requests into the Bolt app, a real database. The command text is
// stored scrubbed, without control characters, and cut to 500 characters.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePagerValue, PAGE_ACTION } from '../../src/views/pager.js';
import { loadSignins } from '../support/graph-records.js';
import { replyText } from '../support/reply-text.js';
import { ADMIN, OUTSIDER, startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const NOW = new Date('2026-11-27T12:30:00Z');
/** The tables /mfa summary reads (as report-timeout.test.ts locks them). */
const SUMMARY_TABLES = ['signins', 'signin_hourly', 'signin_daily', 'signin_user_sets'];

interface AuditRow {
  actor: string;
  allowed: boolean;
  outcome: string;
  subcommand: string | null;
  command_text: string;
}

let store: TestStore;
let harness: Harness;

beforeAll(async () => {
  store = await openTestStore();
  await loadSignins(store, [
    { id: 'a1', at: new Date('2026-11-26T09:00:00Z'), upn: 'alice@contoso.com', mfa: { method: 'Mobile app notification', succeeded: true, detail: 'MFA successfully completed' } },
  ]);
  harness = await startHarness({ store, now: () => NOW });
});
afterAll(async () => {
  await harness?.close();
  await store?.close();
});

async function auditRowsAfter(id: number): Promise<AuditRow[]> {
  return store.rows<AuditRow>(sql`select actor, allowed, outcome, subcommand, command_text from query_audit where id > ${id} order by id`);
}

async function lastAuditId(): Promise<number> {
  const [row] = await store.rows<{ id: number | null }>(sql`select max(id)::int as id from query_audit`);
  return row?.id ?? 0;
}

describe('the query audit', () => {
  it('has one row per command: answered, refused, malformed, unknown, too long and help, with user, scrubbed text and outcome', async () => {
    const before = await lastAuditId();
    const long = `user ${'x'.repeat(600)}`;
    const sent: Array<[user: string, text: string]> = [
      [ADMIN, 'summary 7d'],
      [OUTSIDER, 'summary 7d'],
      [OUTSIDER, 'user +1 (425) 555-0164'],
      [ADMIN, 'summary 99x'],
      [ADMIN, 'frobnicate now'],
      [ADMIN, long],
      [ADMIN, ''],
      [ADMIN, 'help user'],
      [ADMIN, 'user bob@contoso.com\u0000\u0007 +44 20 7946 0958'],
    ];
    for (const [user, text] of sent) expect((await harness.command(text, { user })).status).toBe(200);

    const rows = await auditRowsAfter(before);
    expect(rows).toEqual([
      { actor: ADMIN, allowed: true, outcome: 'answered', subcommand: 'summary', command_text: 'summary 7d' },
      { actor: OUTSIDER, allowed: false, outcome: 'refused', subcommand: null, command_text: 'summary 7d' },
      { actor: OUTSIDER, allowed: false, outcome: 'refused', subcommand: null, command_text: 'user +X XXXXXXXX64' },
      { actor: ADMIN, allowed: true, outcome: 'usage_error', subcommand: 'summary', command_text: 'summary 99x' },
      { actor: ADMIN, allowed: true, outcome: 'usage_error', subcommand: null, command_text: 'frobnicate now' },
      { actor: ADMIN, allowed: true, outcome: 'usage_error', subcommand: null, command_text: long.slice(0, 500) },
      { actor: ADMIN, allowed: true, outcome: 'answered', subcommand: 'help', command_text: '' },
      { actor: ADMIN, allowed: true, outcome: 'answered', subcommand: 'help', command_text: 'help user' },
      { actor: ADMIN, allowed: true, outcome: 'usage_error', subcommand: 'user', command_text: 'user bob@contoso.com   +X XXXXXXXX58' },
    ]);
  });

  it('has a row for a command the store could not answer, and the user is told', async () => {
    const before = await lastAuditId();
    // The report's tables are gone for a moment: every query of the summary fails. (A period not
    // asked before: the 7-day answer of this minute is kept, and renaming tables changes no data.)
    for (const table of SUMMARY_TABLES) await store.rows(sql.raw(`alter table "${table}" rename to "${table}_away"`));
    let answer;
    try {
      answer = await harness.command('summary 8d');
    } finally {
      for (const table of SUMMARY_TABLES) await store.rows(sql.raw(`alter table "${table}_away" rename to "${table}"`));
    }
    expect(replyText(answer.reply)).toContain('Something went wrong answering that.');
    expect(await auditRowsAfter(before)).toEqual([{ actor: ADMIN, allowed: true, outcome: 'error', subcommand: null, command_text: 'summary 8d' }]);
  });

  it('has a row for a refused button press', async () => {
    const before = await lastAuditId();
    const { status, response } = await harness.press({ action_id: PAGE_ACTION, value: encodePagerValue('failures 7d', 10) }, { user: OUTSIDER });
    expect(status).toBe(200);
    expect(replyText(response)).toContain('Only MFA administrators can page or export reports.');
    expect(await auditRowsAfter(before)).toEqual([{ actor: OUTSIDER, allowed: false, outcome: 'refused', subcommand: null, command_text: 'failures 7d [page from 10]' }]);
  });
});
