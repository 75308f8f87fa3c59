// npm run ask as a process against a seeded store: the reply as text or Block Kit JSON, and the
// exit status a script can rely on.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoTenant } from '../../src/seed/seed-store.js';
import { readPngHeader } from '../support/png-header.js';
import { runCli } from '../support/run-cli.js';
import { cliStore, type CliStore } from '../support/store-url.js';

let target: CliStore;
let signinsLast30Days = 0;

beforeAll(async () => {
  target = await cliStore();
  const store = await target.open();
  try {
    // Seeded up to an hour ago, so "the last 30 days" at any moment of the test covers it all.
    const now = new Date(Date.now() - 3_600_000);
    await seedDemoTenant(store, { users: 30, days: 10, seed: 3, now });
    const [row] = await store.rows<{ n: number }>(sql`select count(*)::int as n from signins`);
    signinsLast30Days = row!.n;
  } finally {
    await store.close();
  }
});
afterAll(async () => {
  await target?.dispose();
});

describe('npm run ask', () => {
  it('prints the summary as text and exits 0', async () => {
    const result = await runCli('src/cli/ask.ts', ['/mfa summary 30d'], target.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('MFA summary: the last 30 days');
    expect(result.stdout).toContain(`${signinsLast30Days.toLocaleString('en-US')} sign-ins;`);
    expect(result.stdout).toContain('Data as of');
  });

  it('prints the Block Kit JSON with --json', async () => {
    const result = await runCli('src/cli/ask.ts', ['--json', '/mfa summary 30d'], target.env);
    expect(result.code).toBe(0);
    const reply = JSON.parse(result.stdout) as { response_type: string; blocks: Array<{ type: string }> };
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.blocks[0]!.type).toBe('header');
  });

  it('writes the chart of /mfa trend to a file and prints its path', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'mfa-ask-charts-'));
    const result = await runCli('src/cli/ask.ts', ['/mfa trend 14d'], { ...target.env, TMPDIR: tmp });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('MFA outcomes: the last 14 days');
    const path = /Chart written to (\S+\.png)/.exec(result.stdout)?.[1];
    expect(path).toBe(join(tmp, 'mfa-bot-charts', path!.split('/').pop()!));
    expect(readPngHeader(await readFile(path!))).toMatchObject({ width: 1200, height: 1000 });
  });

  it('exits 2 on a usage error, naming what was wrong', async () => {
    const result = await runCli('src/cli/ask.ts', ['/mfa summary fortnight'], target.env);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('"fortnight" is not a period I understand');
    const none = await runCli('src/cli/ask.ts', [], target.env);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: npm run ask');
  });

  it('audits the question as the local operator', async () => {
    const store = await target.open();
    try {
      const rows = await store.rows<{ actor: string; command_text: string }>(sql`select actor, command_text from query_audit order by id`);
      expect(rows.length).toBeGreaterThanOrEqual(3);
      expect(rows[0]!.actor).toMatch(/^cli:/);
      expect(rows.map((r) => r.command_text)).toContain('summary 30d');
    } finally {
      await store.close();
    }
  });

  it('stops with one clear line when the configuration is wrong', async () => {
    const result = await runCli('src/cli/ask.ts', ['/mfa summary'], { ...target.env, TZ: 'Mars/Olympus' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('TZ: expected an IANA time zone');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
