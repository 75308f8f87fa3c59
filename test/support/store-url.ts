// Where a command-line process should find a test's store: the test's fresh Postgres database,
// or an on-disk PGlite folder (closed by the test first: the folder's lock allows one process).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../db/client.js';
import { openTestStore, testBackend } from './test-store.js';

export interface CliStore {
  env: Record<string, string | undefined>;
  /** Opens the store in this process (close it before running a CLI on PGlite). */
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

export async function cliStore(): Promise<CliStore> {
  if (testBackend() === 'postgres') {
    const holder = await openTestStore();
    return {
      env: { DATABASE_URL: holder.databaseUrl },
      open: () => openStore({ databaseUrl: holder.databaseUrl, pgliteDir: '' }),
      dispose: () => holder.close(),
    };
  }
  const dir = join(await mkdtemp(join(tmpdir(), 'mfa-cli-')), 'pglite');
  return {
    env: { PGLITE_DIR: dir },
    open: () => openStore({ pgliteDir: dir }),
    dispose: async () => {},
  };
}
