// The benchmark tenant: the demo tenant generator sized to --signins (users = signins / 100,
// 30 days), loaded through the real ingest path (seedDemoTenant), then VACUUM ANALYZE.
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import type { Store } from '../db/client.js';
import { seedDemoTenant, type SeedSummary } from '../src/seed/seed-store.js';

export const BENCH_DAYS = 30;
export const BENCH_SEED = 42;

export interface TenantShape {
  users: number;
  days: number;
  signinsPerUserPerDay: number;
}

/**
 * The generator's rates are averages (weekends are quieter) and it lands short of them: 0.5 % on
 * one 10M build, 1.6 % on another (9,836,302 of 10,000,000 asked with 1 % more), 2.5 % on a third
 * (9,998,377 asked with 2.5 % more), depending on how many weekend days the 30 days hold. Asking
 * 4 % more makes the tenant hold at least `signins`.
 */
const GENERATOR_MARGIN = 1.04;

export function tenantShape(signins: number): TenantShape {
  const users = Math.max(100, Math.round(signins / 100));
  return { users, days: BENCH_DAYS, signinsPerUserPerDay: (signins * GENERATOR_MARGIN) / (users * BENCH_DAYS) };
}

export interface BuiltTenant {
  shape: TenantShape;
  now: Date;
  /** Absent when an earlier run's database was reused (--tenant-db). */
  summary?: SeedSummary;
  /** Rows in `signins` after the load. */
  signinRows: number;
  caPolicyRows: number;
  loadSeconds: number;
  /** Sign-ins written per second by the whole seed (informational: the real ingest path). */
  loadRowsPerSecond: number;
  vacuumSeconds: number;
}

export async function buildTenant(store: Store, signins: number, now: Date, onProgress: (line: string) => void): Promise<BuiltTenant> {
  const shape = tenantShape(signins);
  const started = performance.now();
  let lastReport = started;
  const summary = await seedDemoTenant(store, { users: shape.users, days: shape.days, seed: BENCH_SEED, now, signinsPerUserPerDay: shape.signinsPerUserPerDay }, (phase, done) => {
    const at = performance.now();
    if (at - lastReport < 10_000) return;
    lastReport = at;
    onProgress(`  seeding: ${phase} ${done.toLocaleString('en-US')} (${Math.round(done / ((at - started) / 1000)).toLocaleString('en-US')}/s)`);
  });
  const loadSeconds = (performance.now() - started) / 1000;
  const vacuumStarted = performance.now();
  await store.db.execute(sql`VACUUM ANALYZE`);
  const vacuumSeconds = (performance.now() - vacuumStarted) / 1000;
  const [counts] = await store.rows<{ signins: string; policies: string }>(
    sql`SELECT (SELECT count(*) FROM "signins") AS "signins", (SELECT count(*) FROM "signin_ca_policies") AS "policies"`,
  );
  const signinRows = Number(counts?.signins ?? 0);
  return {
    shape,
    now,
    summary,
    signinRows,
    caPolicyRows: Number(counts?.policies ?? 0),
    loadSeconds,
    loadRowsPerSecond: signinRows / loadSeconds,
    vacuumSeconds,
  };
}

/** Real users and sign-in ids to ask about, spread over the tenant (not one hot row). */
export async function pickSamples(store: Store, signinRows: number, count = 50): Promise<{ upns: string[]; signinIds: string[] }> {
  const percent = Math.min(100, Math.max(0.05, ((count * 20) / Math.max(1, signinRows)) * 100));
  let rows = await store.rows<{ id: string; upn: string | null }>(
    sql.raw(`SELECT "id", "upn" FROM "signins" TABLESAMPLE SYSTEM (${percent.toFixed(4)}) REPEATABLE (42) LIMIT ${count * 20}`),
  );
  if (rows.length < count) rows = await store.rows<{ id: string; upn: string | null }>(sql`SELECT "id", "upn" FROM "signins" LIMIT ${count * 20}`);
  const signinIds = [...new Set(rows.map((r) => r.id))].slice(0, count);
  const upns = [...new Set(rows.map((r) => r.upn).filter((u): u is string => Boolean(u)))].slice(0, count);
  return { upns, signinIds };
}

/**
 * An earlier run's tenant (kept with --keep, or left by an interrupted run), brought up to the
 * current schema by openStore's migrations; only VACUUM ANALYZE is timed. Load figures are NaN;
 * its shape is what it holds (users numbered, UTC days stored), not what `--signins` would build.
 */
export async function reuseTenant(store: Store): Promise<BuiltTenant> {
  const vacuumStarted = performance.now();
  await store.db.execute(sql`VACUUM ANALYZE`);
  const vacuumSeconds = (performance.now() - vacuumStarted) / 1000;
  const [counts] = await store.rows<{ signins: string; policies: string; newest: Date | string | null; users: string; days: string }>(
    sql`SELECT (SELECT count(*) FROM "signins") AS "signins", (SELECT count(*) FROM "signin_ca_policies") AS "policies",
               (SELECT max("created_at") FROM "signins") AS "newest", (SELECT count(*) FROM "user_numbers") AS "users",
               (SELECT count(DISTINCT "day") FROM "signin_daily") AS "days"`,
  );
  const signinRows = Number(counts?.signins ?? 0);
  if (signinRows === 0) throw new Error('--tenant-db names a database without sign-ins');
  const users = Number(counts?.users ?? 0);
  const days = Number(counts?.days ?? 0);
  return {
    shape: { users, days, signinsPerUserPerDay: signinRows / Math.max(1, users * days) },
    now: counts?.newest ? new Date(counts.newest) : new Date(),
    signinRows,
    caPolicyRows: Number(counts?.policies ?? 0),
    loadSeconds: Number.NaN,
    loadRowsPerSecond: Number.NaN,
    vacuumSeconds,
  };
}
