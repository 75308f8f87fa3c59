// /mfa blocked through signed requests: block history imported as MFA Server report rows, Entra's
// fraud auto-block through the real audit ingest, users found through the directory; figures,
// paging and the CSV export known by construction.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphDirectoryAudit } from '../../src/ingest/graph-directory-audit.js';
import { ingestDirectoryAudits, ingestRegistrations } from '../../src/ingest/ingest-records.js';
import { contentKey, writeBlockEvents, type BlockEventRow } from '../../src/ingest/write-legacy.js';
import type { BlockHistoryReport } from '../../src/reports/block-history.js';
import { blockedView } from '../../src/views/blocked-view.js';
import { pushRegistration } from '../support/graph-records.js';
import { replyText } from '../support/reply-text.js';
import { buttonsOf, startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const NOW = new Date('2026-11-27T12:30:00Z');
const ago = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
const SOURCE = 'import:mfa-server-csv';

function event(upn: string, action: 'block' | 'unblock', occurredAt: Date, reason: string | null, actor: string | null = 'admin@contoso.com'): BlockEventRow {
  return { dedupeKey: contentKey('block', upn, action, occurredAt), upn, action, reason, actor, occurredAt, source: SOURCE };
}

// In the last 7 days: alice blocked then unblocked; bob auto-blocked by his fraud report (audit
// entry); twelve users each blocked and unblocked (27 requests, 14 blocks, 13 unblocks, 14 users).
// Before: carol blocked in 2024 and never unblocked; dave blocked and unblocked in 2024.
// Blocked now: bob (fraud auto-block) and carol.
const EVENTS: BlockEventRow[] = [
  event('alice@contoso.com', 'block', ago(48), 'Lost phone'),
  event('alice@contoso.com', 'unblock', ago(24), 'New phone registered'),
  event('carol@contoso.com', 'block', new Date('2024-08-01T09:00:00Z'), 'Left the company'),
  event('dave@contoso.com', 'block', new Date('2024-06-01T09:00:00Z'), 'Suspicious calls'),
  event('dave@contoso.com', 'unblock', new Date('2024-06-02T09:00:00Z'), null, null),
  ...Array.from({ length: 12 }, (_, i) => {
    const upn = `user${String(i + 1).padStart(2, '0')}@contoso.com`;
    return [event(upn, 'block', ago(100 + 2 * (i + 1)), 'Bulk test'), event(upn, 'unblock', ago(99 + 2 * (i + 1)), 'Bulk test done')];
  }).flat(),
];
const FRAUD_AUDIT: GraphDirectoryAudit = {
  id: 'audit-bob',
  activityDisplayName: 'Fraud reported - user is blocked for MFA',
  activityDateTime: ago(26).toISOString(),
  category: 'UserManagement',
  result: 'success',
  correlationId: 'corr-bob',
  initiatedBy: { app: { displayName: 'Azure MFA' } },
  targetResources: [{ id: 'id-bob', userPrincipalName: 'bob@contoso.com', type: 'User' }],
};
let store: TestStore;
let harness: Harness;
beforeAll(async () => {
  store = await openTestStore();
  await writeBlockEvents(store, EVENTS);
  await ingestDirectoryAudits(store, [FRAUD_AUDIT]);
  await ingestRegistrations(
    store,
    [
      pushRegistration('Alice@contoso.com', 'Alice Anders'),
      pushRegistration('bob@contoso.com', 'Bob Baker'),
      pushRegistration('erin.one@contoso.com', 'Erin One'),
      pushRegistration('erin.two@contoso.com', 'Erin Two'),
    ],
    'graph',
  );
  harness = await startHarness({ store, now: () => NOW });
});
afterAll(async () => {
  await harness?.close();
  await store?.close();
});

const bullets = (text: string) => text.split('\n').filter((l) => /^• \d{4}-/.test(l));

describe('/mfa blocked', () => {
  it('answers who is blocked now, then the requests of the period, a page at a time', async () => {
    const { reply } = await harness.command('blocked');
    const text = replyText(reply);
    expect(text).toContain('Blocked users');
    expect(text).toContain('2 users blocked now (latest request is a block; a user stays blocked until unblocked):');
    expect(text).toContain(
      '• bob@contoso.com since 2026-11-26 10:30 by Azure MFA: “Fraud reported by the user (automatic block)” · :warning: fraud auto-block (lifts by itself 90 days after, on 2027-02-24)',
    );
    expect(text).toContain('• carol@contoso.com since 2024-08-01 09:00 by admin@contoso.com: “Left the company”');
    expect(text).toContain('27 requests in the last 7 days, for 14 users: 14 (51.9%) blocks, 13 (48.1%) unblocks.');
    const lines = bullets(text);
    expect(lines).toHaveLength(20);
    expect(lines.slice(0, 3)).toEqual([
      '• 2026-11-26 12:30 · Unblocked alice@contoso.com by admin@contoso.com: “New phone registered” · `import:mfa-server-csv`',
      '• 2026-11-26 10:30 · Blocked bob@contoso.com by Azure MFA: “Fraud reported by the user (automatic block)” · `graph-audit`',
      '• 2026-11-25 12:30 · Blocked alice@contoso.com by admin@contoso.com: “Lost phone” · `import:mfa-server-csv`',
    ]);
    expect(text).toContain('Showing 1–20 of 27');
    expect(text).toContain('Block history has no Graph API (MFA Server retired 2024-09-30)');
    expect(text).toContain(
      'Rows from imported MFA Server report files (`import:mfa-server-csv`): 29 rows; Entra audit entries (fraud auto-blocks) (`graph-audit`): 1 row. Newest row 2026-11-26 12:30 (UTC), 24 hours old.',
    );
    expect(text).toContain('Period: 2026-11-20 12:30 to 2026-11-27 12:30 (UTC)');
    expect(text).toContain('Data as of 2026-11-26 12:30 (UTC)');
    expect(buttonsOf(reply).map((b) => b.text)).toEqual(['Next', 'Export CSV']);
  });

  it('pages with Next and Previous', async () => {
    const first = await harness.command('blocked');
    const { response } = await harness.press(buttonsOf(first.reply).find((b) => b.text === 'Next')!);
    const text = replyText(response);
    expect(text).toContain('Showing 21–27 of 27');
    const lines = bullets(text);
    expect(lines).toHaveLength(7);
    expect(lines[6]).toBe('• 2026-11-22 08:30 · Blocked user12@contoso.com by admin@contoso.com: “Bulk test” · `import:mfa-server-csv`');
    expect(buttonsOf(response).map((b) => b.text)).toEqual(['Previous', 'Export CSV']);
    const back = await harness.press(buttonsOf(response).find((b) => b.text === 'Previous')!);
    expect(replyText(back.response)).toContain('Showing 1–20 of 27');
  });

  it('exports every request of the period as CSV', async () => {
    const { reply } = await harness.command('blocked 7d');
    const { response } = await harness.press(buttonsOf(reply).find((b) => b.text === 'Export CSV')!);
    expect(response!.text).toBe('Sent mfa-block-history.csv (27 rows) to you in a direct message.');
    const upload = harness.api.uploads().find((u) => u.filename === 'mfa-block-history.csv')!;
    const csv = upload.bytes.toString('utf8').trim().split('\r\n');
    expect(csv[0]).toBe('occurred_at,upn,action,reason,by,source,blocked_now');
    expect(csv).toHaveLength(28);
    expect(csv[2]).toBe('2026-11-26T10:30:00.000Z,bob@contoso.com,block,Fraud reported by the user (automatic block),Azure MFA,graph-audit,true');
    expect(csv[1]).toBe('2026-11-26T12:30:00.000Z,alice@contoso.com,unblock,New phone registered,admin@contoso.com,import:mfa-server-csv,false');
  });

  it('filters by a user found in the directory, by UPN or display name', async () => {
    for (const who of ['alice@contoso.com', 'Alice Anders', 'alice']) {
      const text = replyText((await harness.command(`blocked "${who}" 30d`)).reply);
      expect(text).toContain('Blocked users: alice@contoso.com');
      expect(text).toContain('alice@contoso.com is not blocked now (no block, or unblocked since).');
      expect(text).toContain('2 requests for alice@contoso.com in the last 30 days, for 1 user: 1 (50%) blocks, 1 (50%) unblocks.');
      expect(bullets(text)).toHaveLength(2);
    }
  });

  it('takes the period first or second, and part of a UPN found only in the history', async () => {
    const text = replyText((await harness.command('blocked 2024-06-01..2024-08-31 dave')).reply);
    expect(text).toContain('2 requests for users matching “dave” in 2024-06-01 to 2024-08-31, for 1 user: 1 (50%) blocks, 1 (50%) unblocks.');
    expect(text).toContain('• 2024-06-02 09:00 · Unblocked dave@contoso.com: no reason given · `import:mfa-server-csv`');
    const carol = replyText((await harness.command('blocked carol')).reply);
    expect(carol).toContain('1 user matching “carol” blocked now');
    expect(carol).toContain('No block or unblock requests for users matching “carol” in the last 7 days.');
  });
});

describe('/mfa blocked bad input', () => {
  it('names an unknown user with an example', async () => {
    expect(replyText((await harness.command('blocked zed')).reply)).toBe(
      'No user matches `zed`. Try a UPN like `bob@contoso.com` or part of a display name.',
    );
  });

  it('lists the candidates when the text names several users', async () => {
    const text = replyText((await harness.command('blocked erin')).reply);
    expect(text).toContain('`erin` matches 2 users; give more of the UPN, e.g. `erin.one@contoso.com`.');
    expect(text).toContain('• erin.one@contoso.com (Erin One)\n• erin.two@contoso.com (Erin Two)');
  });

  it('treats SQL as a name that matches nobody, and leaves the data alone', async () => {
    const text = replyText((await harness.command(`blocked "'; drop table mfa_block_events; --"`)).reply);
    expect(text).toBe("No user matches `'; drop table mfa_block_events; --`. Try a UPN like `bob@contoso.com` or part of a display name.");
    const [row] = await store.rows<{ n: number }>(sql`select count(*)::int as n from mfa_block_events`);
    expect(row!.n).toBe(30);
  });

  it('refuses too many words, two periods, two users, a bad period and a very long name', async () => {
    expect(replyText((await harness.command('blocked alice 7d 30d')).reply)).toContain('blocked takes a user and a period at most');
    expect(replyText((await harness.command('blocked 7d 30d')).reply)).toContain('blocked takes one period at most');
    expect(replyText((await harness.command('blocked alice bob')).reply)).toContain('blocked takes one user at most');
    const period = replyText((await harness.command('blocked 30days')).reply);
    expect(period).toContain('"30days" is not a period I understand');
    expect(period).toContain('Usage: `/mfa blocked [user] [period]`, e.g. `/mfa blocked 30d`');
    // The limit named is the one applied (it said 113, a UPN's limit, while refusing only past 256).
    expect(replyText((await harness.command(`blocked ${'x'.repeat(300)}`)).reply)).toContain('that user is 300 characters long; a UPN or display name is at most 256');
  });
});

describe('/mfa blocked on an empty store', () => {
  it('says the history has no API and how to load it, whoever is asked about', async () => {
    const empty = await openTestStore();
    const h = await startHarness({ store: empty, now: () => NOW });
    try {
      for (const command of ['blocked', 'blocked bob']) {
        const text = replyText((await h.command(command)).reply);
        expect(text).toContain('No block or unblock history in the store yet. It has no Graph API');
        expect(text).toContain('`npm run import -- FILE`');
        expect(text).toContain('`npm run sync`');
        expect(text).toContain('No block history loaded');
      }
    } finally {
      await h.close();
      await empty.close();
    }
  });
});

describe('blocked view limits', () => {
  it('keeps long reasons and many blocked users inside Slack limits', () => {
    const long = 'Reason '.repeat(200);
    const rows = Array.from({ length: 20 }, (_, i) => ({
      upn: `someone.with.a.long.name${i}@subsidiary.contoso.com`,
      action: 'block',
      reason: long,
      actor: 'service-desk-team-member@contoso.com',
      occurredAt: ago(i),
      source: 'import:mfa-server-csv',
      blockedNow: true,
    }));
    const report: BlockHistoryReport = {
      period: { from: ago(168), to: NOW, label: 'the last 7 days' },
      user: null,
      events: 40,
      blocks: 40,
      unblocks: 0,
      users: 40,
      rows,
      blockedNow: rows.map((r) => ({ upn: r.upn, since: r.occurredAt, reason: long, actor: r.actor, source: 'graph-audit', fraudAutoBlock: true })),
      provenance: { rows: 40, sources: [{ source: 'import:mfa-server-csv', rows: 40 }], oldest: ago(168), newest: NOW },
    };
    const view = blockedView(report, { page: { commandText: 'blocked', offset: 0, pageSize: 20, total: 40 }, now: NOW, timeZone: 'UTC' });
    expect(view.blocks.length).toBeLessThanOrEqual(50);
    for (const block of view.blocks as Array<{ text?: { text: string } }>) {
      if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
      // Nothing was cut mid-line: packing keeps whole lines.
      if (block.text) expect(block.text.text.endsWith('…') && !block.text.text.endsWith('more.')).toBe(false);
    }
    const text = replyText(view);
    expect(text).toContain('20 users blocked now');
    expect(text).toContain('…and 5 more.');
    expect(text.split('\n').filter((l) => /^• \d{4}-/.test(l))).toHaveLength(20);
  });
});
