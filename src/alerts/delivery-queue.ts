// The two tables the dispatcher delivers from, `fraud_reports` (alerts) and `slack_outbox`
// (summaries, escalations, notices), used as one kind of work queue: rows are claimed with
// `FOR UPDATE SKIP LOCKED`, so two replicas never hold the same row, and every write after the
// claim is guarded by it. A claim older than the lease (its replica died) is free again.
// Times come from the dispatcher's clock, never the database's, so tests can move time.
import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import type { DeliveryLedger } from './deliver-once.js';

export interface QueueTable {
  name: 'fraud_reports' | 'slack_outbox';
  state: 'alert_state' | 'state';
  attempts: 'delivery_attempts' | 'attempts';
  error: 'last_delivery_error' | 'last_error';
}

export const FRAUD_QUEUE: QueueTable = { name: 'fraud_reports', state: 'alert_state', attempts: 'delivery_attempts', error: 'last_delivery_error' };
export const OUTBOX_QUEUE: QueueTable = { name: 'slack_outbox', state: 'state', attempts: 'attempts', error: 'last_error' };

const iso = (ms: number) => new Date(ms).toISOString();
const ident = (name: string) => sql.raw(`"${name}"`);

export interface ClaimOptions {
  instanceId: string;
  nowMs: number;
  leaseMs: number;
  limit: number;
  /** Rows this pass already put back (a reply waiting for its parent): not again in this pass. */
  exclude: readonly number[];
}

/** Claims up to `limit` pending rows that are due, oldest first; returns their ids in order. */
export async function claimDue(store: Store, table: QueueTable, options: ClaimOptions): Promise<number[]> {
  const now = iso(options.nowMs);
  const leaseCutoff = iso(options.nowMs - options.leaseMs);
  const t = ident(table.name);
  const rows = await store.rows<{ id: number | string }>(sql`
    UPDATE ${t} SET "claimed_by" = ${options.instanceId}, "claimed_at" = ${now}::timestamptz
    WHERE "id" IN (
      SELECT "id" FROM ${t}
      WHERE ${ident(table.state)} = 'pending'
        AND ("claimed_at" IS NULL OR "claimed_at" < ${leaseCutoff}::timestamptz)
        AND ("next_attempt_at" IS NULL OR "next_attempt_at" <= ${now}::timestamptz)
        AND NOT ("id" = ANY(${sql.param(options.exclude.map(Number))}::bigint[]))
      ORDER BY "id"
      LIMIT ${options.limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING "id"`);
  return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
}

/** Puts a claimed row back without an attempt (it will be claimed again). */
export async function unclaim(store: Store, table: QueueTable, id: number, instanceId: string): Promise<void> {
  await store.rows(sql`
    UPDATE ${ident(table.name)} SET "claimed_by" = NULL, "claimed_at" = NULL
    WHERE "id" = ${id} AND "claimed_by" = ${instanceId} RETURNING "id"`);
}

export interface LedgerOptions {
  instanceId: string;
  channel: string;
  threadTs: string | null;
  /** More columns to set with the first write of each attempt (the fraud alert's thread parent). */
  onAttempt?: SQL;
}

export function queueLedger(store: Store, table: QueueTable, id: number, options: LedgerOptions): DeliveryLedger {
  const t = ident(table.name);
  const mine = sql`"id" = ${id} AND "claimed_by" = ${options.instanceId}`;
  const extra = options.onAttempt ? sql`, ${options.onAttempt}` : sql``;
  const threadTs = table.name === 'fraud_reports' ? sql`, "slack_thread_ts" = ${options.threadTs}` : sql``;
  return {
    async beginAttempt(nowMs) {
      const now = iso(nowMs);
      // The channel is recorded with the attempt: a later look for it must search where it went.
      const channelColumn = table.name === 'fraud_reports' ? sql`, "slack_channel" = ${options.channel}` : sql``;
      const rows = await store.rows(sql`
        UPDATE ${t} SET "claimed_at" = ${now}::timestamptz,
          ${ident(table.attempts)} = ${ident(table.attempts)} + 1,
          "post_attempted_at" = coalesce("post_attempted_at", ${now}::timestamptz)
          ${channelColumn}${threadTs}${extra}
        WHERE ${mine} AND ${ident(table.state)} = 'pending'
        RETURNING "id"`);
      return rows.length > 0;
    },
    async notPosted() {
      await store.rows(sql`UPDATE ${t} SET "post_attempted_at" = NULL WHERE ${mine} RETURNING "id"`);
    },
    async posted(ts, nowMs) {
      // Not guarded by the claim: whoever learns the ts records it, even after losing the claim.
      const channelColumn = table.name === 'fraud_reports' ? sql`, "slack_channel" = ${options.channel}` : sql``;
      await store.rows(sql`
        UPDATE ${t} SET ${ident(table.state)} = 'posted', "slack_ts" = ${ts}, "posted_at" = ${iso(nowMs)}::timestamptz,
          "claimed_by" = NULL, "claimed_at" = NULL, "post_attempted_at" = NULL, "next_attempt_at" = NULL,
          ${ident(table.error)} = NULL ${channelColumn}${threadTs}
        WHERE "id" = ${id} AND ${ident(table.state)} = 'pending'
        RETURNING "id"`);
    },
    async release(error, retryAtMs) {
      await store.rows(sql`
        UPDATE ${t} SET "claimed_by" = NULL, "claimed_at" = NULL, "next_attempt_at" = ${iso(retryAtMs)}::timestamptz,
          ${ident(table.error)} = ${error}
        WHERE ${mine}
        RETURNING "id"`);
    },
  };
}
