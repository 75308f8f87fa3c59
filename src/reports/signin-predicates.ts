// What a sign-in counts as, in SQL over the columns of `signins` (unqualified, so they apply to
// any relation with those columns: the table, a staging copy, a join that names them once).
// Reports and the rollups kept for them share these, so a rollup counts exactly what the report
// would count from the raw rows.
//
// The predicates are plain SQL text, without parameters: db/schema.ts builds partial indexes on
// them, and the planner uses such an index only for a query whose condition it can prove implies
// the index's, which it does for the same text.
import { sql } from 'drizzle-orm';

/**
 * Satisfied result codes (mfa-vocabulary.ts) that mean the user was not prompted: MFA was already
 * in the token, or per-user MFA skipped it. An external provider's claim is left out: that
 * provider prompted the user.
 */
export const NO_PROMPT_CATEGORIES = [
  { key: 'claim', words: 'MFA claim already in the token (previously satisfied)', codes: ['satisfied_by_claim', 'satisfied_first_factor_by_claim'] },
  { key: 'remembered_device', words: 'Remembered device', codes: ['skipped_remembered_device'] },
  { key: 'location', words: 'Trusted location', codes: ['skipped_location'] },
  { key: 'registered_device', words: 'Registered device', codes: ['skipped_registered_device'] },
  { key: 'app_password', words: 'App password', codes: ['skipped_app_password'] },
  { key: 'broker_logon', words: 'Windows broker logon flow', codes: ['skipped_broker_logon'] },
] as const;

export type NoPromptKey = (typeof NO_PROMPT_CATEGORIES)[number]['key'];

/** Every satisfied result code that needed no prompt. */
export const NO_PROMPT_CODES: readonly string[] = NO_PROMPT_CATEGORIES.flatMap((c) => c.codes);

const NO_PROMPT_LIST = sql.raw(NO_PROMPT_CODES.map(quoted).join(', '));

function quoted(code: string): string {
  if (!/^[a-z_]+$/.test(code)) throw new Error(`Not a result code: ${code}`);
  return `'${code}'`;
}

/** Satisfied without a prompt: a claim in the token, a remembered device, a trusted location, ... */
export const SILENT = sql`("mfa_outcome" = 'satisfied' AND coalesce("mfa_result_code", '') IN (${NO_PROMPT_LIST}))`;

/** A sign-in record that is (part of) a prompt: MFA required and answered, denied or interrupted. */
export const PROMPTED = sql`("mfa_required" = 'yes' AND ("mfa_outcome" IN ('denied', 'interrupted') OR ("mfa_outcome" = 'satisfied' AND NOT ${SILENT})))`;

/** MFA was required and denied or interrupted. */
export const FAILED = sql`("mfa_required" = 'yes' AND "mfa_outcome" IN ('denied', 'interrupted'))`;

/** The sign-in flow a record belongs to: records sharing a correlation ID are one flow. */
export const FLOW = sql`coalesce("correlation_id", "id")`;

/** Whose sign-in it is: the key of every per-user figure and of `user_numbers`. */
export const WHO = sql`coalesce("user_id", "upn")`;
