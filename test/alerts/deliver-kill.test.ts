// kill -9 of the real bot process while it delivers committed fraud alerts, several times, then a
// start that runs to the end: every alert is in Slack exactly once and the store has its ts.
// The first kill lands in the hardest place, after a post has left the bot and before Slack has
// answered (the local Slack holds it, the bot dies, then Slack takes the post): the next start
// must find it by its metadata instead of posting again (deliver-once.ts). The other kills land
// at seeded moments of the delivery. A killed replica's claims are only free again after their
// lease (5 minutes); the test ages them instead of waiting, as the passing lease would.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fraudReports } from '../../db/schema.js';
import { ALERT_CHANNEL, startBot, type RunningBot } from '../../bench/bot-process.js';
import { LocalSlackApi, type SlackCall } from '../../src/simulator/local-slack-api.js';
import { recordReport } from '../support/fraud-records.js';
import { killSchedule } from '../support/kill-schedule.js';
import { cliStore, type CliStore } from '../support/store-url.js';
import { until } from '../support/until.js';
import { openBotLog, type BotLog } from '../support/bot-log.js';

const ALERTS = 6;
const schedule = killSchedule({ postgres: 3, pglite: 2 });

let target: CliStore;
let api: LocalSlackApi;
let log: BotLog;
let bot: RunningBot | undefined;

beforeAll(async () => {
  target = await cliStore();
  api = new LocalSlackApi();
  await api.start();
  log = openBotLog('mfa-kill-');
});
afterAll(async () => {
  if (bot) await bot.stop();
  await api?.stop();
  await log?.close();
  await target?.dispose();
});

/** Alerts Slack accepted, by dedupe key (the marker every post carries). */
function postedAlerts(): Map<string, SlackCall[]> {
  const byKey = new Map<string, SlackCall[]>();
  for (const call of api.calls) {
    if (call.method !== 'chat.postMessage' || call.status !== 200 || (call.response as { ok?: boolean }).ok !== true) continue;
    const key = (call.body.metadata as { event_payload?: { dedupe_key?: string } } | undefined)?.event_payload?.dedupe_key ?? '(no marker)';
    byKey.set(key, [...(byKey.get(key) ?? []), call]);
  }
  return byKey;
}

async function killBot(): Promise<void> {
  bot!.process.child.kill('SIGKILL');
  expect(await bot!.process.exited).toBe('SIGKILL');
  bot = undefined;
}

/** What a dead replica's expired lease does: its claims are free for the next start. */
async function expireClaims(): Promise<void> {
  const store = await target.open();
  try {
    await store.rows(sql`UPDATE "fraud_reports" SET "claimed_at" = "claimed_at" - interval '1 hour' WHERE "claimed_at" IS NOT NULL RETURNING "id"`);
  } finally {
    await store.close();
  }
}

describe('kill -9 during alert delivery', () => {
  it('posts every committed alert exactly once after restarts', { timeout: 240_000 }, async () => {
    const seeded = await target.open();
    const at = new Date(Date.now() - 5 * 60_000);
    for (let i = 0; i < ALERTS; i++) {
      await recordReport(seeded, { upn: `kill${i}@contoso.com`, at: new Date(at.getTime() + i * 1000), correlationId: `corr-kill-${i}`, id: `kill-${i}` });
    }
    await seeded.close();

    // Kill 1: a post on its way to Slack when the bot dies; Slack takes it afterwards.
    const inFlight = api.holdNext('chat.postMessage');
    bot = await startBot(target.env, log.stream, { api, label: 'bot-1' });
    await inFlight.arrived;
    await killBot();
    inFlight.release();
    expect(await until(() => postedAlerts().size === 1, 5000)).toBe(true);
    await expireClaims();

    // Further kills at seeded moments: after some more posts, somewhere within Slack's 1 s pace.
    for (let round = 2; round <= schedule.rounds; round++) {
      const before = postedAlerts().size;
      const wanted = Math.min(ALERTS - 1, before + schedule.random.int(0, 2));
      bot = await startBot(target.env, log.stream, { api, label: `bot-${round}` });
      await until(() => postedAlerts().size >= wanted, 30_000);
      await new Promise((r) => setTimeout(r, schedule.random.int(0, 1000)));
      await killBot();
      await expireClaims();
    }

    bot = await startBot(target.env, log.stream, { api, label: 'bot-last' });
    expect(await until(() => postedAlerts().size === ALERTS, 60_000), schedule.describe).toBe(true);
    await bot.stop();
    bot = undefined;

    const posted = postedAlerts();
    const rows = await (async () => {
      const store = await target.open();
      try {
        return await store.db.select().from(fraudReports);
      } finally {
        await store.close();
      }
    })();
    expect(rows).toHaveLength(ALERTS);
    for (const row of rows) {
      const calls = posted.get(row.dedupeKey) ?? [];
      expect(calls.length, `${row.dedupeKey} posted ${calls.length} times (${schedule.describe})`).toBe(1);
      expect(calls[0]!.body.channel).toBe(ALERT_CHANNEL);
      expect(row).toMatchObject({ alertState: 'posted', slackTs: (calls[0]!.response as { ts: string }).ts });
    }
    expect([...posted.keys()].sort()).toEqual(rows.map((r) => r.dedupeKey).sort());
  });
});
