// npm run seed as a process: loads the demo tenant, and a second run adds nothing.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { cliStore, type CliStore } from '../support/store-url.js';

let target: CliStore;
beforeAll(async () => {
  target = await cliStore();
});
afterAll(async () => {
  await target?.dispose();
});

async function counts() {
  const store = await target.open();
  try {
    const [row] = await store.rows<{ signins: number; users: number; fraud: number; blocks: number }>(sql`
      select (select count(*)::int from signins) as signins, (select count(*)::int from user_registrations) as users,
             (select count(*)::int from fraud_reports) as fraud, (select count(*)::int from mfa_block_events) as blocks`);
    return row!;
  } finally {
    await store.close();
  }
}

describe('npm run seed', () => {
  it('seeds once and is idempotent', { timeout: 180_000 }, async () => {
    const first = await runCli('src/cli/seed.ts', ['--users', '40', '--days', '5', '--seed', '7'], target.env);
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.code).toBe(0);
    const inserted = Number(/sign-ins: (\d+) new/.exec(first.stdout)?.[1]);
    expect(inserted).toBeGreaterThan(100);
    expect(first.stdout).toContain('users: 40');
    const after = await counts();
    expect(after.signins).toBe(inserted);
    expect(after.users).toBe(40);

    const second = await runCli('src/cli/seed.ts', ['--users', '40', '--days', '5', '--seed', '7'], target.env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`sign-ins: \\d+ new, 0 updated, ${inserted} already present`));
    expect(second.stdout).toContain('fraud reports: 0 new');
    const again = await counts();
    // Only sign-ins of the current hour that did not exist a moment ago may be added.
    expect(again.signins - after.signins).toBe(Number(/sign-ins: (\d+) new/.exec(second.stdout)?.[1]));
    expect(again.users).toBe(after.users);
    expect(again.fraud).toBe(after.fraud);
    expect(again.blocks).toBe(after.blocks);
  });

  it('names a bad option and shows the usage', async () => {
    const result = await runCli('src/cli/seed.ts', ['--users', 'many'], target.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: npm run seed -- --users N --days D');
  });
});
