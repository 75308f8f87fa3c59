// "What are the common MFA issues end users are running into": the reasons sign-ins that required
// MFA were denied or interrupted, ranked by sign-ins and by distinct users, with what an admin can
// do about each, and the users most affected. Sign-in counts come from the hourly rollup
// (`signinFacts`); distinct users and the per-user figures read `signins` in the period.
import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { describeResultCode } from '../ingest/mfa-vocabulary.js';
import type { Period } from '../time/period.js';
import { reasonSetKey } from '../ingest/user-sets.js';
import { distinctUsers, usersIn } from './distinct-users.js';
import { within } from './hour-split.js';
import { newestSigninAt, signinFacts } from './signin-facts.js';
import { FAILED } from './signin-predicates.js';
import { compareText, topUsersByBound, userKeyIn, type RankingWindow, type UserKey } from './top-users.js';

/** One reason: a result code, or for 'other' one raw result string the vocabulary lacks. */
export interface FailureReasonRow {
  code: string;
  /** The raw result string, for code 'other' only. */
  detail: string | null;
  signins: number;
  /** Distinct users with at least one sign-in denied or interrupted for this reason. */
  users: number;
}

export interface AffectedUser {
  upn: string | null;
  displayName: string | null;
  /** Denied + interrupted MFA sign-ins. */
  failed: number;
  denied: number;
  interrupted: number;
  lastFailedAt: Date;
  /** The reason most of this user's failures had. */
  topReason: { code: string; detail: string | null; signins: number };
}

export interface FailuresReport {
  period: Period;
  /** Every sign-in in the period. */
  signins: number;
  /** Sign-ins that required MFA. */
  mfaRequired: number;
  denied: number;
  interrupted: number;
  /** Distinct users with at least one sign-in that required MFA. */
  usersChallenged: number;
  /** Distinct users with at least one denied or interrupted MFA sign-in. */
  usersFailed: number;
  /** Every reason, most sign-ins first. */
  reasons: FailureReasonRow[];
  /** The ten users with the most failed MFA sign-ins. */
  mostAffected: AffectedUser[];
  dataAsOf: Date | null;
}

export const MOST_AFFECTED_USERS = 10;

const GENERIC_ADVICE = "Open one of these sign-ins' authentication details in the Entra admin center and ask the user what they saw";
const OTHER_ADVICE =
  'Microsoft logged a result this bot does not know yet: open one of these sign-ins (Sign-in logs → Authentication Details) to see what happened, and tell the bot maintainers the exact text';

/** A reason in plain words (not escaped for Slack): the vocabulary's words, or the raw text for 'other'. */
export function reasonWords(reason: { code: string; detail: string | null }): string {
  if (reason.code === 'other' && reason.detail) return `Unrecognised result: “${reason.detail}”`;
  return describeResultCode(reason.code).words;
}

/** What an admin can do about a reason; always something to try. */
export function reasonAdvice(reason: { code: string }): string {
  if (reason.code === 'other') return OTHER_ADVICE;
  return describeResultCode(reason.code).advice ?? GENERIC_ADVICE;
}

const reasonKey = (code: string, detail: string | null) => `${code}\u0000${detail ?? ''}`;

const inPeriod = (period: Period) => within('created_at', period);

/** The reason columns of a failed sign-in: its code ('none' when missing) and, for 'other', its raw text. */
const REASON_COLUMNS = sql`coalesce("mfa_result_code", 'none') AS "code",
  CASE WHEN "mfa_result_code" = 'other' THEN coalesce("mfa_result_detail", '') ELSE '' END AS "detail"`;


export async function failuresReport(store: Store, period: Period, window: RankingWindow = {}): Promise<FailuresReport> {
  const [facts, users, mostAffected, dataAsOf] = await Promise.all([
    signinFacts(store, period),
    distinctUsers(store, period, ['challenged', 'failed', 'reason']),
    mostAffectedUsers(store, period, window),
    newestSigninAt(store),
  ]);

  const report: FailuresReport = {
    period,
    signins: 0,
    mfaRequired: 0,
    denied: 0,
    interrupted: 0,
    usersChallenged: usersIn(users, 'challenged'),
    usersFailed: usersIn(users, 'failed'),
    reasons: [],
    mostAffected,
    dataAsOf,
  };
  const reasons = new Map<string, FailureReasonRow>();
  for (const fact of facts) {
    report.signins += fact.signins;
    if (fact.mfaRequired !== 'yes') continue;
    report.mfaRequired += fact.signins;
    if (fact.mfaOutcome !== 'denied' && fact.mfaOutcome !== 'interrupted') continue;
    if (fact.mfaOutcome === 'denied') report.denied += fact.signins;
    else report.interrupted += fact.signins;
    const code = fact.mfaResultCode || 'none';
    const detail = code === 'other' ? fact.mfaResultDetail : null;
    const key = reasonKey(code, detail);
    const reason = reasons.get(key) ?? { code, detail, signins: 0, users: 0 };
    reason.signins += fact.signins;
    reasons.set(key, reason);
  }
  for (const reason of reasons.values()) reason.users = usersIn(users, 'reason', reasonSetKey(reason.code, reason.detail));
  report.reasons = [...reasons.values()].sort(
    (a, b) => b.signins - a.signins || b.users - a.users || a.code.localeCompare(b.code) || (a.detail ?? '').localeCompare(b.detail ?? ''),
  );
  return report;
}

