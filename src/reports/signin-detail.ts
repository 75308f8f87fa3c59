// One sign-in in full: every column of the sign-ins report, its authentication steps, the
// Conditional Access policies stored for it, and the other sign-ins that share its correlation id
// (Entra logs one sign-in flow as several events with the same correlation id, graph-data.md §2).
import { and, asc, desc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { signinCaPolicies, signins, type AuthStep } from '../../db/schema.js';
import { newestSigninAt } from './signin-facts.js';
import type { AppliedPolicy } from './user-activity.js';

/** Graph sign-in ids are GUIDs; imports may carry other ids of the same alphabet. */
export const SIGNIN_ID_PATTERN = /^[A-Za-z0-9-]{1,100}$/;
export const MAX_CORRELATED_IDS = 10;

export type SigninRecord = typeof signins.$inferSelect;

export interface CorrelatedSignin {
  id: string;
  createdAt: Date;
  mfaOutcome: string;
  errorCode: number;
}

export interface SigninDetail {
  signin: SigninRecord;
  authSteps: AuthStep[];
  policies: AppliedPolicy[];
  /** Other sign-ins with the same correlation id: how many, and the first few (oldest first). */
  correlated: { total: number; signins: CorrelatedSignin[] };
  dataAsOf: Date | null;
}

export type SigninLookup = { kind: 'found'; detail: SigninDetail } | { kind: 'unknown'; dataAsOf: Date | null };

/**
 * Looks a sign-in up by id. `signins` is partitioned by day and keyed by (id, created_at), so this
 * probes each partition's primary-key index once. Graph ids are lowercase; a pasted uppercase id
 * is matched too.
 */
export async function signinDetail(store: Store, id: string): Promise<SigninLookup> {
  const ids = [...new Set([id, id.toLowerCase()])];
  const [found] = await store.db
    .select()
    .from(signins)
    .where(ids.length === 1 ? eq(signins.id, id) : inArray(signins.id, ids))
    .orderBy(sql`(${signins.id} = ${id}) DESC`, desc(signins.createdAt))
    .limit(1);
  if (!found) return { kind: 'unknown', dataAsOf: await newestSigninAt(store) };

  const [policies, correlated, dataAsOf] = await Promise.all([
    store.db
      .select({
        policyId: signinCaPolicies.policyId,
        name: signinCaPolicies.displayName,
        grantControls: signinCaPolicies.grantControls,
        sessionControls: signinCaPolicies.sessionControls,
        result: signinCaPolicies.result,
      })
      .from(signinCaPolicies)
      // The exact key, partition key included: one partition read.
      .where(and(eq(signinCaPolicies.signinId, found.id), eq(signinCaPolicies.signinCreatedAt, found.createdAt)))
      .orderBy(sql`${signinCaPolicies.displayName} COLLATE "C"`, asc(signinCaPolicies.policyId)),
    correlatedSignins(store, found),
    newestSigninAt(store),
  ]);
  return { kind: 'found', detail: { signin: found, authSteps: found.authSteps ?? [], policies, correlated, dataAsOf } };
}

async function correlatedSignins(store: Store, signin: SigninRecord): Promise<SigninDetail['correlated']> {
  if (!signin.correlationId) return { total: 0, signins: [] };
  const others = and(
    eq(signins.correlationId, signin.correlationId),
    or(ne(signins.id, signin.id), ne(signins.createdAt, signin.createdAt)),
  );
  const [[count], rows] = await Promise.all([
    store.db.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(signins).where(others),
    store.db
      .select({ id: signins.id, createdAt: signins.createdAt, mfaOutcome: signins.mfaOutcome, errorCode: signins.errorCode })
      .from(signins)
      .where(others)
      .orderBy(asc(signins.createdAt), asc(signins.id))
      .limit(MAX_CORRELATED_IDS),
  ]);
  return { total: count?.total ?? 0, signins: rows };
}

// --- Error codes -------------------------------------------------------------------------------

/**
 * What a sign-in error code means, in an admin's words (graph-data.md §4, from Microsoft's
 * error-code reference). Codes not listed are shown with a pointer to the reference.
 */
export const ERROR_CODE_MEANINGS: Readonly<Record<number, string>> = {
  0: 'Success',
  500121: 'Authentication failed during the strong authentication (MFA) request',
  50074: 'Strong authentication is required and the user did not pass the MFA challenge',
  50076: 'MFA is required (Conditional Access, per-user MFA or a new location); the client must retry with MFA',
  50072: 'The user must enrol for MFA (interactive)',
  50079: 'The user must register security info for MFA, or a federated user must bring the MFA claim',
  50078: 'The MFA presented has expired under tenant policy and must be refreshed',
  50086: 'Strong authentication failed (not retryable)',
  50087: 'A transient error during strong authentication; try again',
  50088: 'The limit on telecom MFA calls was reached; try again in a few minutes',
  50158: 'The external security challenge was not satisfied',
  50161: 'The external claims provider is misconfigured',
  50166: 'The external claims provider throttled the request',
  50170: 'The external claims provider mapping is missing',
  53003: 'Access blocked by Conditional Access policies',
  53000: 'Conditional Access requires a compliant device',
  53001: 'Conditional Access requires a domain-joined device',
  53002: 'Conditional Access requires an approved client app',
  53004: 'The user must complete MFA registration before accessing this content',
  53010: 'MFA registration was blocked by a security-info policy',
  530035: 'Blocked by security defaults',
  50131: 'Conditional Access failed (device state, suspicious activity or policy)',
  50097: 'Device authentication is required',
  50155: 'Device authentication failed',
  50125: 'Interrupted by a password reset or password registration entry',
  50140: 'Interrupted by the "Keep me signed in" prompt',
  50055: 'The password is expired',
  50144: 'The on-premises password is expired',
  50053: 'The account is locked (too many bad attempts) or the sign-in came from a blocked IP',
  50057: 'The account is disabled',
  50126: 'Invalid username or password',
};

export function describeErrorCode(code: number): string {
  return ERROR_CODE_MEANINGS[code] ?? `Error AADSTS${code}: not one of the MFA-related codes the bot knows; see Microsoft's Entra error-code reference`;
}
