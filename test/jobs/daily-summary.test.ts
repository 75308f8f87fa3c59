// The daily summary end to end: two app instances fire the same slot, the summary is queued and
// posted once, with the very blocks `/mfa summary yesterday` answers plus the day's changes; a
// slot missed while the bot was down is posted late when it comes back. Times are virtual.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerCommand } from '../../commands/index.js';
import { openStore, type Store } from '../../db/client.js';
import { ingestRegistrations } from '../../src/ingest/ingest-records.js';
import { writeBlockEvents, writeBypassEvents } from '../../src/ingest/write-legacy.js';
import type { GraphRegistration } from '../../src/ingest/graph-registration.js';
import { createLogger } from '../../src/logger.js';
import { DAILY_SUMMARY_JOB, dailySummaryJob } from '../../src/jobs/daily-summary.js';
import { describeChange } from '../../src/jobs/daily-summary-view.js';
import { createJobRunner, type JobRunner } from '../../src/jobs/job-runner.js';
import { dedupeKeyOf, okPosts, startAlertRig, type AlertRig } from '../support/alert-rig.js';
import { recordReport } from '../support/fraud-records.js';
import { loadSignins, type SigninSpec } from '../support/graph-records.js';
import { replyText } from '../support/reply-text.js';
import { openTestStore, type TestStore } from '../support/test-store.js';
import { VirtualClock } from '../support/virtual-clock.js';

const TZ = 'Europe/Berlin';
const SUMMARY_CHANNEL = 'C0SUMMARY1';
const CRON = '0 8 * * *';
// Berlin is UTC+1 in November: 08:00 local is 07:00Z.
const FIRE_26 = new Date('2026-11-26T07:00:00Z');
const FIRE_27 = new Date('2026-11-27T07:00:00Z');

const push = (succeeded: boolean, detail: string) => ({ method: 'Mobile app notification', succeeded, detail });
// 2026-11-25 (Berlin): 4 sign-ins, 3 required MFA, 2 satisfied, 1 denied. 2026-11-24: 2 sign-ins, both satisfied.
const SIGNINS: SigninSpec[] = [
  { id: 'd25-1', at: '2026-11-25T08:00:00Z', upn: 'olga@contoso.com', mfa: push(true, 'MFA successfully completed') },
  { id: 'd25-2', at: '2026-11-25T09:00:00Z', upn: 'olga@contoso.com', mfa: push(true, 'MFA successfully completed') },
  { id: 'd25-3', at: '2026-11-25T10:00:00Z', upn: 'pete@contoso.com', errorCode: 500121, mfa: push(false, 'MFA denied; user declined the authentication') },
  { id: 'd25-4', at: '2026-11-25T22:30:00Z', upn: 'pete@contoso.com', mfaRequired: false },
  { id: 'd24-1', at: '2026-11-24T12:00:00Z', upn: 'olga@contoso.com', mfa: push(true, 'MFA successfully completed') },
  { id: 'd24-2', at: '2026-11-24T13:00:00Z', upn: 'pete@contoso.com', mfa: push(true, 'MFA successfully completed') },
  // 2026-11-26 (Berlin) for the late summary.
  { id: 'd26-1', at: '2026-11-26T12:00:00Z', upn: 'olga@contoso.com', mfa: push(true, 'MFA successfully completed') },
];

let store: TestStore;
let otherStore: Store;
let rig: AlertRig;
const clock = new VirtualClock(Date.parse('2026-11-26T07:00:00Z'));

function runnerFor(target: Store, instanceId: string): JobRunner {
  const runner = createJobRunner({ store: target, logger: createLogger({ sink: () => {} }), timeZone: TZ, instanceId, clock });
  runner.add(dailySummaryJob({ store: target, channel: SUMMARY_CHANNEL, cron: CRON, timeZone: TZ }));
  return runner;
}

beforeAll(async () => {
  store = await openTestStore();
  otherStore = store.databaseUrl ? await openStore({ databaseUrl: store.databaseUrl, pgliteDir: '', maxConnections: 3 }) : store;
  rig = await startAlertRig(store, clock);
  await loadSignins(store, SIGNINS);
  await recordReport(store, { upn: 'pete@contoso.com', at: new Date('2026-11-25T10:00:30Z'), correlationId: 'corr-pete', id: 'pete' });
  await writeBlockEvents(store, [{ dedupeKey: 'b1', upn: 'pete@contoso.com', action: 'block', reason: 'Fraud reported', actor: 'admin@contoso.com', occurredAt: new Date('2026-11-25T10:05:00Z'), source: 'test' }]);
  await writeBypassEvents(store, [
    { dedupeKey: 'y1', upn: 'quinn@contoso.com', seconds: 300, reason: 'lost phone', actor: 'admin@contoso.com', occurredAt: new Date('2026-11-25T11:00:00Z'), expiresAt: new Date('2026-11-25T11:05:00Z'), source: 'test' },
  ]);
  const registration = (upn: string, registered: boolean, updated: string): GraphRegistration =>
    ({ id: `id-${upn}`, userPrincipalName: upn, isMfaRegistered: registered, isMfaCapable: registered, methodsRegistered: registered ? ['microsoftAuthenticatorPush'] : [], lastUpdatedDateTime: updated }) as GraphRegistration;
  await ingestRegistrations(
    store,
    [registration('rita@contoso.com', false, '2026-11-25T15:00:00Z'), registration('sam@contoso.com', false, '2026-10-01T00:00:00Z'), registration('olga@contoso.com', true, '2026-11-25T15:00:00Z')],
    'test',
  );
});

