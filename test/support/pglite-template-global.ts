// Vitest global setup: one migrated PGlite data directory, dumped once per run, from which every
// in-memory test store starts (test-store.ts). Creating a PGlite database takes about 2.5 s on
// this project's machines and loading the dump about 0.6 s; the suite opens about a hundred.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { runMigrations } from '../../db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated dump's path, in the pglite project only. */
    pgliteTemplate: string | undefined;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  if (project.name !== 'pglite') {
    project.provide('pgliteTemplate', undefined);
    return () => {};
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = new PGlite();
  await pglite.waitReady;
  await runMigrations({ pglite });
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const dir = mkdtempSync(join(tmpdir(), 'mfa-pglite-template-'));
  const path = join(dir, 'migrated.tar');
  writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', path);
  return () => rmSync(dir, { recursive: true, force: true });
}
