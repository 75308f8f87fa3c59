// Usage: overall (the summary's figures, compact), the user summary (the users with the most MFA
// prompts and the most failures) and one user's details (per local day: sign-ins, prompts,
// satisfied, denied, interrupted).
//
// A prompt is one MFA challenge a user had to answer: a sign-in flow (sign-ins sharing a
// correlation ID) that required MFA and was satisfied by answering, denied or interrupted.
// Satisfied without a prompt (claim in the token, remembered device, trusted location, ...; see
// NO_PROMPT_CODES) is not a prompt, and the interrupted record Entra writes before the user
// completes MFA is the same prompt as the completion, not a second one.
import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import type { Period } from '../time/period.js';
import { formatLocalDate } from '../time/zoned.js';
import type { ResolvedUser } from './resolve-user.js';
import { distinctPrompts } from './distinct-prompts.js';
import { distinctUsers, usersIn } from './distinct-users.js';
import { within } from './hour-split.js';
import { newestSigninAt } from './signin-facts.js';
import { FAILED, FLOW, PROMPTED, SILENT, WHO } from './signin-predicates.js';
import { SUMMARY_USER_SETS, summaryReport, type SummaryReport } from './summary.js';
import { compareText, topUsersByBound, userKeyIn, type RankingWindow, type UserKey } from './top-users.js';

export const TOP_USERS = 10;

export interface UserCounts {
  upn: string | null;
  displayName: string | null;
  signins: number;
  mfaRequired: number;
  prompts: number;
  satisfied: number;
  denied: number;
  interrupted: number;
}

export interface UsageOverview {
  summary: SummaryReport;
  /** Distinct users with a sign-in in the period. */
  users: number;
  prompts: number;
  /** Most prompts first; users with none are left out. */
  mostPrompted: UserCounts[];
  /** Most denied + interrupted first; users with none are left out. */
  mostFailed: UserCounts[];
}

export interface DayCounts {
  /** Local date in the report's time zone, "2026-11-26". */
  day: string;
  signins: number;
  mfaRequired: number;
  prompts: number;
  satisfied: number;
  /** Satisfied without a prompt (part of `satisfied`). */
  noPrompt: number;
  denied: number;
  interrupted: number;
}

export interface UserUsage {
  period: Period;
  user: ResolvedUser;
  totals: Omit<DayCounts, 'day'>;
  /** Days with a sign-in, oldest first. */
  days: DayCounts[];
  /** Methods of the user's MFA sign-ins, most used first. */
  methods: Array<{ method: string; signins: number }>;
  /** The user's newest sign-in at any time, for an empty period. */
  lastSigninAt: Date | null;
  dataAsOf: Date | null;
}

export const failedOf = (c: Pick<UserCounts, 'denied' | 'interrupted'>) => c.denied + c.interrupted;

const inPeriod = (period: Period) => within('created_at', period);

export async function usageOverview(store: Store, period: Period, window: RankingWindow = {}): Promise<UsageOverview> {
  // Exact figures per user are counted once, whichever ranking asks for them first.
  const counted = new Map<string, Promise<UserRow[]>>();
  const exact = async (users: UserKey[]): Promise<UserRow[]> => {
    const wanted = users.filter((u) => !counted.has(u.who));
    if (wanted.length > 0) {
      const rows = store.rows<UserRow>(perUserSql(period, wanted));
      for (const { who } of wanted) counted.set(who, rows.then((all) => all.filter((r) => r.who === who)));
    }
    return (await Promise.all(users.map((u) => counted.get(u.who)!))).flat();
  };
  const userCounts = distinctUsers(store, period, ['all', ...SUMMARY_USER_SETS]);
  const [summary, users, prompts, mostPrompted, mostFailed] = await Promise.all([
    summaryReport(store, period, userCounts),
    userCounts,
    distinctPrompts(store, period),
    topUsers(store, period, RANKINGS.prompted, exact, window),
    topUsers(store, period, RANKINGS.failed, exact, window),
  ]);
  return {
    summary,
    users: usersIn(users, 'all'),
    prompts,
    mostPrompted: mostPrompted.map(toCounts),
    mostFailed: mostFailed.map(toCounts),
  };
}

const rowFailed = (r: UserRow) => Number(r.denied) + Number(r.interrupted);

interface Ranking {
  /** The `user_signin_bounds` column bounding the figure. */
  bound: 'prompted' | 'failed';
  /** The sign-ins the figure counts, and how: what a partial index of `signins` holds by user. */
  rows: SQL;
  count: SQL;
  value: (r: UserRow) => number;
  /** The ranking's full order: the figure, then the other figure, then UPN and key. */
  compare: (a: UserRow, b: UserRow) => number;
  order: SQL;
}

