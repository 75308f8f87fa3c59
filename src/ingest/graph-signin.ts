// Microsoft Graph sign-in record → `signins` row + `signin_ca_policies` rows. Pure: no database.
//
// The MFA fields are beta-only (graph-data.md §0.1): v1.0 records lack authenticationRequirement,
// authenticationDetails, authenticationRequirementPolicies and mfaDetail, so every MFA column has
// a fallback from the error code and the Conditional Access grant controls (§9). Free-text values
// are stored raw and classified (mfa-vocabulary.ts); phone numbers are scrubbed on the way in.
import { z } from 'zod';
import type { AuthStep, signinCaPolicies, signins } from '../../db/schema.js';
import {
  classifyResultDetail,
  foldText,
  KNOWN_METHODS,
  normaliseMethod,
  type MfaOutcome,
  type ResultClassification,
} from './mfa-vocabulary.js';
import { scrubOptional } from './scrub.js';

export type SigninRow = typeof signins.$inferInsert;
export type CaPolicyRow = typeof signinCaPolicies.$inferInsert;

// --- Schema ----------------------------------------------------------------------------------
// Lenient where Graph is: nearly everything may be absent or null (NPS/AD FS events leave most
// fields empty, §0.9), and loose objects keep unknown properties instead of failing on them.

const optText = z.string().nullish();
const optTextArray = z.array(z.string().nullable()).nullish();

/** Graph sends Int32; exports sometimes carry it as a numeric string. */
const errorCodeSchema = z.union([z.number().int(), z.string().trim().regex(/^-?\d+$/).transform(Number)]);

export const signInStatusSchema = z.looseObject({
  errorCode: errorCodeSchema.nullish(),
  failureReason: optText,
  additionalDetails: optText,
});

export const authenticationDetailSchema = z.looseObject({
  authenticationStepDateTime: optText,
  authenticationMethod: optText,
  authenticationMethodDetail: optText,
  succeeded: z.boolean().nullish(),
  authenticationStepResultDetail: optText,
  authenticationStepRequirement: optText,
});

export const appliedConditionalAccessPolicySchema = z.looseObject({
  id: optText,
  displayName: optText,
  enforcedGrantControls: optTextArray,
  enforcedSessionControls: optTextArray,
  result: optText,
});

export const authenticationRequirementPolicySchema = z.looseObject({
  requirementProvider: optText,
  detail: optText,
});

export const graphSignInSchema = z.looseObject({
  id: z.string().min(1),
  // Microsoft's own examples use both "…T16:34:32Z" and "…T16:02:15.5522137+00:00" (§3.2).
  createdDateTime: z.iso.datetime({ offset: true }),
  correlationId: optText,
  userId: optText,
  userPrincipalName: optText,
  userDisplayName: optText,
  userType: optText,
  appId: optText,
  appDisplayName: optText,
  resourceId: optText,
  resourceDisplayName: optText,
  ipAddress: optText,
  clientAppUsed: optText,
  userAgent: optText,
  isInteractive: z.boolean().nullish(),
  location: z
    .looseObject({
      city: optText,
      state: optText,
      countryOrRegion: optText,
      geoCoordinates: z.unknown().optional(),
    })
    .nullish(),
  deviceDetail: z.looseObject({}).nullish(),
  status: signInStatusSchema.nullish(),
  conditionalAccessStatus: optText,
  appliedConditionalAccessPolicies: z.array(appliedConditionalAccessPolicySchema).nullish(),
  // Beta only:
  authenticationRequirement: optText,
  authenticationRequirementPolicies: z.array(authenticationRequirementPolicySchema).nullish(),
  authenticationDetails: z.array(authenticationDetailSchema).nullish(),
  authenticationMethodsUsed: optTextArray,
  mfaDetail: z.looseObject({ authMethod: optText, authDetail: optText }).nullish(),
  tokenIssuerType: optText,
  tokenIssuerName: optText,
  signInEventTypes: optTextArray,
  riskDetail: optText,
  riskLevelAggregated: optText,
  riskLevelDuringSignIn: optText,
  riskState: optText,
});

export type GraphSignIn = z.output<typeof graphSignInSchema>;
type GraphAuthDetail = z.output<typeof authenticationDetailSchema>;
type GraphCaPolicy = z.output<typeof appliedConditionalAccessPolicySchema>;

// --- Error codes (§4) ------------------------------------------------------------------------

