// Where a command-line process should find a test's store: the test's fresh Postgres database,
// or an on-disk PGlite folder (closed by the test first: the folder's lock allows one process).
// The folder starts from the run's migrated dump, as in-memory test stores do: creating one takes
// a process 3-5 s, which every test of a command paid once more on PGlite. `fresh` leaves it
// missing, for a test of what a new machine does (the process creates and migrates it).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../db/client.js';
import { migratedTemplate, openTestStore, testBackend } from './test-store.js';

export interface CliStore {
  env: Record<string, string | undefined>;
  /** Opens the store in this process (close it before running a CLI on PGlite). */
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

export async function cliStore(options: { fresh?: boolean } = {}): Promise<CliStore> {
  if (testBackend() === 'postgres') {
    const holder = await openTestStore();
    return {
      env: { DATABASE_URL: holder.databaseUrl },
      open: () => openStore({ databaseUrl: holder.databaseUrl, pgliteDir: '' }),
      dispose: () => holder.close(),
    };
  }
  const dir = join(await mkdtemp(join(tmpdir(), 'mfa-cli-')), 'pglite');
  const template = options.fresh ? undefined : await migratedTemplate();
  if (template) {
    const { PGlite } = await import('@electric-sql/pglite');
    const seeded = new PGlite(dir, { loadDataDir: template });
    await seeded.waitReady;
    await seeded.close();
  }
  return {
    env: { PGLITE_DIR: dir },
    open: () => openStore({ pgliteDir: dir }),
    dispose: async () => {},
  };
}
