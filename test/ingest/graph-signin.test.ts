import { describe, expect, it } from 'vitest';
import {
  errorCodeCategory,
  graphSignInSchema,
  MFA_ERROR_CODES,
  normaliseSignin,
  outcomeForErrorCode,
  requirementProviderWords,
  resultCodeForOutcome,
  type GraphSignIn,
} from '../../src/ingest/graph-signin.js';

// Fixtures follow the documented beta shape (graph-data.md §3, S4/S17 examples); values invented.
const primaryPassword = {
  authenticationStepDateTime: '2026-11-02T08:15:01Z',
  authenticationMethod: 'Password',
  authenticationMethodDetail: 'Password in the cloud',
  succeeded: true,
  authenticationStepResultDetail: 'Correct password',
  authenticationStepRequirement: 'Primary authentication',
};

function betaRecord(overrides: Record<string, unknown> = {}): unknown {
  return {
    id: '66ea54eb-6301-4ee5-be62-ff5a759b8100',
    createdDateTime: '2026-11-02T08:15:00Z',
    userDisplayName: 'Megan Bowen',
    userPrincipalName: 'MeganB@Contoso.com',
    userId: 'd7d9d4b8-8f2e-4c8e-9bb0-6c3d0c8c2a11',
    appId: '00000003-0000-0ff1-ce00-000000000000',
    appDisplayName: 'Office 365 SharePoint Online',
    ipAddress: '203.0.113.24',
    clientAppUsed: 'Browser',
    userAgent: 'Mozilla/5.0',
    correlationId: 'c1a7e0e4-2f7e-4a53-9c1b-9d3a6d7c1e01',
    conditionalAccessStatus: 'success',
    isInteractive: true,
    resourceDisplayName: 'Office 365 SharePoint Online',
    resourceId: '00000003-0000-0ff1-ce00-000000000000',
    userType: 'member',
    tokenIssuerType: 'AzureAD',
    tokenIssuerName: '',
    authenticationRequirement: 'multiFactorAuthentication',
    authenticationRequirementPolicies: [{ requirementProvider: 'multiConditionalAccess', detail: 'Conditional Access' }],
    authenticationMethodsUsed: [],
    signInEventTypes: ['interactiveUser'],
    status: { errorCode: 0, failureReason: 'Other.', additionalDetails: 'MFA completed in Azure AD' },
    deviceDetail: { deviceId: '', displayName: '', operatingSystem: 'Windows 10', browser: 'Edge 120.0.0', isCompliant: false, isManaged: false, trustType: '' },
    location: {
      city: 'Redmond',
      state: 'Washington',
      countryOrRegion: 'US',
      geoCoordinates: { altitude: null, latitude: 47.67, longitude: -122.12 },
    },
    appliedConditionalAccessPolicies: [
      {
        id: 'a1b2c3d4-0000-4000-8000-000000000001',
        displayName: 'Require MFA for all users',
        enforcedGrantControls: ['Mfa'],
        enforcedSessionControls: [],
        result: 'success',
        conditionsSatisfied: 3,
        conditionsNotSatisfied: 0,
      },
    ],
    authenticationDetails: [
      primaryPassword,
      {
        authenticationStepDateTime: '2026-11-02T08:15:09Z',
        authenticationMethod: 'Mobile app notification',
        authenticationMethodDetail: 'iPhone 15',
        succeeded: true,
        authenticationStepResultDetail: 'MFA successfully completed',
        authenticationStepRequirement: 'Multi-factor authentication',
      },
    ],
    mfaDetail: { authMethod: 'PhoneAppNotification', authDetail: null },
    riskDetail: 'hidden',
    riskState: 'none',
    someFutureProperty: { anything: true },
    ...overrides,
  };
}

const parse = (raw: unknown): GraphSignIn => graphSignInSchema.parse(raw);
const normalise = (raw: unknown, source = 'graph-beta') => normaliseSignin(parse(raw), source);

