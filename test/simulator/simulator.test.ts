// The simulator end to end: an empty store is seeded with the demo tenant, a typed command goes
// to the real Bolt app as a signed request, and the reply comes back as readable text.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { runRepl } from '../../src/simulator/repl.js';
import { startSimulator, type Simulator } from '../../src/simulator/simulator.js';
import { readPngHeader } from '../support/png-header.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

let store: TestStore;
let simulator: Simulator;
let chartDir: string;
const logLines: string[] = [];

beforeAll(async () => {
  store = await openTestStore();
  chartDir = await mkdtemp(join(tmpdir(), 'mfa-sim-charts-'));
  simulator = await startSimulator({
    chartDir,
    store,
    logger: createLogger({ sink: (line) => logLines.push(line) }),
    timeZone: 'UTC',
    admins: [],
    tenant: { users: 25, days: 3, seed: 5 },
  });
});
afterAll(async () => {
  await simulator?.close();
  await store?.close();
});

describe('the local simulator', () => {
  it('seeds an empty store with the demo tenant once', async () => {
    expect(simulator.seeded?.users).toBe(25);
    const [row] = await store.rows<{ n: number }>(sql`select count(*)::int as n from signins`);
    expect(row!.n).toBe(simulator.seeded!.signins.inserted);
    expect(row!.n).toBeGreaterThan(0);
  });

  it('answers /mfa summary as text, from the store', async () => {
    const text = await simulator.ask('/mfa summary 7d');
    expect(text).toContain('MFA summary: the last 7 days');
    // Counted over the period the reply states: a question is asked as of the start of its
    // minute, so "now" here would count sign-ins written since then, or the minute may turn.
    const to = /Period: \S+ \S+ to (\S+ \S+) \(UTC\)/.exec(text)?.[1];
    expect(to).toBeDefined();
    const [row] = await store.rows<{ n: number }>(
      sql`select count(*)::int as n from signins where created_at >= ${`${to}:00Z`}::timestamptz - interval '7 days' and created_at < ${`${to}:00Z`}::timestamptz`,
    );
    expect(row!.n).toBeGreaterThan(0);
    expect(text).toContain(`${row!.n.toLocaleString('en-US')} sign-ins;`);
    expect(text).toContain('Data as of');
  });

  it('writes the chart of /mfa trend to a file and prints its path', async () => {
    const text = await simulator.ask('/mfa trend 14d');
    expect(text).toContain('MFA outcomes: the last 14 days');
    expect(text).toContain('The chart is sent to you in a direct message');
    const path = /Chart written to (\S+\.png)/.exec(text)?.[1];
    expect(path?.startsWith(chartDir)).toBe(true);
    expect(readPngHeader(await readFile(path!))).toMatchObject({ width: 1200, height: 1000 });
  });

  it('opens the Home tab with "home", for an admin and for anyone else', async () => {
    const home = await simulator.ask('home');
    expect(home).toContain('Today in MFA (UTC)');
    expect(home).toContain('Open fraud alerts:');
    expect(home).toContain('Registration coverage');
    const visitor = await simulator.ask('as U0OUTSIDER home');
    expect(visitor).toContain('I answer Entra ID administrators’ questions about multi-factor authentication');
    expect(visitor).not.toContain('Today in MFA');
  });

  it('accepts the command without /mfa and asks as another user with "as"', async () => {
    expect(await simulator.ask('help')).toContain('/mfa summary [period]');
    expect(await simulator.ask('as U0OUTSIDER /mfa summary')).toContain('Sorry, /mfa answers only MFA administrators');
  });

  it('runs a prompt session until exit', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const session = runRepl(simulator, input, output);
    input.write('/mfa help summary\n');
    input.write('exit\n');
    await session;
    expect(printed).toContain('mfa-bot local simulator');
    expect(printed).toContain('/mfa summary 2026-11-01..2026-11-07');
  });
});