const byText = (a: UserRow, b: UserRow) => compareText(a.upn, b.upn) || compareText(a.who, b.who);

const RANKINGS = {
  prompted: {
    bound: 'prompted',
    rows: PROMPTED,
    count: sql`count(DISTINCT ${FLOW})`,
    value: (r) => Number(r.prompts),
    compare: (a, b) => Number(b.prompts) - Number(a.prompts) || rowFailed(b) - rowFailed(a) || byText(a, b),
    order: sql`"prompts" DESC, ("denied" + "interrupted") DESC, "upn" COLLATE "C" ASC NULLS LAST, "who" COLLATE "C"`,
  },
  failed: {
    bound: 'failed',
    rows: FAILED,
    count: sql`count(*)`,
    value: rowFailed,
    compare: (a, b) => rowFailed(b) - rowFailed(a) || Number(b.prompts) - Number(a.prompts) || byText(a, b),
    order: sql`("denied" + "interrupted") DESC, "prompts" DESC, "upn" COLLATE "C" ASC NULLS LAST, "who" COLLATE "C"`,
  },
} satisfies Record<string, Ranking>;

interface Candidate {
  who: string;
  n: number;
  by_upn: boolean;
}

/**
 * The ten users a ranking puts first. Candidates are counted from the ranked sign-ins alone, an
 * index-only scan of their partial index by user (signins_prompted_user_idx,
 * signins_mfa_failed_user_idx); only the ten shown and any tied with the tenth are then counted
 * in full, for the other figure that breaks the ties and the figures shown.
 */
async function topUsers(
  store: Store,
  period: Period,
  ranking: Ranking,
  exact: (users: UserKey[]) => Promise<UserRow[]>,
  window: RankingWindow,
): Promise<UserRow[]> {
  // Set when the bounds give up and every user is counted: those rows are already in full.
  let countedByEveryone: UserRow[] | undefined;
  const candidates = await topUsersByBound<Candidate>(store, {
    ...window,
    bound: ranking.bound,
    limit: TOP_USERS,
    withTies: true,
    exact: (users) =>
      store.rows<Candidate>(sql`
        SELECT ${WHO} AS "who", ${ranking.count}::int AS "n", bool_or("user_id" IS NULL) AS "by_upn"
        FROM "signins"
        WHERE ${inPeriod(period)} AND ${ranking.rows} AND ${userKeyIn(users)}
        GROUP BY 1`),
    value: (r) => Number(r.n),
    compare: (a, b) => Number(b.n) - Number(a.n) || compareText(a.who, b.who),
    everyone: async () => {
      countedByEveryone = await store.rows<UserRow>(sql`SELECT * FROM (${perUserSql(period)}) AS "u" ORDER BY ${ranking.order} LIMIT ${TOP_USERS}`);
      return countedByEveryone.map((r) => ({ who: r.who, n: ranking.value(r), by_upn: Boolean(r.by_upn) }));
    },
  });
  const counted = countedByEveryone ?? (await exact(candidates.map((c) => ({ who: c.who, byUpn: Boolean(c.by_upn) }))));
  return counted
    .filter((r) => ranking.value(r) > 0)
    .sort(ranking.compare)
    .slice(0, TOP_USERS);
}

/** Per user in the period (or only `users`): sign-ins, MFA required, prompts and outcomes. */
function perUserSql(period: Period, users?: readonly UserKey[]): SQL {
  return sql`
    SELECT ${WHO} AS "who", max("upn") AS "upn", max("user_display_name") AS "display_name",
           count(*)::int AS "signins",
           count(*) FILTER (WHERE "mfa_required" = 'yes')::int AS "mfa_required",
           count(DISTINCT ${FLOW}) FILTER (WHERE ${PROMPTED})::int AS "prompts",
           count(*) FILTER (WHERE "mfa_required" = 'yes' AND "mfa_outcome" = 'satisfied')::int AS "satisfied",
           count(*) FILTER (WHERE "mfa_required" = 'yes' AND "mfa_outcome" = 'denied')::int AS "denied",
           count(*) FILTER (WHERE "mfa_required" = 'yes' AND "mfa_outcome" = 'interrupted')::int AS "interrupted",
           bool_or("user_id" IS NULL) AS "by_upn"
    FROM "signins"
    WHERE ${inPeriod(period)} AND ${users ? userKeyIn(users) : sql`${WHO} IS NOT NULL`}
    GROUP BY 1`;
}

/** Every user with a sign-in in the period, most prompts first (the overview's export). */
export async function usageByUser(store: Store, period: Period): Promise<UserCounts[]> {
  const rows = await store.rows<UserRow>(sql`
    SELECT * FROM (${perUserSql(period)}) AS "u"
    ORDER BY "prompts" DESC, "signins" DESC, "upn" COLLATE "C" ASC NULLS LAST, "who" COLLATE "C"`);
  return rows.map(toCounts);
}