export type ErrorCategory =
  | 'ok'
  | 'mfa_failed'
  | 'mfa_interrupt'
  | 'mfa_registration'
  | 'ca_blocked'
  | 'device'
  | 'interrupt'
  | 'password'
  | 'locked'
  | 'disabled'
  | 'other';

/** §4's "bot category" column. Codes not listed are 'other'. */
export const ERROR_CODE_CATEGORIES: Readonly<Record<number, ErrorCategory>> = {
  0: 'ok',
  500121: 'mfa_failed',
  50086: 'mfa_failed',
  50087: 'mfa_failed',
  50088: 'mfa_failed',
  50158: 'mfa_failed',
  50161: 'mfa_failed',
  50166: 'mfa_failed',
  50170: 'mfa_failed',
  50074: 'mfa_interrupt',
  50076: 'mfa_interrupt',
  50078: 'mfa_interrupt',
  50072: 'mfa_registration',
  50079: 'mfa_registration',
  53004: 'mfa_registration',
  53010: 'mfa_registration',
  53003: 'ca_blocked',
  53000: 'ca_blocked',
  53001: 'ca_blocked',
  53002: 'ca_blocked',
  530035: 'ca_blocked',
  50131: 'ca_blocked',
  50097: 'device',
  50155: 'device',
  50125: 'interrupt',
  50140: 'interrupt',
  50055: 'password',
  50144: 'password',
  50126: 'password',
  50053: 'locked',
  50057: 'disabled',
};

export function errorCodeCategory(code: number): ErrorCategory {
  return ERROR_CODE_CATEGORIES[code] ?? 'other';
}

/**
 * Error codes that by themselves mean MFA was required, used when the beta
 * `authenticationRequirement` is missing. §9 lists 50074, 50076, 50072, 50079, 500121, 50078 and
 * 50158; the other codes §4 files under an MFA category (telecom and external-provider failures,
 * registration blocks) are included so that an outcome derived from them ("denied",
 * "interrupted") never sits next to "MFA required: unknown".
 */
export const MFA_ERROR_CODES: readonly number[] = Object.entries(ERROR_CODE_CATEGORIES)
  .filter(([, category]) => category.startsWith('mfa_'))
  .map(([code]) => Number(code));

/** External-provider failures: external authentication methods / federated MFA (§4). */
const EXTERNAL_CHALLENGE_CODES: ReadonlySet<number> = new Set([50158, 50161, 50166, 50170]);

/**
 * The outcome an error code implies when there is no MFA step to read it from (§9):
 * 0 → satisfied/not_required/unknown by requirement; MFA failures → denied; MFA and
 * registration interrupts → interrupted; anything else → not_reached when MFA was required.
 */
export function outcomeForErrorCode(errorCode: number, mfaRequired: 'yes' | 'no' | 'unknown'): MfaOutcome {
  if (errorCode === 0) return mfaRequired === 'yes' ? 'satisfied' : mfaRequired === 'no' ? 'not_required' : 'unknown';
  const category = errorCodeCategory(errorCode);
  if (category === 'mfa_failed') return 'denied';
  if (category === 'mfa_interrupt' || category === 'mfa_registration') return 'interrupted';
  return mfaRequired === 'yes' ? 'not_reached' : mfaRequired === 'no' ? 'not_required' : 'unknown';
}

/** The result code to store when no result string classifies (see `describeResultCode`). */
export function resultCodeForOutcome(outcome: MfaOutcome, errorCode: number): string | null {
  switch (outcome) {
    case 'satisfied':
      return 'satisfied_other';
    case 'denied':
      return EXTERNAL_CHALLENGE_CODES.has(errorCode) ? 'denied_external_challenge' : 'denied_mfa_failed';
    case 'interrupted':
      return errorCodeCategory(errorCode) === 'mfa_registration'
        ? 'interrupted_registration_required'
        : 'interrupted_mfa_required';
    case 'not_reached':
      return 'not_reached';
    default:
      return null; // not_required, unknown: there is no MFA result to name
  }
}

// --- Requirement ----------------------------------------------------------------------------

const MFA_GRANT = /mfa|multi-?factor/i;
/** CA results that mean the policy's grant controls were enforced on this sign-in. */
const ENFORCED_CA_RESULTS: ReadonlySet<string> = new Set(['success', 'failure']);

