// Block and unblock history (`mfa_block_events`): the requests of a period, who is blocked now,
// and where the rows came from. There is no Graph API for this history (graph-data.md §5.1, §9):
// rows are imported from MFA Server / portal report files, plus the automatic blocks Entra records
// as "Fraud reported - user is blocked for MFA" audit entries.
import { and, asc, count, desc, gte, lt, max, min, sql, type SQL } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { mfaBlockEvents, mfaBypassEvents } from '../../db/schema.js';
import type { Period } from '../time/period.js';
import { resolveUser, type ResolvedUser } from './resolve-user.js';

/** Entra's fraud auto-block (and the legacy MFA Server block) lasts this long (graph-data.md §5.1). */
export const FRAUD_BLOCK_DAYS = 90;

/** Which user rows a history report keeps: one UPN, or every UPN containing some text. */
export type UserFilter = { kind: 'exact'; upn: string; displayName: string | null } | { kind: 'contains'; text: string };

export type UserFilterResolution =
  | { kind: 'filter'; filter: UserFilter }
  | { kind: 'ambiguous'; candidates: ResolvedUser[]; total: number }
  | { kind: 'none' };

export type HistoryTable = typeof mfaBlockEvents | typeof mfaBypassEvents;

/** A parameterised condition on a table's `upn` (never a pattern built from user text). */
export function userCondition(table: HistoryTable, filter: UserFilter | null): SQL | undefined {
  if (!filter) return undefined;
  if (filter.kind === 'exact') return sql`lower(${table.upn}) = ${filter.upn}`;
  return sql`strpos(lower(${table.upn}), ${filter.text}) > 0`;
}

/**
 * What the admin typed, as a filter on a history table. The directory (and sign-ins) decide first,
 * so a display name or the part of a UPN before "@" finds the user; otherwise the text is matched
 * as part of the UPNs in the history itself (departed users are often only there).
 */
export async function resolveHistoryUser(store: Store, table: HistoryTable, text: string, period: Period): Promise<UserFilterResolution> {
  const q = text.trim().toLowerCase();
  // Nothing imported yet: the report says how to load it, whoever was asked about.
  const [any] = await store.db.select({ n: count() }).from(table);
  if (Number(any?.n ?? 0) === 0) return { kind: 'filter', filter: { kind: 'contains', text: q } };
  const resolved = await resolveUser(store, text, { signinsWithin: { from: period.from, to: period.to } });
  if (resolved.kind === 'found') {
    return { kind: 'filter', filter: { kind: 'exact', upn: resolved.user.upn, displayName: resolved.user.displayName } };
  }
  const [row] = await store.db.select({ n: count() }).from(table).where(userCondition(table, { kind: 'contains', text: q }));
  if (Number(row?.n ?? 0) > 0) return { kind: 'filter', filter: { kind: 'contains', text: q } };
  return resolved;
}

/** Where a history's rows came from, and how old the newest is. */
export interface Provenance {
  rows: number;
  /** Rows per `source` value ('import:mfa-server-csv', 'graph-audit', 'seed', …), most first. */
  sources: Array<{ source: string; rows: number }>;
  oldest: Date | null;
  newest: Date | null;
}

export async function provenanceOf(store: Store, table: HistoryTable): Promise<Provenance> {
  const [span, sources] = await Promise.all([
    store.db.select({ rows: count(), oldest: min(table.occurredAt), newest: max(table.occurredAt) }).from(table),
    store.db.select({ source: table.source, rows: count() }).from(table).groupBy(table.source).orderBy(desc(count()), asc(table.source)),
  ]);
  return {
    rows: Number(span[0]?.rows ?? 0),
    sources: sources.map((s) => ({ source: s.source, rows: Number(s.rows) })),
    oldest: span[0]?.oldest ? new Date(span[0].oldest) : null,
    newest: span[0]?.newest ? new Date(span[0].newest) : null,
  };
}

