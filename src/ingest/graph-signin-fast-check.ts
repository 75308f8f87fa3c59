// A hand-written check of what graphSignInSchema accepts, for the import's hot path: zod takes
// tens of microseconds on a Graph sign-in (it copies every object of it), a plain walk a few. It
// only ever says "certainly valid, as it is": a record it passes is one the schema accepts and
// returns unchanged in content (the schema's only transform, a numeric-string error code, is left
// to zod). Anything else goes to the schema, which gives the verdict and the reasons.
// test/ingest/graph-signin-fast-check.test.ts holds the two to that.
import { z } from 'zod';
import type { GraphSignIn } from './graph-signin.js';

type Plain = Record<string, unknown>;

const datetime = z.iso.datetime({ offset: true });

const isObject = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);
const optText = (v: unknown) => v === undefined || v === null || typeof v === 'string';
const optBool = (v: unknown) => v === undefined || v === null || typeof v === 'boolean';
// Index loops, not every(): every() skips the holes of a sparse array, which the schema refuses.
const all = (list: unknown[], test: (item: unknown) => boolean) => {
  for (let i = 0; i < list.length; i++) if (!test(list[i])) return false;
  return true;
};
const optTextArray = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && all(v, (s) => s === null || typeof s === 'string'));
const optObject = (v: unknown, fields: (o: Plain) => boolean) => v === undefined || v === null || (isObject(v) && fields(v));
const optArrayOf = (v: unknown, fields: (o: Plain) => boolean) =>
  v === undefined || v === null || (Array.isArray(v) && all(v, (o) => isObject(o) && fields(o)));
const texts = (o: Plain, keys: readonly string[]) => keys.every((k) => optText(o[k]));

const TOP_TEXTS = [
  'correlationId', 'userId', 'userPrincipalName', 'userDisplayName', 'userType', 'appId', 'appDisplayName', 'resourceId',
  'resourceDisplayName', 'ipAddress', 'clientAppUsed', 'userAgent', 'conditionalAccessStatus', 'authenticationRequirement',
  'tokenIssuerType', 'tokenIssuerName', 'riskDetail', 'riskLevelAggregated', 'riskLevelDuringSignIn', 'riskState',
] as const;
const STEP_TEXTS = ['authenticationStepDateTime', 'authenticationMethod', 'authenticationMethodDetail', 'authenticationStepResultDetail', 'authenticationStepRequirement'] as const;

export function isPlainGraphSignIn(r: Plain): r is GraphSignIn {
  return (
    typeof r.id === 'string' &&
    r.id.length > 0 &&
    typeof r.createdDateTime === 'string' &&
    texts(r, TOP_TEXTS) &&
    optBool(r.isInteractive) &&
    optTextArray(r.authenticationMethodsUsed) &&
    optTextArray(r.signInEventTypes) &&
    optObject(r.location, (o) => texts(o, ['city', 'state', 'countryOrRegion'])) &&
    optObject(r.deviceDetail, () => true) &&
    optObject(r.status, (o) => (o.errorCode === undefined || o.errorCode === null || Number.isSafeInteger(o.errorCode)) && texts(o, ['failureReason', 'additionalDetails'])) &&
    optObject(r.mfaDetail, (o) => texts(o, ['authMethod', 'authDetail'])) &&
    optArrayOf(r.appliedConditionalAccessPolicies, (o) => texts(o, ['id', 'displayName', 'result']) && optTextArray(o.enforcedGrantControls) && optTextArray(o.enforcedSessionControls)) &&
    optArrayOf(r.authenticationRequirementPolicies, (o) => texts(o, ['requirementProvider', 'detail'])) &&
    optArrayOf(r.authenticationDetails, (o) => texts(o, STEP_TEXTS) && optBool(o.succeeded)) &&
    // Last: the costliest test.
    datetime.safeParse(r.createdDateTime).success
  );
}