const REQUIREMENT_PROVIDER_WORDS: Readonly<Record<string, string>> = {
  multiconditionalaccess: 'Conditional Access',
  user: 'Per-user MFA',
  securitydefaults: 'Security defaults',
  request: 'Requested by the app',
  riskbasedpolicy: 'Risk-based policy',
  tenantsessionriskpolicy: 'Risk-based policy',
  accountcompromisepolicies: 'Risk-based policy',
  baselineprotection: 'Baseline protection',
  enforcedforcspadmins: 'Enforced for CSP admins',
};

/** Words for an `authenticationRequirementPolicies[].requirementProvider` value; unknown → raw. */
export function requirementProviderWords(provider: string): string {
  const key = provider.trim().toLowerCase();
  if (key.startsWith('v1conditionalaccess')) return 'Conditional Access'; // v1ConditionalAccess*
  return REQUIREMENT_PROVIDER_WORDS[key] ?? provider.trim();
}

function mfaRequiredReason(record: GraphSignIn): string | null {
  const words: string[] = [];
  for (const p of record.authenticationRequirementPolicies ?? []) {
    const provider = blank(p.requirementProvider);
    const w = provider ? requirementProviderWords(provider) : blank(p.detail);
    if (w && !words.includes(w)) words.push(w);
  }
  return words.length > 0 ? words.join(', ') : null;
}

function deriveMfaRequired(record: GraphSignIn, errorCode: number, hasMfaStep: boolean): 'yes' | 'no' | 'unknown' {
  const requirement = record.authenticationRequirement?.trim().toLowerCase();
  if (requirement === 'multifactorauthentication') return 'yes';
  if (requirement === 'singlefactorauthentication') return 'no';
  // v1.0 (or an unexpected value): infer.
  if (MFA_ERROR_CODES.includes(errorCode)) return 'yes';
  const caDemandedMfa = (record.appliedConditionalAccessPolicies ?? []).some(
    (p) =>
      ENFORCED_CA_RESULTS.has((p.result ?? '').trim().toLowerCase()) &&
      (p.enforcedGrantControls ?? []).some((g) => g != null && MFA_GRANT.test(g)),
  );
  if (caDemandedMfa) return 'yes';
  return hasMfaStep ? 'yes' : 'unknown';
}

// --- The MFA step --------------------------------------------------------------------------

const MFA_METHODS: ReadonlySet<string> = new Set(KNOWN_METHODS.filter((m) => m !== 'Other'));

/**
 * A step is an MFA step when its requirement is anything but "Primary authentication"
 * ("Multi-factor authentication", "Multifactor authentication", an authentication-strength name
 * such as "Phishing resistant MFA", §3.4). Sparse records (NPS/AD FS) may omit the requirement;
 * then a recognised second-factor method decides.
 */
export function isMfaStep(step: GraphAuthDetail): boolean {
  const requirement = foldText(step.authenticationStepRequirement ?? '');
  if (requirement === '') return MFA_METHODS.has(normaliseMethod(step.authenticationMethod) ?? '');
  return requirement !== 'primary authentication';
}

/**
 * §9: the first non-primary step. When a later MFA step succeeded (the user failed with one
 * method, then passed with another), that one is used, so a sign-in that ended satisfied is not
 * reported as denied; the failed attempt stays visible in `authSteps`.
 */
function pickMfaStep(steps: readonly GraphAuthDetail[]): GraphAuthDetail | undefined {
  const mfaSteps = steps.filter(isMfaStep);
  return mfaSteps.find((s) => s.succeeded === true) ?? mfaSteps[0];
}

// --- Helpers ---------------------------------------------------------------------------------

/** Trimmed text, or null when absent or blank (Graph sends "" for unpopulated fields). */
function blank(s: string | null | undefined): string | null {
  if (s == null) return null;
  const t = s.trim();
  return t === '' ? null : t;
}

/**
 * `mfaDetail.authDetail` (deprecated) has carried both result text ("MFA completed in Azure AD")
 * and method detail (a masked phone number). Treat it as a result only when it classifies.
 */
function splitMfaDetail(record: GraphSignIn): { result: string | null; methodDetail: string | null } {
  const authDetail = blank(record.mfaDetail?.authDetail);
  if (authDetail == null) return { result: null, methodDetail: null };
  return classifyResultDetail(authDetail).outcome != null
    ? { result: authDetail, methodDetail: null }
    : { result: null, methodDetail: authDetail };
}