export interface BlockQuery {
  period: Period;
  user: UserFilter | null;
  offset: number;
  /** null: every event of the period (export). */
  limit: number | null;
}

export interface BlockEvent {
  upn: string;
  /** 'block' | 'unblock' */
  action: string;
  reason: string | null;
  actor: string | null;
  occurredAt: Date;
  source: string;
  /** The user's latest event (any time) is a block. */
  blockedNow: boolean;
}

export interface BlockedUser {
  upn: string;
  since: Date;
  reason: string | null;
  actor: string | null;
  source: string;
  /** Blocked automatically because the user reported fraud. */
  fraudAutoBlock: boolean;
}

export interface BlockHistoryReport {
  period: Period;
  user: UserFilter | null;
  /** Requests in the period. */
  events: number;
  blocks: number;
  unblocks: number;
  users: number;
  rows: BlockEvent[];
  /** Users whose latest event is a block, newest block first (matching the user filter). */
  blockedNow: BlockedUser[];
  provenance: Provenance;
}

export function isFraudAutoBlock(event: { reason: string | null; source: string }): boolean {
  return event.source === 'graph-audit' || /fraud/i.test(event.reason ?? '');
}

export async function blockHistoryReport(store: Store, query: BlockQuery): Promise<BlockHistoryReport> {
  const t = mfaBlockEvents;
  const who = userCondition(t, query.user);
  const inPeriod = and(gte(t.occurredAt, query.period.from), lt(t.occurredAt, query.period.to), who);

  const [totals, blockedRows, provenance] = await Promise.all([
    store.db
      .select({
        events: count(),
        blocks: sql<number>`count(*) filter (where ${t.action} = 'block')`.mapWith(Number),
        unblocks: sql<number>`count(*) filter (where ${t.action} = 'unblock')`.mapWith(Number),
        users: sql<number>`count(distinct lower(${t.upn}))`.mapWith(Number),
      })
      .from(t)
      .where(inPeriod),
    store.rows<{ upn: string; action: string; reason: string | null; actor: string | null; occurred_at: Date | string; source: string }>(sql`
      SELECT * FROM (
        SELECT DISTINCT ON (lower(${t.upn})) lower(${t.upn}) AS "upn", ${t.action} AS "action", ${t.reason} AS "reason",
               ${t.actor} AS "actor", ${t.occurredAt} AS "occurred_at", ${t.source} AS "source"
        FROM ${t}
        ${who ? sql`WHERE ${who}` : sql``}
        ORDER BY lower(${t.upn}), ${t.occurredAt} DESC, ${t.id} DESC
      ) AS latest
      WHERE "action" = 'block'
      ORDER BY "occurred_at" DESC, "upn"`),
    provenanceOf(store, t),
  ]);

  const base = store.db.select().from(t).where(inPeriod).orderBy(desc(t.occurredAt), desc(t.id)).offset(query.offset);
  const events = query.limit === null ? await base : await base.limit(query.limit);
  const blockedNow: BlockedUser[] = blockedRows.map((r) => ({
    upn: r.upn,
    since: new Date(r.occurred_at),
    reason: r.reason,
    actor: r.actor,
    source: r.source,
    fraudAutoBlock: isFraudAutoBlock(r),
  }));
  const blocked = new Set(blockedNow.map((b) => b.upn));
  const row = totals[0];
  return {
    period: query.period,
    user: query.user,
    events: Number(row?.events ?? 0),
    blocks: Number(row?.blocks ?? 0),
    unblocks: Number(row?.unblocks ?? 0),
    users: Number(row?.users ?? 0),
    rows: events.map((e) => ({
      upn: e.upn,
      action: e.action,
      reason: e.reason,
      actor: e.actor,
      occurredAt: e.occurredAt,
      source: e.source,
      blockedNow: blocked.has(e.upn.toLowerCase()),
    })),
    blockedNow,
    provenance,
  };
}
