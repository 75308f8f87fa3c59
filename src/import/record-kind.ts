// What a JSON record is, judged from its content (a file may mix kinds, and names lie):
//   sign-in            createdDateTime and (userPrincipalName or appDisplayName or status)
//   registration       isMfaRegistered                      (userRegistrationDetails)
//   risk detection     riskEventType                        (identityProtection/riskDetections)
//   directory audit    activityDisplayName and activityDateTime
// and, for sign-ins, which Graph version it came from: only beta records carry the MFA fields.

export type GraphRecordKind = 'signin' | 'registration' | 'risk_detection' | 'directory_audit';

const has = (record: Record<string, unknown>, key: string): boolean => record[key] !== undefined;

export function detectRecordKind(record: Record<string, unknown>): GraphRecordKind | null {
  if (has(record, 'isMfaRegistered')) return 'registration';
  if (has(record, 'riskEventType')) return 'risk_detection';
  if (has(record, 'activityDisplayName') && has(record, 'activityDateTime')) return 'directory_audit';
  if (has(record, 'createdDateTime') && (has(record, 'userPrincipalName') || has(record, 'appDisplayName') || has(record, 'status'))) return 'signin';
  return null;
}

// Present only in the beta signIn resource (graph-data.md §3.1); v1.0 goes straight from
// appliedConditionalAccessPolicies to clientAppUsed.
const BETA_ONLY_SIGNIN_FIELDS = ['authenticationDetails', 'authenticationRequirement', 'authenticationRequirementPolicies', 'mfaDetail'];

/** True for a beta-shaped sign-in, or any sign-in from a list response whose context names beta. */
export function isBetaSignin(record: Record<string, unknown>, odataContext?: unknown): boolean {
  if (BETA_ONLY_SIGNIN_FIELDS.some((key) => has(record, key))) return true;
  return typeof odataContext === 'string' && /\/beta\//i.test(odataContext);
}

export const isPlainRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
