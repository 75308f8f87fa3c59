// /mfa bypassed through signed requests: one-time bypass rows as the MFA Server report import
// writes them; counts, still-valid bypasses, provenance and the CSV export known by construction.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentKey, writeBypassEvents, type BypassEventRow } from '../../src/ingest/write-legacy.js';
import { replyText } from '../support/reply-text.js';
import { buttonsOf, startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const NOW = new Date('2026-11-27T12:30:00Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

function bypass(upn: string, seconds: number, occurredAt: Date, reason: string | null, group: string | null = null): BypassEventRow {
  return {
    dedupeKey: contentKey('bypass', upn, seconds, occurredAt),
    upn,
    seconds,
    reason,
    actor: 'helpdesk@contoso.com',
    occurredAt,
    expiresAt: new Date(occurredAt.getTime() + seconds * 1000),
    replicationGroup: group,
    source: 'import:mfa-server-csv',
  };
}

// Last 7 days: alice 300 s two hours ago (expired), bob 3,600 s ten minutes ago (valid 50 more
// minutes), carol 600 s 100 hours ago (expired): 3 bypasses, 3 users, 1 still valid, median 600 s.
// dave: 120 s in September 2024, under MFA Server.
const BYPASSES: BypassEventRow[] = [
  bypass('alice@contoso.com', 300, minutesAgo(120), 'Left phone at home', 'Default'),
  bypass('bob@contoso.com', 3600, minutesAgo(10), 'Phone broken'),
  bypass('carol@contoso.com', 600, minutesAgo(6000), 'Travelling'),
  bypass('dave@contoso.com', 120, new Date('2024-09-15T10:00:00Z'), null, 'EU'),
];

let store: TestStore;
let harness: Harness;
beforeAll(async () => {
  store = await openTestStore();
  await writeBypassEvents(store, BYPASSES);
  harness = await startHarness({ store, now: () => NOW });
});
afterAll(async () => {
  await harness?.close();
  await store?.close();
});

describe('/mfa bypassed', () => {
  it('counts bypasses, flags the ones still valid, and lists them newest first', async () => {
    const { reply } = await harness.command('bypassed');
    const text = replyText(reply);
    expect(text).toContain('One-time MFA bypasses');
    expect(text).toContain('3 one-time bypasses in the last 7 days, for 3 users; 1 (33.3%) still valid now. Typical length 600 s (10 minutes).');
    expect(text).toContain(
      ':warning: Valid right now: 1 bypass; MFA is skipped until they expire.\n• bob@contoso.com until 2026-11-27 13:20 (50 minutes left), granted by helpdesk@contoso.com',
    );
    const lines = text.split('\n').filter((l) => /^• \d{4}-/.test(l));
    expect(lines).toEqual([
      '• 2026-11-27 12:20 · bob@contoso.com · 3,600 s (1 hour) by helpdesk@contoso.com: “Phone broken” · still valid until 2026-11-27 13:20 (50 minutes left)',
      '• 2026-11-27 10:30 · alice@contoso.com · 300 s (5 minutes) by helpdesk@contoso.com: “Left phone at home” · group Default · expired 2026-11-27 10:35',
      '• 2026-11-23 08:30 · carol@contoso.com · 600 s (10 minutes) by helpdesk@contoso.com: “Travelling” · expired 2026-11-23 08:40',
    ]);
    expect(text).toContain('One-time bypass was an MFA Server feature (retired 2024-09-30, no API): this is imported data.');
    expect(text).toContain('Rows from imported MFA Server report files (`import:mfa-server-csv`): 4 rows. Newest row 2026-11-27 12:20 (UTC), 10 minutes old.');
    expect(text).toContain('Showing 1–3 of 3');
    expect(text).toContain('Period: 2026-11-20 12:30 to 2026-11-27 12:30 (UTC)');
    expect(text).toContain('Data as of 2026-11-27 12:20 (UTC)');
    expect(buttonsOf(reply).map((b) => b.text)).toEqual(['Export CSV']);
  });

  it('reaches back to the MFA Server era with a period, for one user', async () => {
    const text = replyText((await harness.command('bypassed dave 2024-09-01..2024-09-30')).reply);
    expect(text).toContain('1 one-time bypass for users matching “dave” in 2024-09-01 to 2024-09-30, for 1 user; 0 (0%) still valid now. Typical length 120 s (2 minutes).');
    expect(text).toContain('• 2024-09-15 10:00 · dave@contoso.com · 120 s (2 minutes) by helpdesk@contoso.com: no reason given · group EU · expired 2024-09-15 10:02');
    expect(text).not.toContain('Valid right now');
  });

  it('says so when the period has none', async () => {
    const text = replyText((await harness.command('bypassed 2026-01-01..2026-01-31')).reply);
    expect(text).toContain('No one-time bypasses in 2026-01-01 to 2026-01-31.');
    // Still valid whatever the period: the one to act on.
    expect(text).toContain('Valid right now: 1 bypass');
  });

  it('exports the period as CSV', async () => {
    const { reply } = await harness.command('bypassed 7d');
    const { response } = await harness.press(buttonsOf(reply).find((b) => b.text === 'Export CSV')!);
    expect(response!.text).toBe('Sent mfa-bypass-history.csv (3 rows) to you in a direct message.');
    const upload = harness.api.uploads().find((u) => u.filename === 'mfa-bypass-history.csv')!;
    const csv = upload.bytes.toString('utf8').trim().split('\r\n');
    expect(csv).toEqual([
      'occurred_at,upn,seconds,reason,by,replication_group,expires_at,still_valid,source',
      '2026-11-27T12:20:00.000Z,bob@contoso.com,3600,Phone broken,helpdesk@contoso.com,,2026-11-27T13:20:00.000Z,true,import:mfa-server-csv',
      '2026-11-27T10:30:00.000Z,alice@contoso.com,300,Left phone at home,helpdesk@contoso.com,Default,2026-11-27T10:35:00.000Z,false,import:mfa-server-csv',
      '2026-11-23T08:30:00.000Z,carol@contoso.com,600,Travelling,helpdesk@contoso.com,,2026-11-23T08:40:00.000Z,false,import:mfa-server-csv',
    ]);
  });
});

describe('/mfa bypassed bad input', () => {
  it('names an unknown user, and keeps SQL as plain text', async () => {
    expect(replyText((await harness.command('bypassed zed 30d')).reply)).toBe(
      'No user matches `zed`. Try a UPN like `bob@contoso.com` or part of a display name.',
    );
    expect(replyText((await harness.command(`bypassed "x' or '1'='1"`)).reply)).toContain("No user matches `x' or '1'='1`.");
    const [row] = await store.rows<{ n: number }>(sql`select count(*)::int as n from mfa_bypass_events`);
    expect(row!.n).toBe(4);
  });

  it('refuses extra words and a bad period with an example', async () => {
    expect(replyText((await harness.command('bypassed bob 7d extra')).reply)).toContain('bypassed takes a user and a period at most');
    const text = replyText((await harness.command('bypassed bob 2026-02-30')).reply);
    expect(text).toContain('2026-02-30 is not a calendar date');
    expect(text).toContain('Usage: `/mfa bypassed [user] [period]`, e.g. `/mfa bypassed 30d`');
  });
});

describe('/mfa bypassed on an empty store', () => {
  it('says the report has no API and how to load it', async () => {
    const empty = await openTestStore();
    const h = await startHarness({ store: empty, now: () => NOW });
    try {
      const text = replyText((await h.command('bypassed')).reply);
      expect(text).toContain("No one-time bypass history in the store yet. It exists only in MFA Server's Bypassed User History report");
      expect(text).toContain('`npm run import -- FILE`');
      expect(text).toContain('No bypass history loaded');
    } finally {
      await h.close();
      await empty.close();
    }
  });
});
