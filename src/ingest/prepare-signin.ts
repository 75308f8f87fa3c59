// A normalised sign-in made ready for the store: its `signins` row and Conditional Access rows
// already rendered as COPY text lines, plus the few fields the writer still reasons about (key,
// user, outcome, fraud). Rendering is the costly part of a bulk write and needs no database, so
// an import can do it off the thread that talks to Postgres; the object is also cheap to pass
// between threads (strings and numbers, no Dates).
import { getTableColumns } from 'drizzle-orm';
import { copyLine, copyColumns } from '../../db/copy-text.js';
import { signinCaPolicies, signins } from '../../db/schema.js';
import type { FraudSignal } from '../fraud/record-fraud-signals.js';
import { normaliseSignin, type GraphSignIn } from './graph-signin.js';
import type { SetFacts } from './user-sets.js';

export interface PreparedSignin {
  id: string;
  /** created_at, epoch milliseconds. */
  createdAt: number;
  /** `id` and created_at's ISO text: the primary key, as one string. */
  key: string;
  /** coalesce(user_id, upn): the user the per-user sets count. */
  userKey: string | null;
  facts: SetFacts;
  /** A fraud report by the user on this sign-in, else null (its `at` as epoch ms). */
  fraud: (Omit<FraudSignal, 'at'> & { at: number }) | null;
  /** The `signins` row, one COPY text line (SIGNIN_COPY_COLUMNS, no user_num yet), newline included. */
  line: string;
  /** Its `signin_ca_policies` rows (POLICY_COPY_COLUMNS), newline-terminated, '' for none. */
  policyLines: string;
}

// Every column normaliseSignin sets; ingested_at is left to its default (the time of the write),
// user_num is added by the writer, which hands out the numbers.
const signinColumns = copyColumns(
  signins,
  Object.keys(getTableColumns(signins)).filter((key) => key !== 'ingestedAt' && key !== 'userNum'),
);
const policyColumns = copyColumns(signinCaPolicies, Object.keys(getTableColumns(signinCaPolicies)));

export const SIGNIN_COPY_COLUMNS = signinColumns.map((c) => c.name);
export const POLICY_COPY_COLUMNS = policyColumns.map((c) => c.name);

export function prepareSignin(record: GraphSignIn, source: string): PreparedSignin {
  const { row, policies } = normaliseSignin(record, source);
  const createdAt = row.createdAt.getTime();
  let policyLines = '';
  for (const policy of policies) policyLines += copyLine(policyColumns, policy);
  const fraudulent = row.mfaResultCode === 'denied_fraud_reported' && row.upn;
  return {
    id: row.id,
    createdAt,
    key: `${row.id}\u0000${row.createdAt.toISOString()}`,
    userKey: row.userId ?? row.upn ?? null,
    facts: {
      mfaRequired: row.mfaRequired,
      mfaOutcome: row.mfaOutcome,
      mfaResultCode: row.mfaResultCode ?? null,
      mfaResultDetail: row.mfaResultDetail ?? null,
      mfaMethod: row.mfaMethod ?? null,
      onpremComponent: row.onpremComponent ?? null,
      ipAddress: row.ipAddress ?? null,
    },
    fraud: fraudulent
      ? {
          sourceKind: 'signin',
          sourceId: row.id,
          upn: row.upn!,
          userId: row.userId ?? null,
          at: createdAt,
          correlationId: row.correlationId ?? null,
          ipAddress: row.ipAddress ?? null,
          city: row.city ?? null,
          countryOrRegion: row.countryOrRegion ?? null,
          appDisplayName: row.appDisplayName ?? null,
          mfaMethod: row.mfaMethod ?? null,
        }
      : null,
    line: copyLine(signinColumns, row),
    policyLines,
  };
}
