// What one JSON record of an export is: a checked record of a known kind (valid, or invalid with
// its reasons), or not one we know (with why). Pure, with no state and nothing written, so it can
// run on a worker thread: GraphRecordHandler turns the verdicts into batches, quarantine entries
// and refusals, in file order.
import { camelCaseKeys, hasPascalCaseKeys } from './camel-case-keys.js';
import { checkGraphRecord, type Checked, type ImportSource } from './import-record.js';
import { detectRecordKind, isBetaSignin, isPlainRecord } from './record-kind.js';
import { textProblem } from './text-problem.js';

/** `portal`: the record came with PascalCase property names (a portal JSON download). */
export type Verdict = { type: 'unknown'; reason: string; portal: boolean } | { type: 'checked'; checked: Checked; portal: boolean };

const NOT_A_KNOWN_RECORD =
  'not a sign-in, registration, risk detection or directory audit (it has no createdDateTime with a user/app/status, isMfaRegistered, riskEventType, or activityDisplayName and activityDateTime)';

/** `odataContext`: the list response's @odata.context, when there is one (it can say "beta"). */
function judgeValue(value: unknown, odataContext?: unknown): Verdict {
  if (!isPlainRecord(value)) return { type: 'unknown', reason: 'not a JSON object', portal: false };
  let record = value;
  const portal = hasPascalCaseKeys(record);
  if (portal) record = camelCaseKeys(record) as Record<string, unknown>;
  const kind = detectRecordKind(record);
  if (!kind) return { type: 'unknown', reason: NOT_A_KNOWN_RECORD, portal };
  let source: ImportSource;
  if (portal) source = 'import:portal-json';
  else if (kind === 'signin') source = isBetaSignin(record, odataContext) ? 'import:graph-beta' : 'import:graph-v1';
  else source = record.defaultMfaMethod !== undefined ? 'import:graph-beta' : 'import:graph-v1'; // beta-only field
  return { type: 'checked', checked: checkGraphRecord(kind, record, source), portal };
}

export function judgeText(text: string, odataContext?: unknown): Verdict {
  const problem = textProblem(text, 'json');
  if (problem) return { type: 'unknown', reason: problem, portal: false };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { type: 'unknown', reason: `not valid JSON: ${(error as Error).message}`, portal: false };
  }
  return judgeValue(value, odataContext);
}
