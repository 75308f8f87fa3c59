// Migrations: on PGlite, that they build the whole schema; on Postgres (project `postgres`), that
// replicas starting together serialise on the advisory lock and apply each migration once.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../db/client.js';
import { isStoreUnavailable } from '../../db/errors.js';
import { PARTITIONED_TABLES } from '../../db/partitions.js';
import * as schema from '../../db/schema.js';
import { openTestStore } from '../support/test-store.js';
import { seedDemoTenant } from '../../src/seed/seed-store.js';
import { rejection } from '../support/rejection.js';

const onPostgres = process.env.MFA_TEST_DB === 'postgres';

const schemaTables = (Object.values(schema) as unknown[])
  .filter((value): value is PgTable => is(value, PgTable))
  .map((table) => getTableName(table))
  .sort();

const journal = JSON.parse(readFileSync(new URL('../../db/migrations/meta/_journal.json', import.meta.url), 'utf8')) as {
  entries: { idx: number; when: number; tag: string }[];
};

async function publicTables(store: Store): Promise<string[]> {
  const rows = await store.rows<{ table_name: string }>(sql`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`);
  return rows.map((row) => row.table_name);
}

async function partitionedTables(store: Store): Promise<string[]> {
  const rows = await store.rows<{ relname: string }>(sql`
    select c.relname from pg_partitioned_table p
    join pg_class c on c.oid = p.partrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' order by c.relname`);
  return rows.map((row) => row.relname);
}

it('the schema module declares the tables the checks below look for', () => {
  expect(schemaTables).toContain('signins');
  expect(schemaTables).toContain('signin_ca_policies');
  expect(schemaTables).toContain('sync_cursors');
  expect(schemaTables.length).toBeGreaterThanOrEqual(15);
  expect(journal.entries.length).toBeGreaterThan(0);
});

describe.runIf(!onPostgres)('migrations on PGlite', () => {
  it('create every table in db/schema.ts, with signins partitioned', { timeout: 120_000 }, async () => {
    const store = await openStore({ databaseUrl: 'memory://', pgliteDir: '' });
    try {
      expect(store.kind).toBe('pglite');
      expect(await publicTables(store)).toEqual(schemaTables);
      expect(await partitionedTables(store)).toEqual([...PARTITIONED_TABLES].sort());
    } finally {
      await store.close();
    }
  });
});

describe.runIf(onPostgres)('migrations on Postgres', () => {
  it('four stores opening a fresh database together all succeed and apply each migration once', { timeout: 120_000 }, async () => {
    const serverUrl = process.env.DATABASE_URL;
    if (!serverUrl) throw new Error('MFA_TEST_DB=postgres needs DATABASE_URL');
    const name = `mfa_migrate_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const opened: Store[] = [];
    try {
      await admin.unsafe(`CREATE DATABASE "${name}"`);
      const results = await Promise.allSettled(
        Array.from({ length: 4 }, () => openStore({ databaseUrl: url.toString(), pgliteDir: '', maxConnections: 2 })),
      );
      for (const result of results) if (result.status === 'fulfilled') opened.push(result.value);
      expect(results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'fulfilled'))).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'fulfilled',
      ]);

      const store = opened[0]!;
      expect(store.kind).toBe('postgres');
      const applied = await store.rows<{ created_at: string }>(
        sql`select created_at from drizzle.__drizzle_migrations order by created_at`,
      );
      expect(applied.map((row) => Number(row.created_at))).toEqual(journal.entries.map((entry) => entry.when).sort((a, b) => a - b));

      expect(await publicTables(store)).toEqual(schemaTables);
      expect(await partitionedTables(store)).toEqual([...PARTITIONED_TABLES].sort());
    } finally {
      await Promise.all(opened.map((store) => store.close()));
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });

  it('isStoreUnavailable is true when the server cannot be reached', { timeout: 30_000 }, async () => {
    const error = await rejection(openStore({ databaseUrl: 'postgres://postgres@127.0.0.1:1/postgres', pgliteDir: '' }));
    expect((error as { code?: unknown }).code).toBe('ECONNREFUSED');
    expect(isStoreUnavailable(error)).toBe(true);
  });

  it('isStoreUnavailable is false for a bug such as a syntax error', { timeout: 60_000 }, async () => {
    const store = await openTestStore();
    try {
      const error = await rejection(store.rows(sql`selec 1`));
      // drizzle wraps the driver's error; the SQLSTATE is on its cause.
      expect(error).toMatchObject({ cause: { code: '42601' } });
      expect(isStoreUnavailable(error)).toBe(false);
    } finally {
      await store.close();
    }
  });
});

describe('migration 0019 on a store written before it', () => {
  // Its statements that make the quarter-hour tier's partitions and fill them from the sign-ins.
  const filling = readFileSync(new URL('../../db/migrations/0019_quarter_hour_rollups.sql', import.meta.url), 'utf8')
    .split('--> statement-breakpoint')
    .filter((statement) => /^\s*(DO \$\$|(--[^\n]*\n)*INSERT INTO "signin_quarter)/.test(statement));

  const tier = async (store: Store) => ({
    facts: await store.rows(sql`select quarter, mfa_required, mfa_outcome, mfa_result_code, mfa_result_detail, mfa_method, error_code,
      onprem_component, ca_status, signins from signin_quarterly order by 1, 2, 3, 4, 5, 6, 7, 8, 9`),
    sets: await store.rows(sql`select start, kind, key, chunk, bits::text as bits from signin_quarter_user_sets order by 1, 2, 3, 4`),
  });

  it('makes the partitions and fills the quarter-hour tier as the ingest path does', { timeout: 120_000 }, async () => {
    expect(filling.length).toBe(3);
    const store = await openTestStore();
    try {
      await seedDemoTenant(store, { users: 40, days: 3, seed: 5, now: new Date('2026-11-27T09:47:13Z') });
      const written = await tier(store);
      expect(written.facts.length).toBeGreaterThan(100);
      expect(written.sets.length).toBeGreaterThan(100);
      // As a store from before it: no quarter-hour partitions (so none of their rows), and some
      // sign-ins without the user number migration 0013 added.
      const partitionsOf = (parents: string[]) =>
        store.rows<{ relname: string }>(sql`
          select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
          where p.relname = any(${sql.param(parents)}::text[]) order by 1`);
      const days = (await partitionsOf(['signins'])).map((p) => p.relname.slice('signins'.length));
      expect(days.length).toBeGreaterThanOrEqual(3);
      const parts = await partitionsOf(['signin_quarterly', 'signin_quarter_user_sets']);
      expect(parts.map((p) => p.relname)).toEqual([...days.map((d) => `signin_quarter_user_sets${d}`), ...days.map((d) => `signin_quarterly${d}`)]);
      for (const { relname } of parts) await store.rows(sql.raw(`drop table "${relname}"`));
      await store.rows(sql`update signins set user_num = null where right(md5(id), 1) < '8'`);
      for (const statement of filling) await store.rows(sql.raw(statement));
      expect(await partitionsOf(['signin_quarterly', 'signin_quarter_user_sets'])).toEqual(parts);
      expect(await tier(store)).toEqual(written);
    } finally {
      await store.close();
    }
  });
});
