// `npm run import` killed with SIGKILL part-way through a Graph NDJSON export (several times, at
// seeded points of the file), then run again to the end: every record is stored once, and the
// hourly and daily rollups the reports read count each sign-in once too. The kill point is where
// how much of the file the import has read (/proc/<pid>/io), not a time.
import { createWriteStream, existsSync, readdirSync, readFileSync, readlinkSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, spawnNode, type NodeChild } from '../../bench/child-process.js';
import { writeSigninNdjson, type WrittenFile } from '../../bench/ndjson-file.js';
import { tempDir } from '../import/fixtures.js';
import { killSchedule } from '../support/kill-schedule.js';
import { cliStore, type CliStore } from '../support/store-url.js';

const RECORDS = 5_000;
const schedule = killSchedule({ postgres: 2, pglite: 1 });

let target: CliStore;
let temp: Awaited<ReturnType<typeof tempDir>>;
let file: WrittenFile;
let log: WriteStream;

beforeAll(async () => {
  target = await cliStore();
  temp = await tempDir();
  file = await writeSigninNdjson(join(temp.path, 'signins.ndjson'), new Date('2026-11-20T12:00:00Z'), { maxRecords: RECORDS });
  log = createWriteStream(join(temp.path, 'import.log'));
});
afterAll(async () => {
  if (log) await new Promise((resolve) => log.end(resolve));
  await target?.dispose();
  await temp?.dispose();
});

function startImport(label: string): NodeChild {
  return spawnNode('src/cli/import.ts', [file.path], childEnv({ ...target.env, TZ: 'UTC' }), log, label);
}

/** Whether the process has `path` open. */
function hasOpen(pid: number, path: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
      } catch {
        return false;
      }
    });
  } catch {
    return false; // the process is gone
  }
}

/** Bytes the process has read so far, from any source (/proc/<pid>/io). */
function bytesRead(pid: number): number | null {
  try {
    return Number(/^rchar:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1]);
  } catch {
    return null;
  }
}

/**
 * Kills the import with SIGKILL once it has read about `fraction` of the file (it reads at
 * offsets, so the descriptor's position says nothing: the bytes read since the file was opened
 * do, the store's few replies aside); false when it ended first.
 */
async function killAt(child: NodeChild, fraction: number): Promise<boolean> {
  let ended = false;
  void child.exited.then(() => (ended = true));
  let base: number | null = null;
  while (!ended) {
    if (base === null && hasOpen(child.pid, file.path)) base = bytesRead(child.pid);
    const read = bytesRead(child.pid);
    if (base !== null && read !== null && read - base >= fraction * file.bytes) {
      child.child.kill('SIGKILL');
      return (await child.exited) === 'SIGKILL';
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}

async function stored(): Promise<{ signins: number; distinct: number; hourly: number; daily: number }> {
  const store = await target.open();
  try {
    const [row] = await store.rows<{ signins: number; distinct: number; hourly: number; daily: number }>(sql`
      select (select count(*)::int from signins) as signins,
             (select count(distinct id)::int from signins) as distinct,
             (select coalesce(sum(signins), 0)::int from signin_hourly) as hourly,
             (select coalesce(sum(signins), 0)::int from signin_daily) as daily`);
    return row!;
  } finally {
    await store.close();
  }
}

describe.skipIf(!existsSync('/proc/self/io'))('npm run import killed with SIGKILL', () => {
  it('stores every record once after a run to the end, rollups included', { timeout: 180_000 }, async () => {
    for (let round = 1; round <= schedule.rounds; round++) {
      const fraction = schedule.random.float(0.4, 0.95);
      const killed = await killAt(startImport(`import-killed-${round}`), fraction);
      expect(killed, `round ${round}: the import ended before reading ${Math.round(fraction * 100)}% of the file (${schedule.describe})`).toBe(true);
    }
    const last = startImport('import-to-the-end');
    expect(await last.exited).toBe(0);
    // Its summary counts what the killed runs had stored as unchanged, the rest as new; some was
    // left to do (the kills came before the end).
    const summary = /sign-ins \(Graph beta\): ([\d,]+)\n {2}([\d,]+) new, 0 updated, ([\d,]+) unchanged, 0 quarantined/.exec(last.stdout());
    const [records, added, unchanged] = (summary?.slice(1) ?? []).map((x) => Number(x.replace(/,/g, '')));
    expect({ records, sum: added! + unchanged! }, last.stdout()).toEqual({ records: RECORDS, sum: RECORDS });
    expect(added, `the kills came before the end (${schedule.describe})`).toBeGreaterThan(0);
    expect(await stored(), `${unchanged} sign-ins were stored before the last run (${schedule.describe})`).toEqual({
      signins: RECORDS,
      distinct: RECORDS,
      hourly: RECORDS,
      daily: RECORDS,
    });
  });
});
