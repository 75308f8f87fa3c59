// The resumable state of one Graph source in `sync_cursors`, and a lease so two runs (a cron tick
// on two replicas, or a cron tick and `npm run sync`) never page the same source at once.
//
// Row `<source>`:
//   cursor_at        newest record time of the last COMPLETED run; the next run starts a trailing
//                    window before it. Results come newest first, so it only moves when a run ends.
//   resume_link      while a run is unfinished: the nextLink after its last committed page.
//   last_run_at      when the last run ended (while running: when it started).
//   last_run_outcome 'ok: <counts>' | 'failed: <why> (<counts>)' | 'running (run <id>)' (the lease;
//                    renewed by every page commit).
// Row `<source>:pending`, only while a run is unfinished:
//   cursor_at        newest record time committed by that run so far. The resumed run skips the
//                    newest pages, so without it the cursor could not advance when it completes;
//                    and cursor_at itself must not move early, or a refused resume link (expired
//                    skiptoken) would leave a gap when the run starts afresh.
import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Store } from '../../db/client.js';

export interface ClaimedState {
  runId: string;
  cursorAt: Date | null;
  resumeLink: string | null;
  /** Newest record time committed by the unfinished run being resumed. */
  pendingCursorAt: Date | null;
}

export interface BusyState {
  busySince: Date | null;
}

const asDate = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(value as string | Date));
const pendingKey = (source: string) => `${source}:pending`;
const runningOutcome = (runId: string) => `running (run ${runId})`;

/** Default lease: a page never takes this long (retries and Retry-After waits included). */
export const DEFAULT_LEASE_MS = 60 * 60_000;

/**
 * Takes the source's lease and returns its state, or `{busySince}` when another run holds a live
 * lease. A lease not renewed for `leaseMs` (its process died) is taken over.
 */
export async function claimSource(store: Store, source: string, leaseMs = DEFAULT_LEASE_MS): Promise<ClaimedState | BusyState> {
  const runId = randomUUID();
  const [claimed] = await store.rows<{ cursor_at: unknown; resume_link: string | null }>(sql`
    insert into sync_cursors (source, last_run_at, last_run_outcome, updated_at)
    values (${source}, now(), ${runningOutcome(runId)}, now())
    on conflict (source) do update set last_run_at = now(), last_run_outcome = excluded.last_run_outcome, updated_at = now()
    where sync_cursors.last_run_outcome is null
       or sync_cursors.last_run_outcome not like 'running (run %'
       or sync_cursors.updated_at < now() - make_interval(secs => ${leaseMs / 1000})
    returning cursor_at, resume_link`);
  if (!claimed) {
    const [busy] = await store.rows<{ last_run_at: unknown }>(sql`select last_run_at from sync_cursors where source = ${source}`);
    return { busySince: asDate(busy?.last_run_at) };
  }
  const resumeLink = claimed.resume_link ?? null;
  let pendingCursorAt: Date | null = null;
  if (resumeLink) {
    const [pending] = await store.rows<{ cursor_at: unknown }>(sql`select cursor_at from sync_cursors where source = ${pendingKey(source)}`);
    pendingCursorAt = asDate(pending?.cursor_at);
  } else {
    await store.rows(sql`delete from sync_cursors where source = ${pendingKey(source)} returning source`);
  }
  return { runId, cursorAt: asDate(claimed.cursor_at), resumeLink, pendingCursorAt };
}

export function isBusy(state: ClaimedState | BusyState): state is BusyState {
  return 'busySince' in state;
}

/** A stored resume link that cannot be used (expired, other host): the run starts afresh. */
export async function discardResumePoint(store: Store, source: string, runId: string): Promise<void> {
  await store.db.transaction(async (tx) => {
    await tx.execute(sql`update sync_cursors set resume_link = null, updated_at = now() where source = ${source} and last_run_outcome = ${runningOutcome(runId)}`);
    await tx.execute(sql`delete from sync_cursors where source = ${pendingKey(source)}`);
  });
}

export class LeaseLostError extends Error {
  constructor(source: string) {
    super(`Another sync run took over ${source} (this run's lease expired); stopping so the two do not interleave`);
    this.name = 'LeaseLostError';
  }
}

/**
 * After a page is written: remember where the next page starts and the newest record time seen,
 * and renew the lease. `nextLink` null means the listing is finished (see completeRun).
 */
export async function commitPage(store: Store, source: string, runId: string, nextLink: string | null, newestAt: Date | null): Promise<void> {
  await store.db.transaction(async (tx) => {
    const updated = rowsOf(
      await tx.execute(sql`
        update sync_cursors set resume_link = ${nextLink}, updated_at = now()
        where source = ${source} and last_run_outcome = ${runningOutcome(runId)}
        returning source`),
    );
    if (updated.length === 0) throw new LeaseLostError(source);
    if (newestAt) {
      await tx.execute(sql`
        insert into sync_cursors (source, cursor_at, last_run_outcome, updated_at)
        values (${pendingKey(source)}, ${newestAt.toISOString()}::timestamptz, ${`newest record committed by the unfinished ${source} run`}, now())
        on conflict (source) do update set cursor_at = greatest(sync_cursors.cursor_at, excluded.cursor_at), updated_at = now()`);
    }
  });
}

/** The run read everything: advance the cursor, clear the resume point, release the lease. */
export async function completeRun(store: Store, source: string, runId: string, cursorAt: Date | null, outcome: string): Promise<void> {
  await store.db.transaction(async (tx) => {
    await tx.execute(sql`
      update sync_cursors
      set cursor_at = ${cursorAt ? cursorAt.toISOString() : null}::timestamptz, resume_link = null,
          last_run_at = now(), last_run_outcome = ${outcome.slice(0, 1000)}, updated_at = now()
      where source = ${source} and last_run_outcome = ${runningOutcome(runId)}`);
    await tx.execute(sql`delete from sync_cursors where source = ${pendingKey(source)}`);
  });
}

/** The run stopped early: keep cursor and resume point for the next run, release the lease. */
export async function failRun(store: Store, source: string, runId: string, outcome: string): Promise<void> {
  await store.rows(sql`
    update sync_cursors set last_run_at = now(), last_run_outcome = ${outcome.slice(0, 1000)}, updated_at = now()
    where source = ${source} and last_run_outcome = ${runningOutcome(runId)}
    returning source`);
}

/** postgres.js returns a row array, PGlite `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}