describe('graphSignInSchema', () => {
  it('accepts both documented timestamp forms', () => {
    expect(parse(betaRecord({ createdDateTime: '2021-06-30T16:34:32Z' })).createdDateTime).toBe('2021-06-30T16:34:32Z');
    expect(parse(betaRecord({ createdDateTime: '2019-03-12T16:02:15.5522137+00:00' })).id).toBeTruthy();
  });

  it('rejects a record without id or a valid time', () => {
    expect(graphSignInSchema.safeParse(betaRecord({ id: '' })).success).toBe(false);
    expect(graphSignInSchema.safeParse(betaRecord({ id: undefined })).success).toBe(false);
    expect(graphSignInSchema.safeParse(betaRecord({ createdDateTime: 'yesterday' })).success).toBe(false);
    expect(graphSignInSchema.safeParse(betaRecord({ createdDateTime: '2026-11-02T08:15:00' })).success).toBe(false);
  });

  it('keeps unknown properties and tolerates nulls', () => {
    const parsed = parse(
      betaRecord({ location: null, status: null, deviceDetail: null, appliedConditionalAccessPolicies: null }),
    );
    expect((parsed as Record<string, unknown>).someFutureProperty).toEqual({ anything: true });
  });

  it('accepts a numeric-string error code', () => {
    expect(parse(betaRecord({ status: { errorCode: '500121' } })).status?.errorCode).toBe(500121);
  });

  it('accepts a minimal record', () => {
    expect(parse({ id: 'x', createdDateTime: '2026-11-02T08:15:00Z' }).id).toBe('x');
  });
});

