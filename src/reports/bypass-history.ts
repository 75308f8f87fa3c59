// One-time bypass history (`mfa_bypass_events`): MFA Server's "Bypassed User History", which has
// no API and ended with MFA Server (retired 2024-09-30, graph-data.md §5.1): imported rows only.
import { and, count, desc, gt, gte, lt, sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { mfaBypassEvents } from '../../db/schema.js';
import type { Period } from '../time/period.js';
import { provenanceOf, userCondition, type Provenance, type UserFilter } from './block-history.js';

export interface BypassQuery {
  period: Period;
  user: UserFilter | null;
  /** What "still valid" is measured against. */
  now: Date;
  offset: number;
  /** null: every bypass of the period (export). */
  limit: number | null;
}

export interface BypassEvent {
  upn: string;
  seconds: number;
  reason: string | null;
  actor: string | null;
  occurredAt: Date;
  expiresAt: Date;
  replicationGroup: string | null;
  source: string;
  stillValid: boolean;
}

export interface BypassHistoryReport {
  period: Period;
  user: UserFilter | null;
  bypasses: number;
  users: number;
  /** Bypasses of the period still valid now. */
  stillValid: number;
  /** Median bypass length in the period, seconds. */
  medianSeconds: number | null;
  rows: BypassEvent[];
  /** Bypasses valid now, whenever granted (matching the user filter): the ones to act on. */
  validNow: BypassEvent[];
  provenance: Provenance;
}

export async function bypassHistoryReport(store: Store, query: BypassQuery): Promise<BypassHistoryReport> {
  const t = mfaBypassEvents;
  const who = userCondition(t, query.user);
  const inPeriod = and(gte(t.occurredAt, query.period.from), lt(t.occurredAt, query.period.to), who);
  const toEvent = (e: typeof t.$inferSelect): BypassEvent => ({
    upn: e.upn,
    seconds: e.seconds,
    reason: e.reason,
    actor: e.actor,
    occurredAt: e.occurredAt,
    expiresAt: e.expiresAt,
    replicationGroup: e.replicationGroup,
    source: e.source,
    stillValid: e.expiresAt > query.now,
  });

  const [totals, validNow, provenance] = await Promise.all([
    store.db
      .select({
        bypasses: count(),
        users: sql<number>`count(distinct lower(${t.upn}))`.mapWith(Number),
        stillValid: sql<number>`count(*) filter (where ${t.expiresAt} > ${query.now.toISOString()}::timestamptz)`.mapWith(Number),
        medianSeconds: sql<number | null>`percentile_disc(0.5) within group (order by ${t.seconds})`,
      })
      .from(t)
      .where(inPeriod),
    store.db
      .select()
      .from(t)
      .where(and(gt(t.expiresAt, query.now), who))
      .orderBy(desc(t.expiresAt)),
    provenanceOf(store, t),
  ]);
  const base = store.db.select().from(t).where(inPeriod).orderBy(desc(t.occurredAt), desc(t.id)).offset(query.offset);
  const rows = query.limit === null ? await base : await base.limit(query.limit);
  const row = totals[0];
  return {
    period: query.period,
    user: query.user,
    bypasses: Number(row?.bypasses ?? 0),
    users: Number(row?.users ?? 0),
    stillValid: Number(row?.stillValid ?? 0),
    medianSeconds: row?.medianSeconds === null || row?.medianSeconds === undefined ? null : Number(row.medianSeconds),
    rows: rows.map(toEvent),
    validNow: validNow.map(toEvent),
    provenance,
  };
}