interface UserRow {
  who: string;
  upn: string | null;
  display_name: string | null;
  signins: number;
  mfa_required: number;
  prompts: number;
  satisfied: number;
  denied: number;
  interrupted: number;
  /** Some of the user's sign-ins have no user id (the key is their UPN). */
  by_upn: boolean;
}

function toCounts(r: UserRow): UserCounts {
  return {
    upn: r.upn,
    displayName: r.display_name,
    signins: Number(r.signins),
    mfaRequired: Number(r.mfa_required),
    prompts: Number(r.prompts),
    satisfied: Number(r.satisfied),
    denied: Number(r.denied),
    interrupted: Number(r.interrupted),
  };
}

function mine(user: ResolvedUser): SQL {
  return user.userId ? sql`("upn" = ${user.upn} OR "user_id" = ${user.userId})` : sql`"upn" = ${user.upn}`;
}

/** One user's counts per local day of the period. */
export async function userUsage(store: Store, period: Period, user: ResolvedUser, timeZone: string): Promise<UserUsage> {
  const [bins, methods, last, dataAsOf] = await Promise.all([
    // 15-minute bins are exact for every time zone (all UTC offsets are multiples of 15 minutes),
    // so local days are cut in JavaScript with the same zone rules as every other reply.
    store.rows<{
      bin: Date | string;
      signins: number;
      mfa_required: number;
      prompts: number;
      satisfied: number;
      no_prompt: number;
      denied: number;
      interrupted: number;
    }>(sql`
      WITH "mine" AS (
        SELECT "created_at", "mfa_required", "mfa_outcome", "mfa_result_code", ${PROMPTED} AS "prompted",
               row_number() OVER (PARTITION BY ${PROMPTED}, ${FLOW} ORDER BY "created_at", "id") AS "nth"
        FROM "signins"
        WHERE ${inPeriod(period)} AND ${mine(user)}
      )
      SELECT date_bin('15 minutes', "created_at", TIMESTAMPTZ '2000-01-01 00:00:00+00') AS "bin",
             count(*)::int AS "signins",
             count(*) FILTER (WHERE "mfa_required" = 'yes')::int AS "mfa_required",
             count(*) FILTER (WHERE "prompted" AND "nth" = 1)::int AS "prompts",
             count(*) FILTER (WHERE "mfa_required" = 'yes' AND "mfa_outcome" = 'satisfied')::int AS "satisfied",
             count(*) FILTER (WHERE "mfa_required" = 'yes' AND ${SILENT})::int AS "no_prompt",
             count(*) FILTER (WHERE "mfa_required" = 'yes' AND "mfa_outcome" = 'denied')::int AS "denied",
             count(*) FILTER (WHERE "mfa_required" = 'yes' AND "mfa_outcome" = 'interrupted')::int AS "interrupted"
      FROM "mine"
      GROUP BY 1
      ORDER BY 1`),
    store.rows<{ method: string; signins: number }>(sql`
      SELECT "mfa_method" AS "method", count(*)::int AS "signins"
      FROM "signins"
      WHERE ${inPeriod(period)} AND ${mine(user)} AND "mfa_required" = 'yes' AND "mfa_method" IS NOT NULL AND "mfa_method" <> ''
      GROUP BY 1
      ORDER BY 2 DESC, 1`),
    store.rows<{ last: Date | string | null }>(sql`SELECT max("created_at") AS "last" FROM "signins" WHERE ${mine(user)}`),
    newestSigninAt(store),
  ]);

  const totals = { signins: 0, mfaRequired: 0, prompts: 0, satisfied: 0, noPrompt: 0, denied: 0, interrupted: 0 };
  const days = new Map<string, DayCounts>();
  for (const b of bins) {
    const day = formatLocalDate(new Date(b.bin), timeZone);
    const row = days.get(day) ?? { day, signins: 0, mfaRequired: 0, prompts: 0, satisfied: 0, noPrompt: 0, denied: 0, interrupted: 0 };
    const add = {
      signins: Number(b.signins),
      mfaRequired: Number(b.mfa_required),
      prompts: Number(b.prompts),
      satisfied: Number(b.satisfied),
      noPrompt: Number(b.no_prompt),
      denied: Number(b.denied),
      interrupted: Number(b.interrupted),
    };
    for (const key of Object.keys(add) as Array<keyof typeof add>) {
      row[key] += add[key];
      totals[key] += add[key];
    }
    days.set(day, row);
  }
  return {
    period,
    user,
    totals,
    days: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)),
    methods: methods.map((m) => ({ method: m.method, signins: Number(m.signins) })),
    lastSigninAt: last[0]?.last ? new Date(last[0].last) : null,
    dataAsOf,
  };
}
