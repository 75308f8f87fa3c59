// MFA outcomes per local day (in TZ) over a period: how many sign-ins that required MFA were
// satisfied, denied or interrupted each day. What the trend chart draws.
//
// The whole tenant reads the `signin_hourly` rollup for every whole hour that lies inside one
// local day, and the raw sign-ins (in 15-minute bins, exact for every UTC offset) for the rest:
// the partial hours at the period's edges, and in zones whose midnight is not on a UTC hour
// (India, Nepal, …) the hour each local midnight cuts in two. One user reads their raw sign-ins
// (the per-user days of `/mfa usage`, spread here over every day of the period).
import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import type { Period } from '../time/period.js';
import { formatLocalDate, startOfLocalDay } from '../time/zoned.js';

const HOUR = 3_600_000;

/** The whole UTC hours inside the period, and the partial hours at its edges. */
function wholeHours(period: Period): { whole: { from: Date; to: Date } | null; edges: Array<{ from: Date; to: Date }> } {
  const from = period.from.getTime();
  const to = period.to.getTime();
  const start = Math.ceil(from / HOUR) * HOUR;
  const end = Math.floor(to / HOUR) * HOUR;
  if (start >= end) return { whole: null, edges: from < to ? [{ from: period.from, to: period.to }] : [] };
  const edges = [...(from < start ? [{ from: period.from, to: new Date(start) }] : []), ...(end < to ? [{ from: new Date(end), to: period.to }] : [])];
  return { whole: { from: new Date(start), to: new Date(end) }, edges };
}

export interface DayOutcomes {
  /** Local date in the report's time zone, "2026-11-26". */
  day: string;
  satisfied: number;
  denied: number;
  interrupted: number;
}

/** Every local day the period touches, oldest first, each with zero counts. */
export function localDays(period: Period, timeZone: string): DayOutcomes[] {
  const days: DayOutcomes[] = [];
  if (period.to <= period.from) return days;
  for (let start = startOfLocalDay(period.from, timeZone); start < period.to; start = startOfLocalDay(start, timeZone, 1)) {
    days.push({ day: formatLocalDate(start, timeZone), satisfied: 0, denied: 0, interrupted: 0 });
  }
  return days;
}

interface CountRow {
  at: Date | string;
  satisfied: number;
  denied: number;
  interrupted: number;
}

/** The three outcome sums of an aggregate (`sum("signins")`, `count(*)`). */
const outcomeSums = (aggregate: SQL) => sql`
  ${aggregate} FILTER (WHERE "mfa_outcome" = 'satisfied')::int AS "satisfied",
  ${aggregate} FILTER (WHERE "mfa_outcome" = 'denied')::int AS "denied",
  ${aggregate} FILTER (WHERE "mfa_outcome" = 'interrupted')::int AS "interrupted"`;

/** The tenant's satisfied / denied / interrupted MFA sign-ins per local day of `period`. */
export async function dailyOutcomes(store: Store, period: Period, timeZone: string): Promise<DayOutcomes[]> {
  const days = localDays(period, timeZone);
  if (days.length === 0) return days;
  const byDay = new Map(days.map((d) => [d.day, d]));
  const { whole, edges } = wholeHours(period);

  // Hours a local midnight falls inside (never on a UTC hour boundary) are read raw.
  const cut = new Set<number>();
  for (let start = startOfLocalDay(period.from, timeZone, 1); start < period.to; start = startOfLocalDay(start, timeZone, 1)) {
    if (start.getTime() % HOUR !== 0) cut.add(Math.floor(start.getTime() / HOUR) * HOUR);
  }
  const rawRanges = [
    ...edges,
    ...[...cut].filter((h) => whole && h >= whole.from.getTime() && h < whole.to.getTime()).map((h) => ({ from: new Date(h), to: new Date(h + HOUR) })),
  ];

  const [hourly, raw] = await Promise.all([
    whole
      ? store.rows<CountRow>(sql`
          SELECT "hour" AS "at", ${outcomeSums(sql`sum("signins")`)}
          FROM "signin_hourly"
          WHERE "hour" >= ${whole.from.toISOString()}::timestamptz AND "hour" < ${whole.to.toISOString()}::timestamptz
            AND "mfa_required" = 'yes'
          GROUP BY 1`)
      : Promise.resolve([]),
    rawRanges.length > 0
      ? store.rows<CountRow>(sql`
          SELECT date_bin('15 minutes', "created_at", TIMESTAMPTZ '2000-01-01 00:00:00+00') AS "at", ${outcomeSums(sql`count(*)`)}
          FROM "signins"
          JOIN unnest(${sql.param(rawRanges.map((r) => r.from.toISOString()))}::text[], ${sql.param(rawRanges.map((r) => r.to.toISOString()))}::text[]) AS "r"("f", "t")
            ON "created_at" >= "r"."f"::timestamptz AND "created_at" < "r"."t"::timestamptz
          WHERE "created_at" >= ${period.from.toISOString()}::timestamptz AND "created_at" < ${period.to.toISOString()}::timestamptz
            AND "mfa_required" = 'yes'
          GROUP BY 1`)
      : Promise.resolve([]),
  ]);

  const add = (row: CountRow) => {
    const day = byDay.get(formatLocalDate(new Date(row.at), timeZone));
    if (!day) return;
    day.satisfied += Number(row.satisfied ?? 0);
    day.denied += Number(row.denied ?? 0);
    day.interrupted += Number(row.interrupted ?? 0);
  };
  for (const row of hourly) if (!cut.has(new Date(row.at).getTime())) add(row);
  for (const row of raw) add(row);
  return days;
}

/** One user's days (from `userUsage`) spread over every local day of the period. */
export function userDailyOutcomes(period: Period, usageDays: ReadonlyArray<DayOutcomes>, timeZone: string): DayOutcomes[] {
  const days = localDays(period, timeZone);
  const byDay = new Map(days.map((d) => [d.day, d]));
  for (const d of usageDays) {
    const day = byDay.get(d.day);
    if (!day) continue;
    day.satisfied += d.satisfied;
    day.denied += d.denied;
    day.interrupted += d.interrupted;
  }
  return days;
}
