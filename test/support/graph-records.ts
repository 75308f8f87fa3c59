// Builders for Graph-shaped records, so test data goes through the same normalisation as real
// data and every expected figure follows from the records a test writes down.
import type { Store } from '../../db/client.js';
import type { GraphRegistration } from '../../src/ingest/graph-registration.js';
import { graphSignInSchema } from '../../src/ingest/graph-signin.js';
import { prepareSignin } from '../../src/ingest/prepare-signin.js';
import { writeSignins } from '../../src/ingest/write-signins.js';

export interface SigninSpec {
  id: string;
  at: Date | string;
  upn: string;
  userId?: string;
  /** Default true: `authenticationRequirement` multiFactorAuthentication. */
  mfaRequired?: boolean;
  /** An MFA step with this method, result and detail. */
  mfa?: { method: string; succeeded: boolean; detail: string; methodDetail?: string };
  errorCode?: number;
  failureReason?: string;
  additionalDetails?: string;
  app?: string;
  resourceId?: string;
  tokenIssuerType?: string;
  correlationId?: string;
  policies?: Array<{ id: string; displayName: string; grant?: string[]; session?: string[]; result: string }>;
}

export function graphSignin(spec: SigninSpec): Record<string, unknown> {
  const at = typeof spec.at === 'string' ? spec.at : spec.at.toISOString();
  const steps: Record<string, unknown>[] = [
    {
      authenticationStepDateTime: at,
      authenticationMethod: 'Password',
      authenticationMethodDetail: 'Password in the cloud',
      succeeded: true,
      authenticationStepResultDetail: 'Correct password',
      authenticationStepRequirement: 'Primary authentication',
    },
  ];
  if (spec.mfa) {
    steps.push({
      authenticationStepDateTime: at,
      authenticationMethod: spec.mfa.method,
      authenticationMethodDetail: spec.mfa.methodDetail ?? null,
      succeeded: spec.mfa.succeeded,
      authenticationStepResultDetail: spec.mfa.detail,
      authenticationStepRequirement: 'Multi-factor authentication',
    });
  }
  return {
    id: spec.id,
    createdDateTime: at,
    userId: spec.userId ?? `id-${spec.upn}`,
    userPrincipalName: spec.upn,
    userDisplayName: spec.upn.split('@')[0],
    appDisplayName: spec.app ?? 'Office 365 Exchange Online',
    appId: '00000002-0000-0ff1-ce00-000000000000',
    resourceId: spec.resourceId ?? '00000002-0000-0ff1-ce00-000000000000',
    ipAddress: '203.0.113.10',
    location: { city: 'Seattle', state: 'Washington', countryOrRegion: 'US', geoCoordinates: {} },
    clientAppUsed: 'Browser',
    isInteractive: true,
    correlationId: spec.correlationId ?? `corr-${spec.id}`,
    conditionalAccessStatus: spec.policies?.length ? 'success' : 'notApplied',
    authenticationRequirement: spec.mfaRequired === false ? 'singleFactorAuthentication' : 'multiFactorAuthentication',
    authenticationDetails: steps,
    tokenIssuerType: spec.tokenIssuerType ?? 'AzureAD',
    status: { errorCode: spec.errorCode ?? 0, failureReason: spec.failureReason ?? null, additionalDetails: spec.additionalDetails ?? null },
    appliedConditionalAccessPolicies: (spec.policies ?? []).map((p) => ({
      id: p.id,
      displayName: p.displayName,
      enforcedGrantControls: p.grant ?? [],
      enforcedSessionControls: p.session ?? [],
      result: p.result,
    })),
  };
}

export function normalised(specs: SigninSpec[]) {
  return specs.map((spec) => prepareSignin(graphSignInSchema.parse(graphSignin(spec)), 'graph-beta'));
}

export async function loadSignins(store: Store, specs: SigninSpec[]) {
  return writeSignins(store, normalised(specs));
}

/** A member registered for MFA with the Authenticator app (push as default); id `id-<upn>` unless given. */
export function pushRegistration(upn: string, displayName: string, id = `id-${upn}`): GraphRegistration {
  return {
    id,
    userPrincipalName: upn,
    userDisplayName: displayName,
    userType: 'member',
    isAdmin: false,
    isMfaRegistered: true,
    isMfaCapable: true,
    methodsRegistered: ['microsoftAuthenticatorPush'],
    defaultMfaMethod: 'microsoftAuthenticatorPush',
    lastUpdatedDateTime: '2026-11-20T08:00:00Z',
  };
}
