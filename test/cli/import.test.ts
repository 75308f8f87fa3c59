// npm run import as a process: per-file and total summaries, exit status 0 / 1 / 2, a second run
// that changes nothing, and a big export imported in bounded memory.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSignins } from '../../src/seed/demo-tenant.js';
import { fixture, tempDir } from '../import/fixtures.js';
import { runCli } from '../support/run-cli.js';
import { cliStore, type CliStore } from '../support/store-url.js';

let target: CliStore;
let temp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  target = await cliStore();
  temp = await tempDir();
});
afterAll(async () => {
  await target?.dispose();
  await temp?.dispose();
});

const importCli = (args: string[], env: Record<string, string> = {}) => runCli('src/cli/import.ts', args, { ...target.env, ...env });

/** Row counts, in one open of the store (opening PGlite on disk takes seconds). */
async function counts(): Promise<{ signins: number; blocks: number; fraud: number; quarantined: number }> {
  const store = await target.open();
  try {
    const [row] = await store.rows<{ signins: number; blocks: number; fraud: number; quarantined: number }>(sql`
      select (select count(*)::int from signins) as signins, (select count(*)::int from mfa_block_events) as blocks,
             (select count(*)::int from fraud_reports) as fraud, (select count(*)::int from quarantined_records) as quarantined`);
    return row!;
  } finally {
    await store.close();
  }
}

describe('npm run import', () => {
  it('exits 2 with the usage when no file is named or an option is unknown', async () => {
    const none = await importCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('No files to import.');
    expect(none.stderr).toContain('Usage: npm run import -- FILE...');
    const unknown = await importCli(['--fast', 'x.json']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Usage: npm run import');
  });

  it('imports the files it recognises, refuses the others naming the accepted formats, and exits 1', { timeout: 120_000 }, async () => {
    const binary = join(temp.path, 'signins.json');
    await writeFile(binary, Buffer.from('PK\u0003\u0004\u0000\u0000binary', 'latin1'));
    const files = [fixture('signins-beta-list.json'), binary, fixture('mfa-server-blocked-users.csv'), fixture('fraud-signin.csv')];
    const run = await importCli(files);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${files[0]}: Graph JSON list response: sign-ins (Graph beta): 3\n  3 new, 0 updated, 0 unchanged, 0 quarantined; 0 new fraud reports;`);
    expect(run.stdout).toContain(`${binary}: refused: binary data (it contains NUL bytes), not a text export\n`);
    expect(run.stdout).toContain(`${files[2]}: MFA Server blocked user history CSV: MFA Server block/unblock events: 3\n  3 new, 0 updated`);
    expect(run.stdout).toContain(`${files[3]}: Entra portal sign-in CSV: sign-ins (portal CSV): 1\n  1 new, 0 updated, 0 unchanged, 0 quarantined; 1 new fraud report;`);
    expect(run.stdout).toMatch(/Total: 4 files \(3 imported, 1 refused\): 7 new, 0 updated, 0 unchanged, 0 quarantined; 1 new fraud report; [\d.]+ s\n/);
    expect(run.stdout).toContain('Accepted: Microsoft Graph JSON of sign-ins (beta or v1.0), userRegistrationDetails, riskDetections or directoryAudits');
    expect(run.stdout).toContain('MFA Server report CSVs');
    expect(await counts()).toEqual({ signins: 4, blocks: 3, fraud: 1, quarantined: 0 });

    // The same files again: nothing new, nothing updated.
    const again = await importCli(files.filter((f) => f !== binary));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Total: 3 files \(3 imported, 0 refused\): 0 new, 0 updated, 7 unchanged, 0 quarantined; 0 new fraud reports;/);
    expect(await counts()).toEqual({ signins: 4, blocks: 3, fraud: 1, quarantined: 0 });
  });

  it('exits 0 when records were quarantined, saying where and why', { timeout: 60_000 }, async () => {
    const file = fixture('broken-line.ndjson');
    const run = await importCli([file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${file}: NDJSON: sign-ins (Graph v1.0): 2\n  2 new, 0 updated, 0 unchanged, 3 quarantined;`);
    expect(run.stdout).toMatch(new RegExp(`  quarantined ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: not valid JSON: `));
    expect(run.stdout).toContain(`  quarantined ${file}:3: invalid sign-in: createdDateTime: Invalid ISO datetime\n`);
    expect(run.stdout).toContain('3 quarantined (kept in the quarantined_records table)');
    expect((await counts()).quarantined).toBe(3);
  });

  it('streams a big NDJSON export in bounded memory', { timeout: 180_000 }, async () => {
    // Sign-ins as a big tenant's Graph returns them: every enabled Conditional Access policy is
    // listed on every sign-in, which makes each record ~27 kB.
    const policies = Array.from({ length: 60 }, (_, k) => ({
      id: `00000000-0000-0000-0000-0000000000${String(k).padStart(2, '0')}`,
      displayName: `CA${String(k).padStart(3, '0')} - Require a compliant device for finance apps in region ${k}`,
      enforcedGrantControls: ['RequireCompliantDevice', 'Mfa'],
      enforcedSessionControls: ['SignInFrequency', 'PersistentBrowserSessionMode'],
      result: 'notApplied',
      conditionsSatisfied: 'application,users',
      conditionsNotSatisfied: 'location,devicePlatform',
    }));
    const file = join(temp.path, 'signins.ndjson');
    const out = createWriteStream(file);
    const records = 5_500;
    let n = 0;
    for (const signin of demoSignins({ users: 400, days: 30, seed: 11, now: new Date('2025-07-01T00:00:00Z') })) {
      const record = { ...signin, appliedConditionalAccessPolicies: [...signin.appliedConditionalAccessPolicies, ...policies] };
      if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, 'drain');
      if (++n === records) break;
    }
    out.end();
    await once(out, 'finish');
    const size = (await stat(file)).size;
    const heapCapMb = 128;
    expect(size).toBeGreaterThan(heapCapMb * 1024 * 1024); // reading the file whole could not fit

    const before = (await counts()).signins;
    // With the heap capped below the file's size, a non-streaming import would crash.
    const run = await importCli(['--stats', file], { NODE_OPTIONS: `--max-old-space-size=${heapCapMb}` });
    expect(run.stderr).not.toMatch(/heap out of memory|Error/);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`NDJSON: sign-ins (Graph beta): ${records.toLocaleString('en-US')}`);
    expect(run.stdout).toMatch(new RegExp(`Total: 1 file \\(1 imported, 0 refused\\): ${records.toLocaleString('en-US')} new, 0 updated, 0 unchanged, 0 quarantined;`));
    expect((await counts()).signins).toBe(before + records);

    const memory = /peak heap \d+ MB \((\d+) bytes\).*at start heap \d+ MB \((\d+) bytes\)/.exec(run.stdout);
    expect(memory, run.stdout).not.toBeNull();
    const growth = Number(memory![1]) - Number(memory![2]);
    expect(growth).toBeLessThan(size / 3);
  });
});