/** The reasons ordered by how many users they affected (the second ranking). */
export function reasonsByUsers(reasons: readonly FailureReasonRow[]): FailureReasonRow[] {
  return [...reasons].sort((a, b) => b.users - a.users || b.signins - a.signins || a.code.localeCompare(b.code) || (a.detail ?? '').localeCompare(b.detail ?? ''));
}

/** A user's failed MFA sign-ins for one reason, as counted from their failed sign-ins' index. */
interface ReasonCounts {
  who: string;
  code: string;
  detail: string;
  upn: string | null;
  display_name: string | null;
  failed: number;
  denied: number;
  interrupted: number;
  last_failed_at: Date | string;
}

/** A user's failed MFA sign-ins, every reason together. */
interface UserFailures {
  who: string;
  upn: string | null;
  displayNames: string[];
  failed: number;
  denied: number;
  interrupted: number;
  lastFailedAt: Date;
  reasons: Array<{ code: string; detail: string; signins: number }>;
}

/** Per user and reason: what the ranking counts and the reasons shown, in one read of the index. */
function reasonCounts(period: Period, restriction: SQL): SQL {
  return sql`
    SELECT coalesce("user_id", "upn") AS "who", ${REASON_COLUMNS}, max("upn") AS "upn", max("user_display_name") AS "display_name",
           count(*)::int AS "failed",
           count(*) FILTER (WHERE "mfa_outcome" = 'denied')::int AS "denied",
           count(*) FILTER (WHERE "mfa_outcome" = 'interrupted')::int AS "interrupted",
           max("created_at") AS "last_failed_at"
    FROM "signins"
    WHERE ${inPeriod(period)} AND ${FAILED} AND ${restriction}
    GROUP BY 1, 2, 3`;
}

function byUser(rows: readonly ReasonCounts[]): UserFailures[] {
  const users = new Map<string, UserFailures>();
  for (const row of rows) {
    const last = new Date(row.last_failed_at);
    const user = users.get(row.who) ?? {
      who: row.who,
      upn: row.upn,
      displayNames: [],
      failed: 0,
      denied: 0,
      interrupted: 0,
      lastFailedAt: last,
      reasons: [],
    };
    // max(upn), as the plain query has it: byte order, NULL only when no row has one.
    if (row.upn !== null && (user.upn === null || compareText(row.upn, user.upn) > 0)) user.upn = row.upn;
    if (row.display_name !== null) user.displayNames.push(row.display_name);
    user.failed += Number(row.failed);
    user.denied += Number(row.denied);
    user.interrupted += Number(row.interrupted);
    if (last > user.lastFailedAt) user.lastFailedAt = last;
    user.reasons.push({ code: row.code, detail: row.detail, signins: Number(row.failed) });
    users.set(row.who, user);
  }
  return [...users.values()];
}

async function mostAffectedUsers(store: Store, period: Period, window: RankingWindow): Promise<AffectedUser[]> {
  // The top users counted from their own failed sign-ins in the order of their failure bounds
  // (top-users.ts), each round's count by reason too: the reasons and names of the ten shown
  // need no statement of their own after the ranking.
  const counted = (users: UserKey[]) => store.rows<ReasonCounts>(reasonCounts(period, userKeyIn(users))).then(byUser);
  const top = await topUsersByBound(store, {
    ...window,
    bound: 'failed',
    limit: MOST_AFFECTED_USERS,
    exact: counted,
    value: (user) => user.failed,
    compare: (a, b) => b.failed - a.failed || compareText(a.upn, b.upn) || compareText(a.who, b.who),
    everyone: async () => {
      const first = await store.rows<{ who: string; by_upn: boolean }>(sql`
        SELECT coalesce("user_id", "upn") AS "who", bool_or("user_id" IS NULL) AS "by_upn"
        FROM "signins"
        WHERE ${inPeriod(period)} AND ${FAILED} AND coalesce("user_id", "upn") IS NOT NULL
        GROUP BY 1
        ORDER BY count(*) DESC, max("upn") COLLATE "C" ASC NULLS LAST, coalesce("user_id", "upn") COLLATE "C" ASC
        LIMIT ${MOST_AFFECTED_USERS}`);
      return first.length === 0 ? [] : counted(first.map((u) => ({ who: u.who, byUpn: Boolean(u.by_upn) })));
    },
  });
  return top.map((user) => {
    const reason = [...user.reasons].sort((x, y) => y.signins - x.signins || x.code.localeCompare(y.code) || x.detail.localeCompare(y.detail))[0];
    return {
      upn: user.upn,
      displayName: [...user.displayNames].sort().at(-1) ?? null,
      failed: user.failed,
      denied: user.denied,
      interrupted: user.interrupted,
      lastFailedAt: user.lastFailedAt,
      topReason: { code: reason?.code ?? 'none', detail: reason?.code === 'other' ? reason.detail : null, signins: reason?.signins ?? 0 },
    };
  });
}
