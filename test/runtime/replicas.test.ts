// Two real bot processes on one Postgres database and one Slack workspace, answering /mfa while
// fraud alerts arrive and a job slot is due on both: every alert is posted once, the daily
// summary's slot runs on one replica only (one run, one post, one chart), and every command is
// answered. PGlite is embedded in one process (its folder's lock allows one), so Postgres only.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../db/client.js';
import { fraudReports, jobRuns } from '../../db/schema.js';
import { ALERT_CHANNEL, startBot, type RunningBot } from '../../bench/bot-process.js';
import { ask } from '../../bench/slash-client.js';
import { OUTBOX_EVENT } from '../../src/alerts/alert-dispatcher.js';
import { FRAUD_ALERT_EVENT } from '../../src/alerts/alert-card.js';
import { DAILY_SUMMARY_JOB } from '../../src/jobs/daily-summary.js';
import { LocalSlackApi, type SlackCall } from '../../src/simulator/local-slack-api.js';
import { recordReport } from '../support/fraud-records.js';
import { openTestStore, testBackend, type TestStore } from '../support/test-store.js';
import { until } from '../support/until.js';
import { openBotLog, type BotLog } from '../support/bot-log.js';

const ALERTS = 8;
const COMMANDS = 16;
const SUMMARY_CHANNEL = 'C0SUMMARIES';

let store: TestStore;
let api: LocalSlackApi;
let log: BotLog;
const bots: RunningBot[] = [];

describe.skipIf(testBackend() !== 'postgres')('two bot replicas on one Postgres database (PGlite: one process per store)', () => {
  beforeAll(async () => {
    store = await openTestStore();
    api = new LocalSlackApi();
    await api.start();
    log = openBotLog('mfa-replicas-');
  });
  afterAll(async () => {
    await Promise.all(bots.map((bot) => bot.stop()));
    await api?.stop();
    await log?.close();
    await store?.close();
  });

  const posts = (eventType: string) =>
    api.calls.filter(
      (call: SlackCall) =>
        call.method === 'chat.postMessage' && (call.response as { ok?: boolean }).ok === true && (call.body.metadata as { event_type?: string } | undefined)?.event_type === eventType,
    );

  it('posts each alert once, runs the due job slot once, and answers every command', { timeout: 180_000 }, async () => {
    const env = { SUMMARY_CHANNEL };
    bots.push(...(await Promise.all([1, 2].map((n) => startBot(store.databaseUrl!, log.stream, { api, env, label: `replica-${n}` })))));

    // The alerts arrive while both replicas answer commands, spread over the two.
    const alerts = recordAlerts(store);
    const texts = ['summary 7d', 'fraud 7d', 'failures 7d', 'servers'];
    const answers = await Promise.all(Array.from({ length: COMMANDS }, (_, i) => ask(bots[i % 2]!, texts[i % texts.length]!)));
    await alerts;
    expect(answers.filter((a) => a.problem !== null)).toEqual([]);

    await until(() => new Set(posts(FRAUD_ALERT_EVENT).map(dedupeKey)).size === ALERTS && posts(OUTBOX_EVENT).length > 0, 60_000);
    // Stopped gracefully, so nothing either of them had in flight is missed by the count.
    await Promise.all(bots.splice(0).map((bot) => bot.stop()));

    const alertPosts = posts(FRAUD_ALERT_EVENT);
    expect(alertPosts).toHaveLength(ALERTS);
    expect(new Set(alertPosts.map(dedupeKey)).size).toBe(ALERTS);
    expect(alertPosts.every((call) => call.body.channel === ALERT_CHANNEL)).toBe(true);
    const reports = await store.db.select().from(fraudReports);
    expect(reports.map((r) => r.alertState)).toEqual(Array(ALERTS).fill('posted'));
    expect(reports.map((r) => r.slackTs).sort()).toEqual(alertPosts.map((c) => (c.response as { ts: string }).ts).sort());

    const summaryRuns = await store.db.select().from(jobRuns).where(eq(jobRuns.job, DAILY_SUMMARY_JOB));
    expect(summaryRuns).toHaveLength(1);
    expect(summaryRuns[0]!.status).toBe('ok');
    // Both replicas logged what they ran (the log file has both; wait for its last write).
    await new Promise((resolve) => log.stream.write('', resolve));
    const started = log.text()
      .split('\n')
      .filter((line) => line.includes(`Job ${DAILY_SUMMARY_JOB} (slot`) && line.includes(') started on '));
    expect(started).toHaveLength(1);
    const summaryPosts = posts(OUTBOX_EVENT).filter((call) => call.body.channel === SUMMARY_CHANNEL);
    expect(summaryPosts).toHaveLength(1);
    expect(api.calls.filter((call) => call.method === 'files.completeUploadExternal' && (call.response as { ok?: boolean }).ok)).toHaveLength(1);
  });
});

const dedupeKey = (call: SlackCall) => (call.body.metadata as { event_payload?: { dedupe_key?: string } }).event_payload?.dedupe_key;

async function recordAlerts(target: Store): Promise<void> {
  const at = Date.now() - 5 * 60_000;
  for (let i = 0; i < ALERTS; i++) {
    await recordReport(target, { upn: `replica${i}@contoso.com`, at: new Date(at + i * 1000), correlationId: `corr-replica-${i}`, id: `replica-${i}` });
  }
}
