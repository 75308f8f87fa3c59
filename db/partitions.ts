// Daily range partitions of the time-partitioned tables. Writers call `ensureDailyPartitions`
// for the days of a batch before inserting; retention drops whole partitions.
import { sql } from 'drizzle-orm';
import type { Store } from './client.js';

/**
 * Parents partitioned by day, with the prefix of their partitions' names: the sign-ins, their
 * policy rows and the quarter-hour tier computed from them (a day's quarter rows live in the
 * same day's partitions, so retention drops them with it).
 */
export const PARTITIONED_TABLES = ['signins', 'signin_ca_policies', 'signin_quarterly', 'signin_quarter_user_sets'] as const;

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function partitionName(table: string, day: string): string {
  return `${table}_p${day.replaceAll('-', '')}`;
}

function nextDay(day: string): string {
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return utcDay(next);
}

const DUPLICATE_TABLE = '42P07';
const UNIQUE_VIOLATION = '23505';

/** Creates any missing daily partitions for `days` (YYYY-MM-DD, UTC). Safe to race. */
export async function ensureDailyPartitions(store: Store, days: Iterable<string>): Promise<void> {
  const wanted = [...new Set(days)].flatMap((day) => PARTITIONED_TABLES.map((table) => ({ table, day, name: partitionName(table, day) })));
  if (wanted.length === 0) return;
  const existing = await store.rows<{ relname: string }>(
    sql`select relname from pg_class where relname = any(${sql.param(wanted.map((w) => w.name))}::text[])`,
  );
  const have = new Set(existing.map((row) => row.relname));
  for (const { table, day, name } of wanted) {
    if (have.has(name)) continue;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`Not a day: ${day}`);
    try {
      await store.db.execute(
        sql.raw(`CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF "${table}" FOR VALUES FROM ('${day}T00:00:00Z') TO ('${nextDay(day)}T00:00:00Z')`),
      );
    } catch (error) {
      // Another writer created it between our check and our CREATE.
      const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
      if (code !== DUPLICATE_TABLE && code !== UNIQUE_VIOLATION) throw error;
    }
  }
}
