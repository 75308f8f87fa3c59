// The alert dispatcher through the real path: fraud records ingested into a real store, the
// dispatcher woken by the commit's NOTIFY, posts going to the local Slack stand-in. Time is a
// virtual clock except where the issue asks for a wall-clock figure (within 2 s of the commit).
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { answerCommand } from '../../commands/index.js';
import { openStore, type Store } from '../../db/client.js';
import { fraudReports, fraudReportSources } from '../../db/schema.js';
import { recordFraudSignals } from '../../src/fraud/record-fraud-signals.js';
import { ALERT_CHANNEL, dedupeKeyOf, okPosts, startAlertRig, tsOf, type AlertRig } from '../support/alert-rig.js';
import { ingest, recordReport } from '../support/fraud-records.js';
import { replyText } from '../support/reply-text.js';
import { openTestStore, testBackend, type TestStore } from '../support/test-store.js';
import { VirtualClock } from '../support/virtual-clock.js';

let store: TestStore;
let rig: AlertRig | undefined;

beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store?.close();
});
beforeEach(async () => {
  // Each test starts with nothing left to deliver from the one before.
  await store.rows(sql`UPDATE "fraud_reports" SET "alert_state" = 'skipped' WHERE "alert_state" = 'pending' RETURNING "id"`);
  await store.rows(sql`UPDATE "fraud_reports" SET "status" = 'acknowledged' WHERE "status" <> 'acknowledged' RETURNING "id"`);
  await store.rows(sql`DELETE FROM "slack_outbox" RETURNING "id"`);
});
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const minutesAgo = (clock: { now(): number }, minutes: number) => new Date(clock.now() - minutes * 60_000);

/** The alert's entry in `/mfa fraud 1h`. */
async function fraudLineOf(upn: string, now: Date): Promise<string> {
  const answer = await answerCommand('fraud 1h', { store, now, timeZone: 'UTC' });
  const block = (answer.reply.blocks as Array<{ text?: { text?: string } }>).find((b) => b.text?.text?.includes(upn));
  return block?.text?.text ?? `(${upn} not listed)`;
}

async function reportRow(id: number) {
  const [row] = await store.db.select().from(fraudReports).where(eq(fraudReports.id, id));
  return row!;
}

