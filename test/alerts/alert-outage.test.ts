// Postgres stops while fraud alerts are pending, and Slack answers 5xx for ten minutes: once both
// are back, every alert is posted exactly once. The dispatcher runs its own loop (start(): LISTEN
// and polling) against the real store and the local Slack stand-in; the database goes away through
// a loopback TCP proxy (the shared server keeps running), once while Slack is down and once at the
// worst moment, right after Slack accepted a post and before the bot recorded it. Time is a virtual
// clock, so the ten minutes of Slack trouble (and the five-minute claim lease) take no real time.
// On PGlite (in-process, nothing to cut off) only the Slack outage runs.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../db/client.js';
import type { AlertDispatcher } from '../../src/alerts/alert-dispatcher.js';
import { ALERT_CHANNEL, dedupeKeyOf, okPosts, startAlertRig, type AlertRig } from '../support/alert-rig.js';
import { recordReport } from '../support/fraud-records.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { openTestStore, testBackend, type TestStore } from '../support/test-store.js';
import { VirtualClock } from '../support/virtual-clock.js';

const SLACK_OUTAGE_MS = 10 * 60_000;
/** Alerts committed before the outages, and again while Slack is still down. */
const BATCH = 8;
/** The dispatcher's fallback poll (real time): a failing pass is retried, and logged, at this pace. */
const POLL_MS = 50;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('alerts through a Postgres outage and ten minutes of Slack 5xx', () => {
  let store: TestStore;
  let proxy: TcpProxy | null = null;
  let dispatcherStore: Store;
  let rig: AlertRig;
  let dispatcher: AlertDispatcher;
  const clock = new VirtualClock();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    store = await openTestStore();
    if (testBackend() === 'postgres') {
      proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(store.databaseUrl!).port || 5432) });
      dispatcherStore = await openStore({ databaseUrl: proxy.urlThrough(store.databaseUrl!), pgliteDir: '', maxConnections: 4 });
    } else {
      dispatcherStore = store;
    }
    rig = await startAlertRig(dispatcherStore, clock);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await dispatcher?.stop();
    await rig?.close();
    await proxy?.resume();
    if (dispatcherStore !== store) await dispatcherStore?.close();
    await proxy?.close();
    await store?.close();
  });

  async function commitAlerts(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for (let i = 0; i < BATCH; i += 1) {
      const id = await recordReport(store, { upn: `${prefix}${i}@contoso.com`, at: new Date(clock.now() - 60_000), correlationId: `corr-${prefix}-${i}`, id: `${prefix}-${i}` });
      const [row] = await store.rows<{ dedupe_key: string }>(sql`SELECT "dedupe_key" FROM "fraud_reports" WHERE "id" = ${id}`);
      keys.push(row!.dedupe_key);
    }
    return keys;
  }

  async function pendingCount(): Promise<number> {
    const [row] = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS "n" FROM "fraud_reports" WHERE "alert_state" = 'pending'`);
    return row!.n;
  }

  /** Moves virtual time on in `stepMs` steps, giving the real loop time to poll, until `done`. */
  async function runUntil(done: () => Promise<boolean> | boolean, stepMs: number, maxSteps = 200): Promise<void> {
    for (let step = 0; step < maxSteps; step += 1) {
      if (await done()) return;
      clock.advance(stepMs);
      dispatcher.wake();
      await pause(POLL_MS * 2);
    }
    throw new Error(`not done after ${maxSteps} steps of ${stepMs} ms`);
  }

  it('posts every alert exactly once after both recover, and the loop survives the database errors', async () => {
    let refusedAfterPost = false;
    dispatcher = rig.dispatcher({
      store: dispatcherStore,
      pollMs: POLL_MS,
      hooks: {
        // The worst moment: Slack has the first post after its outage, the bot has not recorded it.
        afterPost: () => {
          if (!proxy || refusedAfterPost) return;
          refusedAfterPost = true;
          proxy.refuse();
        },
      },
    });
    const slackDownAt = clock.now();
    rig.api.failNext('chat.postMessage', { status: 503, times: Infinity });
    rig.api.failNext('conversations.history', { status: 502, times: Infinity });
    const before = await commitAlerts('early');
    await dispatcher.start();

    // Every early alert was tried (and maybe posted, as far as the bot knows) before Postgres stops.
    await runUntil(async () => {
      const [row] = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS "n" FROM "fraud_reports" WHERE "delivery_attempts" > 0`);
      return row!.n === BATCH;
    }, 10_000);

    if (proxy) {
      proxy.refuse();
      const from = rig.logLines.length;
      const startedAt = Date.now();
      await pause(POLL_MS * 20);
      clock.advance(60_000);
      await pause(POLL_MS * 10);
      const outageMs = Date.now() - startedAt;
      const lines = rig.logLines.slice(from);
      await proxy.resume();
      await runUntil(() => rig.logLines.some((line) => line.includes('the store is reachable again')), 1000);
      // One warning for the outage; the loop kept polling through it, at its pace and no faster.
      expect(lines.filter((line) => line.includes(' WARN ') && line.includes('Alert dispatch: the store is unavailable'))).toHaveLength(1);
      const polls = lines.filter((line) => line.includes('Alert dispatch: the store is still unavailable')).length;
      expect(polls).toBeGreaterThan(0);
      expect(polls).toBeLessThanOrEqual(outageMs / POLL_MS + 3);
    }

    const during = await commitAlerts('late');
    await runUntil(() => clock.now() - slackDownAt >= SLACK_OUTAGE_MS, 30_000);
    expect(okPosts(rig.api)).toHaveLength(0);
    rig.api.clearFaults('chat.postMessage');
    rig.api.clearFaults('conversations.history');

    // Slack is back; the first accepted post takes Postgres down before it is recorded.
    if (proxy) {
      await runUntil(() => refusedAfterPost, 10_000);
      await pause(POLL_MS * 10);
      await proxy.resume();
    }
    await runUntil(async () => (await pendingCount()) === 0, 30_000);
    await dispatcher.stop();

    const posted = okPosts(rig.api, ALERT_CHANNEL).map(dedupeKeyOf);
    expect(posted.slice().sort()).toEqual([...before, ...during].sort());
    expect(new Set(posted).size).toBe(2 * BATCH);
    const [rows] = await store.rows<{ posted: number; distinct_ts: number }>(sql`
      SELECT count(*) FILTER (WHERE "alert_state" = 'posted')::int AS "posted", count(DISTINCT "slack_ts")::int AS "distinct_ts" FROM "fraud_reports"`);
    expect(rows).toEqual({ posted: 2 * BATCH, distinct_ts: 2 * BATCH });
    if (proxy) {
      // The post Slack had but the bot had not recorded was found in the channel, not repeated.
      expect(rig.logLines.some((line) => line.includes('already in') && line.includes('from an earlier attempt'))).toBe(true);
      // Database trouble is a warning (one per outage), not an error: the loop deals with it.
      expect(rig.logLines.filter((line) => line.includes(' ERROR '))).toEqual([]);
      expect(rig.logLines.filter((line) => line.includes('Alert dispatch: the store is unavailable'))).toHaveLength(2);
    }
    expect(unhandled).toEqual([]);
  });
});