describe('normaliseSignin', () => {
  it('maps a beta sign-in satisfied by push', () => {
    const { row, policies } = normalise(betaRecord());
    expect(row).toMatchObject({
      id: '66ea54eb-6301-4ee5-be62-ff5a759b8100',
      upn: 'meganb@contoso.com',
      userId: 'd7d9d4b8-8f2e-4c8e-9bb0-6c3d0c8c2a11',
      appDisplayName: 'Office 365 SharePoint Online',
      city: 'Redmond',
      countryOrRegion: 'US',
      clientAppUsed: 'Browser',
      isInteractive: true,
      errorCode: 0,
      failureReason: 'Other.',
      additionalDetails: 'MFA completed in Azure AD',
      mfaRequired: 'yes',
      mfaRequiredReason: 'Conditional Access',
      mfaOutcome: 'satisfied',
      mfaResultCode: 'completed',
      mfaResultDetail: 'MFA successfully completed',
      mfaMethod: 'Mobile app notification',
      mfaMethodRaw: 'Mobile app notification',
      mfaAuthDetail: 'iPhone 15',
      caStatus: 'success',
      tokenIssuerType: 'AzureAD',
      onpremComponent: null,
      correlationId: 'c1a7e0e4-2f7e-4a53-9c1b-9d3a6d7c1e01',
      source: 'graph-beta',
    });
    expect(row.createdAt).toEqual(new Date('2026-11-02T08:15:00Z'));
    expect(row.authSteps).toEqual([
      {
        at: '2026-11-02T08:15:01Z',
        method: 'Password',
        methodDetail: 'Password in the cloud',
        requirement: 'Primary authentication',
        succeeded: true,
        resultDetail: 'Correct password',
      },
      {
        at: '2026-11-02T08:15:09Z',
        method: 'Mobile app notification',
        methodDetail: 'iPhone 15',
        requirement: 'Multi-factor authentication',
        succeeded: true,
        resultDetail: 'MFA successfully completed',
      },
    ]);
    expect(policies).toEqual([
      {
        signinId: '66ea54eb-6301-4ee5-be62-ff5a759b8100',
        signinCreatedAt: new Date('2026-11-02T08:15:00Z'),
        policyId: 'a1b2c3d4-0000-4000-8000-000000000001',
        displayName: 'Require MFA for all users',
        grantControls: ['Mfa'],
        sessionControls: [],
        result: 'success',
      },
    ]);
  });

  it('maps a sign-in denied because the call went to voicemail, scrubbing the phone number', () => {
    const { row } = normalise(
      betaRecord({
        status: {
          errorCode: 500121,
          failureReason: 'Authentication failed during strong authentication request.',
          additionalDetails: 'MFA denied; phone call went to voicemail',
        },
        authenticationDetails: [
          primaryPassword,
          {
            authenticationStepDateTime: '2026-11-02T08:16:30Z',
            authenticationMethod: 'Phone call',
            authenticationMethodDetail: '+1 425 555 0164',
            succeeded: false,
            authenticationStepResultDetail: 'MFA denied; phone call went to voicemail',
            authenticationStepRequirement: 'Multifactor authentication',
          },
        ],
      }),
    );
    expect(row).toMatchObject({
      errorCode: 500121,
      mfaRequired: 'yes',
      mfaOutcome: 'denied',
      mfaResultCode: 'denied_voicemail',
      mfaResultDetail: 'MFA denied; phone call went to voicemail',
      mfaMethod: 'Phone call (Authentication phone)',
      mfaMethodRaw: 'Phone call',
      mfaAuthDetail: '+X XXXXXXXX64',
    });
    expect(row.authSteps?.[1]?.methodDetail).toBe('+X XXXXXXXX64');
    expect(JSON.stringify(row)).not.toContain('555');
  });

  it('scrubs phone numbers wherever they appear', () => {
    const { row } = normalise(
      betaRecord({
        status: { errorCode: 500121, failureReason: 'Call to (425) 555-0164 failed', additionalDetails: 'sms to 425.555.0164' },
        authenticationDetails: [
          primaryPassword,
          {
            authenticationMethod: 'Text message',
            authenticationMethodDetail: '+44 20 7946 0958',
            succeeded: false,
            authenticationStepResultDetail: 'user entered incorrect code to +44 20 7946 0958',
            authenticationStepRequirement: 'Multi-factor authentication',
          },
        ],
      }),
    );
    expect(row.mfaAuthDetail).toBe('+X XXXXXXXX58');
    expect(row.mfaResultDetail).toBe('user entered incorrect code to +X XXXXXXXX58');
    expect(row.mfaResultCode).toBe('denied_incorrect_code');
    expect(row.mfaMethod).toBe('Text message');
    expect(row.failureReason).toBe('Call to +X XXXXXXXX64 failed');
    expect(row.additionalDetails).toBe('sms to +X XXXXXXXX64');
    expect(row.authSteps?.[1]).toMatchObject({
      methodDetail: '+X XXXXXXXX58',
      resultDetail: 'user entered incorrect code to +X XXXXXXXX58',
    });
    expect(JSON.stringify(row)).not.toMatch(/7946|555/);
  });

  it('maps a 50074 interrupt with only the primary step', () => {
    const { row } = normalise(
      betaRecord({
        status: {
          errorCode: 50074,
          failureReason: 'Strong Authentication is required.',
          additionalDetails: 'MFA required in Azure AD',
        },
        conditionalAccessStatus: 'notApplied',
        appliedConditionalAccessPolicies: [],
        authenticationRequirementPolicies: [{ requirementProvider: 'user', detail: 'Per-user MFA' }],
        authenticationDetails: [primaryPassword],
        mfaDetail: null,
      }),
    );
    expect(row).toMatchObject({
      errorCode: 50074,
      mfaRequired: 'yes',
      mfaRequiredReason: 'Per-user MFA',
      mfaOutcome: 'interrupted',
      mfaResultCode: 'interrupted_mfa_required',
      mfaResultDetail: 'MFA required in Azure AD',
      mfaMethod: null,
      caStatus: 'notApplied',
    });
  });

  it('treats a failed MFA step on an interrupt code as interrupted, not denied', () => {
    const { row } = normalise(
      betaRecord({
        status: { errorCode: 50074, failureReason: 'Strong Authentication is required.' },
        authenticationDetails: [
          primaryPassword,
          { authenticationMethod: 'Mobile app notification', succeeded: false, authenticationStepRequirement: 'Multi-factor authentication' },
        ],
      }),
    );
    expect(row).toMatchObject({ mfaOutcome: 'interrupted', mfaResultCode: 'interrupted_mfa_required' });
  });

  it('maps a registration interrupt (50079)', () => {
    const { row } = normalise(
      betaRecord({ status: { errorCode: 50079, additionalDetails: null }, authenticationDetails: [primaryPassword] }),
    );
    expect(row).toMatchObject({ mfaOutcome: 'interrupted', mfaResultCode: 'interrupted_registration_required' });
  });

  it('maps a user-declined push and a fraud report', () => {
    const declined = normalise(
      betaRecord({
        status: { errorCode: 500121, additionalDetails: 'MFA Denied; user declined the authentication' },
        authenticationDetails: [
          primaryPassword,
          {
            authenticationMethod: 'Authenticator App',
            authenticationMethodDetail: 'Pixel 8',
            succeeded: false,
            authenticationStepResultDetail: 'MFA Denied; user declined the authentication',
            authenticationStepRequirement: 'Multi-factor authentication',
          },
        ],
      }),
    ).row;
    expect(declined).toMatchObject({
      mfaOutcome: 'denied',
      mfaResultCode: 'denied_user_declined',
      mfaMethod: 'Mobile app notification',
      mfaMethodRaw: 'Authenticator App',
    });
    const fraud = normalise(
      betaRecord({
        status: { errorCode: 500121, additionalDetails: 'MFA denied; Phone App Reported Fraud' },
        authenticationDetails: [primaryPassword],
      }),
    ).row;
    expect(fraud).toMatchObject({ mfaOutcome: 'denied', mfaResultCode: 'denied_fraud_reported' });
  });

  it('uses the error-code denial when the step has no result detail', () => {
    const { row } = normalise(
      betaRecord({
        status: { errorCode: 500121, additionalDetails: '' },
        mfaDetail: null,
        authenticationDetails: [
          primaryPassword,
          { authenticationMethod: 'SMS', succeeded: false, authenticationStepRequirement: 'Multi-factor authentication' },
        ],
      }),
    );
    expect(row).toMatchObject({ mfaOutcome: 'denied', mfaResultCode: 'denied_mfa_failed', mfaResultDetail: null });
  });

  it('trusts succeeded over a satisfied-sounding detail (delayed corrections)', () => {
    const { row } = normalise(
      betaRecord({
        status: { errorCode: 500121 },
        authenticationDetails: [
          primaryPassword,
          {
            authenticationMethod: 'Mobile app notification',
            succeeded: false,
            authenticationStepResultDetail: 'MFA requirement satisfied by claim in the token',
            authenticationStepRequirement: 'Multi-factor authentication',
          },
        ],
      }),
    );
    expect(row).toMatchObject({ mfaOutcome: 'denied', mfaResultCode: 'denied_mfa_failed' });
  });

  it("records 'other' for an unrecognised step result", () => {
    const { row } = normalise(
      betaRecord({
        authenticationDetails: [
          primaryPassword,
          {
            authenticationMethod: 'Mobile app notification',
            succeeded: true,
            authenticationStepResultDetail: 'Brand new wording from Microsoft',
            authenticationStepRequirement: 'Multi-factor authentication',
          },
        ],
      }),
    );
    expect(row).toMatchObject({ mfaOutcome: 'satisfied', mfaResultCode: 'other' });
  });

  it('falls back to status.additionalDetails when the step has no result detail', () => {
    const { row } = normalise(
      betaRecord({
        status: { errorCode: 0, additionalDetails: 'MFA requirement satisfied by claim in the token' },
        authenticationDetails: [
          primaryPassword,
          { authenticationMethod: 'Previously satisfied', succeeded: true, authenticationStepRequirement: 'Multi-factor authentication' },
        ],
      }),
    );
    expect(row).toMatchObject({
      mfaOutcome: 'satisfied',
      mfaResultCode: 'satisfied_by_claim',
      mfaResultDetail: 'MFA requirement satisfied by claim in the token',
      mfaMethod: 'Previously satisfied',
    });
  });

  it('uses the later successful step when the user retried with another method', () => {
    const { row } = normalise(
      betaRecord({
        authenticationDetails: [
          primaryPassword,
          {
            authenticationMethod: 'Text message',
            authenticationMethodDetail: '+X XXXXXXXX64',
            succeeded: false,
            authenticationStepResultDetail: 'MFA denied; user entered incorrect code',
            authenticationStepRequirement: 'Multi-factor authentication',
          },
          {
            authenticationMethod: 'Mobile app notification',
            succeeded: true,
            authenticationStepResultDetail: 'MFA successfully completed',
            authenticationStepRequirement: 'Multi-factor authentication',
          },
        ],
      }),
    );
    expect(row).toMatchObject({ mfaOutcome: 'satisfied', mfaResultCode: 'completed', mfaMethod: 'Mobile app notification' });
    expect(row.authSteps).toHaveLength(3);
  });

  it('treats an authentication-strength requirement as an MFA step', () => {
    const { row } = normalise(
      betaRecord({
        authenticationRequirement: undefined,
        appliedConditionalAccessPolicies: [],
        authenticationDetails: [
          primaryPassword,
          {
            authenticationMethod: 'FIDO2 security key',
            authenticationMethodDetail: 'My Security Key - 7e3c7a5e-0000-4000-8000-000000000000',
            succeeded: true,
            authenticationStepResultDetail: 'MFA requirement satisfied by multi-factor device',
            authenticationStepRequirement: 'Phishing resistant MFA',
          },
        ],
      }),
    );
    expect(row).toMatchObject({
      mfaRequired: 'yes', // inferred from the MFA step
      mfaOutcome: 'satisfied',
      mfaResultCode: 'satisfied_by_device',
      mfaMethod: 'FIDO2 security key',
      mfaAuthDetail: 'My Security Key - 7e3c7a5e-0000-4000-8000-000000000000',
    });
  });

  it('maps a single-factor sign-in as not required', () => {
    const { row } = normalise(
      betaRecord({
        authenticationRequirement: 'singleFactorAuthentication',
        authenticationRequirementPolicies: [],
        status: { errorCode: 0, additionalDetails: null },
        authenticationDetails: [primaryPassword],
        mfaDetail: null,
      }),
    );
    expect(row).toMatchObject({
      mfaRequired: 'no',
      mfaRequiredReason: null,
      mfaOutcome: 'not_required',
      mfaResultCode: null,
      mfaResultDetail: null,
      mfaMethod: null,
    });
  });

  it('maps a wrong password on an MFA-required sign-in as not reached', () => {
    const { row } = normalise(
      betaRecord({
        status: {
          errorCode: 50126,
          failureReason: 'Error validating credentials due to invalid username or password.',
          additionalDetails: 'Invalid username or password or Invalid on-premise username or password.',
        },
        authenticationDetails: [
          {
            ...primaryPassword,
            succeeded: false,
            authenticationStepResultDetail: 'Invalid username or password or Invalid on-premise username or password.',
          },
        ],
        mfaDetail: null,
      }),
    );
    expect(row).toMatchObject({ mfaRequired: 'yes', mfaOutcome: 'not_reached', mfaResultCode: 'not_reached', mfaResultDetail: null });
    expect(row.additionalDetails).toBe('Invalid username or password or Invalid on-premise username or password.');
  });

  describe('v1.0 records (no MFA fields)', () => {
    const v1Base = {
      id: 'b2f6a9c0-1111-4222-8333-444455556666',
      createdDateTime: '2019-03-12T16:02:15.5522137+00:00',
      userDisplayName: 'Lee Gu',
      userPrincipalName: 'leeg@contoso.com',
      userId: '1b1f0a0e-aaaa-4bbb-8ccc-ddddeeeeffff',
      appId: 'de8bc8b5-d9f9-48b1-a8ad-b748da725064',
      appDisplayName: 'Graph Explorer',
      ipAddress: '131.107.159.37',
      clientAppUsed: 'Browser',
      correlationId: '3e3b5d2c-1234-4d6f-8a7b-0a1b2c3d4e5f',
      isInteractive: true,
      resourceDisplayName: 'Microsoft Graph',
      resourceId: '00000003-0000-0000-c000-000000000000',
      location: { city: 'Redmond', state: 'Washington', countryOrRegion: 'US', geoCoordinates: {} },
      riskDetail: 'none',
    };

    it('infers MFA required from the error code', () => {
      const { row } = normalise(
        {
          ...v1Base,
          conditionalAccessStatus: 'notApplied',
          status: { errorCode: 500121, failureReason: 'Authentication failed during strong authentication request.' },
        },
        'graph-v1',
      );
      expect(row).toMatchObject({
        mfaRequired: 'yes',
        mfaRequiredReason: null,
        mfaOutcome: 'denied',
        mfaResultCode: 'denied_mfa_failed',
        mfaMethod: null,
        authSteps: [],
        source: 'graph-v1',
      });
      expect(row.createdAt).toEqual(new Date('2019-03-12T16:02:15.552Z'));
    });

    it('infers MFA required from an enforced CA grant and counts a clean sign-in as satisfied', () => {
      const { row, policies } = normalise(
        {
          ...v1Base,
          conditionalAccessStatus: 'success',
          status: { errorCode: 0, failureReason: null, additionalDetails: 'MFA requirement satisfied by claim in the token' },
          appliedConditionalAccessPolicies: [
            {
              id: 'p-1',
              displayName: 'Admins: require MFA',
              enforcedGrantControls: ['Require multifactor authentication'],
              enforcedSessionControls: ['SignInFrequency'],
              result: 'success',
            },
            { id: 'p-2', displayName: 'Block legacy auth', enforcedGrantControls: ['Block'], enforcedSessionControls: [], result: 'notApplied' },
          ],
        },
        'graph-v1',
      );
      expect(row).toMatchObject({ mfaRequired: 'yes', mfaOutcome: 'satisfied', mfaResultCode: 'satisfied_by_claim' });
      expect(policies.map((p) => [p.policyId, p.result, p.grantControls, p.sessionControls])).toEqual([
        ['p-1', 'success', ['Require multifactor authentication'], ['SignInFrequency']],
      ]);
    });

    it('does not count report-only or disabled policies as requiring MFA', () => {
      const { row } = normalise(
        {
          ...v1Base,
          status: { errorCode: 0 },
          appliedConditionalAccessPolicies: [
            { id: 'p-3', displayName: 'Pilot MFA', enforcedGrantControls: ['Mfa'], enforcedSessionControls: [], result: 'reportOnlySuccess' },
            { id: 'p-4', displayName: 'Old MFA', enforcedGrantControls: ['Mfa'], enforcedSessionControls: [], result: 'notEnabled' },
          ],
        },
        'graph-v1',
      );
      expect(row).toMatchObject({ mfaRequired: 'unknown', mfaOutcome: 'unknown', mfaResultCode: null });
    });

    it('leaves a failed sign-in with no MFA evidence as unknown', () => {
      const { row } = normalise({ ...v1Base, status: { errorCode: 50126 } }, 'graph-v1');
      expect(row).toMatchObject({ mfaRequired: 'unknown', mfaOutcome: 'unknown', mfaResultCode: null });
    });

    it('maps a 50158 external challenge failure', () => {
      const { row } = normalise({ ...v1Base, status: { errorCode: 50158 } }, 'graph-v1');
      expect(row).toMatchObject({ mfaRequired: 'yes', mfaOutcome: 'denied', mfaResultCode: 'denied_external_challenge' });
    });
  });

  it('records an NPS extension event (resourceId radius), sparse fields and all', () => {
    const { row, policies } = normalise({
      id: 'nps-0001',
      createdDateTime: '2026-11-03T07:00:00Z',
      userPrincipalName: 'AdeleV@contoso.com',
      userId: '2c2f0a0e-aaaa-4bbb-8ccc-ddddeeeeffff',
      appId: null,
      appDisplayName: '',
      resourceId: 'radius',
      resourceDisplayName: 'Network Policy Server',
      ipAddress: '10.0.0.12',
      isInteractive: null,
      conditionalAccessStatus: null,
      tokenIssuerType: 'NPSExtension',
      authenticationRequirement: 'multiFactorAuthentication',
      status: { errorCode: 0, failureReason: null, additionalDetails: null },
      deviceDetail: {},
      location: { city: '', state: '', countryOrRegion: '' },
      authenticationDetails: [
        {
          authenticationStepDateTime: '2026-11-03T07:00:05Z',
          authenticationMethod: 'Phone call',
          authenticationMethodDetail: '+1 425 555 0164',
          succeeded: true,
          authenticationStepResultDetail: 'MFA successfully completed',
          authenticationStepRequirement: null,
        },
      ],
    });
    expect(row).toMatchObject({
      onpremComponent: 'nps',
      upn: 'adelev@contoso.com',
      appDisplayName: null,
      city: null,
      countryOrRegion: null,
      isInteractive: null,
      caStatus: null,
      mfaRequired: 'yes',
      mfaOutcome: 'satisfied',
      mfaResultCode: 'completed',
      mfaMethod: 'Phone call (Authentication phone)',
      mfaAuthDetail: '+X XXXXXXXX64',
    });
    expect(policies).toEqual([]);
  });

  it('recognises AD FS adapter events by resourceId or token issuer', () => {
    expect(normalise(betaRecord({ resourceId: 'adfs' })).row.onpremComponent).toBe('adfs');
    expect(normalise(betaRecord({ tokenIssuerType: 'ADFederationServicesMFAAdapter' })).row.onpremComponent).toBe('adfs');
    expect(normalise(betaRecord({ tokenIssuerType: 'NPSExtension' })).row.onpremComponent).toBe('nps');
    expect(normalise(betaRecord({ tokenIssuerType: 'ADFederationServices' })).row.onpremComponent).toBeNull();
  });

  it('keeps the policies that applied, report-only ones too, and drops those that did not', () => {
    const { policies } = normalise(
      betaRecord({
        appliedConditionalAccessPolicies: [
          { id: 'p-a', displayName: 'Require MFA', enforcedGrantControls: ['Mfa'], enforcedSessionControls: [], result: 'success' },
          { id: 'p-b', displayName: 'Pilot: compliant device', enforcedGrantControls: ['RequireCompliantDevice'], enforcedSessionControls: [], result: 'reportOnlyFailure' },
          { id: 'p-c', displayName: 'Pilot: block', enforcedGrantControls: ['Block'], enforcedSessionControls: [], result: 'reportOnlyNotApplied' },
          { id: 'p-d', displayName: 'Disabled', enforcedGrantControls: null, enforcedSessionControls: null, result: 'notEnabled' },
          { id: 'p-e', displayName: 'No result' },
          { displayName: 'No id: skipped', enforcedGrantControls: ['Mfa'], result: 'success' },
          { id: 'p-a', displayName: 'Duplicate: skipped', result: 'failure' },
        ],
      }),
    );
    expect(policies.map((p) => ({ id: p.policyId, result: p.result, grant: p.grantControls, session: p.sessionControls }))).toEqual([
      { id: 'p-a', result: 'success', grant: ['Mfa'], session: [] },
      { id: 'p-b', result: 'reportOnlyFailure', grant: ['RequireCompliantDevice'], session: [] },
      { id: 'p-e', result: 'unknown', grant: [], session: [] },
    ]);
    for (const p of policies) {
      expect(p.signinId).toBe('66ea54eb-6301-4ee5-be62-ff5a759b8100');
      expect(p.signinCreatedAt).toEqual(new Date('2026-11-02T08:15:00Z'));
    }
  });

  describe('mfaDetail-only fallback (deprecated field, no authenticationDetails)', () => {
    it('takes the method from mfaDetail and the result from status', () => {
      const { row } = normalise(
        betaRecord({
          authenticationDetails: [],
          status: { errorCode: 0, additionalDetails: 'MFA completed in Azure AD' },
          mfaDetail: { authMethod: 'SMS', authDetail: '+1 425 555 0164' },
        }),
      );
      expect(row).toMatchObject({
        mfaRequired: 'yes',
        mfaOutcome: 'satisfied',
        mfaResultCode: 'completed_in_cloud',
        mfaResultDetail: 'MFA completed in Azure AD',
        mfaMethod: 'Text message',
        mfaMethodRaw: 'SMS',
        mfaAuthDetail: '+X XXXXXXXX64',
      });
    });

    it('uses mfaDetail.authDetail as the result when it is result text', () => {
      const { row } = normalise(
        betaRecord({
          authenticationDetails: undefined,
          status: { errorCode: 500121 },
          mfaDetail: { authMethod: 'Phone call', authDetail: 'MFA denied; user hung up the phone call without succeeding the authentication' },
        }),
      );
      expect(row).toMatchObject({
        mfaOutcome: 'denied',
        mfaResultCode: 'denied_user_hung_up',
        mfaResultDetail: 'MFA denied; user hung up the phone call without succeeding the authentication',
        mfaMethod: 'Phone call (Authentication phone)',
        mfaAuthDetail: null,
      });
    });

    it('counts a clean MFA sign-in without any detail as satisfied_other', () => {
      const { row } = normalise(
        betaRecord({ authenticationDetails: [primaryPassword], status: { errorCode: 0 }, mfaDetail: { authMethod: 'PhoneAppNotification' } }),
      );
      expect(row).toMatchObject({
        mfaOutcome: 'satisfied',
        mfaResultCode: 'satisfied_other',
        mfaMethod: 'PhoneAppNotification', // unknown alias passes through raw
      });
    });
  });

  it('joins distinct requirement reasons in words', () => {
    const { row } = normalise(
      betaRecord({
        authenticationRequirementPolicies: [
          { requirementProvider: 'multiConditionalAccess', detail: 'Conditional Access' },
          { requirementProvider: 'v1ConditionalAccess', detail: null },
          { requirementProvider: 'user', detail: 'Per-user MFA' },
          { requirementProvider: 'tenantSessionRiskPolicy', detail: null },
          { requirementProvider: 'proofUpCodeRequest', detail: null },
        ],
      }),
    );
    expect(row.mfaRequiredReason).toBe('Conditional Access, Per-user MFA, Risk-based policy, proofUpCodeRequest');
  });
});

