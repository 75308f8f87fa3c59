// Retention, daily: sign-ins older than RETENTION_DAYS go by dropping whole day partitions of
// `signins`, `signin_ca_policies` and their quarter-hour tier (`signin_quarterly`,
// `signin_quarter_user_sets`; never row by row: a day of a large tenant is millions of rows), with
// the matching rollup rows (`signin_hourly`, `signin_daily`, `signin_ca_hourly`, `signin_ca_daily`,
// `signin_onprem_hourly`, `signin_user_sets`, `signin_prompt_hourly`). The prompt flows that
// ended before the cut are trimmed after that, in batches: no answer reads them any more, and a
// day of them (about 100,000 rows at 10M sign-ins) in one statement took over a second.
// `user_signin_bounds` is left as it is: upper bounds stay upper bounds.
// Every other history is kept; only the bot's bookkeeping (finished job runs, delivered outbox
// rows) is trimmed after a month.
import { sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { PARTITIONED_TABLES, utcDay } from '../../db/partitions.js';
import { rebuildDayRuns, SET_KINDS, USER_SET_DAY_LEVELS } from '../ingest/user-sets.js';
import type { Job } from './job-runner.js';

export const RETENTION_JOB = 'retention';
const BOOKKEEPING_DAYS = 30;
const DAY_MS = 86_400_000;

export interface RetentionResult {
  /** The first day kept (its midnight, UTC). */
  cutoff: Date;
  droppedPartitions: string[];
  hourlyRows: number;
  bookkeepingRows: number;
}

/** Keeps the UTC days from `now - days` on; drops whole partitions before that. */
export async function applyRetention(store: Store, now: Date, days: number): Promise<RetentionResult> {
  const firstKept = utcDay(new Date(now.getTime() - days * DAY_MS));
  const partitions = await store.rows<{ relname: string }>(sql`
    SELECT c."relname" FROM "pg_inherits" i
    JOIN "pg_class" c ON c."oid" = i."inhrelid"
    JOIN "pg_class" p ON p."oid" = i."inhparent"
    WHERE p."relname" = ANY(${sql.param([...PARTITIONED_TABLES])}::text[])
    ORDER BY c."relname"`);
  const pattern = new RegExp(`^(${PARTITIONED_TABLES.join('|')})_p(\\d{4})(\\d{2})(\\d{2})$`);
  const dropped: string[] = [];
  for (const { relname } of partitions) {
    const match = pattern.exec(relname);
    if (!match || `${match[2]}-${match[3]}-${match[4]}` >= firstKept) continue;
    // On Postgres the partition is detached CONCURRENTLY first: a plain DROP would hold an
    // exclusive lock on the whole parent while it runs, stalling every report.
    if (store.kind === 'postgres') {
      const parent = match[1]!;
      await store.db.execute(sql.raw(`ALTER TABLE "${parent}" DETACH PARTITION "${relname}" CONCURRENTLY`)).catch(ignoreNotAPartition);
    }
    await store.db.execute(sql.raw(`DROP TABLE IF EXISTS "${relname}"`));
    dropped.push(relname);
  }
  const cutoff = `${firstKept}T00:00:00Z`;
  const hourly = await store.rows(sql`DELETE FROM "signin_hourly" WHERE "hour" < ${cutoff}::timestamptz RETURNING 1`);
  await store.db.execute(sql`DELETE FROM "signin_daily" WHERE "day" < ${cutoff}::timestamptz`);
  await store.db.execute(sql`DELETE FROM "signin_ca_hourly" WHERE "hour" < ${cutoff}::timestamptz`);
  await store.db.execute(sql`DELETE FROM "signin_ca_daily" WHERE "day" < ${cutoff}::timestamptz`);
  await store.db.execute(sql`DELETE FROM "signin_onprem_hourly" WHERE "hour" < ${cutoff}::timestamptz`);
  // Naming every level and kind lets the primary key (level, kind, start, ...) find the old rows;
  // "start" alone would read the whole table.
  await store.db.execute(sql`
    DELETE FROM "signin_user_sets"
    WHERE "level" = ANY(${sql.param(['hour', ...USER_SET_DAY_LEVELS])}::text[]) AND "kind" = ANY(${sql.param([...SET_KINDS])}::text[]) AND "start" < ${cutoff}::timestamptz`);
  // The runs of days that began before the cut but go on past it hold only kept days again; those
  // starting at the cut lost nothing and are left as they are.
  await rebuildDayRuns(store.db, [new Date(cutoff)], { startingBefore: new Date(cutoff) });
  await store.db.execute(sql`DELETE FROM "signin_prompt_hourly" WHERE "hour" < ${cutoff}::timestamptz`);
  const bookkeepingCutoff = new Date(now.getTime() - BOOKKEEPING_DAYS * DAY_MS).toISOString();
  const runs = await store.rows(sql`DELETE FROM "job_runs" WHERE "status" <> 'running' AND "slot" < ${bookkeepingCutoff}::timestamptz RETURNING 1`);
  const outbox = await store.rows(sql`DELETE FROM "slack_outbox" WHERE "state" = 'posted' AND "posted_at" < ${bookkeepingCutoff}::timestamptz RETURNING 1`);
  return { cutoff: new Date(cutoff), droppedPartitions: dropped, hourlyRows: hourly.length, bookkeepingRows: runs.length + outbox.length };
}

const TRIM_BATCH = 10_000;

/**
 * Deletes the prompt flows that ended before `cutoff`, a batch per statement. A flow that goes on
 * past the cut stays: a period after it counts the flow as going on into it.
 */
export async function trimPromptFlows(store: Store, cutoff: Date): Promise<number> {
  const before = cutoff.toISOString();
  let trimmed = 0;
  for (;;) {
    const gone = await store.rows(sql`
      DELETE FROM "prompt_flows" WHERE "flow" IN (
        SELECT "flow" FROM "prompt_flows"
        WHERE "first_at" < ${before}::timestamptz AND "last_at" < ${before}::timestamptz
        LIMIT ${TRIM_BATCH})
      RETURNING 1`);
    trimmed += gone.length;
    if (gone.length < TRIM_BATCH) return trimmed;
  }
}

/** A partition another replica already detached (or dropped) is fine: the DROP follows anyway. */
function ignoreNotAPartition(error: unknown): void {
  const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  // 42P01 undefined_table, 42809 wrong_object_type ("is not a partition of")
  if (code !== '42P01' && code !== '42809') throw error;
}

export function retentionJob(options: { store: Store; days: number; cron?: string }): Job {
  return {
    name: RETENTION_JOB,
    cron: options.cron ?? '30 3 * * *',
    async run({ now }) {
      const result = await applyRetention(options.store, now, options.days);
      const flows = await trimPromptFlows(options.store, result.cutoff);
      return `kept ${options.days} days: dropped ${result.droppedPartitions.length} partitions, ${result.hourlyRows} hourly rollup rows, ${result.bookkeepingRows} bookkeeping rows, ${flows} prompt flows`;
    },
  };
}
