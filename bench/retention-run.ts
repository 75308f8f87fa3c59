// Retention at scale: removing the oldest day of sign-ins (applyRetention, the daily job's own
// function, with a retention that keeps every day but the oldest) while readers keep asking: a
// `/mfa summary 30d` loop against the bot and a plain SQL reader on its own connection. Reports
// the job's duration, the rows removed, how long any reader took while it ran, and whether a
// reader waited on a lock (pg_stat_activity, polled every 10 ms): the "no table-wide lock" check.
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import type { Store } from '../db/client.js';
import { applyRetention, trimPromptFlows } from '../src/jobs/retention.js';
import type { RunningBot } from './bot-process.js';
import { distribution } from './percentiles.js';
import { ask } from './slash-client.js';

const DAY_MS = 86_400_000;

export interface RetentionRun {
  droppedPartitions: string[];
  rowsRemoved: number;
  caRowsRemoved: number;
  /** Prompt flows that ended before the cut, trimmed after it (the job's second step), and how long that took. */
  trimmedFlows: number;
  trimSeconds: number;
  seconds: number;
  /** Longest reader request that overlapped the retention run, ms (bot and SQL readers). */
  readerMaxMsDuring: number;
  botReaderMaxMsDuring: number;
  sqlReaderMaxMsDuring: number;
  /** Readers' p50 before the run, for comparison. */
  botReaderP50BeforeMs: number;
  sqlReaderP50BeforeMs: number;
  readerErrors: number;
  /** Reader queries (bot or SQL) seen waiting on a lock while retention ran, and the longest such wait seen, ms. */
  readersWaitingOnLock: number;
  longestLockWaitMs: number;
  /** What waited, and how long: "50 ms: SELECT ...". */
  lockWaiters: string[];
}

interface Sample {
  start: number;
  end: number;
}

export async function runRetention(store: Store, bot: RunningBot, databaseUrl: string, onProgress: (line: string) => void): Promise<RetentionRun> {
  const parts = await store.rows<{ relname: string }>(sql`
    SELECT c."relname" FROM "pg_inherits" i JOIN "pg_class" c ON c."oid" = i."inhrelid" JOIN "pg_class" p ON p."oid" = i."inhparent"
    WHERE p."relname" = 'signins' ORDER BY c."relname"`);
  const oldest = parts[0]?.relname;
  const match = oldest ? /^signins_p(\d{4})(\d{2})(\d{2})$/.exec(oldest) : null;
  if (!match) throw new Error('No daily sign-in partition to remove');
  const oldestDay = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const now = new Date();
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  // applyRetention keeps the UTC days from now - days on: keep from the day after the oldest.
  const days = Math.round((today - (oldestDay + DAY_MS)) / DAY_MS);
  const [counts] = await store.rows<{ signins: string; policies: string }>(
    sql.raw(`SELECT (SELECT count(*) FROM "${oldest}") AS "signins", (SELECT count(*) FROM "signin_ca_policies_p${match[1]}${match[2]}${match[3]}") AS "policies"`),
  );

  const readerClient = postgres(databaseUrl, { max: 1, onnotice: () => {}, connection: { TimeZone: 'UTC', application_name: 'mfa-bench-reader' } });
  const botSamples: Sample[] = [];
  const sqlSamples: Sample[] = [];
  let errors = 0;
  let stop = false;
  const botLoop = (async () => {
    while (!stop) {
      const start = performance.now();
      const asked = await ask(bot, 'summary 30d');
      botSamples.push({ start, end: start + asked.ms });
      if (asked.problem) errors += 1;
    }
  })();
  // Lock check: a monitor connection watches for reader queries waiting on a lock (not the
  // retention's own DETACH/DROP/DELETE, which also runs as application 'mfa-bot': DETACH
  // CONCURRENTLY itself waits for older snapshots). What waited is kept, to say which query it was.
  const monitor = postgres(databaseUrl, { max: 1, onnotice: () => {}, connection: { application_name: 'mfa-bench-monitor' } });
  const waiting = new Map<number, { ms: number; query: string }>();
  let watching = false;
  const monitorLoop = (async () => {
    while (!stop) {
      if (watching) {
        const rows = await monitor<{ pid: number; waited_ms: number; query: string }[]>`
          SELECT "pid", extract(epoch FROM clock_timestamp() - "query_start") * 1000 AS "waited_ms", left("query", 120) AS "query" FROM "pg_stat_activity"
          WHERE "datname" = current_database() AND "wait_event_type" = 'Lock' AND "pid" <> pg_backend_pid()
            AND "application_name" IN ('mfa-bot', 'mfa-bench-reader') AND "query" !~* '^\s*(drop|delete|alter)'`.catch(() => []);
        for (const row of rows) {
          const ms = Number(row.waited_ms);
          if (ms >= (waiting.get(row.pid)?.ms ?? 0)) waiting.set(row.pid, { ms, query: row.query.replace(/\s+/g, ' ') });
        }
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const sqlLoop = (async () => {
    while (!stop) {
      const start = performance.now();
      try {
        await readerClient`SELECT count(*) FROM "signins" WHERE "created_at" >= now() - interval '1 hour'`;
      } catch {
        errors += 1;
      }
      sqlSamples.push({ start, end: performance.now() });
    }
  })();

  try {
    await new Promise((r) => setTimeout(r, 2000));
    watching = true;
    const startedAt = performance.now();
    const result = await applyRetention(store, now, days);
    const removedAt = performance.now();
    // The daily job then trims the prompt flows that ended before the cut, in batches; readers
    // are watched through both.
    const trimmedFlows = await trimPromptFlows(store, result.cutoff);
    const endedAt = performance.now();
    await new Promise((r) => setTimeout(r, 1000));
    stop = true;
    await Promise.all([botLoop, sqlLoop, monitorLoop]);

    const during = (samples: Sample[]) =>
      samples.filter((s) => s.end >= startedAt && s.start <= endedAt).reduce((max, s) => Math.max(max, s.end - s.start), 0);
    const before = (samples: Sample[]) => distribution(samples.filter((s) => s.end < startedAt).map((s) => s.end - s.start)).p50;
    const botMax = during(botSamples);
    const sqlMax = during(sqlSamples);
    onProgress(`  dropped ${result.droppedPartitions.join(', ')} in ${((removedAt - startedAt) / 1000).toFixed(3)} s; trimmed ${trimmedFlows} prompt flows in ${((endedAt - removedAt) / 1000).toFixed(3)} s`);
    return {
      droppedPartitions: result.droppedPartitions,
      rowsRemoved: Number(counts?.signins ?? 0),
      caRowsRemoved: Number(counts?.policies ?? 0),
      seconds: (removedAt - startedAt) / 1000,
      trimmedFlows,
      trimSeconds: (endedAt - removedAt) / 1000,
      readerMaxMsDuring: Math.max(botMax, sqlMax),
      botReaderMaxMsDuring: botMax,
      sqlReaderMaxMsDuring: sqlMax,
      botReaderP50BeforeMs: before(botSamples),
      sqlReaderP50BeforeMs: before(sqlSamples),
      readerErrors: errors,
      readersWaitingOnLock: waiting.size,
      longestLockWaitMs: Math.max(0, ...[...waiting.values()].map((w) => w.ms)),
      lockWaiters: [...waiting.values()].map((w) => `${Math.round(w.ms)} ms: ${w.query}`),
    };
  } finally {
    stop = true;
    await Promise.allSettled([botLoop, sqlLoop, monitorLoop]);
    await readerClient.end({ timeout: 5 });
    await monitor.end({ timeout: 5 });
  }
}
