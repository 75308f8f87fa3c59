// The trend: MFA outcomes per local day and the most common failure reasons over a period, for
// the tenant or one user. What `/mfa trend` and the daily summary's chart show. The tenant's
// totals and reasons are the summary's (`summaryReport`), so the chart and `/mfa summary` agree.
import { sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import type { Period } from '../time/period.js';
import { dailyOutcomes, userDailyOutcomes, type DayOutcomes } from './daily-outcomes.js';
import type { ResolvedUser } from './resolve-user.js';
import { newestSigninAt } from './signin-facts.js';
import { summaryReport, type FailureReason } from './summary.js';
import { userUsage } from './usage.js';

export const TREND_REASONS = 5;

export interface TrendReport {
  period: Period;
  /** The user the trend is about, or null for the whole tenant. */
  user: ResolvedUser | null;
  /** Every local day of the period, oldest first (days without sign-ins count zero). */
  days: DayOutcomes[];
  signins: number;
  mfaRequired: number;
  satisfied: number;
  denied: number;
  interrupted: number;
  /** The most common reasons for denied and interrupted MFA, most sign-ins first. */
  reasons: FailureReason[];
  dataAsOf: Date | null;
}

export async function trendReport(store: Store, period: Period, timeZone: string, user: ResolvedUser | null = null): Promise<TrendReport> {
  if (!user) {
    const [days, summary] = await Promise.all([dailyOutcomes(store, period, timeZone), summaryReport(store, period)]);
    return {
      period,
      user,
      days,
      signins: summary.signins,
      mfaRequired: summary.mfaRequired,
      satisfied: summary.satisfied,
      denied: summary.denied,
      interrupted: summary.interrupted,
      reasons: summary.topFailureReasons.slice(0, TREND_REASONS),
      dataAsOf: summary.dataAsOf,
    };
  }
  const [usage, reasons, dataAsOf] = await Promise.all([userUsage(store, period, user, timeZone), userFailureReasons(store, period, user), newestSigninAt(store)]);
  return {
    period,
    user,
    days: userDailyOutcomes(period, usage.days, timeZone),
    signins: usage.totals.signins,
    mfaRequired: usage.totals.mfaRequired,
    satisfied: usage.totals.satisfied,
    denied: usage.totals.denied,
    interrupted: usage.totals.interrupted,
    reasons,
    dataAsOf,
  };
}

/** One user's reasons for denied and interrupted MFA in the period (their raw sign-ins). */
async function userFailureReasons(store: Store, period: Period, user: ResolvedUser): Promise<FailureReason[]> {
  const mine = user.userId ? sql`("upn" = ${user.upn} OR "user_id" = ${user.userId})` : sql`"upn" = ${user.upn}`;
  const rows = await store.rows<{ code: string; detail: string; signins: number }>(sql`
    SELECT coalesce(nullif("mfa_result_code", ''), 'none') AS "code",
           CASE WHEN "mfa_result_code" = 'other' THEN coalesce("mfa_result_detail", '') ELSE '' END AS "detail",
           count(*)::int AS "signins"
    FROM "signins"
    WHERE "created_at" >= ${period.from.toISOString()}::timestamptz AND "created_at" < ${period.to.toISOString()}::timestamptz
      AND ${mine} AND "mfa_required" = 'yes' AND "mfa_outcome" IN ('denied', 'interrupted')
    GROUP BY 1, 2
    ORDER BY 3 DESC, 1, 2
    LIMIT ${TREND_REASONS}`);
  return rows.map((r) => ({ code: r.code, detail: r.code === 'other' ? r.detail : null, signins: Number(r.signins) }));
}
