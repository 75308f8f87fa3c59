// The users a period ranks first (most prompts, most failed MFA sign-ins) without counting every
// user's sign-ins. `user_signin_bounds` holds per user a count that no period's count can exceed;
// users are taken in the order of that bound, until the last of the top `limit` beats the bound of
// everyone not taken yet. A taken user's bound in the period itself, the sum of their
// `user_signin_day_bounds` over the days it touches, decides whether they are counted exactly,
// from their own sign-ins through the per-user indexes: only while it could still put them in
// the ranking. When that takes too many users (a short period in a long history loosens the
// all-time bounds), every user of the period is counted instead, as the plain query would.
import { sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import type { Period } from '../time/period.js';

/** A user to count: the key (`coalesce(user_id, upn)`), and whether it is (also) a UPN of sign-ins without a user id. */
export interface UserKey {
  who: string;
  byUpn: boolean;
}

export interface BoundedRanking<T extends { who: string }> {
  /** The bound column: what the ranked figure is bounded by. */
  bound: 'prompted' | 'failed';
  period: Period;
  limit: number;
  /** Exact figures in the period for these users (users without sign-ins in it may be left out). */
  exact: (users: UserKey[]) => Promise<T[]>;
  /** The ranked figure; users with 0 are left out of the ranking. */
  value: (row: T) => number;
  /** The ranking's full order (ties included), the same as `everyone`'s. */
  compare: (a: T, b: T) => number;
  /** The top `limit` counted over every user, for when the bounds do not narrow it enough. */
  everyone: () => Promise<T[]>;
  /** Users checked in the first round (default 16; each round checks four times as many). */
  firstWindow?: number;
  /** Past this many users checked, `everyone` answers instead (default 4,096). */
  maxChecked?: number;
}

/** How far a ranking checks users by their bounds before counting every user (tests narrow it). */
export type RankingWindow = Pick<BoundedRanking<{ who: string }>, 'firstWindow' | 'maxChecked'>;

export async function topUsersByBound<T extends { who: string }>(store: Store, ranking: BoundedRanking<T>): Promise<T[]> {
  const column = sql.identifier(ranking.bound);
  const counted = new Map<string, T>();
  // Taken, with a bound in the period above 0, and not counted yet.
  const uncounted = new Map<string, UserKey & { bound: number }>();
  const taken = new Set<string>();
  const maxChecked = ranking.maxChecked ?? 4096;
  const ranked = () => rank([...counted.values()], ranking);
  for (let window = ranking.firstWindow ?? 16; ; window *= 4) {
    // The whole window is read again each round: bounds only grow, so a user another write moved
    // up is still inside it.
    const candidates = await store.rows<{ user_key: string; bound: number; by_upn: boolean }>(sql`
      SELECT "user_key", ${column} AS "bound", "by_upn" FROM "user_signin_bounds"
      WHERE ${column} > 0
      ORDER BY ${column} DESC NULLS LAST, "user_key"
      LIMIT ${window + 1}`);
    const fresh = candidates
      .slice(0, window)
      .filter((c) => !taken.has(c.user_key))
      .map((c) => ({ who: c.user_key, byUpn: Boolean(c.by_upn) }));
    for (const { who } of fresh) taken.add(who);
    const inPeriod = await periodBounds(store, ranking, fresh);
    for (const user of fresh) {
      const bound = inPeriod.get(user.who) ?? 0;
      if (bound > 0) uncounted.set(user.who, { ...user, bound });
    }
    await countWhileReachable(ranking, counted, uncounted, ranked);
    const top = ranked().slice(0, ranking.limit);
    const nextBound = Number(candidates[window]?.bound ?? 0);
    const last = top[ranking.limit - 1];
    if (nextBound === 0 || (last && ranking.value(last) > nextBound)) return top;
    if (window >= maxChecked) return rank(await ranking.everyone(), ranking).slice(0, ranking.limit);
  }
}

/**
 * Counts the taken users whose bound in the period could still put them in the top `limit`: while
 * it is short, the highest bounds (those tied with the last needed too); then every bound at least
 * the last one's figure (an equal figure is ordered by the rest of the ranking's order).
 */
async function countWhileReachable<T extends { who: string }>(
  ranking: BoundedRanking<T>,
  counted: Map<string, T>,
  uncounted: Map<string, UserKey & { bound: number }>,
  ranked: () => T[],
): Promise<void> {
  for (;;) {
    const top = ranked().slice(0, ranking.limit);
    const floor = top.length < ranking.limit ? 1 : ranking.value(top[ranking.limit - 1]!);
    const reachable = [...uncounted.values()].filter((u) => u.bound >= floor).sort((a, b) => b.bound - a.bound);
    if (reachable.length === 0) return;
    const short = ranking.limit - top.length;
    const cut = short > 0 ? reachable[Math.min(short, reachable.length) - 1]!.bound : floor;
    const batch = reachable.filter((u) => u.bound >= cut);
    for (const { who } of batch) uncounted.delete(who);
    for (const row of await ranking.exact(batch.map(({ who, byUpn }) => ({ who, byUpn })))) counted.set(row.who, row);
  }
}

/**
 * The users' ranked figure bounded over the UTC days the period touches (users without any are
 * left out). Their day rows are adjacent in the primary key: one index range per user.
 */
async function periodBounds(store: Store, ranking: Pick<BoundedRanking<{ who: string }>, 'bound' | 'period'>, users: readonly UserKey[]): Promise<Map<string, number>> {
  if (users.length === 0) return new Map();
  const { from, to } = ranking.period;
  const firstDay = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  const rows = await store.rows<{ user_key: string; bound: number }>(sql`
    SELECT "user_key", sum(${sql.identifier(ranking.bound)})::int AS "bound" FROM "user_signin_day_bounds"
    WHERE "user_key" = ANY(${sql.param(users.map((u) => u.who))}::text[])
      AND "day" >= ${firstDay.toISOString()}::timestamptz AND "day" < ${to.toISOString()}::timestamptz
    GROUP BY 1`);
  return new Map(rows.map((r) => [r.user_key, Number(r.bound)]));
}

function rank<T extends { who: string }>(rows: T[], ranking: BoundedRanking<T>): T[] {
  return rows
    .filter((row) => ranking.value(row) > 0)
    .sort(ranking.compare);
}

/** Text in the order of `COLLATE "C"` (UTF-8 bytes), NULL last: the tie-break of the rankings. */
export function compareText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * "The sign-in's user key is one of these", through the per-user indexes. The UPN index is asked
 * only for keys known to be UPNs of sign-ins without a user id: the OR with a second long list
 * costs the planner tens of milliseconds across the day partitions.
 */
export function userKeyIn(users: readonly UserKey[]) {
  const byId = sql`"user_id" = ANY(${listOf(users.map((u) => u.who))})`;
  const upns = users.filter((u) => u.byUpn).map((u) => u.who);
  return upns.length === 0 ? byId : sql`(${byId} OR ("user_id" IS NULL AND "upn" = ANY(${listOf(upns)})))`;
}

/**
 * The list as a sub-select, which the planner cannot see into: given the list itself, it tries
 * each element against every partial index's condition on every day partition, which doubled the
 * planning of a 64-user count over 28 days at 10M (6.2 ms against 2.9 ms). The index scans get
 * the list all the same, once, when the query starts.
 */
function listOf(keys: string[]) {
  return sql`(SELECT ${sql.param(keys)}::text[])::text[]`;
}
