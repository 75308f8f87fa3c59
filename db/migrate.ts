// Applies the drizzle-kit migrations in db/migrations. drizzle's migrator takes no lock and two
// replicas starting together race (one fails on a duplicate schema), so on Postgres the whole run
// holds a session advisory lock on its own single connection.
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { PGlite } from '@electric-sql/pglite';

// Up and back into db/: the same path from db/migrate.ts (tsx, tests) and from dist/main.js (the
// bundle `npm start` runs, which has this module inlined).
export const migrationsFolder = fileURLToPath(new URL('../db/migrations', import.meta.url));

/** An arbitrary constant that names "mfa-bot migrations" among advisory locks. */
const MIGRATION_LOCK_KEY = 7_316_202_611;

export type MigrationTarget = { pglite: PGlite } | { databaseUrl: string };

export async function runMigrations(target: MigrationTarget): Promise<void> {
  if ('pglite' in target) {
    // One process owns a PGlite folder (see pglite-lock.ts), so no lock is needed here. Loaded
    // on demand, like PGlite itself (see client.ts).
    const [{ drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([import('drizzle-orm/pglite'), import('drizzle-orm/pglite/migrator')]);
    await migratePglite(drizzlePglite(target.pglite), { migrationsFolder });
    return;
  }
  const connection = postgres(target.databaseUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await connection`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await migratePostgres(drizzlePostgres(connection), { migrationsFolder });
    } finally {
      await connection`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await connection.end({ timeout: 5 });
  }
}