const contradicts = (c: ResultClassification, outcome: MfaOutcome): boolean =>
  (c.outcome === 'satisfied' && outcome === 'denied') || (c.outcome === 'denied' && outcome === 'satisfied');

/**
 * The code to store:
 * - the detail classifies → its code, unless it contradicts the authoritative outcome
 *   (`succeeded` or the error code; e.g. "satisfied by claim in the token" is logged early and
 *   corrected later, §2), in which case the outcome's own code;
 * - unknown text → 'other', except when the error code names something more specific
 *   (interrupted_*, not_reached, denied_external_challenge);
 * - no detail → the outcome's code (satisfied_other, denied_mfa_failed, interrupted_*, …).
 */
function pickResultCode(
  outcome: MfaOutcome,
  c: ResultClassification,
  errorCode: number,
  fromMfaStep: boolean,
): string | null {
  const derived = resultCodeForOutcome(outcome, errorCode);
  if (c.outcome != null) return contradicts(c, outcome) ? derived : c.code;
  if (c.code === 'other') {
    const specific =
      outcome === 'interrupted' ||
      outcome === 'not_reached' ||
      (outcome === 'denied' && EXTERNAL_CHALLENGE_CODES.has(errorCode));
    if (specific) return derived;
    // A step's result string is always an MFA result; a sign-in-level status text is only one
    // when MFA was involved, so it is not named 'other' for not_required/unknown sign-ins.
    return fromMfaStep || outcome === 'satisfied' || outcome === 'denied' ? 'other' : null;
  }
  return derived;
}

interface MfaResult {
  outcome: MfaOutcome;
  code: string | null;
  detail: string | null;
  methodRaw: string | null;
  authDetail: string | null;
}

function deriveMfaResult(
  record: GraphSignIn,
  step: GraphAuthDetail | undefined,
  errorCode: number,
  mfaRequired: 'yes' | 'no' | 'unknown',
): MfaResult {
  const statusDetail = blank(record.status?.additionalDetails);
  const fromMfaDetail = splitMfaDetail(record);

  if (step) {
    const detail = blank(step.authenticationStepResultDetail) ?? statusDetail ?? fromMfaDetail.result;
    const c = classifyResultDetail(detail);
    let outcome: MfaOutcome;
    if (step.succeeded === true) outcome = 'satisfied';
    else if (step.succeeded === false) {
      // A failed step on an interrupt error (50074 "MFA required", 50072 "register first") is the
      // user being sent to MFA, not a denial, unless the text names a denial.
      const category = errorCodeCategory(errorCode);
      const interrupt = (category === 'mfa_interrupt' || category === 'mfa_registration') && c.outcome !== 'denied';
      outcome = interrupt ? 'interrupted' : 'denied';
    } else {
      outcome = c.outcome ?? outcomeForErrorCode(errorCode, mfaRequired); // `succeeded` missing
    }
    return {
      outcome,
      code: pickResultCode(outcome, c, errorCode, true),
      detail,
      methodRaw: blank(step.authenticationMethod) ?? blank(record.mfaDetail?.authMethod),
      authDetail: blank(step.authenticationMethodDetail) ?? fromMfaDetail.methodDetail,
    };
  }

  // No MFA step (v1.0, sparse on-premises events, or primary authentication only).
  const detail = statusDetail ?? fromMfaDetail.result;
  const c = classifyResultDetail(detail);
  const outcome = outcomeForErrorCode(errorCode, mfaRequired);
  const code = pickResultCode(outcome, c, errorCode, false);
  // Keep the detail only when it is an MFA result: a plain "Invalid username or password" on a
  // not-reached sign-in stays in `additional_details`, not in the MFA result column.
  const isMfaResult = c.outcome != null || outcome === 'satisfied' || outcome === 'denied' || outcome === 'interrupted';
  return {
    outcome,
    code,
    detail: isMfaResult ? detail : null,
    methodRaw: blank(record.mfaDetail?.authMethod),
    authDetail: fromMfaDetail.methodDetail,
  };
}

function toAuthStep(step: GraphAuthDetail): AuthStep {
  return {
    at: blank(step.authenticationStepDateTime),
    method: blank(step.authenticationMethod),
    methodDetail: scrubOptional(step.authenticationMethodDetail),
    requirement: blank(step.authenticationStepRequirement),
    succeeded: step.succeeded ?? null,
    resultDetail: scrubOptional(step.authenticationStepResultDetail),
  };
}

