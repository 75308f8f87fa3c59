// Recomputes the rollups of every hour from `from`'s hour to `to`'s hour, inclusive, from the raw
// rows (`signin_quarterly`, and `signin_hourly` summed from it; `signin_ca_hourly`,
// `signin_onprem_hourly`), and `signin_daily` and `signin_ca_daily` for their UTC days from the
// hours. Recomputing (rather than incrementing) keeps them exact under late corrections and
// re-imports.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

/** Serialises concurrent refreshes (two replicas writing the same hour). */
const ROLLUP_LOCK_KEY = 7_316_202_612;

type Executor = Pick<Db, 'execute'>;

const DAY_MS = 86_400_000;

export function hourStart(date: Date): Date {
  const hour = new Date(date);
  hour.setUTCMinutes(0, 0, 0);
  return hour;
}

const FACT_COLUMNS = sql.raw(
  '"mfa_required", "mfa_outcome", "mfa_result_code", "mfa_result_detail", "mfa_method", "error_code", "onprem_component", "ca_status"',
);

/** Replaces the outcome facts of `into` in [start, end) with those of the finer `from`, summed per `unit`. */
async function sumFacts(
  tx: Executor,
  into: { table: string; time: string; unit: 'hour' | 'day' },
  from: { table: string; time: string },
  start: string,
  end: string,
): Promise<void> {
  const [target, source] = [sql.identifier(into.table), sql.identifier(from.table)];
  const [at, fromAt] = [sql.identifier(into.time), sql.identifier(from.time)];
  await tx.execute(sql`DELETE FROM ${target} WHERE ${at} >= ${start}::timestamptz AND ${at} < ${end}::timestamptz`);
  await tx.execute(sql`
    INSERT INTO ${target} (${at}, ${FACT_COLUMNS}, "signins")
    SELECT date_trunc(${into.unit}, ${fromAt}, 'UTC'), ${FACT_COLUMNS}, sum("signins")::int
    FROM ${source}
    WHERE ${fromAt} >= ${start}::timestamptz AND ${fromAt} < ${end}::timestamptz
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  `);
}

export async function refreshHourlyRollup(tx: Executor, from: Date, to: Date): Promise<void> {
  const start = hourStart(from).toISOString();
  const end = new Date(hourStart(to).getTime() + 3_600_000).toISOString();
  await tx.execute(sql`select pg_advisory_xact_lock(${ROLLUP_LOCK_KEY})`);
  await tx.execute(sql`DELETE FROM "signin_quarterly" WHERE "quarter" >= ${start}::timestamptz AND "quarter" < ${end}::timestamptz`);
  await tx.execute(sql`
    INSERT INTO "signin_quarterly" ("quarter", ${FACT_COLUMNS}, "signins")
    SELECT date_bin('15 minutes', "created_at", TIMESTAMPTZ '2000-01-01 00:00:00+00'), "mfa_required", "mfa_outcome",
           coalesce("mfa_result_code", ''), coalesce("mfa_result_detail", ''), coalesce("mfa_method", ''),
           "error_code", coalesce("onprem_component", ''), lower(coalesce("ca_status", '')), count(*)::int
    FROM "signins"
    WHERE "created_at" >= ${start}::timestamptz AND "created_at" < ${end}::timestamptz
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  `);
  await sumFacts(tx, { table: 'signin_hourly', time: 'hour', unit: 'hour' }, { table: 'signin_quarterly', time: 'quarter' }, start, end);
  const dayStart = new Date(Math.floor(hourStart(from).getTime() / DAY_MS) * DAY_MS).toISOString();
  const dayEnd = new Date(Math.ceil(new Date(end).getTime() / DAY_MS) * DAY_MS).toISOString();
  await sumFacts(tx, { table: 'signin_daily', time: 'day', unit: 'day' }, { table: 'signin_hourly', time: 'hour' }, dayStart, dayEnd);
  await tx.execute(sql`DELETE FROM "signin_ca_hourly" WHERE "hour" >= ${start}::timestamptz AND "hour" < ${end}::timestamptz`);
  await tx.execute(sql`
    INSERT INTO "signin_ca_hourly" ("hour", "policy_id", "result", "display_name", "named_at", "grant_controls", "session_controls", "applied")
    SELECT date_trunc('hour', "signin_created_at", 'UTC'), "policy_id", lower("result"),
           coalesce((array_agg("display_name" ORDER BY "signin_created_at" DESC) FILTER (WHERE "display_name" IS NOT NULL))[1], ''),
           max("signin_created_at") FILTER (WHERE "display_name" IS NOT NULL),
           "grant_controls", "session_controls", count(*)::int
    FROM "signin_ca_policies"
    WHERE "signin_created_at" >= ${start}::timestamptz AND "signin_created_at" < ${end}::timestamptz
    GROUP BY 1, 2, 3, "grant_controls", "session_controls"
  `);
  await tx.execute(sql`DELETE FROM "signin_ca_daily" WHERE "day" >= ${dayStart}::timestamptz AND "day" < ${dayEnd}::timestamptz`);
  await tx.execute(sql`
    INSERT INTO "signin_ca_daily" ("day", "policy_id", "result", "display_name", "named_at", "grant_controls", "session_controls", "applied")
    SELECT date_trunc('day', "hour", 'UTC'), "policy_id", "result",
           coalesce((array_agg("display_name" ORDER BY "named_at" DESC) FILTER (WHERE "display_name" <> ''))[1], ''),
           max("named_at") FILTER (WHERE "display_name" <> ''),
           "grant_controls", "session_controls", sum("applied")::int
    FROM "signin_ca_hourly"
    WHERE "hour" >= ${dayStart}::timestamptz AND "hour" < ${dayEnd}::timestamptz
    GROUP BY 1, 2, 3, "grant_controls", "session_controls"
  `);
  await tx.execute(sql`DELETE FROM "signin_onprem_hourly" WHERE "hour" >= ${start}::timestamptz AND "hour" < ${end}::timestamptz`);
  await tx.execute(sql`
    INSERT INTO "signin_onprem_hourly" ("hour", "component", "ip_address", "mfa_outcome", "signins", "newest_at")
    SELECT date_trunc('hour', "created_at", 'UTC'), "onprem_component", coalesce("ip_address", ''), "mfa_outcome", count(*)::int, max("created_at")
    FROM "signins"
    WHERE "created_at" >= ${start}::timestamptz AND "created_at" < ${end}::timestamptz AND "onprem_component" IS NOT NULL
    GROUP BY 1, 2, 3, 4
  `);
}
