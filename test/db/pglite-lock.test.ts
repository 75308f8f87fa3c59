// The lock file beside an on-disk PGlite folder. PGlite takes seconds to start, so this file opens
// a real store only three times, in order, on one folder, and only in the pglite project: the
// postgres project would run the very same PGlite stores again.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../db/client.js';
import { lockPgliteDir, StoreInUseError } from '../../db/pglite-lock.js';
import { rejection } from '../support/rejection.js';
import { testBackend } from '../support/test-store.js';

const OPEN_TIMEOUT = 120_000;

/** The pid of a process that has just exited (a pid nothing holds). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not spawn a child process');
  expect(() => process.kill(child.pid!, 0)).toThrow();
  return child.pid;
}

describe.runIf(testBackend() === 'pglite')('PGlite lock file', () => {
  let root: string;
  let parent: string;
  let dataDir: string;
  let lockPath: string;
  let first: Store | undefined;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mfa-pglite-lock-'));
    parent = join(root, 'missing', 'parent');
    dataDir = join(parent, 'pglite');
    lockPath = join(parent, 'pglite.lock');
  });

  afterAll(async () => {
    await first?.close().catch(() => {});
    await rm(root, { recursive: true, force: true });
  });

  it('creates the missing parent folder and a .lock file beside the data folder', { timeout: OPEN_TIMEOUT }, async () => {
    expect(existsSync(parent)).toBe(false);
    first = await openStore({ pgliteDir: dataDir });
    expect(first.kind).toBe('pglite');
    expect(existsSync(dataDir)).toBe(true);
    expect(readFileSync(lockPath, 'utf8')).toBe(String(process.pid));
    await first.rows(sql`insert into sync_cursors (source, last_run_outcome) values ('signins', 'kept across reopen')`);
  });

  it('refuses a second open of the same folder while the first is open', { timeout: OPEN_TIMEOUT }, async () => {
    expect(first).toBeDefined();
    const error = await rejection(openStore({ pgliteDir: dataDir }));
    expect(error).toBeInstanceOf(StoreInUseError);
    const message = (error as Error).message;
    expect(message).toContain(`The embedded store at ${dataDir} is in use by process ${process.pid}`);
    expect(message).toContain('Stop that process first');
    expect(message).toContain('PGLITE_DIR');
    expect(message).toContain('DATABASE_URL');
    // The failed open leaves the holder's lock and store alone.
    expect(readFileSync(lockPath, 'utf8')).toBe(String(process.pid));
    const rows = await first!.rows<{ n: number }>(sql`select count(*)::int as n from sync_cursors`);
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('releases the lock on close, and a reopen sees the data written before', { timeout: OPEN_TIMEOUT }, async () => {
    await first!.close();
    first = undefined;
    expect(existsSync(lockPath)).toBe(false);

    const reopened = await openStore({ pgliteDir: dataDir });
    try {
      expect(readFileSync(lockPath, 'utf8')).toBe(String(process.pid));
      const rows = await reopened.rows<{ source: string; last_run_outcome: string }>(
        sql`select source, last_run_outcome from sync_cursors`,
      );
      expect(rows).toEqual([{ source: 'signins', last_run_outcome: 'kept across reopen' }]);
    } finally {
      await reopened.close();
    }
    expect(existsSync(lockPath)).toBe(false);
  });

  it('takes over a stale lock left by a process that died', { timeout: OPEN_TIMEOUT }, async () => {
    const stalePid = deadPid();
    writeFileSync(lockPath, String(stalePid));
    const store = await openStore({ pgliteDir: dataDir });
    try {
      expect(readFileSync(lockPath, 'utf8')).toBe(String(process.pid));
      const rows = await store.rows<{ n: number }>(sql`select count(*)::int as n from sync_cursors`);
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await store.close();
    }
    expect(existsSync(lockPath)).toBe(false);
  });
});

describe('lockPgliteDir (no PGlite started)', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mfa-pglite-lockfile-'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('takes over a lock file with pid 999999 or unreadable content, and refuses a live holder', () => {
    const dir = join(root, 'store');
    const lockPath = join(root, 'store.lock');
    for (const stale of ['999999', '', 'not a pid']) {
      if (stale === '999999') expect(() => process.kill(999_999, 0)).toThrow();
      writeFileSync(lockPath, stale);
      const release = lockPgliteDir(dir);
      expect(readFileSync(lockPath, 'utf8')).toBe(String(process.pid));
      release();
      expect(existsSync(lockPath)).toBe(false);
    }

    const release = lockPgliteDir(dir);
    try {
      expect(() => lockPgliteDir(dir)).toThrow(StoreInUseError);
    } finally {
      release();
    }
    // Releasing twice is harmless and does not remove someone else's lock.
    writeFileSync(lockPath, String(process.pid));
    release();
    expect(existsSync(lockPath)).toBe(true);
  });
});
