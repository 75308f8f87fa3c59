// What the daily summary adds to `/mfa summary yesterday`: what happened that day besides the
// sign-in figures. New fraud alerts, blocks, unblocks and one-time bypasses, and users who became
// (or appeared) unregistered. The registration report is a snapshot without history, so a user
// counts as newly unregistered when their registration record changed that day and now shows no
// MFA method (userRegistrationDetails.lastUpdatedDateTime).
import { sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import type { Period } from '../time/period.js';

export interface NamedCount {
  count: number;
  /** The first few, for the post. */
  names: string[];
}

export interface DailyChanges {
  fraudAlerts: NamedCount & { fatigue: number; byStatus: Record<string, number> };
  blocked: NamedCount;
  unblocked: NamedCount;
  bypasses: NamedCount;
  newlyUnregistered: NamedCount;
}

export const NAMES_SHOWN = 10;

const range = (period: Period) => ({ from: period.from.toISOString(), to: period.to.toISOString() });

async function namedCount(store: Store, query: ReturnType<typeof sql>): Promise<NamedCount> {
  const rows = await store.rows<{ name: string; total: number }>(query);
  return { count: Number(rows[0]?.total ?? 0), names: rows.map((row) => row.name) };
}

export async function dailyChanges(store: Store, period: Period): Promise<DailyChanges> {
  const { from, to } = range(period);
  const inDay = (column: string) => sql`${sql.raw(column)} >= ${from}::timestamptz AND ${sql.raw(column)} < ${to}::timestamptz`;
  const [alerts, alertStats, blocked, unblocked, bypasses, unregistered] = await Promise.all([
    namedCount(
      store,
      sql`SELECT "upn" AS "name", count(*) OVER ()::int AS "total" FROM (
            SELECT "upn", min("reported_at") AS "first" FROM "fraud_reports" WHERE ${inDay('"reported_at"')} GROUP BY "upn") u
          ORDER BY "first" LIMIT ${NAMES_SHOWN}`,
    ),
    store.rows<{ status: string; kind: string; n: number }>(sql`
      SELECT "status", "kind", count(*)::int AS "n" FROM "fraud_reports" WHERE ${inDay('"reported_at"')} GROUP BY "status", "kind"`),
    namedCount(
      store,
      sql`SELECT "upn" AS "name", count(*) OVER ()::int AS "total" FROM (
            SELECT lower("upn") AS "upn", min("occurred_at") AS "first" FROM "mfa_block_events" WHERE "action" = 'block' AND ${inDay('"occurred_at"')} GROUP BY 1) u
          ORDER BY "first" LIMIT ${NAMES_SHOWN}`,
    ),
    namedCount(
      store,
      sql`SELECT "upn" AS "name", count(*) OVER ()::int AS "total" FROM (
            SELECT lower("upn") AS "upn", min("occurred_at") AS "first" FROM "mfa_block_events" WHERE "action" = 'unblock' AND ${inDay('"occurred_at"')} GROUP BY 1) u
          ORDER BY "first" LIMIT ${NAMES_SHOWN}`,
    ),
    namedCount(
      store,
      sql`SELECT "upn" AS "name", count(*) OVER ()::int AS "total" FROM (
            SELECT lower("upn") AS "upn", min("occurred_at") AS "first" FROM "mfa_bypass_events" WHERE ${inDay('"occurred_at"')} GROUP BY 1) u
          ORDER BY "first" LIMIT ${NAMES_SHOWN}`,
    ),
    namedCount(
      store,
      sql`SELECT "upn" AS "name", count(*) OVER ()::int AS "total" FROM "user_registrations"
          WHERE NOT "is_mfa_registered" AND ${inDay('"last_updated_at"')}
          ORDER BY "last_updated_at", "upn" LIMIT ${NAMES_SHOWN}`,
    ),
  ]);
  const byStatus: Record<string, number> = {};
  let fatigue = 0;
  let total = 0;
  for (const row of alertStats) {
    byStatus[row.status] = (byStatus[row.status] ?? 0) + Number(row.n);
    if (row.kind === 'mfa_fatigue') fatigue += Number(row.n);
    total += Number(row.n);
  }
  return {
    fraudAlerts: { count: total, names: alerts.names, fatigue, byStatus },
    blocked,
    unblocked,
    bypasses,
    newlyUnregistered: unregistered,
  };
}
