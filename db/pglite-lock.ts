// PGlite is one connection in one process and does nothing to stop a second process opening the
// same folder (which loses writes or corrupts it). A lock file beside the folder makes the second
// process fail with a clear message instead.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export class StoreInUseError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The embedded store at ${dir} is in use by process ${pid}. Stop that process first, ` +
        'or set PGLITE_DIR to another folder, or DATABASE_URL to use Postgres (which several processes can share).',
    );
    this.name = 'StoreInUseError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock for `dataDir` (creating its parent folder); returns the release function. */
export function lockPgliteDir(dataDir: string): () => void {
  const dir = resolve(dataDir);
  mkdirSync(dirname(dir), { recursive: true });
  const lockPath = join(dirname(dir), `${basename(dir)}.lock`);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(pid) && isAlive(pid)) throw new StoreInUseError(dir, pid);
      // A lock left by a process that died: take it over.
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not take the lock file for ${dir}`);
}
