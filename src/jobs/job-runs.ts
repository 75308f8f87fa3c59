// `job_runs`: one row per job and slot, shared by every replica. Inserting the row is winning the
// slot (the node-cron RunCoordinator of job-runner.ts), so a slot runs once however many replicas
// fire it, and again after a restart only if its run failed or its replica died mid-run.
import { sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';

/** A failed slot is tried again (by catch-up) at most this many times in all. */
export const MAX_SLOT_ATTEMPTS = 3;

export interface ClaimSlot {
  job: string;
  slot: Date;
  instanceId: string;
  now: Date;
  /** A run still 'running' after this long is presumed dead and may be taken over. */
  staleAfterMs: number;
}

/** Takes the slot; false when another run has it (or had it and finished). */
export async function claimSlot(store: Store, claim: ClaimSlot): Promise<boolean> {
  const now = claim.now.toISOString();
  const staleBefore = new Date(claim.now.getTime() - claim.staleAfterMs).toISOString();
  const rows = await store.rows(sql`
    INSERT INTO "job_runs" ("job", "slot", "claimed_by", "started_at", "status", "attempts")
    VALUES (${claim.job}, ${claim.slot.toISOString()}::timestamptz, ${claim.instanceId}, ${now}::timestamptz, 'running', 1)
    ON CONFLICT ("job", "slot") DO UPDATE SET
      "claimed_by" = excluded."claimed_by", "started_at" = excluded."started_at", "status" = 'running',
      "finished_at" = NULL, "detail" = NULL, "attempts" = "job_runs"."attempts" + 1
    WHERE ("job_runs"."status" = 'failed' AND "job_runs"."attempts" < ${MAX_SLOT_ATTEMPTS})
       OR ("job_runs"."status" = 'running' AND "job_runs"."started_at" < ${staleBefore}::timestamptz)
    RETURNING "job"`);
  return rows.length > 0;
}

export async function finishSlot(store: Store, job: string, slot: Date, instanceId: string, now: Date, status: 'ok' | 'failed', detail: string | null): Promise<void> {
  await store.rows(sql`
    UPDATE "job_runs" SET "status" = ${status}, "finished_at" = ${now.toISOString()}::timestamptz, "detail" = ${detail?.slice(0, 2000) ?? null}
    WHERE "job" = ${job} AND "slot" = ${slot.toISOString()}::timestamptz AND "claimed_by" = ${instanceId}
    RETURNING "job"`);
}

export interface SlotRecord {
  slot: Date;
  status: string;
  attempts: number;
  startedAt: Date;
}

/** The job's slots since `from` (inclusive). */
export async function slotsSince(store: Store, job: string, from: Date): Promise<SlotRecord[]> {
  const rows = await store.rows<{ slot: string | Date; status: string; attempts: number; started_at: string | Date }>(sql`
    SELECT "slot", "status", "attempts", "started_at" FROM "job_runs"
    WHERE "job" = ${job} AND "slot" >= ${from.toISOString()}::timestamptz ORDER BY "slot"`);
  return rows.map((row) => ({ slot: new Date(row.slot), status: row.status, attempts: Number(row.attempts), startedAt: new Date(row.started_at) }));
}

/** The job's first recorded slot: a fresh install does not catch up slots from before it existed. */
export async function firstSlot(store: Store, job: string): Promise<Date | null> {
  const [row] = await store.rows<{ first: string | Date | null }>(sql`SELECT min("slot") AS "first" FROM "job_runs" WHERE "job" = ${job}`);
  return row?.first ? new Date(row.first) : null;
}
