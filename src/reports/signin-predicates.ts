// What a sign-in counts as, in SQL over the columns of `signins` (unqualified, so they apply to
// any relation with those columns: the table, a staging copy, a join that names them once).
// Reports and the rollups kept for them share these, so a rollup counts exactly what the report
// would count from the raw rows.
import { sql } from 'drizzle-orm';
import { NO_PROMPT_CODES } from './methods.js';

const NO_PROMPT_LIST = sql.join(
  NO_PROMPT_CODES.map((code) => sql`${code}`),
  sql`, `,
);

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
