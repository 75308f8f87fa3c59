// The simulator with its background work: the dispatcher and the jobs run against the local
// Slack stand-in, so the demo tenant's recent fraud reports and yesterday's summary show up as
// channel posts (in the simulator's own channels when none are configured).
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { SIMULATOR_ALERT_CHANNEL, SIMULATOR_SUMMARY_CHANNEL, startSimulator, type Simulator } from '../../src/simulator/simulator.js';
import { dedupeKeyOf, okPosts } from '../support/alert-rig.js';
import { ingest } from '../support/fraud-records.js';
import { readPngHeader } from '../support/png-header.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

let store: TestStore;
let simulator: Simulator;
let chartDir: string;
const printed: string[] = [];

beforeAll(async () => {
  store = await openTestStore();
  chartDir = await mkdtemp(join(tmpdir(), 'mfa-sim-bg-charts-'));
  simulator = await startSimulator({
    store,
    chartDir,
    logger: createLogger({ sink: () => {} }),
    timeZone: 'UTC',
    admins: [],
    tenant: { users: 25, days: 3, seed: 5 },
    onPost: (text) => printed.push(text),
    background: { config: loadConfig({}) },
  });
});
afterAll(async () => {
  await simulator?.close();
  await store?.close();
});

describe('the simulator\'s background work', () => {
  it('posts the recent fraud reports to the simulator\'s alert channel, once each', { timeout: 60_000 }, async () => {
    // The tenant's own reports fall every third UTC day at a random hour, so early in a day its
    // three days may hold none recent enough to post: one more, an hour old, makes sure there is one.
    await ingest.signin(store, { upn: 'fraud-check@contoso.com', at: new Date(Date.now() - 3_600_000), correlationId: 'corr-simulator-fraud', id: 'simulator-fraud' });
    const reports = await store.rows<{ dedupe_key: string }>(sql`
      SELECT "dedupe_key" FROM "fraud_reports" WHERE "created_at" - "reported_at" <= interval '72 hours' ORDER BY "id"`);
    expect(reports.length).toBeGreaterThan(0);
    const keys = reports.map((r) => r.dedupe_key);
    await simulator.api.waitFor(() => keys.every((key) => okPosts(simulator.api, SIMULATOR_ALERT_CHANNEL).some((c) => dedupeKeyOf(c) === key)), 30_000);
    const posted = okPosts(simulator.api, SIMULATOR_ALERT_CHANNEL).map(dedupeKeyOf);
    expect(new Set(posted).size).toBe(posted.length);
    expect(printed.some((text) => text.startsWith(`── posted to ${SIMULATOR_ALERT_CHANNEL}`) && /Fraud reported by|Possible MFA fatigue attack/.test(text))).toBe(true);
  });

  it('posts yesterday\'s summary to the simulator\'s summary channel', async () => {
    await simulator.api.waitFor((call) => call.method === 'chat.postMessage' && call.body.channel === SIMULATOR_SUMMARY_CHANNEL, 15_000);
    const [summary] = okPosts(simulator.api, SIMULATOR_SUMMARY_CHANNEL);
    expect(dedupeKeyOf(summary!)).toMatch(/^daily_summary:\d{4}-\d{2}-\d{2}$/);
    expect(printed.some((text) => text.startsWith(`── posted to ${SIMULATOR_SUMMARY_CHANNEL}`) && text.includes('MFA summary: yesterday'))).toBe(true);
  });

  it('uploads the summary\'s chart after it and writes it to a file whose path it prints', { timeout: 60_000 }, async () => {
    await simulator.api.waitFor((call) => call.method === 'files.completeUploadExternal', 40_000);
    const [chart] = simulator.api.uploads().filter((f) => f.completed && f.channelId === SIMULATOR_SUMMARY_CHANNEL);
    expect(chart!.filename).toMatch(/^mfa-trend-14d-to-\d{4}-\d{2}-\d{2}\.png$/);
    const printedLine = () => printed.find((text) => text.includes(`uploaded ${chart!.filename} to ${SIMULATOR_SUMMARY_CHANNEL}`));
    for (let waited = 0; !printedLine() && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    const line = printedLine();
    const path = /written to (\S+)/.exec(line ?? '')?.[1];
    expect(path?.startsWith(chartDir)).toBe(true);
    expect(readPngHeader(await readFile(path!))).toMatchObject({ width: 1200, height: 1000 });
  });
});
