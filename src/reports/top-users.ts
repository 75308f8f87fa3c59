// The users a period ranks first (most prompts, most failed MFA sign-ins) without counting every
// user's sign-ins. `user_signin_bounds` holds per user a count that no period's count can exceed;
// users are checked exactly, from their own sign-ins through the per-user indexes, in the order of
// that bound, until the last of the top `limit` beats the bound of everyone not checked yet. When
// that takes too many users (a short period in a long history loosens the bounds), every user of
// the period is counted instead, as the plain query would.
import { sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';

/** A user to count: the key (`coalesce(user_id, upn)`), and whether it is (also) a UPN of sign-ins without a user id. */
export interface UserKey {
  who: string;
  byUpn: boolean;
}

export interface BoundedRanking<T extends { who: string }> {
  /** The bound column: what the ranked figure is bounded by. */
  bound: 'prompted' | 'failed';
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
  /**
   * Also return the checked users whose figure equals the last one's, for a caller that breaks
   * those ties on figures it counts afterwards (every such user has been checked: the loop ends
   * only once the last beats every unchecked bound). `everyone`'s rows come back as they are.
   */
  withTies?: boolean;
}

/** How far a ranking checks users by their bounds before counting every user (tests narrow it). */
export type RankingWindow = Pick<BoundedRanking<{ who: string }>, 'firstWindow' | 'maxChecked'>;

export async function topUsersByBound<T extends { who: string }>(store: Store, ranking: BoundedRanking<T>): Promise<T[]> {
  const column = sql.identifier(ranking.bound);
  const checked = new Map<string, T>();
  const asked = new Set<string>();
  const maxChecked = ranking.maxChecked ?? 4096;
  for (let window = ranking.firstWindow ?? 16; ; window *= 4) {
    // The whole window is read again each round: bounds only grow, so a user another write moved
    // up is still inside it.
    const candidates = await store.rows<{ user_key: string; bound: number; by_upn: boolean }>(sql`
      SELECT "user_key", ${column} AS "bound", "by_upn" FROM "user_signin_bounds"
      WHERE ${column} > 0
      ORDER BY ${column} DESC NULLS LAST, "user_key"
      LIMIT ${window + 1}`);
    const unchecked = candidates
      .slice(0, window)
      .filter((c) => !asked.has(c.user_key))
      .map((c) => ({ who: c.user_key, byUpn: Boolean(c.by_upn) }));
    for (const { who } of unchecked) asked.add(who);
    if (unchecked.length > 0) for (const row of await ranking.exact(unchecked)) checked.set(row.who, row);
    const ranked = rank([...checked.values()], ranking);
    const top = ranked.slice(0, ranking.limit);
    const nextBound = Number(candidates[window]?.bound ?? 0);
    const last = top[ranking.limit - 1];
    if (nextBound === 0 || (last && ranking.value(last) > nextBound)) {
      if (!ranking.withTies || !last) return top;
      return [...top, ...ranked.slice(ranking.limit).filter((row) => ranking.value(row) === ranking.value(last))];
    }
    if (window >= maxChecked) return rank(await ranking.everyone(), ranking).slice(0, ranking.limit);
  }
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
