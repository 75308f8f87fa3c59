// A real, freshly migrated store per test file: in-memory PGlite, or (in the postgres project) a
// new database on the DATABASE_URL server, dropped afterwards. Never a mock. PGlite stores start
// from the run's migrated dump (pglite-template-global.ts), and migrations then find nothing to do.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openStore, type Store } from '../../db/client.js';

export interface TestStore extends Store {
  /** The URL of the fresh Postgres database, when on Postgres. */
  databaseUrl: string | undefined;
}

export function testBackend(): 'pglite' | 'postgres' {
  return process.env.MFA_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

let migratedDump: Promise<Blob> | undefined;

/** The run's migrated PGlite dump (pglite-template-global.ts), in the pglite project. */
export function migratedTemplate(): Promise<Blob> | undefined {
  const path = inject('pgliteTemplate');
  if (!path) return undefined;
  migratedDump ??= readFile(path).then((bytes) => new Blob([bytes]));
  return migratedDump;
}

export async function openTestStore(): Promise<TestStore> {
  if (testBackend() === 'pglite') {
    const store = await openStore({ databaseUrl: 'memory://', pgliteDir: '', pgliteFrom: await migratedTemplate() });
    return Object.assign(store, { databaseUrl: undefined });
  }
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('MFA_TEST_DB=postgres needs DATABASE_URL');
  const name = `mfa_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const store = await openStore({ databaseUrl: url.toString(), pgliteDir: '' });
  const close = store.close.bind(store);
  return Object.assign(store, {
    databaseUrl: url.toString(),
    async close() {
      await close();
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  });
}