describe('fraud alert delivery', () => {
  it('posts one alert per fraud report from its three source records, within 2 s of the commit', async () => {
    rig = await startAlertRig(store);
    // Polling is a minute away: only the commit's NOTIFY can make the two seconds.
    const dispatcher = rig.dispatcher({ pollMs: 60_000 });
    await dispatcher.start();
    await dispatcher.runOnce();
    const incident = { upn: 'mallory@contoso.com', at: minutesAgo(rig.clock, 5), correlationId: 'corr-mallory-1', id: 'mallory-1' };

    const created = await ingest.risk(store, incident);
    const committedAt = Date.now();
    expect(created.newFraudReportIds).toHaveLength(1);
    const post = await rig.api.waitFor((call) => call.method === 'chat.postMessage' && call.status === 200, 5000);
    const latencyMs = post.at.getTime() - committedAt;
    expect(latencyMs, `${testBackend()} commit → post`).toBeLessThan(2000);

    // The audit entry and the denied sign-in describe the same report: no second alert.
    expect((await ingest.audit(store, incident)).newFraudReportIds).toEqual([]);
    expect((await ingest.signin(store, incident)).newFraudReportIds).toEqual([]);
    await dispatcher.runOnce();
    await dispatcher.stop();

    const id = created.newFraudReportIds[0]!;
    const report = await reportRow(id);
    const sources = await store.db.select().from(fraudReportSources).where(eq(fraudReportSources.fraudReportId, id));
    expect(sources.map((s) => s.sourceKind).sort()).toEqual(['directory_audit', 'risk_detection', 'signin']);

    const posts = okPosts(rig.api, ALERT_CHANNEL).filter((call) => dedupeKeyOf(call) === report.dedupeKey);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.metadata).toEqual({ event_type: 'mfa_fraud_alert', event_payload: { dedupe_key: report.dedupeKey } });
    expect(posts[0]!.body.thread_ts).toBeUndefined();
    const text = replyText(posts[0]!.body);
    expect(text).toContain('Fraud reported by mallory@contoso.com');
    expect(text).toContain('reported an MFA prompt they did not expect as fraud');
    expect(text).toContain('Where\n198.51.100.23 (Lagos, NG)');
    expect(text).toContain('Reported via\nrisk detection (user reported suspicious activity)');
    expect(text).toContain('New: nobody has acknowledged it yet');
    expect(text).toContain('Acknowledge\nFalse positive\nShow sign-ins');

    expect(report).toMatchObject({ alertState: 'posted', slackChannel: ALERT_CHANNEL, slackTs: tsOf(posts[0]!), claimedBy: null, postAttemptedAt: null });
  });

  it('posts each of 200 alerts exactly once from two app instances on one database', async () => {
    const clock = new VirtualClock();
    rig = await startAlertRig(store, clock);
    // A second instance has its own connections (on PGlite, one process owns the store).
    const otherStore: Store = store.databaseUrl ? await openStore({ databaseUrl: store.databaseUrl, pgliteDir: '', maxConnections: 4 }) : store;
    try {
      const at = minutesAgo(clock, 10);
      const signals = Array.from({ length: 200 }, (_, i) => ({
        sourceKind: 'risk_detection' as const,
        sourceId: `bulk-risk-${i}`,
        upn: `bulk${String(i).padStart(3, '0')}@contoso.com`,
        userId: null,
        at,
        correlationId: `bulk-corr-${i}`,
      }));
      const { newReportIds } = await recordFraudSignals(store, signals);
      expect(newReportIds).toHaveLength(200);

      const first = rig.dispatcher({ store });
      const second = rig.dispatcher({ store: otherStore });
      const [a, b] = await Promise.all([first.runOnce(), second.runOnce()]);
      const [a2, b2] = await Promise.all([first.runOnce(), second.runOnce()]);

      expect(a.posted + b.posted).toBe(200);
      expect(a2.posted + b2.posted).toBe(0);
      // Both instances took part: the claims split the work between them.
      expect(a.posted).toBeGreaterThan(0);
      expect(b.posted).toBeGreaterThan(0);

      const keys = okPosts(rig.api, ALERT_CHANNEL).map(dedupeKeyOf);
      expect(keys).toHaveLength(200);
      expect(new Set(keys).size).toBe(200);
      const rows = await store.rows<{ posted: number; distinct_ts: number }>(sql`
        SELECT count(*) FILTER (WHERE "alert_state" = 'posted')::int AS "posted", count(DISTINCT "slack_ts")::int AS "distinct_ts"
        FROM "fraud_reports" WHERE "upn" LIKE 'bulk%'`);
      expect(rows[0]).toEqual({ posted: 200, distinct_ts: 200 });
    } finally {
      if (otherStore !== store) await otherStore.close();
    }
  });

  it('does not post again after a dispatcher dies between posting and recording', async () => {
    const clock = new VirtualClock();
    rig = await startAlertRig(store, clock);
    const id = await recordReport(store, { upn: 'crash@contoso.com', at: minutesAgo(clock, 3), correlationId: 'corr-crash', id: 'crash' });
    const { dedupeKey } = await reportRow(id);

    let died!: () => void;
    const dead = new Promise<void>((resolve) => (died = resolve));
    // The process "dies" right after Slack accepted the post: nothing after it ever runs.
    const doomed = rig.dispatcher({
      hooks: {
        afterPost: () => {
          died();
          return new Promise<void>(() => {});
        },
      },
    });
    void doomed.runOnce();
    await dead;
    expect(okPosts(rig.api, ALERT_CHANNEL).filter((c) => dedupeKeyOf(c) === dedupeKey)).toHaveLength(1);
    const stranded = await reportRow(id);
    expect(stranded).toMatchObject({ alertState: 'pending', slackTs: null, claimedBy: 'test-instance-1' });
    expect(stranded.postAttemptedAt).not.toBeNull();

    // The restarted bot waits for the dead one's lease, then finds the post instead of repeating it.
    const restarted = rig.dispatcher();
    expect((await restarted.runOnce()).posted).toBe(0);
    clock.advance(5 * 60_000 + 1000);
    const summary = await restarted.runOnce();
    expect(summary).toMatchObject({ posted: 0, found: 1 });

    const posts = okPosts(rig.api, ALERT_CHANNEL).filter((c) => dedupeKeyOf(c) === dedupeKey);
    expect(posts).toHaveLength(1);
    const lookups = rig.api.callsTo('conversations.history');
    expect(lookups).toHaveLength(1);
    expect(lookups[0]!.body).toMatchObject({ channel: ALERT_CHANNEL, include_all_metadata: 'true' });
    expect(await reportRow(id)).toMatchObject({ alertState: 'posted', slackTs: tsOf(posts[0]!), claimedBy: null });
    expect(rig.logLines.join('\n')).toContain(`Found ${dedupeKey} already in ${ALERT_CHANNEL}`);
  });

  it('waits out a 429 and retries a burst of 5xx: all delivered, none twice, paced per channel', async () => {
    const clock = new VirtualClock();
    rig = await startAlertRig(store, clock);
    const ids: number[] = [];
    for (const name of ['rate1', 'rate2', 'rate3']) {
      ids.push(await recordReport(store, { upn: `${name}@contoso.com`, at: minutesAgo(clock, 4), correlationId: `corr-${name}`, id: name }));
    }
    rig.api.failNext('chat.postMessage', { status: 429, retryAfter: 3 });
    rig.api.failNext('chat.postMessage', { status: 503, times: 3 });

    const summary = await rig.dispatcher().runOnce();
    expect(summary).toMatchObject({ posted: 3, undelivered: 0 });

    const attempts = rig.api.callsTo('chat.postMessage');
    expect(attempts.map((c) => c.status)).toEqual([429, 503, 503, 503, 200, 200, 200]);
    const keys = okPosts(rig.api, ALERT_CHANNEL).map(dedupeKeyOf);
    const expected = await Promise.all(ids.map(async (id) => (await reportRow(id)).dedupeKey));
    expect(keys.sort()).toEqual(expected.sort());
    // Every attempt that may have reached Slack was looked for before the next one.
    expect(rig.api.callsTo('conversations.history')).toHaveLength(3);

    const times = attempts.map((c) => c.at.getTime());
    for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(3000);
    for (const id of ids) expect((await reportRow(id)).alertState).toBe('posted');
  });

  it('keeps alerts pending with one clear error while the channel is missing, and delivers once it is back', async () => {
    const clock = new VirtualClock();
    rig = await startAlertRig(store, clock);
    const ids = [
      await recordReport(store, { upn: 'gone1@contoso.com', at: minutesAgo(clock, 2), correlationId: 'corr-gone1', id: 'gone1' }),
      await recordReport(store, { upn: 'gone2@contoso.com', at: minutesAgo(clock, 2), correlationId: 'corr-gone2', id: 'gone2' }),
    ];
    rig.api.failNext('chat.postMessage', { error: 'channel_not_found', times: 2 });
    const dispatcher = rig.dispatcher();

    expect(await dispatcher.runOnce()).toMatchObject({ posted: 0, undelivered: 2 });
    for (const id of ids) {
      const row = await reportRow(id);
      expect(row).toMatchObject({ alertState: 'pending', postedAt: null, postAttemptedAt: null, claimedBy: null });
      expect(row.lastDeliveryError).toContain(`channel ${ALERT_CHANNEL} does not exist or the bot cannot see it (channel_not_found)`);
    }
    const errors = rig.logLines.filter((line) => line.includes(' ERROR ') && line.includes('channel_not_found'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('stay pending (shown as undelivered in /mfa fraud)');
    expect(await fraudLineOf('gone1@contoso.com', clock.date())).toContain('Slack: not delivered yet');

    // Not hammered: nothing is tried again before the retry time.
    const before = rig.api.calls.length;
    expect(await dispatcher.runOnce()).toMatchObject({ posted: 0, undelivered: 0 });
    expect(rig.api.calls.length).toBe(before);

    clock.advance(5 * 60_000);
    expect(await dispatcher.runOnce()).toMatchObject({ posted: 2 });
    for (const id of ids) expect(await reportRow(id)).toMatchObject({ alertState: 'posted', lastDeliveryError: null });
    expect(rig.logLines.some((line) => line.includes(`Posting to ${ALERT_CHANNEL} works again`))).toBe(true);
    expect(await fraudLineOf('gone1@contoso.com', clock.date())).toContain(`Slack: posted to <#${ALERT_CHANNEL}>`);
  });

  it('records a report that was already old when it reached the store without posting it', async () => {
    const clock = new VirtualClock();
    rig = await startAlertRig(store, clock);
    const id = await recordReport(store, { upn: 'backfill@contoso.com', at: minutesAgo(clock, 5 * 24 * 60), correlationId: 'corr-old', id: 'old' });
    expect(await rig.dispatcher().runOnce()).toMatchObject({ posted: 0, skipped: 1 });
    const row = await reportRow(id);
    expect(row.alertState).toBe('skipped');
    expect(row.lastDeliveryError).toContain('more than 72 hours old when it reached the store');
    expect(okPosts(rig.api)).toHaveLength(0);
  });
});

describe('threads and escalation', () => {
  it('posts repeated reports of a user in the first alert\'s thread', async () => {
    const clock = new VirtualClock();
    rig = await startAlertRig(store, clock);
    const first = await recordReport(store, { upn: 'ivan@contoso.com', at: minutesAgo(clock, 120), correlationId: 'corr-ivan-1', id: 'ivan1' });
    const other = await recordReport(store, { upn: 'judy@contoso.com', at: minutesAgo(clock, 100), correlationId: 'corr-judy-1', id: 'judy1' });
    const again = await recordReport(store, { upn: 'ivan@contoso.com', at: minutesAgo(clock, 60), correlationId: 'corr-ivan-2', id: 'ivan2' });
    expect(new Set([first, other, again]).size).toBe(3);

    expect(await rig.dispatcher().runOnce()).toMatchObject({ posted: 3 });
    const [firstRow, otherRow, againRow] = await Promise.all([reportRow(first), reportRow(other), reportRow(again)]);
    const byKey = new Map(okPosts(rig.api, ALERT_CHANNEL).map((call) => [dedupeKeyOf(call), call]));
    expect(byKey.get(firstRow.dedupeKey)!.body.thread_ts).toBeUndefined();
    expect(byKey.get(otherRow.dedupeKey)!.body.thread_ts).toBeUndefined();
    expect(byKey.get(againRow.dedupeKey)!.body.thread_ts).toBe(firstRow.slackTs);
    expect(againRow).toMatchObject({ threadParentId: first, slackThreadTs: firstRow.slackTs });
    // In Slack: one top-level message for ivan, with the repeat as its reply.
    const topLevel = rig.api.messages(ALERT_CHANNEL).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
    expect(topLevel).toHaveLength(2);
    expect(topLevel.find((m) => m.ts === firstRow.slackTs)!.reply_count).toBe(1);

    // A day later the user's next report starts a thread of its own.
    const later = await recordReport(store, { upn: 'ivan@contoso.com', at: new Date(clock.now() + 25 * 3_600_000), correlationId: 'corr-ivan-3', id: 'ivan3' });
    await rig.dispatcher().runOnce();
    const laterRow = await reportRow(later);
    expect(laterRow.threadParentId).toBeNull();
    expect(okPosts(rig.api).find((c) => dedupeKeyOf(c) === laterRow.dedupeKey)!.body.thread_ts).toBeUndefined();
  });

  it('re-posts an unacknowledged alert once in its thread after the configured minutes, mentioning the group', async () => {
    const clock = new VirtualClock();
    rig = await startAlertRig(store, clock);
    const ignored = await recordReport(store, { upn: 'ken@contoso.com', at: minutesAgo(clock, 1), correlationId: 'corr-ken', id: 'ken' });
    const handled = await recordReport(store, { upn: 'lena@contoso.com', at: minutesAgo(clock, 1), correlationId: 'corr-lena', id: 'lena' });
    const dispatcher = rig.dispatcher();
    await dispatcher.runOnce();
    const posted = await reportRow(ignored);
    await store.db.update(fraudReports).set({ status: 'acknowledged', actedBy: 'UADMIN0001', actedAt: clock.date() }).where(eq(fraudReports.id, handled));

    clock.advance(29 * 60_000);
    expect(await dispatcher.escalateDue()).toBe(0);
    clock.advance(2 * 60_000);
    const escalationTime = clock.now();
    expect(await dispatcher.escalateDue()).toBe(1);
    await dispatcher.runOnce();

    const replies = okPosts(rig.api, ALERT_CHANNEL).filter((call) => call.body.thread_ts === posted.slackTs);
    expect(replies).toHaveLength(1);
    const text = replyText(replies[0]!.body);
    expect(text).toContain('<!subteam^S0SECOPS1> Nobody has acknowledged this alert within 30 minutes');
    expect(text).toContain('Fraud reported by ken@contoso.com');
    expect(replies[0]!.body.metadata).toMatchObject({ event_type: 'mfa_bot_post', event_payload: { dedupe_key: `fraud_escalation:${ignored}` } });

    const escalatedRow = await reportRow(ignored);
    expect(escalatedRow.status).toBe('escalated');
    expect(escalatedRow.escalatedAt?.getTime()).toBe(escalationTime);
    expect(escalationTime - posted.postedAt!.getTime()).toBeGreaterThanOrEqual(30 * 60_000);
    // The card in the channel says so too.
    const card = rig.api.messages(ALERT_CHANNEL).find((m) => m.ts === posted.slackTs)!;
    expect(replyText(card as { blocks?: unknown[] })).toContain('Escalated at');

    // Once only, and never for the acknowledged alert.
    clock.advance(60 * 60_000);
    expect(await dispatcher.escalateDue()).toBe(0);
    await dispatcher.runOnce();
    expect(okPosts(rig.api, ALERT_CHANNEL).filter((call) => call.body.thread_ts)).toHaveLength(1);
    expect((await reportRow(handled)).escalatedAt).toBeNull();
  });
});