afterAll(async () => {
  await rig?.close();
  if (otherStore && otherStore !== store) await otherStore.close();
  await store?.close();
});

const summaryPosts = () => okPosts(rig.api, SUMMARY_CHANNEL);

describe('daily summary', () => {
  it('is posted once for the day when two instances fire the same slot', async () => {
    const [a, b] = await Promise.all([runnerFor(store, 'instance-a').runSlot(DAILY_SUMMARY_JOB, FIRE_26), runnerFor(otherStore, 'instance-b').runSlot(DAILY_SUMMARY_JOB, FIRE_26)]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    await Promise.all([rig.dispatcher({ store }).runOnce(), rig.dispatcher({ store: otherStore, alertChannel: undefined }).runOnce()]);

    // A second fire the same day (or another replica late) reports the same day: nothing more.
    expect((await runnerFor(otherStore, 'instance-b').runSlot(DAILY_SUMMARY_JOB, new Date('2026-11-26T19:00:00Z'))).ran).toBe(false);
    await rig.dispatcher().runOnce();

    const posts = summaryPosts();
    expect(posts.map(dedupeKeyOf)).toEqual(['daily_summary:2026-11-25']);
    const [run] = await store.rows<{ status: string; detail: string; slot: Date | string }>(sql`SELECT "status", "detail", "slot" FROM "job_runs" WHERE "job" = 'daily-summary'`);
    expect(run).toMatchObject({ status: 'ok', detail: `queued the summary of 2026-11-25 for ${SUMMARY_CHANNEL}` });
    // The slot is the Berlin day reported.
    expect(new Date(run!.slot).toISOString()).toBe('2026-11-24T23:00:00.000Z');
  });

  it('carries the same report and view as /mfa summary yesterday, plus the day\'s changes', async () => {
    const body = summaryPosts()[0]!.body as { text: string; blocks: unknown[] };
    const asked = await answerCommand('summary yesterday', { store, now: FIRE_26, timeZone: TZ });
    for (const block of asked.reply.blocks) expect(body.blocks).toContainEqual(block);

    const text = replyText(body);
    expect(text).toContain('MFA summary: yesterday (2026-11-25)');
    expect(text).toContain('4 sign-ins; 3 (75%) required MFA. Of those, 2 satisfied, 1 denied and 0 interrupted.');
    expect(text).toContain('Change from the day before (2026-11-24)');
    expect(text).toContain('• Sign-ins: 4, up 2 (+100%) from 2');
    expect(text).toContain('• Required MFA: 3, up 1 (+50%) from 2');
    expect(text).toContain('• Denied: 1, up 1 from 0');
    expect(text).toContain('• Satisfied: 2, no change');
    expect(text).toContain('• Users who could not complete MFA: 1, up 1 from 0');
    expect(text).toContain('New fraud alerts: 1; 1 not acknowledged yet: pete@contoso.com');
    expect(text).toContain('New blocks: 1: pete@contoso.com');
    expect(text).toContain('Unblocked: 0');
    expect(text).toContain('One-time bypasses: 1: quinn@contoso.com');
    expect(text).toContain('Users newly without MFA: 1: rita@contoso.com');
    expect(text).not.toContain('Posted late');
    expect(body.text).toMatch(/^Daily MFA summary for 2026-11-25\. MFA summary: yesterday \(2026-11-25\): 4 sign-ins/);
  });

  it('posts a missed day late when the bot comes back, once', async () => {
    // Down at 08:00 on the 27th; back at 11:30 Berlin.
    clock.advance(Date.parse('2026-11-27T10:30:00Z') - clock.now());
    await Promise.all([runnerFor(store, 'instance-a').catchUp(), runnerFor(otherStore, 'instance-b').catchUp()]);
    await rig.dispatcher().runOnce();

    const posts = summaryPosts();
    expect(posts.map(dedupeKeyOf)).toEqual(['daily_summary:2026-11-25', 'daily_summary:2026-11-26']);
    const text = replyText(posts[1]!.body);
    expect(text).toContain('Posted late: this summary was due at 2026-11-27 08:00 (Europe/Berlin), when the bot was not running.');
    expect(text).toContain('MFA summary: yesterday (2026-11-26)');
    expect(text).toContain('1 sign-in');
    expect((posts[1]!.body as { text: string }).text).toContain('Daily MFA summary for 2026-11-26 (posted late).');

    // Coming back again the same day changes nothing; the days before the first summary were never missed.
    await runnerFor(store, 'instance-c').catchUp();
    await rig.dispatcher().runOnce();
    expect(summaryPosts()).toHaveLength(2);
    expect(FIRE_27.getTime()).toBeLessThan(clock.now());
  });

  it('on a fresh install catches up only the latest day', async () => {
    await store.rows(sql`DELETE FROM "job_runs" RETURNING "job"`);
    await store.rows(sql`DELETE FROM "slack_outbox" RETURNING "id"`);
    const runner = runnerFor(store, 'fresh');
    const missed = await runner.jobs[0]!.missedFires!(clock.date());
    expect(missed).toEqual([FIRE_27]);
  });
});

describe('describeChange', () => {
  it('says up, down or no change, with the share of the day before', () => {
    expect(describeChange(12, 15)).toBe('down 3 (-20%) from 15');
    expect(describeChange(1_250, 1_000)).toBe('up 250 (+25%) from 1,000');
    expect(describeChange(3, 0)).toBe('up 3 from 0');
    expect(describeChange(7, 7)).toBe('no change');
  });
});