describe('error-code helpers', () => {
  it('lists the MFA error codes of §9', () => {
    for (const code of [50074, 50076, 50072, 50079, 500121, 50078, 50158]) expect(MFA_ERROR_CODES).toContain(code);
    expect(MFA_ERROR_CODES).not.toContain(0);
    expect(MFA_ERROR_CODES).not.toContain(50126);
    expect(MFA_ERROR_CODES).not.toContain(53003);
  });

  it('categorises codes per §4', () => {
    expect(errorCodeCategory(0)).toBe('ok');
    expect(errorCodeCategory(500121)).toBe('mfa_failed');
    expect(errorCodeCategory(50076)).toBe('mfa_interrupt');
    expect(errorCodeCategory(53004)).toBe('mfa_registration');
    expect(errorCodeCategory(53003)).toBe('ca_blocked');
    expect(errorCodeCategory(50126)).toBe('password');
    expect(errorCodeCategory(12345)).toBe('other');
  });

  it('derives outcomes and codes from error codes', () => {
    expect(outcomeForErrorCode(0, 'yes')).toBe('satisfied');
    expect(outcomeForErrorCode(0, 'no')).toBe('not_required');
    expect(outcomeForErrorCode(0, 'unknown')).toBe('unknown');
    expect(outcomeForErrorCode(500121, 'yes')).toBe('denied');
    expect(outcomeForErrorCode(50076, 'yes')).toBe('interrupted');
    expect(outcomeForErrorCode(53010, 'unknown')).toBe('interrupted');
    expect(outcomeForErrorCode(50126, 'yes')).toBe('not_reached');
    expect(outcomeForErrorCode(50126, 'no')).toBe('not_required');
    expect(resultCodeForOutcome('interrupted', 50078)).toBe('interrupted_mfa_required');
    expect(resultCodeForOutcome('interrupted', 53004)).toBe('interrupted_registration_required');
    expect(resultCodeForOutcome('denied', 50158)).toBe('denied_external_challenge');
    expect(resultCodeForOutcome('not_required', 0)).toBeNull();
  });

  it('words requirement providers', () => {
    expect(requirementProviderWords('securityDefaults')).toBe('Security defaults');
    expect(requirementProviderWords('request')).toBe('Requested by the app');
    expect(requirementProviderWords('riskBasedPolicy')).toBe('Risk-based policy');
    expect(requirementProviderWords('accountCompromisePolicies')).toBe('Risk-based policy');
    expect(requirementProviderWords('baselineProtection')).toBe('Baseline protection');
    expect(requirementProviderWords('enforcedForCspAdmins')).toBe('Enforced for CSP admins');
    expect(requirementProviderWords('v1ConditionalAccessPolicyIdRequested')).toBe('Conditional Access');
    expect(requirementProviderWords('gpsLocationCondition')).toBe('gpsLocationCondition');
  });
});
