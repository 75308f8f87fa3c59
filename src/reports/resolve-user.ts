// Which user an admin means by what they typed: an exact UPN (any case), else a unique match on
// part of a UPN or display name. Shared by every report that takes a user argument.
//
// Where users are looked up:
// - `user_registrations` (Graph userRegistrationDetails lists every member and guest of the
//   tenant, so it is the directory when it is loaded): exact, prefix and substring matches;
// - `signins`: an exact UPN at any time (the (upn, created_at) index answers it per partition),
//   and, only when the directory has no match, part of a UPN or display name among the sign-ins of
//   a bounded time range (`signinsWithin`), so the scan prunes to that range's partitions instead
//   of reading every sign-in ever stored.
// All matching is done with parameters (strpos, never LIKE patterns built from user text).
import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../../db/client.js';

export interface ResolvedUser {
  /** Lowercase, as sign-ins store it. */
  upn: string;
  userId: string | null;
  displayName: string | null;
  /** Whether the user is in the registration details (the directory). */
  inDirectory: boolean;
}

export type UserResolution =
  | { kind: 'found'; user: ResolvedUser }
  /** Several users match equally well: up to `MAX_CANDIDATES` of them, and how many in all. */
  | { kind: 'ambiguous'; candidates: ResolvedUser[]; total: number }
  | { kind: 'none' };

export interface ResolveOptions {
  /** Search part-names among sign-ins in this range when the directory has no match. */
  signinsWithin?: { from: Date; to: Date };
}

export const MAX_CANDIDATES = 10;
/** Longer than any UPN (113 characters) or display name (256) Entra allows. */
export const MAX_USER_TEXT = 256;

/**
 * How well a row matches, best first: 1 exact UPN; 2 exact display name or the part of the UPN
 * before "@"; 3 a UPN or display name starting with the text; 4 containing it.
 */
function rankSql(upn: SQL, displayName: SQL, q: string): SQL {
  return sql`CASE
    WHEN lower(${upn}) = ${q} THEN 1
    WHEN lower(coalesce(${displayName}, '')) = ${q} OR split_part(lower(${upn}), '@', 1) = ${q} THEN 2
    WHEN strpos(lower(${upn}), ${q}) = 1 OR strpos(lower(coalesce(${displayName}, '')), ${q}) = 1 THEN 3
    ELSE 4 END`;
}

interface Candidate {
  upn: string;
  user_id: string | null;
  display_name: string | null;
  rank: number;
  total: number;
}

/** The best-ranked candidates of a source (ranked rows), with how many share that rank. */
function bestOf(ranked: SQL): SQL {
  return sql`
    WITH ranked AS (${ranked}),
    best AS (SELECT * FROM ranked WHERE "rank" = (SELECT min("rank") FROM ranked))
    SELECT "upn", "user_id", "display_name", "rank"::int AS "rank", (SELECT count(*) FROM best)::int AS "total"
    FROM best ORDER BY "upn" COLLATE "C" LIMIT ${MAX_CANDIDATES}`;
}

async function directoryCandidates(store: Store, q: string): Promise<Candidate[]> {
  return store.rows<Candidate>(
    bestOf(sql`
      SELECT DISTINCT ON (lower("upn")) lower("upn") AS "upn", "user_id", "display_name",
             ${rankSql(sql`"upn"`, sql`"display_name"`, q)} AS "rank"
      FROM "user_registrations"
      WHERE strpos(lower("upn"), ${q}) > 0 OR strpos(lower(coalesce("display_name", '')), ${q}) > 0
      ORDER BY lower("upn"), "rank"`),
  );
}

/** An exact UPN in the directory: the lower(upn) index answers it without reading every user. */
async function directoryExact(store: Store, q: string): Promise<Candidate[]> {
  return store.rows<Candidate>(sql`
    SELECT lower("upn") AS "upn", "user_id", "display_name", 1 AS "rank", 1 AS "total"
    FROM "user_registrations" WHERE lower("upn") = ${q}
    ORDER BY "upn" COLLATE "C" LIMIT 1`);
}

/** The newest sign-in of an exact UPN, at any time. */
async function signinExact(store: Store, q: string): Promise<Candidate[]> {
  return store.rows<Candidate>(sql`
    SELECT "upn", "user_id", "user_display_name" AS "display_name", 1 AS "rank", 1 AS "total"
    FROM "signins" WHERE "upn" = ${q}
    ORDER BY "created_at" DESC LIMIT 1`);
}

async function signinCandidates(store: Store, q: string, within: { from: Date; to: Date }): Promise<Candidate[]> {
  return store.rows<Candidate>(
    bestOf(sql`
      SELECT "upn", max("user_id") AS "user_id", max("user_display_name") AS "display_name", min("rank") AS "rank"
      FROM (
        SELECT "upn", "user_id", "user_display_name", ${rankSql(sql`"upn"`, sql`"user_display_name"`, q)} AS "rank"
        FROM "signins"
        WHERE "created_at" >= ${within.from.toISOString()}::timestamptz AND "created_at" < ${within.to.toISOString()}::timestamptz
          AND "upn" IS NOT NULL
          AND (strpos("upn", ${q}) > 0 OR strpos(lower(coalesce("user_display_name", '')), ${q}) > 0)
      ) AS matched
      GROUP BY "upn"`),
  );
}

function toUser(c: Candidate, inDirectory: boolean): ResolvedUser {
  return { upn: c.upn.toLowerCase(), userId: c.user_id ?? null, displayName: c.display_name ?? null, inDirectory };
}

function decide(candidates: Candidate[], inDirectory: boolean): UserResolution | null {
  const first = candidates[0];
  if (!first) return null;
  const total = Number(first.total);
  if (total === 1) return { kind: 'found', user: toUser(first, inDirectory) };
  return { kind: 'ambiguous', candidates: candidates.map((c) => toUser(c, inDirectory)), total };
}

/** Finds the one user `text` names, or says why it cannot. */
export async function resolveUser(store: Store, text: string, options: ResolveOptions = {}): Promise<UserResolution> {
  const q = text.trim().toLowerCase();
  if (q === '' || q.length > MAX_USER_TEXT) return { kind: 'none' };

  const [exactInDirectory] = await directoryExact(store, q);
  if (exactInDirectory) return { kind: 'found', user: toUser(exactInDirectory, true) };
  // An exact UPN seen only in sign-ins (a guest's home address) beats a partial match in the
  // directory, so it is asked first: the directory's partial matches read every registration
  // (135 ms at 100,000 users while the machine was busy), for nothing when the sign-ins name the
  // user exactly.
  const [exact] = await signinExact(store, q);
  if (exact) return { kind: 'found', user: toUser(exact, false) };
  const fromDirectory = decide(await directoryCandidates(store, q), true);
  if (fromDirectory) return fromDirectory;
  if (!options.signinsWithin) return { kind: 'none' };
  return decide(await signinCandidates(store, q, options.signinsWithin), false) ?? { kind: 'none' };
}

/** Whether there is anyone to find at all: registration details or sign-ins. */
export async function storeHasUsers(store: Store): Promise<boolean> {
  const [row] = await store.rows<{ any: boolean }>(sql`
    SELECT (EXISTS (SELECT 1 FROM "user_registrations") OR EXISTS (SELECT 1 FROM "signins")) AS "any"`);
  return Boolean(row?.any);
}