function onpremComponent(record: GraphSignIn): 'nps' | 'adfs' | null {
  const resourceId = record.resourceId?.trim().toLowerCase();
  const issuer = record.tokenIssuerType?.trim().toLowerCase();
  if (resourceId === 'radius' || issuer === 'npsextension') return 'nps';
  if (resourceId === 'adfs' || issuer === 'adfederationservicesmfaadapter') return 'adfs';
  return null;
}

const controls = (list: readonly (string | null)[] | null | undefined): string[] =>
  (list ?? []).map((c) => blank(c)).filter((c): c is string => c != null);

/**
 * Graph lists every enabled policy on every sign-in, most of them "notApplied". Only policies that
 * applied (or would have, in report-only mode) are stored: that is what the reports count, and it
 * keeps the table a small multiple of the sign-ins instead of six times their number.
 */
const NOT_APPLIED = new Set(['notapplied', 'notenabled', 'reportonlynotapplied']);

function toPolicyRows(policies: readonly GraphCaPolicy[], signinId: string, signinCreatedAt: Date): CaPolicyRow[] {
  const rows: CaPolicyRow[] = [];
  const seen = new Set<string>();
  for (const p of policies) {
    if (NOT_APPLIED.has((blank(p.result) ?? '').toLowerCase())) continue;
    const policyId = blank(p.id);
    // Skip id-less elements, and repeats: (signin, time, policy) is the table's primary key.
    if (policyId == null || seen.has(policyId)) continue;
    seen.add(policyId);
    rows.push({
      signinId,
      signinCreatedAt,
      policyId,
      displayName: blank(p.displayName),
      grantControls: controls(p.enforcedGrantControls),
      sessionControls: controls(p.enforcedSessionControls),
      result: blank(p.result) ?? 'unknown',
    });
  }
  return rows;
}

// --- Entry point -----------------------------------------------------------------------------

/**
 * Turn a validated Graph sign-in (beta or v1.0) into its `signins` row and CA policy rows.
 * `source` records where it came from ('graph-beta', 'graph-v1', 'import:…', 'seed').
 */
export function normaliseSignin(record: GraphSignIn, source: string): { row: SigninRow; policies: CaPolicyRow[] } {
  const createdAt = new Date(record.createdDateTime);
  const errorCode = record.status?.errorCode ?? 0;
  const steps = record.authenticationDetails ?? [];
  const step = pickMfaStep(steps);
  const mfaRequired = deriveMfaRequired(record, errorCode, step !== undefined);
  const mfa = deriveMfaResult(record, step, errorCode, mfaRequired);

  const row: SigninRow = {
    id: record.id,
    createdAt,
    userId: blank(record.userId),
    upn: blank(record.userPrincipalName)?.toLowerCase() ?? null,
    userDisplayName: blank(record.userDisplayName),
    appDisplayName: blank(record.appDisplayName),
    appId: blank(record.appId),
    resourceId: blank(record.resourceId),
    resourceDisplayName: blank(record.resourceDisplayName),
    ipAddress: blank(record.ipAddress),
    city: blank(record.location?.city),
    countryOrRegion: blank(record.location?.countryOrRegion),
    clientAppUsed: blank(record.clientAppUsed),
    isInteractive: record.isInteractive ?? null,
    errorCode,
    failureReason: scrubOptional(record.status?.failureReason),
    additionalDetails: scrubOptional(record.status?.additionalDetails),
    mfaRequired,
    mfaRequiredReason: mfaRequiredReason(record),
    mfaOutcome: mfa.outcome,
    mfaResultCode: mfa.code,
    // Scrubbed too: "phone numbers only ever as +X XXXXXXXX64" holds for every column.
    mfaResultDetail: scrubOptional(mfa.detail),
    mfaMethod: normaliseMethod(mfa.methodRaw),
    mfaMethodRaw: mfa.methodRaw,
    mfaAuthDetail: scrubOptional(mfa.authDetail),
    authSteps: steps.map(toAuthStep),
    caStatus: blank(record.conditionalAccessStatus),
    tokenIssuerType: blank(record.tokenIssuerType),
    onpremComponent: onpremComponent(record),
    correlationId: blank(record.correlationId),
    source,
  };

  return { row, policies: toPolicyRows(record.appliedConditionalAccessPolicies ?? [], record.id, createdAt) };
}
