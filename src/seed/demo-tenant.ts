// A deterministic, realistic synthetic Entra ID tenant: records in the exact shapes Microsoft Graph
// returns (beta sign-ins, v1.0 userRegistrationDetails / riskDetections / directoryAudits), plus rows
// for the legacy MFA Server reports that have no API (block/unblock, one-time bypass, server status,
// activity report). PURE: no database, no I/O, no Math.random, no Date.now.
//
// Determinism contract. Every time-series record is a pure function of (seed, users, the UTC calendar
// day it belongs to, its index within that day) — never of `now` or `days`. `days` and `now` only
// choose which days are generated (the `days` UTC days ending with now's day) and cut off records
// later than `now`. So a re-run, or a run an hour or a day later, reproduces identical records (same
// ids) for the days both cover and never duplicates anything. The exceptions are deliberate and
// documented on the functions: server heartbeat times, the two still-valid one-time bypasses and
// registration `lastUpdatedDateTime` values after `now` are placed relative to `now`.
//
// Facts about the shapes and vocabularies: /work/shared/reference/graph-data.md (§3 sign-ins,
// §3.4 result vocabulary, §4 error codes, §5 legacy reports, §6 registration, §7 fraud).

import { AliasTable, hashSeed, Rng, uuidFrom, WeightedTable } from './random.js';

// ───────────────────────────── public types ─────────────────────────────

export interface DemoTenantOptions {
  users: number;
  days: number;
  seed: number;
  now: Date;
  /** Average sign-ins per user per day (weekdays more, weekends less). Default 4. */
  signinsPerUserPerDay?: number;
}

export type DemoUserOptions = Pick<DemoTenantOptions, 'seed' | 'users'>;

export interface DemoUser {
  id: string;
  /** Lowercase, as sign-in logs show it (guests: their real address at fabrikam.com). */
  upn: string;
  displayName: string;
  userType: 'member' | 'guest';
  isAdmin: boolean;
  city: string;
  country: string;
  homeIp: string;
  registered: boolean;
  /** userRegistrationDetails.methodsRegistered */
  methods: string[];
  /** beta defaultMfaMethod, null when not registered. */
  defaultMethod: string | null;
  /** The MFA method the user normally uses, in the normalised sign-in vocabulary ("Mobile app notification"…); 'none' when not registered. */
  preferredAuthMethod: string;
}

export interface GraphSignInLocation {
  readonly city: string | null;
  readonly state: string | null;
  readonly countryOrRegion: string | null;
  readonly geoCoordinates: { readonly altitude: number | null; readonly latitude: number | null; readonly longitude: number | null };
}

export interface GraphDeviceDetail {
  readonly deviceId: string;
  readonly displayName: string;
  readonly operatingSystem: string;
  readonly browser: string;
  readonly isCompliant: boolean | null;
  readonly isManaged: boolean | null;
  readonly trustType: string;
}

export interface GraphAuthenticationDetail {
  authenticationStepDateTime: string;
  authenticationMethod: string | null;
  authenticationMethodDetail: string | null;
  succeeded: boolean;
  authenticationStepResultDetail: string | null;
  authenticationStepRequirement: string;
}

export interface GraphAppliedConditionalAccessPolicy {
  readonly id: string;
  readonly displayName: string;
  readonly enforcedGrantControls: readonly string[];
  readonly enforcedSessionControls: readonly string[];
  readonly result: string;
  readonly conditionsSatisfied: string;
  readonly conditionsNotSatisfied: string;
}

export interface GraphSignInStatus {
  readonly errorCode: number;
  readonly failureReason: string;
  readonly additionalDetails: string | null;
}

/**
 * A Graph beta `signIn` (GET /beta/auditLogs/signIns), the fields a real tenant returns that matter here.
 *
 * Every yielded record is a fresh object, and so are the parts that vary per sign-in (its
 * authenticationDetails and their steps, its appliedConditionalAccessPolicies array). Parts that
 * are the same for many sign-ins (a place's location, a device's deviceDetail, a policy's result
 * entry, a status, empty arrays) are shared constants, frozen: mutating them throws. Copy first
 * (structuredClone) if you must edit a record in place.
 */
export interface GraphSignIn {
  id: string;
  createdDateTime: string;
  userDisplayName: string;
  userPrincipalName: string;
  userId: string;
  userType: 'member' | 'guest';
  appId: string | null;
  appDisplayName: string | null;
  ipAddress: string;
  clientAppUsed: string | null;
  userAgent: string | null;
  correlationId: string;
  conditionalAccessStatus: 'success' | 'failure' | 'notApplied' | null;
  originalRequestId: string;
  isInteractive: boolean | null;
  tokenIssuerName: string | null;
  tokenIssuerType: 'AzureAD' | 'NPSExtension' | 'ADFederationServicesMFAAdapter';
  authenticationProtocol: string | null;
  incomingTokenType: string | null;
  processingTimeInMilliseconds: number;
  riskDetail: string | null;
  riskLevelAggregated: string | null;
  riskLevelDuringSignIn: string | null;
  riskState: string | null;
  riskEventTypes: readonly string[];
  riskEventTypes_v2: readonly string[];
  resourceDisplayName: string | null;
  resourceId: string;
  resourceTenantId: string;
  homeTenantId: string;
  homeTenantName: string;
  authenticationMethodsUsed: readonly string[];
  authenticationRequirement: 'multiFactorAuthentication' | 'singleFactorAuthentication';
  signInIdentifier: string;
  signInEventTypes: readonly string[];
  servicePrincipalId: string;
  flaggedForReview: boolean;
  isTenantRestricted: boolean;
  autonomousSystemNumber: number | null;
  crossTenantAccessType: string;
  status: GraphSignInStatus;
  deviceDetail: GraphDeviceDetail;
  location: GraphSignInLocation;
  mfaDetail: null;
  appliedConditionalAccessPolicies: GraphAppliedConditionalAccessPolicy[];
  authenticationContextClassReferences: readonly unknown[];
  authenticationProcessingDetails: readonly { readonly key: string; readonly value: string }[];
  networkLocationDetails: readonly { readonly networkType: string; readonly networkNames: readonly string[] }[];
  authenticationDetails: GraphAuthenticationDetail[];
  authenticationRequirementPolicies: readonly { readonly requirementProvider: string; readonly detail: string }[];
  sessionLifetimePolicies: readonly unknown[];
}

/** GET /v1.0/reports/authenticationMethods/userRegistrationDetails (+ beta defaultMfaMethod). */
export interface GraphUserRegistrationDetails {
  id: string;
  userPrincipalName: string;
  userDisplayName: string;
  userType: 'member' | 'guest';
  isAdmin: boolean;
  isSsprRegistered: boolean;
  isSsprEnabled: boolean;
  isSsprCapable: boolean;
  isMfaRegistered: boolean;
  isMfaCapable: boolean;
  isPasswordlessCapable: boolean;
  methodsRegistered: string[];
  isSystemPreferredAuthenticationMethodEnabled: boolean;
  systemPreferredAuthenticationMethods: string[];
  userPreferredMethodForSecondaryAuthentication: string;
  lastUpdatedDateTime: string;
  defaultMfaMethod: string;
}

/** GET /v1.0/identityProtection/riskDetections */
export interface GraphRiskDetection {
  id: string;
  requestId: string | null;
  correlationId: string | null;
  riskEventType: string;
  riskState: string;
  riskLevel: string;
  riskDetail: string;
  source: string;
  detectionTimingType: string;
  activity: string;
  tokenIssuerType: string;
  ipAddress: string;
  location: GraphSignInLocation;
  activityDateTime: string;
  detectedDateTime: string;
  lastUpdatedDateTime: string;
  userId: string;
  userDisplayName: string;
  userPrincipalName: string;
  /** A JSON string, as Graph sends it. */
  additionalInfo: string;
}

/** GET /v1.0/auditLogs/directoryAudits */
export interface GraphDirectoryAudit {
  id: string;
  category: string;
  correlationId: string;
  result: 'success' | 'failure';
  resultReason: string;
  activityDisplayName: string;
  activityDateTime: string;
  loggedByService: string;
  operationType: string;
  initiatedBy: {
    app: null;
    user: { id: string; displayName: string | null; userPrincipalName: string; ipAddress: string | null };
  };
  targetResources: {
    id: string;
    displayName: string | null;
    type: 'User';
    userPrincipalName: string;
    groupType: null;
    modifiedProperties: { displayName: string; oldValue: string | null; newValue: string | null }[];
  }[];
  additionalDetails: { key: string; value: string }[];
}

export interface DemoBlockEvent {
  upn: string;
  action: 'block' | 'unblock';
  reason: string;
  actor: string;
  occurredAt: Date;
}

export interface DemoBypassEvent {
  upn: string;
  seconds: number;
  reason: string;
  actor: string;
  occurredAt: Date;
  replicationGroup: string | null;
}

export interface DemoServer {
  name: string;
  component: 'mfa_server' | 'nps' | 'adfs';
  version: string;
  state: string;
  ipAddress: string;
  lastCommunicationAt: Date;
}

export interface DemoOnpremActivity {
  occurredAt: Date;
  component: 'mfa_server';
  server: string;
  upn: string;
  callResult: string;
  succeeded: boolean;
  detail: string;
}

// ───────────────────────────── vocabularies (§3.4, §4) ─────────────────────────────

/** The portal's satisfied vocabulary as a tenant logs it: every §3.4 phrase occurs in one of these. */
export const SATISFIED_RESULT_DETAILS = {
  completed: 'MFA successfully completed',
  completedInAzureAd: 'MFA completed in Azure AD',
  completedInCloud: 'MFA completed in the cloud',
  claimInToken: 'MFA requirement satisfied by claim in the token',
  claimExternal: 'MFA requirement satisfied by claim provided by external provider',
  strongAuth: 'MFA requirement satisfied by strong authentication',
  expired: 'MFA has expired due to the policies configured on tenant',
  registrationPrompted: 'MFA registration prompted',
  brokerFlow: 'MFA requirement skipped as flow exercised was Windows broker logon flow',
  appPassword: 'MFA requirement skipped due to app password',
  location: 'MFA requirement skipped due to location',
  registeredDevice: 'MFA requirement skipped due to registered device',
  rememberedDevice: 'MFA requirement skipped due to remembered device',
  multiFactorDevice: 'MFA requirement satisfied by multi-factor device',
  redirectedExternal: 'Redirected to external provider for multi-factor authentication',
} as const;

/** The portal's denied vocabulary as a tenant logs it (with the capitalisation and contraction variants seen in the wild). */
export const DENIED_RESULT_DETAILS = {
  inProgress: 'Authentication in progress',
  inProgressHyphen: 'MFA denied; authentication in-progress',
  duplicate: 'MFA denied; duplicate authentication attempt',
  incorrectCodeTooMany: 'MFA denied; entered incorrect code too many times',
  invalidAuthentication: 'MFA denied; invalid authentication',
  invalidAppCode: 'MFA denied; invalid mobile app verification code',
  misconfiguration: 'MFA denied; misconfiguration',
  voicemail: 'MFA denied; Phone call went to voicemail',
  voicemailLegacyPrefix: 'Azure Multi-Factor Authentication denied; phone call went to voicemail',
  invalidPhoneFormat: 'MFA denied; phone number has an invalid format',
  serviceError: 'MFA denied; service error',
  unreachable: "MFA denied; unable to reach the user's phone",
  cannotSendToDevice: 'MFA denied; unable to send the mobile app notification to the device',
  cannotSend: 'MFA denied; unable to send the mobile app notification',
  declined: 'MFA denied; user declined the authentication',
  declinedCapitalised: 'MFA Denied; user declined the authentication',
  noResponse: 'MFA denied; user did not respond to mobile app notification',
  noResponseContracted: "MFA denied; user didn't respond to mobile app notification",
  noMethods: 'MFA denied; user does not have any verification methods registered',
  noMethodsContracted: "MFA denied; user doesn't have any verification methods registered",
  incorrectCode: 'MFA denied; user entered incorrect code',
  incorrectPin: 'MFA denied; user entered incorrect PIN',
  hungUp: 'MFA denied; user hung up the phone call without succeeding the authentication',
  blocked: 'MFA denied; user is blocked',
  neverEntered: 'MFA denied; user never entered the verification code',
  notFound: 'MFA denied; user not found',
  codeReused: 'MFA denied; verification code already used once',
  fraudCode: 'MFA denied, Fraud Code Entered',
  fraudApp: 'MFA denied; Phone App Reported Fraud',
  // Strings no vocabulary knows, so the 'other' bucket is exercised.
  unknownCarrier: 'MFA denied; unexpected carrier response',
  unknownAppVersion: 'MFA denied; authenticator app version is no longer supported',
} as const;

/** Legacy MFA Server activity-report Call Results (§5.2) with their descriptions. */
export const MFA_SERVER_CALL_RESULTS: readonly (readonly [code: string, description: string, succeeded: boolean])[] = [
  ['SUCCESS_WITH_PIN', 'PIN Entered', true],
  ['SUCCESS_NO_PIN', 'Only # Entered', true],
  ['SUCCESS_WITH_PIN_BUT_TIMEOUT', '# Not Pressed After Entry', false],
  ['SUCCESS_NO_PIN_BUT_TIMEOUT', 'No Phone Input - Timed Out', false],
  ['SUCCESS_PIN_EXPIRED', 'PIN Expired and Not Changed', false],
  ['SUCCESS_USED_CACHE', 'Used Cache', true],
  ['SUCCESS_BYPASSED_AUTH', 'Bypassed Auth', true],
  ['SUCCESS_USED_IP_BASED_CACHE', 'Used IP-based Cache', true],
  ['SUCCESS_USED_APP_BASED_CACHE', 'Used App-based Cache', true],
  ['SUCCESS_INVALID_INPUT', 'Invalid Phone Input', false],
  ['SUCCESS_USER_BLOCKED', 'User is Blocked', false],
  ['SUCCESS_SMS_AUTHENTICATED', 'Text Message Authenticated', true],
  ['SUCCESS_SMS_SENT', 'Text Message Sent', false],
  ['SUCCESS_PHONE_APP_AUTHENTICATED', 'Mobile App Authenticated', true],
  ['SUCCESS_OATH_CODE_PENDING', 'OATH Code Pending', false],
  ['SUCCESS_OATH_CODE_VERIFIED', 'OATH Code Verified', true],
  ['SUCCESS_FALLBACK_OATH_CODE_VERIFIED', 'Fallback OATH Code Verified', true],
  ['SUCCESS_FALLBACK_SECURITY_QUESTIONS_ANSWERED', 'Fallback Security Questions Answered', true],
  ['FAILED_PHONE_BUSY', 'Auth Already In Progress', false],
  ['CONFIG_ISSUE', 'Phone Unreachable', false],
  ['FAILED_INVALID_PHONENUMBER', 'Invalid Phone Number Format', false],
  ['FAILED_USER_HUNGUP_ON_US', 'User Hung Up the Phone', false],
  ['FAILED_INVALID_EXTENSION', 'Invalid Extension', false],
  ['FAILED_FRAUD_CODE_ENTERED', 'Fraud Code Entered', false],
  ['FAILED_SERVER_ERROR', 'Unable to Place Call', false],
  ['FAILED_SMS_NOT_SENT', 'Text Message Could Not Be Sent', false],
  ['FAILED_SMS_OTP_INCORRECT', 'Text Message OTP Incorrect', false],
  ['FAILED_SMS_OTP_PIN_INCORRECT', 'Text Message OTP + PIN Incorrect', false],
  ['FAILED_SMS_MAX_OTP_RETRY_REACHED', 'Exceeded Maximum Text Message OTP Attempts', false],
  ['FAILED_PHONE_APP_DENIED', 'Mobile App Denied', false],
  ['FAILED_PHONE_APP_INVALID_PIN', 'Mobile App Invalid PIN', false],
  ['FAILED_PHONE_APP_PIN_NOT_CHANGED', 'Mobile App PIN Not Changed', false],
  ['FAILED_FRAUD_REPORTED', 'Fraud Reported', false],
  ['FAILED_PHONE_APP_NO_RESPONSE', 'Mobile App No Response', false],
  ['FAILED_PHONE_APP_ALL_DEVICES_BLOCKED', 'Mobile App All Devices Blocked', false],
  ['FAILED_PHONE_APP_NOTIFICATION_FAILED', 'Mobile App Notification Failed', false],
  ['FAILED_PHONE_APP_INVALID_RESULT', 'Mobile App Invalid Result', false],
  ['FAILED_OATH_CODE_INCORRECT', 'OATH Code Incorrect', false],
  ['FAILED_OATH_CODE_PIN_INCORRECT', 'OATH Code + PIN Incorrect', false],
  ['FAILED_OATH_CODE_DUPLICATE', 'Duplicate OATH Code', false],
  ['FAILED_OATH_CODE_OLD', 'OATH Code Out of Date', false],
  ['FAILED_OATH_TOKEN_TIMEOUT', 'OATH Code Result Timeout', false],
  ['FAILED_SECURITY_QUESTIONS_TIMEOUT', 'Security Questions Result Timeout', false],
  ['FAILED_AUTH_RESULT_TIMEOUT', 'Auth Result Timeout', false],
  ['FAILED_AUTHENTICATION_THROTTLED', 'Authentication Throttled', false],
];

/** The day MFA Server stopped servicing requests (§0.8). */
export const MFA_SERVER_RETIRED_AT = new Date('2024-09-30T00:00:00Z');

const FR_OK = 'Other.';
const FR_MFA_FAILED = 'Authentication failed during strong authentication request.';
const FR_50074 = 'Strong Authentication is required.';
const FR_50076_PREFIX =
  "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '";
const FR_50072 = 'User needs to enroll for second factor authentication (interactive).';
const FR_50079 =
  'Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access this resource.';
const FR_50126 = 'Error validating credentials due to invalid username or password.';
const AD_50126 =
  "The user didn't enter the right credentials. \u00a0It's expected to see some number of these errors in your logs due to users making mistakes.";
const FR_50053 = "The account is locked, you've tried to sign in too many times with an incorrect user ID or password.";
const FR_53003 = 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.';
const FR_50140 = "This error occurred due to 'Keep me signed in' interrupt when the user was signing-in.";
const FR_50055 = 'The password is expired.';

const STEP_PRIMARY = 'Primary authentication';
const STEP_INVALID_PASSWORD = 'Invalid username or password or Invalid on-premise username or password.';
const STEP_CORRECT_PASSWORD = 'Correct password';
const STEP_FIRST_FACTOR_CLAIM = 'First factor requirement satisfied by claim in the token';

// ───────────────────────────── tenant constants ─────────────────────────────

const DAY_MS = 86_400_000;
const TENANT_DOMAIN = 'contoso.com';
const GUEST_DOMAIN = 'fabrikam.com';
const TRUSTED_LOCATION = 'Contoso offices';

interface Country {
  readonly code: string;
  readonly phoneCc: string;
  readonly homePrefixes: readonly string[];
  readonly homeAsn: number;
  readonly mobilePrefix: string;
  readonly mobileAsn: number;
}

interface City {
  /** The frozen signInLocation shared by every sign-in from this city. */
  readonly loc: GraphSignInLocation;
  readonly name: string;
  readonly state: string;
  readonly country: Country;
  readonly lat: number;
  readonly lon: number;
  /** UTC offset in seconds (no DST: good enough for a business-hours skew). */
  readonly tz: number;
  readonly officeIp: string;
  readonly officeAsn: number;
}

const C_US: Country = { code: 'US', phoneCc: '+1', homePrefixes: ['73.97.', '98.203.', '24.18.', '67.183.'], homeAsn: 7922, mobilePrefix: '172.58.', mobileAsn: 21928 };
const C_GB: Country = { code: 'GB', phoneCc: '+44', homePrefixes: ['81.107.', '86.151.', '2.102.'], homeAsn: 5089, mobilePrefix: '82.132.', mobileAsn: 12576 };
const C_DE: Country = { code: 'DE', phoneCc: '+49', homePrefixes: ['91.64.', '93.212.', '87.178.'], homeAsn: 3320, mobilePrefix: '80.187.', mobileAsn: 3320 };
const C_FR: Country = { code: 'FR', phoneCc: '+33', homePrefixes: ['90.63.', '88.170.', '82.64.'], homeAsn: 3215, mobilePrefix: '37.169.', mobileAsn: 51207 };
const C_NL: Country = { code: 'NL', phoneCc: '+31', homePrefixes: ['77.172.', '145.53.', '83.83.'], homeAsn: 1136, mobilePrefix: '62.140.', mobileAsn: 20857 };
const C_IN: Country = { code: 'IN', phoneCc: '+91', homePrefixes: ['49.205.', '117.96.', '106.51.'], homeAsn: 24560, mobilePrefix: '157.49.', mobileAsn: 55836 };
const C_JP: Country = { code: 'JP', phoneCc: '+81', homePrefixes: ['126.77.', '153.156.', '114.160.'], homeAsn: 4713, mobilePrefix: '49.98.', mobileAsn: 9605 };

function place(city: string, state: string, country: string, lat: number, lon: number): GraphSignInLocation {
  return Object.freeze({ city, state, countryOrRegion: country, geoCoordinates: Object.freeze({ altitude: null, latitude: lat, longitude: lon }) });
}

const CITIES: readonly City[] = ([
  { name: 'Seattle', state: 'Washington', country: C_US, lat: 47.6062, lon: -122.3321, tz: -8 * 3600, officeIp: '131.107.147.10', officeAsn: 3356 },
  { name: 'New York', state: 'New York', country: C_US, lat: 40.7128, lon: -74.006, tz: -5 * 3600, officeIp: '64.25.168.34', officeAsn: 3356 },
  { name: 'Chicago', state: 'Illinois', country: C_US, lat: 41.8781, lon: -87.6298, tz: -6 * 3600, officeIp: '208.59.22.140', officeAsn: 3356 },
  { name: 'Austin', state: 'Texas', country: C_US, lat: 30.2672, lon: -97.7431, tz: -6 * 3600, officeIp: '66.90.130.17', officeAsn: 3356 },
  { name: 'London', state: 'London', country: C_GB, lat: 51.5074, lon: -0.1278, tz: 0, officeIp: '194.168.40.66', officeAsn: 5400 },
  { name: 'Manchester', state: 'Manchester', country: C_GB, lat: 53.4808, lon: -2.2426, tz: 0, officeIp: '212.58.231.9', officeAsn: 5400 },
  { name: 'Berlin', state: 'Berlin', country: C_DE, lat: 52.52, lon: 13.405, tz: 3600, officeIp: '193.175.80.21', officeAsn: 3209 },
  { name: 'Munich', state: 'Bayern', country: C_DE, lat: 48.1351, lon: 11.582, tz: 3600, officeIp: '195.145.48.77', officeAsn: 3209 },
  { name: 'Paris', state: 'Paris', country: C_FR, lat: 48.8566, lon: 2.3522, tz: 3600, officeIp: '212.234.108.5', officeAsn: 5511 },
  { name: 'Lyon', state: 'Auvergne-Rhone-Alpes', country: C_FR, lat: 45.764, lon: 4.8357, tz: 3600, officeIp: '193.252.16.98', officeAsn: 5511 },
  { name: 'Amsterdam', state: 'Noord-Holland', country: C_NL, lat: 52.3676, lon: 4.9041, tz: 3600, officeIp: '145.131.6.40', officeAsn: 1103 },
  { name: 'Bengaluru', state: 'Karnataka', country: C_IN, lat: 12.9716, lon: 77.5946, tz: 19800, officeIp: '14.143.88.2', officeAsn: 4755 },
  { name: 'Hyderabad', state: 'Telangana', country: C_IN, lat: 17.385, lon: 78.4867, tz: 19800, officeIp: '115.114.60.130', officeAsn: 4755 },
  { name: 'Tokyo', state: 'Tokyo', country: C_JP, lat: 35.6762, lon: 139.6503, tz: 9 * 3600, officeIp: '210.148.59.11', officeAsn: 2914 },
] as Omit<City, 'loc'>[]).map((c) => ({ ...c, loc: place(c.name, c.state, c.country.code, c.lat, c.lon) }));

const CITY_TABLE = new WeightedTable<City>([
  [CITIES[0]!, 16], [CITIES[1]!, 10], [CITIES[2]!, 7], [CITIES[3]!, 7],
  [CITIES[4]!, 11], [CITIES[5]!, 4],
  [CITIES[6]!, 7], [CITIES[7]!, 5],
  [CITIES[8]!, 6], [CITIES[9]!, 2],
  [CITIES[10]!, 8],
  [CITIES[11]!, 6], [CITIES[12]!, 4],
  [CITIES[13]!, 7],
]);

const HQ = CITIES[0]!;

/** Sources of fraud, MFA-fatigue and risky sign-ins: places no employee lives. */
interface Attacker { readonly prefix: string; readonly asn: number; readonly loc: GraphSignInLocation }
const ATTACKERS: readonly Attacker[] = ([
  { city: 'Lagos', state: 'Lagos', country: 'NG', prefix: '102.89.', asn: 29465, lat: 6.5244, lon: 3.3792 },
  { city: 'Bucharest', state: 'Bucuresti', country: 'RO', prefix: '86.120.', asn: 9050, lat: 44.4268, lon: 26.1025 },
  { city: 'Hanoi', state: 'Ha Noi', country: 'VN', prefix: '113.185.', asn: 45899, lat: 21.0278, lon: 105.8342 },
  { city: 'Sao Paulo', state: 'Sao Paulo', country: 'BR', prefix: '177.92.', asn: 28573, lat: -23.5505, lon: -46.6333 },
  { city: 'Frankfurt am Main', state: 'Hessen', country: 'DE', prefix: '185.220.101.', asn: 60729, lat: 50.1109, lon: 8.6821 },
] as const).map((a) => ({ prefix: a.prefix, asn: a.asn, loc: place(a.city, a.state, a.country, a.lat, a.lon) }));

const NPS_SERVERS = [
  { name: 'nps01', ip: '198.51.100.11', version: '1.2.2216.1' },
  { name: 'nps02', ip: '198.51.100.12', version: '1.2.2216.1' },
] as const;
const ADFS_SERVER = { name: 'adfs01', ip: '198.51.100.21', version: '10.0.20348.2227' } as const;
const MFA_SERVERS = [
  { name: 'mfasrv01', ip: '10.20.1.15', version: '8.1.1.0', last: Date.UTC(2024, 8, 30, 21, 14, 7) },
  { name: 'mfasrv02', ip: '10.20.1.16', version: '8.0.1.1', last: Date.UTC(2024, 8, 29, 18, 2, 51) },
] as const;

const FIRST_NAMES = [
  'Adele', 'Alex', 'Allan', 'Amara', 'Ana', 'Anil', 'Astrid', 'Ben', 'Camille', 'Chen', 'Chloe', 'Christie', 'Daniel', 'Debra',
  'Diego', 'Elena', 'Emily', 'Fatima', 'Felix', 'Grady', 'Hanna', 'Haruto', 'Henrietta', 'Isaiah', 'Jan', 'Johanna', 'Joni',
  'Jun', 'Kenji', 'Lars', 'Lee', 'Lena', 'Lidia', 'Lucas', 'Lynne', 'Maja', 'Megan', 'Miriam', 'Nathan', 'Nestor', 'Noah',
  'Olivia', 'Patti', 'Pradeep', 'Priya', 'Quentin', 'Raj', 'Rosa', 'Sakura', 'Sam', 'Sanjay', 'Sofia', 'Sven', 'Tom', 'Uma',
  'Victor', 'Wei', 'Yuki', 'Zara', 'Zoe',
];
const LAST_NAMES = [
  'Adams', 'Bakker', 'Bernard', 'Brown', 'Chen', 'Clarke', 'Das', 'Dubois', 'Evans', 'Fischer', 'Garcia', 'Gupta', 'Hall',
  'Hoffmann', 'Ito', 'Iyer', 'Jansen', 'Johnson', 'Kato', 'Khan', 'Klein', 'Kumar', 'Lambert', 'Lee', 'Lopez', 'Martin',
  'Meyer', 'Miller', 'Moreau', 'Morgan', 'Nakamura', 'Nguyen', 'Patel', 'Petit', 'Reddy', 'Roux', 'Sato', 'Schmidt',
  'Schneider', 'Shah', 'Singh', 'Smith', 'Suzuki', 'Tanaka', 'Taylor', 'Thomas', 'Vance', 'Visser', 'Wagner', 'Walker',
  'Watanabe', 'Weber', 'White', 'Williams', 'Wilson', 'Wright', 'Yamamoto', 'Young', 'de Jong', 'van Dijk',
];

interface App {
  readonly name: string;
  readonly appId: string;
  readonly resource: string;
  readonly resourceId: string;
  /** 0 browser, 1 rich client, 2 either */
  readonly client: 0 | 1 | 2;
  /** In scope of the "Sign-in frequency 8h" session policy. */
  readonly sif: boolean;
}

const APP_EXO: App = { name: 'Office 365 Exchange Online', appId: '00000002-0000-0ff1-ce00-000000000000', resource: 'Office 365 Exchange Online', resourceId: '00000002-0000-0ff1-ce00-000000000000', client: 2, sif: false };
const APP_TEAMS: App = { name: 'Microsoft Teams', appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', resource: 'Microsoft Teams Services', resourceId: 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', client: 1, sif: false };
const APP_SPO: App = { name: 'Office 365 SharePoint Online', appId: '00000003-0000-0ff1-ce00-000000000000', resource: 'Office 365 SharePoint Online', resourceId: '00000003-0000-0ff1-ce00-000000000000', client: 0, sif: false };
const APP_OFFICEHOME: App = { name: 'OfficeHome', appId: '4765445b-32c6-49b0-83e6-1d93765276ca', resource: 'OfficeHome', resourceId: '4765445b-32c6-49b0-83e6-1d93765276ca', client: 0, sif: false };
const APP_OFFICE: App = { name: 'Microsoft Office', appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', resource: 'Microsoft Graph', resourceId: '00000003-0000-0000-c000-000000000000', client: 1, sif: false };
const APP_PORTAL: App = { name: 'Azure Portal', appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', resource: 'Windows Azure Service Management API', resourceId: '797f4846-ba00-4fd7-ba43-dac1f8f63013', client: 0, sif: true };
const APP_AZCLI: App = { name: 'Microsoft Azure CLI', appId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46', resource: 'Windows Azure Service Management API', resourceId: '797f4846-ba00-4fd7-ba43-dac1f8f63013', client: 1, sif: true };
const APP_WINDOWS: App = { name: 'Windows Sign In', appId: '38aa3b87-a06d-4817-b275-7a316988d93b', resource: 'Windows Azure Active Directory', resourceId: '00000002-0000-0000-c000-000000000000', client: 1, sif: false };
const APP_SALESFORCE: App = { name: 'Salesforce', appId: '5e3f1a2b-7c4d-4e8f-9a0b-1c2d3e4f5a6b', resource: 'Salesforce', resourceId: '5e3f1a2b-7c4d-4e8f-9a0b-1c2d3e4f5a6b', client: 0, sif: true };
const APP_WORKDAY: App = { name: 'Workday', appId: '8b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e', resource: 'Workday', resourceId: '8b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e', client: 0, sif: true };
const APP_SERVICENOW: App = { name: 'ServiceNow', appId: '2a9b8c7d-6e5f-4a3b-9c1d-0e2f3a4b5c6d', resource: 'ServiceNow', resourceId: '2a9b8c7d-6e5f-4a3b-9c1d-0e2f3a4b5c6d', client: 0, sif: true };

const MEMBER_APPS = new WeightedTable<App>([
  [APP_TEAMS, 24], [APP_EXO, 20], [APP_SPO, 14], [APP_OFFICEHOME, 10], [APP_OFFICE, 12],
  [APP_SALESFORCE, 7], [APP_WORKDAY, 5], [APP_SERVICENOW, 4], [APP_WINDOWS, 3], [APP_PORTAL, 1],
]);
const ADMIN_APPS = new WeightedTable<App>([
  [APP_PORTAL, 18], [APP_AZCLI, 7], [APP_TEAMS, 20], [APP_EXO, 16], [APP_SPO, 10], [APP_OFFICE, 10],
  [APP_OFFICEHOME, 6], [APP_SERVICENOW, 8], [APP_WINDOWS, 3], [APP_SALESFORCE, 2],
]);
const GUEST_APPS = new WeightedTable<App>([[APP_TEAMS, 50], [APP_SPO, 40], [APP_OFFICEHOME, 10]]);
const ATTACK_APPS = new WeightedTable<App>([[APP_OFFICEHOME, 50], [APP_EXO, 35], [APP_SPO, 15]]);

const LEGACY_CLIENTS = new WeightedTable<string>([
  ['IMAP4', 30], ['Authenticated SMTP', 25], ['Exchange ActiveSync', 20], ['POP3', 10], ['Other clients', 10], ['MAPI Over HTTP', 5],
]);

/** Conditional Access policies of the tenant (stable ids; every sign-in lists all of them, as Graph does). */
const CA = {
  mfaAll: { id: '9f3c2b4e-1a7d-4c8e-b5f2-6d0a1e9c3b71', name: 'Require MFA for all users', grant: ['Mfa'], session: [] as string[] },
  legacy: { id: '4b2e8d1f-3c6a-4f9b-8e07-2a5d9c1b6e34', name: 'Block legacy authentication', grant: ['Block'], session: [] as string[] },
  admins: { id: '7c1a5e93-8d2b-4a6f-9c40-e3b7f2d18a56', name: 'Require compliant device for admins', grant: ['RequireCompliantDevice'], session: [] as string[] },
  sif: { id: '2d8f6b1c-9e4a-4d3b-a7c5-1f0e8b2c6d97', name: 'Sign-in frequency 8h', grant: [] as string[], session: ['SignInFrequency'] },
  guests: { id: 'e5a9c3d7-2b1f-4e8a-9d6c-3b7f0a4e2c18', name: 'Report-only: require MFA for guests', grant: ['Mfa'], session: [] as string[] },
  countries: { id: '1e7b4a2c-6f9d-4b3e-8a1c-5d2f7e9b0c43', name: 'Block access from untrusted countries', grant: ['Block'], session: [] as string[] },
} as const;

// ───────────────────────────── methods ─────────────────────────────

type MethodKey = 'push' | 'sms' | 'voice' | 'office' | 'alt' | 'oath' | 'fido2' | 'whfb' | 'none';
type StepMethod = MethodKey | 'prev' | 'x509' | 'other';

/** The normalised label (graph-data.md §9 alias table) of each key, for DemoUser.preferredAuthMethod. */
const METHOD_CANONICAL: Record<MethodKey, string> = {
  push: 'Mobile app notification',
  sms: 'Text message',
  voice: 'Phone call (Authentication phone)',
  office: 'Phone call (Office phone)',
  alt: 'Phone call (Alternate authentication phone)',
  oath: 'Mobile app verification code',
  fido2: 'FIDO2 security key',
  whfb: 'Windows Hello for Business',
  none: 'none',
};

/** The strings a tenant actually logs for each method, with their aliases (§3.4). */
const METHOD_LABELS: Record<Exclude<StepMethod, 'none'>, WeightedTable<string>> = {
  push: new WeightedTable([['Mobile app notification', 80], ['Authenticator App', 15], ['Microsoft Authenticator', 5]]),
  sms: new WeightedTable([['Text message', 80], ['SMS', 20]]),
  voice: new WeightedTable([['Phone call (Authentication phone)', 60], ['Phone call', 20], ['Voice', 20]]),
  office: new WeightedTable([['Phone call (Office phone)', 1]]),
  alt: new WeightedTable([['Phone call (Alternate authentication phone)', 1]]),
  oath: new WeightedTable([['OATH verification code', 60], ['Mobile app verification code', 25], ['Software OATH token', 10], ['App Verification code', 5]]),
  fido2: new WeightedTable([['FIDO2 security key', 1]]),
  whfb: new WeightedTable([['Windows Hello for Business', 1]]),
  prev: new WeightedTable([['Previously satisfied', 1]]),
  x509: new WeightedTable([['X.509 Certificate', 1]]),
  other: new WeightedTable([['Other', 1]]),
};

interface RegistrationProfile {
  readonly preferred: MethodKey;
  readonly methods: readonly string[];
  readonly defaultMethod: string;
  readonly system: readonly string[];
  readonly userPreferred: string;
}

/** Registered users' method sets. Push dominates (about 3 in 4), as in most Entra tenants. */
const REGISTRATION_PROFILES = new WeightedTable<RegistrationProfile>([
  [{ preferred: 'push', methods: ['microsoftAuthenticatorPush', 'softwareOneTimePasscode', 'mobilePhone'], defaultMethod: 'microsoftAuthenticatorPush', system: ['push'], userPreferred: 'push' }, 37],
  [{ preferred: 'push', methods: ['microsoftAuthenticatorPush', 'softwareOneTimePasscode'], defaultMethod: 'microsoftAuthenticatorPush', system: ['push'], userPreferred: 'push' }, 18],
  [{ preferred: 'push', methods: ['email', 'microsoftAuthenticatorPush', 'mobilePhone', 'softwareOneTimePasscode'], defaultMethod: 'microsoftAuthenticatorPush', system: ['push'], userPreferred: 'push' }, 16],
  [{ preferred: 'sms', methods: ['mobilePhone'], defaultMethod: 'mobilePhone', system: ['sms'], userPreferred: 'sms' }, 5],
  [{ preferred: 'sms', methods: ['email', 'mobilePhone'], defaultMethod: 'mobilePhone', system: ['sms'], userPreferred: 'sms' }, 3],
  [{ preferred: 'voice', methods: ['mobilePhone'], defaultMethod: 'mobilePhone', system: ['voiceMobile'], userPreferred: 'voiceMobile' }, 3],
  [{ preferred: 'office', methods: ['mobilePhone', 'officePhone'], defaultMethod: 'officePhone', system: ['voiceOffice'], userPreferred: 'voiceOffice' }, 1.5],
  [{ preferred: 'alt', methods: ['mobilePhone', 'alternateMobilePhone'], defaultMethod: 'alternateMobilePhone', system: ['voiceAlternateMobile'], userPreferred: 'voiceAlternateMobile' }, 1],
  [{ preferred: 'push', methods: ['alternateMobilePhone', 'microsoftAuthenticatorPush', 'mobilePhone', 'softwareOneTimePasscode'], defaultMethod: 'microsoftAuthenticatorPush', system: ['push'], userPreferred: 'push' }, 3],
  [{ preferred: 'oath', methods: ['softwareOneTimePasscode', 'mobilePhone'], defaultMethod: 'softwareOneTimePasscode', system: ['oath'], userPreferred: 'oath' }, 5],
  [{ preferred: 'fido2', methods: ['fido2', 'microsoftAuthenticatorPush', 'softwareOneTimePasscode'], defaultMethod: 'microsoftAuthenticatorPush', system: ['push'], userPreferred: 'push' }, 4],
  [{ preferred: 'whfb', methods: ['windowsHelloForBusiness', 'microsoftAuthenticatorPush', 'softwareOneTimePasscode', 'mobilePhone'], defaultMethod: 'microsoftAuthenticatorPush', system: ['push'], userPreferred: 'push' }, 4],
]);
const ADMIN_PROFILES = new WeightedTable<RegistrationProfile>([
  [{ preferred: 'fido2', methods: ['fido2', 'microsoftAuthenticatorPush', 'softwareOneTimePasscode', 'mobilePhone'], defaultMethod: 'microsoftAuthenticatorPush', system: ['push'], userPreferred: 'push' }, 40],
  [{ preferred: 'push', methods: ['microsoftAuthenticatorPush', 'softwareOneTimePasscode', 'mobilePhone', 'windowsHelloForBusiness'], defaultMethod: 'microsoftAuthenticatorPush', system: ['push'], userPreferred: 'push' }, 60],
]);
const UNREGISTERED_METHODS = new WeightedTable<readonly string[]>([[[], 50], [['email'], 25], [['password'], 25]]);

const AUTH_DEVICES = ['iPhone 15', 'iPhone 14 Pro', 'iPhone 13', 'Pixel 8', 'Pixel 7a', 'SM-S918B', 'SM-A546B', 'iPhone SE', 'moto g54'];

// ───────────────────────────── outcomes ─────────────────────────────

type Kind = 'sfOk' | 'badPw' | 'locked' | 'legacyBlock' | 'kmsi' | 'pwExpired' | 'satisfied' | 'denied' | 'interrupt' | 'registration';
type MethodSel = 'user' | StepMethod | 'nothing';
/** 0 registered member, 1 unregistered member, 2 guest */
type Pool = 0 | 1 | 2;

interface Outcome {
  readonly key: string;
  readonly kind: Kind;
  readonly mfa: boolean;
  readonly detail: string | null;
  readonly method: MethodSel;
  readonly errorCode: number;
  /** 0 cloud, 1 NPS extension, 2 AD FS adapter */
  readonly comp: 0 | 1 | 2;
  readonly net: 'office' | 'remote' | 'any';
  readonly provider: 'auto' | 'user' | 'ca';
  readonly app: App | null;
  readonly legacy: boolean;
  readonly unscrubbed: boolean;
  readonly pool: Pool;
  /** The (frozen, shared) status of a sign-in with this outcome; for MFA successes, without additionalDetails. */
  readonly status: GraphSignInStatus;
  /** The same with additionalDetails = the result detail (how about half of real MFA successes look). */
  readonly statusWithDetail: GraphSignInStatus;
}

function status(errorCode: number, failureReason: string, additionalDetails: string | null): GraphSignInStatus {
  return Object.freeze({ errorCode, failureReason, additionalDetails });
}

const STATUS_OK = status(0, FR_OK, null);
const FAILURE_REASONS: Readonly<Record<number, string>> = {
  0: FR_OK,
  500121: FR_MFA_FAILED,
  50074: FR_50074,
  50072: FR_50072,
  50079: FR_50079,
  50126: FR_50126,
  50053: FR_50053,
  53003: FR_53003,
  50140: FR_50140,
  50055: FR_50055,
};
/** 50076's text names the resource, so there is one status per resource. */
const STATUS_50076 = new Map<string, GraphSignInStatus>();
function status50076(resourceId: string): GraphSignInStatus {
  let st = STATUS_50076.get(resourceId);
  if (!st) STATUS_50076.set(resourceId, (st = status(50076, `${FR_50076_PREFIX}${resourceId}'.`, null)));
  return st;
}

function oc(key: string, kind: Kind, pool: Pool, p: Partial<Omit<Outcome, 'key' | 'kind' | 'pool'>> = {}): Outcome {
  const mfa = p.mfa ?? (kind === 'satisfied' || kind === 'denied' || kind === 'interrupt' || kind === 'registration');
  const errorCode =
    p.errorCode ??
    { sfOk: 0, satisfied: 0, badPw: 50126, locked: 50053, legacyBlock: 53003, kmsi: 50140, pwExpired: 50055, denied: 500121, interrupt: 50074, registration: 50079 }[kind];
  const st =
    errorCode === 0
      ? STATUS_OK
      : errorCode === 500121
        ? status(errorCode, FR_MFA_FAILED, p.detail ?? null)
        : errorCode === 50126
          ? status(errorCode, FR_50126, AD_50126)
          : status(errorCode, FAILURE_REASONS[errorCode] ?? '', null);
  return {
    key,
    kind,
    mfa,
    detail: p.detail ?? null,
    method: p.method ?? (kind === 'satisfied' || kind === 'denied' ? 'user' : 'nothing'),
    errorCode,
    comp: p.comp ?? 0,
    net: p.net ?? (kind === 'sfOk' ? 'office' : mfa ? 'remote' : 'any'),
    provider: p.provider ?? 'auto',
    app: p.app ?? null,
    legacy: p.legacy ?? false,
    unscrubbed: p.unscrubbed ?? false,
    pool,
    status: st,
    statusWithDetail: errorCode === 0 && mfa && p.detail ? status(0, FR_OK, p.detail) : st,
  };
}

const S = SATISFIED_RESULT_DETAILS;
const D = DENIED_RESULT_DETAILS;

/** Registered members. Weights per 10,000 sign-ins: ~54% single factor, ~46% MFA (incl. 3.5% NPS, 2.3% AD FS). */
const REGISTERED_OUTCOMES: readonly (readonly [Outcome, number])[] = [
  // single factor
  [oc('sfOk', 'sfOk', 0), 5900],
  [oc('badPassword', 'badPw', 0, { net: 'any' }), 180],
  [oc('locked', 'locked', 0, { net: 'any' }), 15],
  [oc('legacyBlocked', 'legacyBlock', 0, { net: 'any', legacy: true, app: APP_EXO }), 60],
  [oc('kmsi', 'kmsi', 0, { net: 'any' }), 50],
  [oc('passwordExpired', 'pwExpired', 0, { net: 'any' }), 10],
  // MFA satisfied
  [oc('completed', 'satisfied', 0, { detail: S.completed }), 2650],
  [oc('claimInToken', 'satisfied', 0, { detail: S.claimInToken, method: 'prev', net: 'any' }), 1000],
  [oc('completedInAzureAd', 'satisfied', 0, { detail: S.completedInAzureAd }), 100],
  [oc('completedInCloud', 'satisfied', 0, { detail: S.completedInCloud }), 30],
  [oc('skippedLocation', 'satisfied', 0, { detail: S.location, method: 'nothing', net: 'office', provider: 'user' }), 90],
  [oc('skippedRememberedDevice', 'satisfied', 0, { detail: S.rememberedDevice, method: 'nothing', provider: 'user' }), 50],
  [oc('skippedRegisteredDevice', 'satisfied', 0, { detail: S.registeredDevice, method: 'nothing' }), 40],
  [oc('skippedBrokerFlow', 'satisfied', 0, { detail: S.brokerFlow, method: 'nothing', app: APP_WINDOWS, net: 'any' }), 30],
  [oc('skippedAppPassword', 'satisfied', 0, { detail: S.appPassword, method: 'nothing', provider: 'user', legacy: true, app: APP_EXO, net: 'any' }), 15],
  [oc('expired', 'satisfied', 0, { detail: S.expired }), 15],
  [oc('registrationPromptedRegistered', 'satisfied', 0, { detail: S.registrationPrompted }), 10],
  [oc('strongAuthX509', 'satisfied', 0, { detail: S.strongAuth, method: 'x509' }), 15],
  [oc('multiFactorDevice', 'satisfied', 0, { detail: S.multiFactorDevice, method: 'other' }), 10],
  [oc('smsUnscrubbed', 'satisfied', 0, { detail: S.completed, method: 'sms', unscrubbed: true }), 5],
  // MFA denied (~3.7% of MFA sign-ins), spread over every documented reason
  [oc('declined', 'denied', 0, { detail: D.declined, method: 'push' }), 24],
  [oc('declinedCapitalised', 'denied', 0, { detail: D.declinedCapitalised, method: 'push' }), 5],
  [oc('noResponse', 'denied', 0, { detail: D.noResponse, method: 'push' }), 26],
  [oc('noResponseContracted', 'denied', 0, { detail: D.noResponseContracted, method: 'push' }), 4],
  [oc('cannotSendToDevice', 'denied', 0, { detail: D.cannotSendToDevice, method: 'push' }), 4],
  [oc('cannotSend', 'denied', 0, { detail: D.cannotSend, method: 'push' }), 3],
  [oc('duplicate', 'denied', 0, { detail: D.duplicate, method: 'push' }), 4],
  [oc('inProgress', 'denied', 0, { detail: D.inProgress, method: 'push' }), 5],
  [oc('inProgressHyphen', 'denied', 0, { detail: D.inProgressHyphen, method: 'push' }), 1],
  [oc('invalidAppCode', 'denied', 0, { detail: D.invalidAppCode, method: 'oath' }), 5],
  [oc('codeReused', 'denied', 0, { detail: D.codeReused, method: 'oath' }), 3],
  [oc('incorrectCode', 'denied', 0, { detail: D.incorrectCode, method: 'sms' }), 7],
  [oc('incorrectCodeTooMany', 'denied', 0, { detail: D.incorrectCodeTooMany, method: 'sms' }), 3],
  [oc('neverEntered', 'denied', 0, { detail: D.neverEntered, method: 'sms' }), 5],
  [oc('invalidPhoneFormat', 'denied', 0, { detail: D.invalidPhoneFormat, method: 'sms' }), 1],
  [oc('voicemail', 'denied', 0, { detail: D.voicemail, method: 'voice' }), 5],
  [oc('voicemailLegacyPrefix', 'denied', 0, { detail: D.voicemailLegacyPrefix, method: 'voice' }), 1],
  [oc('hungUp', 'denied', 0, { detail: D.hungUp, method: 'voice' }), 3],
  [oc('unreachable', 'denied', 0, { detail: D.unreachable, method: 'office' }), 3],
  [oc('incorrectPin', 'denied', 0, { detail: D.incorrectPin, method: 'alt' }), 1],
  [oc('invalidAuthentication', 'denied', 0, { detail: D.invalidAuthentication }), 2],
  [oc('misconfiguration', 'denied', 0, { detail: D.misconfiguration }), 1],
  [oc('serviceError', 'denied', 0, { detail: D.serviceError }), 2],
  [oc('userBlocked', 'denied', 0, { detail: D.blocked }), 2],
  [oc('userNotFound', 'denied', 0, { detail: D.notFound, method: 'nothing' }), 1],
  [oc('unknownCarrier', 'denied', 0, { detail: D.unknownCarrier, method: 'sms' }), 1],
  [oc('unknownAppVersion', 'denied', 0, { detail: D.unknownAppVersion, method: 'push' }), 1],
  // MFA interrupted (no MFA step result)
  [oc('interrupt50074', 'interrupt', 0, { errorCode: 50074 }), 110],
  [oc('interrupt50076', 'interrupt', 0, { errorCode: 50076 }), 60],
  // NPS extension (RADIUS / VPN) and AD FS adapter cloud-MFA events
  [oc('npsCompleted', 'satisfied', 0, { detail: S.completed, comp: 1 }), 310],
  [oc('npsDeclined', 'denied', 0, { detail: D.declined, method: 'push', comp: 1 }), 12],
  [oc('npsNoResponse', 'denied', 0, { detail: D.noResponse, method: 'push', comp: 1 }), 14],
  [oc('npsVoicemail', 'denied', 0, { detail: D.voicemail, method: 'voice', comp: 1 }), 4],
  [oc('npsUnreachable', 'denied', 0, { detail: D.unreachable, method: 'voice', comp: 1 }), 3],
  [oc('npsBlocked', 'denied', 0, { detail: D.blocked, comp: 1 }), 2],
  [oc('adfsCompleted', 'satisfied', 0, { detail: S.completed, comp: 2 }), 205],
  [oc('adfsDeclined', 'denied', 0, { detail: D.declined, method: 'push', comp: 2 }), 8],
  [oc('adfsNoResponse', 'denied', 0, { detail: D.noResponse, method: 'push', comp: 2 }), 10],
  [oc('adfsServiceError', 'denied', 0, { detail: D.serviceError, comp: 2 }), 2],
];

/** Members not registered for MFA: single factor at the office, registration interrupts elsewhere. */
const UNREGISTERED_OUTCOMES: readonly (readonly [Outcome, number])[] = [
  [oc('unregSfOk', 'sfOk', 1), 6550],
  [oc('unregBadPassword', 'badPw', 1, { net: 'any' }), 250],
  [oc('unregLocked', 'locked', 1, { net: 'any' }), 20],
  [oc('unregLegacyBlocked', 'legacyBlock', 1, { net: 'any', legacy: true, app: APP_EXO }), 80],
  [oc('registration50079', 'registration', 1, { errorCode: 50079 }), 1400],
  [oc('registration50072', 'registration', 1, { errorCode: 50072 }), 900],
  [oc('registrationPrompted', 'satisfied', 1, { detail: S.registrationPrompted, method: 'nothing' }), 250],
  [oc('unregSkippedLocation', 'satisfied', 1, { detail: S.location, method: 'nothing', net: 'office', provider: 'user' }), 150],
  [oc('noMethods', 'denied', 1, { detail: D.noMethods, method: 'nothing' }), 100],
  [oc('noMethodsContracted', 'denied', 1, { detail: D.noMethodsContracted, method: 'nothing' }), 50],
  [oc('unregInterrupt50074', 'interrupt', 1, { errorCode: 50074 }), 200],
  [oc('npsNoMethods', 'denied', 1, { detail: D.noMethods, method: 'nothing', comp: 1 }), 50],
];

/** Guests (B2B): MFA mostly satisfied by their home tenant's claim (inbound trust). */
const GUEST_OUTCOMES: readonly (readonly [Outcome, number])[] = [
  [oc('guestSfOk', 'sfOk', 2, { net: 'any' }), 5500],
  [oc('guestBadPassword', 'badPw', 2, { net: 'any' }), 150],
  [oc('guestClaimExternal', 'satisfied', 2, { detail: S.claimExternal, method: 'nothing', net: 'any', provider: 'ca' }), 3000],
  [oc('guestRedirectedExternal', 'satisfied', 2, { detail: S.redirectedExternal, method: 'nothing', net: 'any', provider: 'ca' }), 50],
  [oc('guestCompleted', 'satisfied', 2, { detail: S.completed, net: 'any', provider: 'ca' }), 800],
  [oc('guestClaimInToken', 'satisfied', 2, { detail: S.claimInToken, method: 'prev', net: 'any', provider: 'ca' }), 300],
  [oc('guestInterrupt50074', 'interrupt', 2, { errorCode: 50074, net: 'any', provider: 'ca' }), 150],
  [oc('guestInterrupt50076', 'interrupt', 2, { errorCode: 50076, net: 'any', provider: 'ca' }), 50],
];

const OUTCOME_TABLES: readonly WeightedTable<Outcome>[] = [
  new WeightedTable(REGISTERED_OUTCOMES),
  new WeightedTable(UNREGISTERED_OUTCOMES),
  new WeightedTable(GUEST_OUTCOMES),
];

const OC_SKIP_LOCATION = REGISTERED_OUTCOMES.find(([o]) => o.key === 'skippedLocation')![0];
const OC_GUEST_CLAIM_EXTERNAL = GUEST_OUTCOMES.find(([o]) => o.key === 'guestClaimExternal')![0];

/**
 * Outcomes rare enough that a small tenant might not draw them: each is forced into one UTC day in
 * three (a third of them each day, by day number mod 3), so any three consecutive days show every
 * category. Everything else comes from the weighted tables.
 */
const COVERAGE: readonly Outcome[] = [...REGISTERED_OUTCOMES, ...UNREGISTERED_OUTCOMES, ...GUEST_OUTCOMES]
  .filter(([o, w]) => w < 120 || o.kind === 'registration' || o.kind === 'interrupt')
  .map(([o]) => o);
const COVERAGE_BY_DAY: readonly (readonly Outcome[])[] = [0, 1, 2].map((k) => COVERAGE.filter((_, i) => i % 3 === k));

// Outcomes used by the special events (fraud reports, MFA fatigue, risky sign-ins).
const OC_FRAUD_CODE_PUSH = oc('fraudCodePush', 'denied', 0, { detail: D.fraudCode, method: 'push', provider: 'ca' });
const OC_FRAUD_CODE_VOICE = oc('fraudCodeVoice', 'denied', 0, { detail: D.fraudCode, method: 'voice', provider: 'ca' });
const OC_FRAUD_APP = oc('fraudApp', 'denied', 0, { detail: D.fraudApp, method: 'push', provider: 'ca' });
const OC_FATIGUE_NO_RESPONSE = oc('fatigueNoResponse', 'denied', 0, { detail: D.noResponse, method: 'push', provider: 'ca' });
const OC_FATIGUE_DECLINED = oc('fatigueDeclined', 'denied', 0, { detail: D.declined, method: 'push', provider: 'ca' });
const OC_RISKY_COMPLETED = oc('riskyCompleted', 'satisfied', 0, { detail: S.completed, method: 'push', provider: 'ca' });

/** Every outcome key the generator can emit (for tests and for documentation). */
export const OUTCOME_KEYS: readonly string[] = [
  ...[...REGISTERED_OUTCOMES, ...UNREGISTERED_OUTCOMES, ...GUEST_OUTCOMES].map(([o]) => o.key),
  ...[OC_FRAUD_CODE_PUSH, OC_FRAUD_CODE_VOICE, OC_FRAUD_APP, OC_FATIGUE_NO_RESPONSE, OC_FATIGUE_DECLINED, OC_RISKY_COMPLETED].map((o) => o.key),
];

// ───────────────────────────── time helpers ─────────────────────────────

const PAD2: readonly string[] = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
let isoDay = Number.NaN;
/** Char codes of "YYYY-MM-DDT" for `isoDay`. */
const isoPre = new Int32Array(11);

/**
 * "2026-11-02T14:03:27Z" (Graph's whole-second form). Built with one String.fromCharCode call so
 * the result is a flat string: concatenation would leave a rope of a dozen heap nodes per
 * timestamp, which costs dearly once a consumer keeps records past a young-generation GC.
 */
function isoSec(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== isoDay) {
    isoDay = day;
    const p = new Date(day * DAY_MS).toISOString();
    for (let i = 0; i < 11; i++) isoPre[i] = p.charCodeAt(i);
  }
  const s = Math.floor((ms - day * DAY_MS) / 1000);
  const h = (s / 3600) | 0;
  const m = ((s % 3600) / 60) | 0;
  const x = s % 60;
  const p = isoPre;
  return String.fromCharCode(
    p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!, p[6]!, p[7]!, p[8]!, p[9]!, p[10]!,
    48 + ((h / 10) | 0), 48 + (h % 10), 58, 48 + ((m / 10) | 0), 48 + (m % 10), 58, 48 + ((x / 10) | 0), 48 + (x % 10), 90,
  );
}

function ymd(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Local-hour weights of interactive activity (business hours, a lunch dip, a quiet night). */
const HOUR_TABLE = new WeightedTable<number>(
  [0.3, 0.2, 0.15, 0.15, 0.2, 0.4, 1.2, 3, 7, 9, 9, 8.5, 6.5, 8, 8.5, 8, 7, 5, 3, 2, 1.6, 1.3, 0.9, 0.5].map((w, h) => [h, w] as const),
);

// ───────────────────────────── the tenant ─────────────────────────────

interface DeviceSpec {
  readonly deviceId: string;
  readonly displayName: string;
  readonly operatingSystem: string;
  readonly browserWeb: string;
  readonly browserRich: string;
  readonly uaWeb: string;
  readonly uaRich: string;
  readonly isCompliant: boolean;
  readonly isManaged: boolean;
  readonly trustType: string;
}

interface Device extends DeviceSpec {
  /** The frozen deviceDetail of a browser, a rich-client and a legacy-protocol sign-in from this device. */
  readonly ddWeb: GraphDeviceDetail;
  readonly ddRich: GraphDeviceDetail;
  readonly ddLegacy: GraphDeviceDetail;
}

function device(d: DeviceSpec): Device {
  const dd = (browser: string): GraphDeviceDetail =>
    Object.freeze({
      deviceId: d.deviceId,
      displayName: d.displayName,
      operatingSystem: d.operatingSystem,
      browser,
      isCompliant: d.isCompliant,
      isManaged: d.isManaged,
      trustType: d.trustType,
    });
  return { ...d, ddWeb: dd(d.browserWeb), ddRich: dd(d.browserRich), ddLegacy: dd('') };
}

interface TUser {
  readonly idx: number;
  readonly id: string;
  readonly upn: string;
  /** As userRegistrationDetails shows it: mixed case, guests in their #EXT# form. */
  readonly dirUpn: string;
  readonly displayName: string;
  readonly userType: 'member' | 'guest';
  readonly isAdmin: boolean;
  readonly registered: boolean;
  readonly mfaCapable: boolean;
  readonly perUserMfa: boolean;
  readonly profile: RegistrationProfile | null;
  readonly methods: readonly string[];
  readonly preferred: MethodKey;
  readonly pool: Pool;
  readonly city: City;
  readonly homeIp: string;
  readonly laptop: Device;
  readonly phone: Device;
  readonly authDevice: string;
  readonly phoneScrubbed: string;
  readonly phoneRaw: string;
  readonly officeScrubbed: string;
  readonly altScrubbed: string;
  readonly pwdDetail: string;
  readonly weight: number;
  readonly regAnchorMs: number;
}

interface Tenant {
  readonly seed: number;
  readonly users: readonly TUser[];
  readonly alias: AliasTable;
  readonly pools: readonly (readonly TUser[])[];
  readonly admins: readonly TUser[];
  /** Registered, non-admin members whose phone runs Authenticator: targets of fraud and fatigue. */
  readonly targets: readonly TUser[];
  readonly tenantId: string;
  readonly guestTenantId: string;
  /** Per-tenant cadence offsets for the guaranteed special events. */
  readonly offsets: { readonly fraud: number; readonly fatigue: number; readonly unfamiliar: number; readonly anonymized: number; readonly portalBlock: number };
}

function asciiLower(s: string): string {
  return s.toLowerCase().replace(/[^a-z]/g, '');
}

function phoneRaw(cc: string, r: Rng, suffix: string): string {
  switch (cc) {
    case '+1':
      return `+1 ${r.pick(['425', '206', '212', '312', '512'])} 555 01${suffix}`;
    case '+44':
      return `+44 7700 900${r.int(0, 9)}${suffix}`;
    case '+49':
      return `+49 1512 34${r.int(10, 99)}${suffix}`;
    case '+33':
      return `+33 6 12 ${r.int(10, 99)} ${r.int(10, 99)} ${suffix}`;
    case '+31':
      return `+31 6 12${r.int(10, 99)} 34${suffix}`;
    case '+91':
      return `+91 98${r.int(100, 999)} 43${r.int(1, 9)}${suffix}`;
    default:
      return `+81 90 ${r.int(1000, 9999)} 56${suffix}`;
  }
}

function makeDevices(r: Rng, u: { first: string; admin: boolean; guest: boolean }): { laptop: Device; phone: Device } {
  const mac = !u.admin && r.chance(0.12);
  const win11 = r.chance(0.55);
  const chrome = r.chance(0.35);
  const chromeVer = r.pick(['120.0.0', '121.0.0', '122.0.0', '123.0.0']);
  const edgeVer = r.pick(['120.0.2210', '121.0.2277', '122.0.2365', '123.0.2420']);
  const managed = u.admin || (!u.guest && r.chance(0.92));
  const laptop: Device = device(mac
    ? {
        deviceId: managed ? r.uuid() : '',
        displayName: managed ? `${u.first.toUpperCase()}-MBP` : '',
        operatingSystem: 'MacOs',
        browserWeb: chrome ? `Chrome ${chromeVer}` : 'Safari 17.3',
        browserRich: 'Rich Client 16.81.24011420',
        uaWeb: chrome
          ? `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chromeVer} Safari/537.36`
          : 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15',
        uaRich: 'Microsoft Office/16.0 (Macintosh; Mac OS X 14.3; Microsoft Outlook 16.81.24011420; Pro)',
        isCompliant: managed,
        isManaged: managed,
        trustType: managed ? 'Azure AD registered' : '',
      }
    : {
        deviceId: managed ? r.uuid() : '',
        displayName: managed ? `CONTOSO-${r.pick(['LT', 'LT', 'DT'])}-${r.int(1000, 9999)}` : '',
        operatingSystem: win11 ? 'Windows 11' : 'Windows 10',
        browserWeb: chrome ? `Chrome ${chromeVer}` : `Edge ${edgeVer}`,
        browserRich: 'Rich Client 5.2.0.0',
        uaWeb: chrome
          ? `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chromeVer} Safari/537.36`
          : `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${edgeVer.slice(0, 3)}.0.0.0 Safari/537.36 Edg/${edgeVer}`,
        uaRich: 'Windows-AzureAD-Authentication-Provider/1.0',
        isCompliant: managed && (u.admin || r.chance(0.95)),
        isManaged: managed,
        trustType: managed ? (r.chance(0.6) ? 'Hybrid Azure AD joined' : 'Azure AD joined') : '',
      });
  const ios = r.chance(0.6);
  const phone: Device = device(ios
    ? {
        deviceId: managed ? r.uuid() : '',
        displayName: managed ? 'iPhone' : '',
        operatingSystem: 'Ios 17.3',
        browserWeb: 'Mobile Safari 17.3',
        browserRich: 'Rich Client 4.2403.0',
        uaWeb: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1',
        uaRich: 'Outlook-iOS/2.0',
        isCompliant: managed,
        isManaged: managed,
        trustType: managed ? 'Azure AD registered' : '',
      }
    : {
        deviceId: managed ? r.uuid() : '',
        displayName: managed ? 'Android' : '',
        operatingSystem: 'Android 14',
        browserWeb: 'Chrome Mobile 122.0.6261',
        browserRich: 'Rich Client 4.2403.1',
        uaWeb: 'Mozilla/5.0 (Linux; Android 14; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.90 Mobile Safari/537.36',
        uaRich: 'Outlook-Android/2.0',
        isCompliant: managed,
        isManaged: managed,
        trustType: managed ? 'Azure AD registered' : '',
      });
  return { laptop, phone };
}

function buildTenant(seed: number, n: number): Tenant {
  const users: TUser[] = [];
  const taken = new Map<string, number>();
  const regEpoch = Date.UTC(2024, 0, 1);
  for (let i = 0; i < n; i++) {
    const r = new Rng(hashSeed(seed, 'user', i));
    // Category by index, so every tenant of a dozen users or more has each of them, at stable rates.
    const guest = i % 20 === 11; // 5%
    const admin = !guest && i % 33 === 0; // ~3%
    const unregistered = !guest && !admin && i % 10 === 5; // ~10% of members
    const first = r.pick(FIRST_NAMES);
    const last = r.pick(LAST_NAMES);
    const domain = guest ? GUEST_DOMAIN : TENANT_DOMAIN;
    const base = `${asciiLower(first)}.${asciiLower(last)}`;
    const dup = (taken.get(`${base}@${domain}`) ?? 0) + 1;
    taken.set(`${base}@${domain}`, dup);
    const local = dup === 1 ? base : `${base}${dup}`;
    const upn = `${local}@${domain}`;
    const mixedLocal = dup === 1 ? `${first.replace(/ /g, '')}.${last.replace(/ /g, '')}` : `${first.replace(/ /g, '')}.${last.replace(/ /g, '')}${dup}`;
    const dirUpn = guest ? `${local}_${GUEST_DOMAIN}#EXT#@contoso.onmicrosoft.com` : `${mixedLocal}@${TENANT_DOMAIN}`;
    const id = r.uuid();
    const city = CITY_TABLE.pick(r);
    const homeIp = r.pick(city.country.homePrefixes) + r.int(1, 254) + '.' + r.int(1, 254);
    const registered = guest ? r.chance(0.4) : !unregistered;
    const profile = registered ? (admin ? ADMIN_PROFILES : REGISTRATION_PROFILES).pick(r) : null;
    const methods = profile ? profile.methods : UNREGISTERED_METHODS.pick(r);
    const { laptop, phone } = makeDevices(r, { first, admin, guest });
    const suffix = PAD2[r.int(0, 59)]!.slice(0, 1) + r.int(0, 9);
    const weight = guest ? 0.25 : admin ? 1.6 : 0.35 + r.next() * 1.3;
    users.push({
      idx: i,
      id,
      upn,
      dirUpn,
      displayName: `${first} ${last}`,
      userType: guest ? 'guest' : 'member',
      isAdmin: admin,
      registered,
      mfaCapable: registered && !(i % 41 === 7),
      perUserMfa: registered && !guest && !admin && r.chance(0.03),
      profile,
      methods,
      preferred: profile ? profile.preferred : 'none',
      pool: guest ? 2 : registered ? 0 : 1,
      city,
      homeIp,
      laptop,
      phone,
      authDevice: r.pick(AUTH_DEVICES),
      phoneScrubbed: `+X XXXXXXXX${suffix}`,
      phoneRaw: phoneRaw(city.country.phoneCc, r, suffix),
      officeScrubbed: `+X XXXXXXXX${PAD2[r.int(10, 59)]!}`,
      altScrubbed: `+X XXXXXXXX${PAD2[r.int(10, 59)]!}`,
      pwdDetail: guest ? 'Password in the cloud' : r.chance(0.7) ? 'Password Hash Sync' : r.chance(0.8) ? 'Password in the cloud' : 'Pass-through Authentication',
      weight,
      regAnchorMs: regEpoch + r.int(0, 700) * DAY_MS + r.int(0, 86_399) * 1000,
    });
  }
  const pools: TUser[][] = [[], [], []];
  for (const u of users) pools[u.pool]!.push(u);
  const admins = users.filter((u) => u.isAdmin);
  const targets = users.filter((u) => u.pool === 0 && !u.isAdmin && u.methods.includes('microsoftAuthenticatorPush'));
  const off = (salt: string, period: number): number => hashSeed(seed, 'cadence', salt) % period;
  return {
    seed,
    users,
    alias: new AliasTable(users.map((u) => u.weight)),
    pools,
    admins: admins.length > 0 ? admins : users.slice(0, 1),
    targets: targets.length > 0 ? targets : pools[0]!.length > 0 ? pools[0]! : users,
    tenantId: uuidFrom(seed, 'tenant'),
    guestTenantId: uuidFrom(seed, 'guest-tenant'),
    offsets: { fraud: off('fraud', 3), fatigue: off('fatigue', 8), unfamiliar: off('unfamiliar', 5), anonymized: off('anonymized', 7), portalBlock: off('portal-block', 9) },
  };
}

const tenantCache = new Map<string, Tenant>();

function tenantFor(seed: number, users: number): Tenant {
  if (!Number.isInteger(users) || users < 1) throw new RangeError(`users must be a positive integer, got ${users}`);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const key = `${seed}:${users}`;
  let t = tenantCache.get(key);
  if (!t) {
    t = buildTenant(seed, users);
    if (tenantCache.size >= 8) tenantCache.delete(tenantCache.keys().next().value as string);
    tenantCache.set(key, t);
  }
  return t;
}

interface Window {
  readonly first: number;
  readonly last: number;
  readonly nowMs: number;
}

function windowOf(opts: DemoTenantOptions): Window {
  const nowMs = opts.now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError('now must be a valid Date');
  if (!Number.isInteger(opts.days) || opts.days < 1) throw new RangeError(`days must be a positive integer, got ${opts.days}`);
  const last = Math.floor(nowMs / DAY_MS);
  return { first: last - opts.days + 1, last, nowMs };
}

// ───────────────────────────── the sign-in builder (hot path) ─────────────────────────────

interface Override {
  readonly ip: string;
  readonly loc: GraphSignInLocation;
  readonly asn: number;
  readonly app: App;
  readonly risk: { level: string; state: string; detail: string; type: string } | null;
}

const ATTACKER_DEVICE: Device = device({
  deviceId: '',
  displayName: '',
  operatingSystem: 'Windows 10',
  browserWeb: 'Chrome 122.0.0',
  browserRich: 'Chrome 122.0.0',
  uaWeb: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
  uaRich: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
  isCompliant: false,
  isManaged: false,
  trustType: '',
});

// Shared, frozen parts of sign-in records (see GraphSignIn's note).
const EMPTY: readonly never[] = Object.freeze([]);
const ONPREM_DEVICE: GraphDeviceDetail = Object.freeze({ deviceId: '', displayName: '', operatingSystem: '', browser: '', isCompliant: null, isManaged: null, trustType: '' });
const EVENT_INTERACTIVE: readonly string[] = Object.freeze(['interactiveUser']);
const EVENT_NON_INTERACTIVE: readonly string[] = Object.freeze(['nonInteractiveUser']);
const OFFICE_NETWORK = Object.freeze([Object.freeze({ networkType: 'trustedNamedLocation', networkNames: Object.freeze([TRUSTED_LOCATION]) })]);
const REQ_CA = Object.freeze({ requirementProvider: 'multiConditionalAccess', detail: 'Conditional Access' });
const REQ_USER = Object.freeze({ requirementProvider: 'user', detail: 'Per-user MFA' });
/** Why MFA was required, by provider: 0 none, 1 Conditional Access, 2 per-user, 3 both, 4 security defaults. */
const REQUIREMENT_POLICIES: readonly (readonly { readonly requirementProvider: string; readonly detail: string }[])[] = [
  EMPTY,
  Object.freeze([REQ_CA]),
  Object.freeze([REQ_USER]),
  Object.freeze([REQ_CA, REQ_USER]),
  Object.freeze([Object.freeze({ requirementProvider: 'securityDefaults', detail: 'Security defaults' })]),
];
const STATUS_PASSWORDLESS = status(0, FR_OK, SATISFIED_RESULT_DETAILS.strongAuth);

/** One frozen entry per (policy, result) this tenant produces. */
function policyResult(
  pol: { readonly id: string; readonly name: string; readonly grant: readonly string[]; readonly session: readonly string[] },
  result: string,
  conditionsSatisfied: string,
  conditionsNotSatisfied: string,
): GraphAppliedConditionalAccessPolicy {
  return Object.freeze({
    id: pol.id,
    displayName: pol.name,
    enforcedGrantControls: Object.freeze(pol.grant.slice()),
    enforcedSessionControls: Object.freeze(pol.session.slice()),
    result,
    conditionsSatisfied,
    conditionsNotSatisfied,
  });
}
const CA_MFA_SUCCESS = policyResult(CA.mfaAll, 'success', 'application,users', '');
const CA_MFA_FAILURE = policyResult(CA.mfaAll, 'failure', 'application,users', '');
const CA_MFA_NA_LOCATION = policyResult(CA.mfaAll, 'notApplied', 'application,users', 'location');
const CA_MFA_NA_CLIENT = policyResult(CA.mfaAll, 'notApplied', 'application,users', 'clientType');
const CA_LEGACY_FAILURE = policyResult(CA.legacy, 'failure', 'application,users,clientType', '');
const CA_LEGACY_NA = policyResult(CA.legacy, 'notApplied', 'application,users', 'clientType');
const CA_ADMINS_SUCCESS = policyResult(CA.admins, 'success', 'application,users', '');
const CA_ADMINS_NA = policyResult(CA.admins, 'notApplied', 'application', 'users');
const CA_SIF_SUCCESS = policyResult(CA.sif, 'success', 'application,users', '');
const CA_SIF_NA = policyResult(CA.sif, 'notApplied', 'users', 'application');
const CA_GUESTS_SUCCESS = policyResult(CA.guests, 'reportOnlySuccess', 'application,users', '');
const CA_GUESTS_FAILURE = policyResult(CA.guests, 'reportOnlyFailure', 'application,users', '');
const CA_GUESTS_INTERRUPTED = policyResult(CA.guests, 'reportOnlyInterrupted', 'application,users', '');
const CA_GUESTS_NA = policyResult(CA.guests, 'reportOnlyNotApplied', 'application', 'users');
const CA_COUNTRIES_DISABLED = policyResult(CA.countries, 'notEnabled', '', '');

function phoneDetail(r: Rng, u: TUser, unscrubbed: boolean): string {
  return unscrubbed || r.next() < 0.01 ? u.phoneRaw : u.phoneScrubbed;
}

/**
 * One beta sign-in record. The hot path: no closures, no regexes, constants shared (frozen), only
 * the record, its steps, its policy array and its id/time strings allocated.
 */
function buildSignin(r: Rng, t: Tenant, u: TUser, ms: number, o: Outcome, ov: Override | null): GraphSignIn {
  const id = r.uuid();
  const correlationId = r.uuid();
  const created = isoSec(ms);
  const comp = o.comp;
  const onprem = comp !== 0;
  const guest = u.pool === 2;

  // ── where from: 0 office, 1 home, 2 mobile, 3 travel, 4 attacker, 5 on-premises server
  const c = u.city;
  let ip = u.homeIp;
  let loc = c.loc;
  let asn = c.country.homeAsn;
  let net = 1;
  if (ov !== null) {
    net = 4;
    ip = ov.ip;
    loc = ov.loc;
    asn = ov.asn;
  } else if (onprem) {
    net = 5;
    ip = comp === 1 ? NPS_SERVERS[r.next() < 0.5 ? 0 : 1].ip : ADFS_SERVER.ip;
    loc = HQ.loc;
    asn = HQ.officeAsn;
  } else {
    if (o.net === 'office') net = 0;
    else if (o.net === 'any' && r.next() < 0.5) net = 0;
    else {
      const y = r.next();
      net = y < 0.7 ? 1 : y < 0.93 ? 2 : 3;
    }
    if (guest && net === 0) net = 1; // guests work from their own company's network
    if (net === 0) {
      ip = c.officeIp;
      asn = c.officeAsn;
    } else if (net === 2) {
      ip = c.country.mobilePrefix + r.int(0, 255) + '.' + r.int(1, 254);
      asn = c.country.mobileAsn;
    } else if (net === 3) {
      const tc = CITIES[r.int(0, CITIES.length - 1)]!;
      ip = tc.country.homePrefixes[0]! + r.int(0, 255) + '.' + r.int(1, 254);
      asn = tc.country.homeAsn;
      loc = tc.loc;
    }
  }

  // ── what app, which client, which device
  const app: App | null = onprem ? null : ov !== null ? ov.app : o.app ?? (u.isAdmin ? ADMIN_APPS : guest ? GUEST_APPS : MEMBER_APPS).pick(r);
  let clientAppUsed: string | null = null;
  let rich = false;
  if (app !== null) {
    if (o.legacy) clientAppUsed = LEGACY_CLIENTS.pick(r);
    else {
      rich = app.client === 1 || (app.client === 2 && r.next() < 0.5);
      clientAppUsed = rich ? 'Mobile Apps and Desktop clients' : 'Browser';
    }
  }
  let deviceDetail = ONPREM_DEVICE;
  let userAgent: string | null = null;
  if (!onprem) {
    const dev = ov !== null ? ATTACKER_DEVICE : net === 2 || r.next() < 0.15 ? u.phone : u.laptop;
    if (o.legacy) {
      userAgent = 'BAV2ROPC';
      deviceDetail = dev.ddLegacy;
    } else if (rich) {
      userAgent = dev.uaRich;
      deviceDetail = dev.ddRich;
    } else {
      userAgent = dev.uaWeb;
      deviceDetail = dev.ddWeb;
    }
  }

  // ── interactive or not; a per-user MFA user at the office is "skipped due to location", not single factor
  let eff = o;
  let interactive = true;
  if (!onprem && ov === null && (o.kind === 'sfOk' || o.method === 'prev') && r.next() < 0.2) interactive = false;
  if (interactive && eff.kind === 'sfOk' && u.perUserMfa && net === 0) eff = OC_SKIP_LOCATION;
  if (guest && eff.method === 'user' && u.preferred === 'none') eff = OC_GUEST_CLAIM_EXTERNAL;
  const kind = eff.kind;
  const mfa = eff.mfa;

  // ── why MFA was required: 1 CA, 2 per-user, 3 both, 4 security defaults
  let provider = 0;
  if (mfa && !onprem) {
    if (eff.provider === 'user') provider = 2;
    else if (eff.provider === 'ca') provider = 1;
    else if (u.perUserMfa) provider = r.next() < 0.6 ? 2 : 3;
    else provider = r.next() < 0.97 ? 1 : 4;
  }

  // ── authentication steps
  const steps: GraphAuthenticationDetail[] = [];
  const stepMs = ms + (3 + (r.u32() % 25)) * 1000;
  let passwordless = false;
  let methodKey: StepMethod | 'nothing' = 'nothing';
  const hasMfaStep = mfa && (kind === 'satisfied' || kind === 'denied');
  if (hasMfaStep) {
    const sel = eff.method;
    methodKey = sel === 'user' ? u.preferred : sel;
    if (methodKey === 'none') methodKey = 'push';
    if ((methodKey === 'fido2' || methodKey === 'whfb') && (onprem || kind === 'denied')) methodKey = 'push';
    passwordless = (methodKey === 'fido2' || methodKey === 'whfb') && kind === 'satisfied' && eff.detail === S.completed;
  }
  if (!onprem) {
    if (passwordless) {
      steps.push({
        authenticationStepDateTime: created,
        authenticationMethod: METHOD_LABELS[methodKey as 'fido2' | 'whfb'].pick(r),
        authenticationMethodDetail: null,
        succeeded: true,
        authenticationStepResultDetail: S.strongAuth,
        authenticationStepRequirement: STEP_PRIMARY,
      });
    } else if (kind === 'badPw' || kind === 'locked') {
      steps.push({
        authenticationStepDateTime: created,
        authenticationMethod: 'Password',
        authenticationMethodDetail: u.pwdDetail,
        succeeded: false,
        authenticationStepResultDetail: STEP_INVALID_PASSWORD,
        authenticationStepRequirement: STEP_PRIMARY,
      });
    } else if (eff.method === 'prev' || eff.detail === S.claimExternal || (kind === 'sfOk' && (!interactive || r.next() < 0.3))) {
      steps.push({
        authenticationStepDateTime: created,
        authenticationMethod: 'Previously satisfied',
        authenticationMethodDetail: null,
        succeeded: true,
        authenticationStepResultDetail: STEP_FIRST_FACTOR_CLAIM,
        authenticationStepRequirement: STEP_PRIMARY,
      });
    } else {
      steps.push({
        authenticationStepDateTime: created,
        authenticationMethod: 'Password',
        authenticationMethodDetail: u.pwdDetail,
        succeeded: true,
        authenticationStepResultDetail: STEP_CORRECT_PASSWORD,
        authenticationStepRequirement: STEP_PRIMARY,
      });
    }
  }
  if (hasMfaStep && !passwordless) {
    let methodLabel: string | null = null;
    let detail: string | null = null;
    if (methodKey !== 'nothing') {
      methodLabel = METHOD_LABELS[methodKey as Exclude<StepMethod, 'none'>].pick(r);
      if (methodKey === 'push') detail = u.authDevice;
      else if (methodKey === 'sms' || methodKey === 'voice') detail = phoneDetail(r, u, eff.unscrubbed);
      else if (methodKey === 'office') detail = u.officeScrubbed;
      else if (methodKey === 'alt') detail = u.altScrubbed;
    }
    const y = r.next();
    steps.push({
      authenticationStepDateTime: kind === 'satisfied' && methodKey === 'prev' ? created : isoSec(stepMs),
      authenticationMethod: methodLabel,
      authenticationMethodDetail: detail,
      succeeded: kind === 'satisfied',
      authenticationStepResultDetail: eff.detail,
      authenticationStepRequirement:
        methodKey === 'x509' && y < 0.5 ? 'Phishing resistant MFA' : y < 0.88 ? 'Multi-factor authentication' : 'Multifactor authentication',
    });
  }

  // ── status (§4 wording): shared per outcome
  const st =
    passwordless
      ? STATUS_PASSWORDLESS
      : eff.errorCode === 50076
        ? status50076(app !== null ? app.resourceId : 'radius')
        : mfa && eff.errorCode === 0 && r.next() < 0.5
          ? eff.statusWithDetail
          : eff.status;

  // ── Conditional Access: every policy of the tenant with its result for this sign-in
  let caStatus: 'success' | 'failure' | 'notApplied' | null = null;
  let policies: GraphAppliedConditionalAccessPolicy[];
  if (onprem) policies = [];
  else {
    const mfaOk = kind === 'satisfied';
    const viaCa = provider === 1 || provider === 3;
    const p1 = o.legacy ? CA_MFA_NA_CLIENT : viaCa ? (mfaOk ? CA_MFA_SUCCESS : CA_MFA_FAILURE) : CA_MFA_NA_LOCATION;
    const p2 = kind === 'legacyBlock' ? CA_LEGACY_FAILURE : CA_LEGACY_NA;
    const p3 = u.isAdmin && !o.legacy ? CA_ADMINS_SUCCESS : CA_ADMINS_NA;
    const p4 = app !== null && app.sif && !o.legacy ? CA_SIF_SUCCESS : CA_SIF_NA;
    const p5 = !guest ? CA_GUESTS_NA : mfaOk ? CA_GUESTS_SUCCESS : kind === 'interrupt' ? CA_GUESTS_INTERRUPTED : CA_GUESTS_FAILURE;
    policies = [p1, p2, p3, p4, p5, CA_COUNTRIES_DISABLED];
    caStatus =
      p1 === CA_MFA_FAILURE || p2 === CA_LEGACY_FAILURE
        ? 'failure'
        : p1 === CA_MFA_SUCCESS || p3 === CA_ADMINS_SUCCESS || p4 === CA_SIF_SUCCESS
          ? 'success'
          : 'notApplied';
  }

  const risk = ov !== null ? ov.risk : null;
  const riskTypes: readonly string[] = risk !== null ? Object.freeze([risk.type]) : EMPTY;
  return {
    id,
    createdDateTime: created,
    userDisplayName: u.displayName,
    userPrincipalName: u.upn,
    userId: u.id,
    userType: u.userType,
    appId: app !== null ? app.appId : null,
    appDisplayName: app !== null ? app.name : null,
    ipAddress: ip,
    clientAppUsed,
    userAgent,
    correlationId,
    conditionalAccessStatus: caStatus,
    originalRequestId: onprem ? '' : id,
    isInteractive: onprem ? null : interactive,
    tokenIssuerName: onprem ? null : '',
    tokenIssuerType: comp === 0 ? 'AzureAD' : comp === 1 ? 'NPSExtension' : 'ADFederationServicesMFAAdapter',
    authenticationProtocol: onprem ? null : o.legacy ? 'ropc' : 'none',
    incomingTokenType: onprem ? null : 'none',
    processingTimeInMilliseconds: 40 + (r.u32() % (mfa ? 1400 : 500)),
    riskDetail: onprem ? null : risk !== null ? risk.detail : 'none',
    riskLevelAggregated: onprem ? null : risk !== null ? risk.level : 'none',
    riskLevelDuringSignIn: onprem ? null : risk !== null ? risk.level : 'none',
    riskState: onprem ? null : risk !== null ? risk.state : 'none',
    riskEventTypes: riskTypes,
    riskEventTypes_v2: riskTypes,
    resourceDisplayName: app !== null ? app.resource : null,
    resourceId: app !== null ? app.resourceId : comp === 1 ? 'radius' : 'adfs',
    resourceTenantId: t.tenantId,
    homeTenantId: guest ? t.guestTenantId : t.tenantId,
    homeTenantName: '',
    authenticationMethodsUsed: EMPTY,
    authenticationRequirement: mfa ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
    signInIdentifier: u.upn,
    signInEventTypes: onprem ? EMPTY : interactive ? EVENT_INTERACTIVE : EVENT_NON_INTERACTIVE,
    servicePrincipalId: '',
    flaggedForReview: false,
    isTenantRestricted: false,
    autonomousSystemNumber: asn,
    crossTenantAccessType: guest ? 'b2bCollaboration' : 'none',
    status: st,
    deviceDetail,
    location: loc,
    mfaDetail: null,
    appliedConditionalAccessPolicies: policies,
    authenticationContextClassReferences: EMPTY,
    authenticationProcessingDetails: EMPTY,
    networkLocationDetails: net === 0 ? OFFICE_NETWORK : EMPTY,
    authenticationDetails: steps,
    authenticationRequirementPolicies: REQUIREMENT_POLICIES[provider]!,
    sessionLifetimePolicies: EMPTY,
  };
}

// ───────────────────────────── special events (fraud, fatigue, risk, audits) ─────────────────────────────

interface Timed<T> {
  readonly ms: number;
  readonly rec: T;
}

interface DayPlan {
  readonly signins: Timed<GraphSignIn>[];
  readonly risks: Timed<GraphRiskDetection>[];
  readonly audits: Timed<GraphDirectoryAudit>[];
  readonly blocks: Timed<DemoBlockEvent>[];
}

function cadence(day: number, period: number, offset: number): boolean {
  return (((day + offset) % period) + period) % period === 0;
}

function attackerOverride(r: Rng, app: App, risk: Override['risk']): Override {
  const a = r.pick(ATTACKERS);
  const octets = a.prefix.split('.').length - 1;
  return {
    ip: octets === 3 ? a.prefix + r.int(1, 254) : a.prefix + r.int(0, 255) + '.' + r.int(1, 254),
    loc: a.loc,
    asn: a.asn,
    app,
    risk,
  };
}

/** A fresh copy of a sign-in's location, for the risk detection that describes it. */
function locationOf(rec: GraphSignIn): GraphSignInLocation {
  const l = rec.location;
  return { city: l.city, state: l.state, countryOrRegion: l.countryOrRegion, geoCoordinates: { ...l.geoCoordinates } };
}

const FRAUD_AUDIT_CYCLE = [
  'Suspicious activity reported',
  'Fraud reported - user is blocked for MFA',
  'Suspicious activity reported',
  'Fraud reported - no action taken',
] as const;

const SECURITY_INFO_AUDITS = new WeightedTable<readonly [activity: string, byAdmin: boolean, reason: string]>([
  [['User registered security info', false, 'User registered Authenticator App with Notification and Code'], 35],
  [['User registered security info', false, 'User registered Mobile Phone SMS'], 10],
  [['User changed default security info', false, 'User changed default security info'], 20],
  [['User deleted security info', false, 'User deleted Mobile Phone SMS'], 10],
  [['User started security info registration', false, 'User started the registration for Authenticator App with Notification and Code'], 10],
  [['Admin registered security info', true, 'Admin registered mobile phone for user'], 10],
  [['Admin deleted security info', true, 'Admin deleted Authenticator App with Notification and Code for user'], 5],
]);

function audit(
  id: string,
  ms: number,
  activity: string,
  reason: string,
  correlationId: string,
  initiator: TUser,
  target: TUser,
  operationType: string,
): GraphDirectoryAudit {
  return {
    id,
    category: 'UserManagement',
    correlationId,
    result: 'success',
    resultReason: reason,
    activityDisplayName: activity,
    activityDateTime: isoSec(ms),
    loggedByService: 'Authentication Methods',
    operationType,
    initiatedBy: { app: null, user: { id: initiator.id, displayName: null, userPrincipalName: initiator.upn, ipAddress: null } },
    targetResources: [{ id: target.id, displayName: null, type: 'User', userPrincipalName: target.upn, groupType: null, modifiedProperties: [] }],
    additionalDetails: [],
  };
}

const BLOCK_REASONS = [
  'Lost phone reported to the service desk',
  'Suspected account compromise - repeated MFA prompts the user did not initiate',
  'Password spray from unknown IP range, blocking pending investigation',
  'Leaver - account to be disabled',
  'Phone stolen while travelling',
] as const;
const UNBLOCK_REASONS = [
  'New phone registered, identity verified by the service desk',
  'Investigation complete - false positive',
  'User returned from leave',
  'Password reset and sessions revoked; cleared by security team',
] as const;

/**
 * The special events of one UTC day, from their own stream: user-reported suspicious activity
 * (the three artefacts of each report), MFA-fatigue bursts, risky sign-ins with their detections,
 * security-info audits, and portal block/unblock requests. Pure function of (seed, users, day).
 */
function planDay(t: Tenant, day: number): DayPlan {
  const r = new Rng(hashSeed(t.seed, 'special', ymd(day)));
  const dayMs = day * DAY_MS;
  const plan: DayPlan = { signins: [], risks: [], audits: [], blocks: [] };
  const n = t.users.length;

  // 1. User-reported suspicious activity: one every third day for sure, more in larger tenants.
  const fraudHit = cadence(day, 3, t.offsets.fraud);
  const fraudCount = (fraudHit ? 1 : 0) + r.poisson(n * 0.0008);
  const cycle = Math.floor(day / 3);
  for (let j = 0; j < fraudCount; j++) {
    const guaranteed = fraudHit && j === 0;
    const u = r.pick(t.targets);
    const ms = dayMs + r.int(0, 86_400 - 1200) * 1000;
    const phrase = guaranteed ? (cycle % 2 === 0 ? D.fraudCode : D.fraudApp) : r.next() < 0.5 ? D.fraudCode : D.fraudApp;
    const o = phrase === D.fraudApp ? OC_FRAUD_APP : r.next() < 0.5 ? OC_FRAUD_CODE_VOICE : OC_FRAUD_CODE_PUSH;
    const activity = guaranteed ? FRAUD_AUDIT_CYCLE[cycle % 4]! : r.weighted(FRAUD_AUDIT_CYCLE.map((a, i) => [a, i === 0 ? 3 : 1] as const));
    const si = buildSignin(r, t, u, ms, o, attackerOverride(r, ATTACK_APPS.pick(r), null));
    plan.signins.push({ ms, rec: si });
    const detectedMs = ms + r.int(60, 420) * 1000;
    const updatedMs = detectedMs + r.int(5, 120) * 1000;
    plan.risks.push({
      ms: detectedMs,
      rec: {
        id: r.uuid().replace(/-/g, '') + r.uuid().replace(/-/g, '').slice(0, 32),
        requestId: si.id,
        correlationId: si.correlationId,
        riskEventType: 'userReportedSuspiciousActivity',
        riskState: 'atRisk',
        riskLevel: 'high',
        riskDetail: 'none',
        source: 'EndUserReported',
        detectionTimingType: 'offline',
        activity: 'user',
        tokenIssuerType: 'AzureAD',
        ipAddress: si.ipAddress,
        location: locationOf(si),
        activityDateTime: si.createdDateTime,
        detectedDateTime: isoSec(detectedMs),
        lastUpdatedDateTime: isoSec(updatedMs),
        userId: u.id,
        userDisplayName: u.displayName,
        userPrincipalName: u.upn,
        additionalInfo: JSON.stringify([
          { Key: 'userAgent', Value: si.userAgent },
          { Key: 'relatedEventTimeInUtc', Value: si.createdDateTime },
          { Key: 'riskReasons', Value: ['User reported the MFA prompt as suspicious'] },
        ]),
      },
    });
    const auditMs = ms + r.int(20, 150) * 1000;
    plan.audits.push({
      ms: auditMs,
      rec: audit(r.uuid(), auditMs, activity, activity === 'Suspicious activity reported' ? '' : 'Successfully reported fraud', si.correlationId, u, u, 'Update'),
    });
    if (activity === 'Fraud reported - user is blocked for MFA') {
      plan.blocks.push({
        ms: auditMs,
        rec: { upn: u.upn, action: 'block', reason: 'Fraud reported by the user: automatically blocked for 90 days', actor: 'Azure MFA fraud alert', occurredAt: new Date(auditMs) },
      });
    }
  }

  // 2. MFA fatigue: every eighth day a user gets 6–10 push prompts they never asked for within 10 minutes.
  if (cadence(day, 8, t.offsets.fatigue)) {
    const u = r.pick(t.targets);
    const prompts = r.int(6, 10);
    let ms = dayMs + r.int(0, 86_400 - 900) * 1000;
    const ov = attackerOverride(r, ATTACK_APPS.pick(r), null);
    const declineLast = r.next() < 0.5;
    for (let k = 0; k < prompts; k++) {
      const o = declineLast && k === prompts - 1 ? OC_FATIGUE_DECLINED : OC_FATIGUE_NO_RESPONSE;
      plan.signins.push({ ms, rec: buildSignin(r, t, u, ms, o, ov) });
      ms += r.int(30, 60) * 1000;
    }
  }

  // 3. Risky sign-ins unrelated to fraud: unfamiliar features every fifth day, anonymous IP every seventh.
  for (const [type, hit, level] of [
    ['unfamiliarFeatures', cadence(day, 5, t.offsets.unfamiliar), 'medium'],
    ['anonymizedIPAddress', cadence(day, 7, t.offsets.anonymized), 'medium'],
  ] as const) {
    if (!hit) continue;
    const u = r.pick(t.targets);
    const ms = dayMs + r.int(0, 86_399) * 1000;
    const risk = { level, state: 'remediated', detail: 'userPassedMFADrivenByRiskBasedPolicy', type };
    const ov = attackerOverride(r, r.next() < 0.5 ? APP_OFFICEHOME : APP_EXO, risk);
    const si = buildSignin(r, t, u, ms, OC_RISKY_COMPLETED, ov);
    plan.signins.push({ ms, rec: si });
    const detectedMs = ms + r.int(0, 30) * 1000;
    plan.risks.push({
      ms: detectedMs,
      rec: {
        id: r.uuid().replace(/-/g, '') + r.uuid().replace(/-/g, '').slice(0, 32),
        requestId: si.id,
        correlationId: si.correlationId,
        riskEventType: type,
        riskState: 'remediated',
        riskLevel: level,
        riskDetail: 'userPassedMFADrivenByRiskBasedPolicy',
        source: 'IdentityProtection',
        detectionTimingType: 'realtime',
        activity: 'signin',
        tokenIssuerType: 'AzureAD',
        ipAddress: si.ipAddress,
        location: locationOf(si),
        activityDateTime: si.createdDateTime,
        detectedDateTime: isoSec(detectedMs),
        lastUpdatedDateTime: isoSec(detectedMs + r.int(60, 600) * 1000),
        userId: u.id,
        userDisplayName: u.displayName,
        userPrincipalName: u.upn,
        additionalInfo: JSON.stringify([{ Key: 'userAgent', Value: si.userAgent }]),
      },
    });
  }

  // 4. Security-info audits (registration changes), a few a day.
  const auditCount = r.int(0, Math.max(1, Math.ceil(n / 100)));
  for (let k = 0; k < auditCount; k++) {
    const [activity, byAdmin, reason] = SECURITY_INFO_AUDITS.pick(r);
    const target = r.pick(t.pools[0]!.length > 0 ? t.pools[0]! : t.users);
    const initiator = byAdmin ? r.pick(t.admins) : target;
    const ms = dayMs + r.int(6 * 3600, 20 * 3600) * 1000;
    plan.audits.push({ ms, rec: audit(r.uuid(), ms, activity, reason, r.uuid(), initiator, target, activity.includes('deleted') ? 'Delete' : 'Add') });
  }

  // 5. Block/unblock requests in the portal (after MFA Server's retirement the blade still exists).
  if (cadence(day, 9, t.offsets.portalBlock)) {
    const u = r.pick(t.targets);
    const actor = r.pick(t.admins).upn;
    const ms = dayMs + r.int(8 * 3600, 18 * 3600) * 1000;
    plan.blocks.push({ ms, rec: { upn: u.upn, action: 'block', reason: r.pick(BLOCK_REASONS), actor, occurredAt: new Date(ms) } });
    if (r.next() < 0.6) {
      const ums = ms + r.int(1, 3) * DAY_MS + r.int(-3 * 3600, 3 * 3600) * 1000;
      plan.blocks.push({ ms: ums, rec: { upn: u.upn, action: 'unblock', reason: r.pick(UNBLOCK_REASONS), actor: r.pick(t.admins).upn, occurredAt: new Date(ums) } });
    }
  }

  plan.signins.sort((a, b) => a.ms - b.ms);
  return plan;
}

// ───────────────────────────── public API ─────────────────────────────

/** The tenant's users. Depends only on (seed, users); user i is the same in every larger tenant. */
export function demoUsers(opts: DemoUserOptions): DemoUser[] {
  const t = tenantFor(opts.seed, opts.users);
  return t.users.map((u) => ({
    id: u.id,
    upn: u.upn,
    displayName: u.displayName,
    userType: u.userType,
    isAdmin: u.isAdmin,
    city: u.city.name,
    country: u.city.country.code,
    homeIp: u.homeIp,
    registered: u.registered,
    methods: u.methods.slice(),
    defaultMethod: u.profile ? u.profile.defaultMethod : null,
    preferredAuthMethod: METHOD_CANONICAL[u.preferred],
  }));
}

/**
 * userRegistrationDetails records (v1.0 shape plus beta `defaultMfaMethod`). A snapshot: the only
 * time-dependent field is `lastUpdatedDateTime`, a fixed per-user date that is moved before `now`
 * when it would fall after it.
 */
export function demoRegistrationDetails(opts: DemoTenantOptions): GraphUserRegistrationDetails[] {
  const t = tenantFor(opts.seed, opts.users);
  const nowMs = opts.now.getTime();
  const todayStart = Math.floor(nowMs / DAY_MS) * DAY_MS;
  return t.users.map((u) => {
    const p = u.profile;
    const methods = u.methods.slice();
    const sspr = u.userType === 'member';
    const ssprRegistered = methods.includes('email') || methods.includes('mobilePhone') || methods.includes('microsoftAuthenticatorPush');
    const last = u.regAnchorMs <= nowMs ? u.regAnchorMs : todayStart - ((u.idx % 60) + 1) * DAY_MS + (u.regAnchorMs % DAY_MS);
    return {
      id: u.id,
      userPrincipalName: u.dirUpn,
      userDisplayName: u.displayName,
      userType: u.userType,
      isAdmin: u.isAdmin,
      isSsprRegistered: ssprRegistered,
      isSsprEnabled: sspr,
      isSsprCapable: sspr && ssprRegistered,
      isMfaRegistered: u.registered,
      isMfaCapable: u.mfaCapable,
      isPasswordlessCapable: methods.includes('fido2') || methods.includes('windowsHelloForBusiness'),
      methodsRegistered: methods,
      isSystemPreferredAuthenticationMethodEnabled: true,
      systemPreferredAuthenticationMethods: p ? p.system.slice() : [],
      userPreferredMethodForSecondaryAuthentication: p ? p.userPreferred : '',
      lastUpdatedDateTime: isoSec(last),
      defaultMfaMethod: p ? p.defaultMethod : 'none',
    };
  });
}

/**
 * Graph beta sign-in records, oldest day first and in time order within a day; only those with
 * createdDateTime <= now. Streams: nothing but one day's index arrays is held in memory.
 */
export function* demoSignins(opts: DemoTenantOptions): Generator<GraphSignIn, void, undefined> {
  const t = tenantFor(opts.seed, opts.users);
  const w = windowOf(opts);
  const perUser = opts.signinsPerUserPerDay ?? 4;
  if (!(perUser >= 0) || !Number.isFinite(perUser)) throw new RangeError(`signinsPerUserPerDay must be >= 0, got ${perUser}`);
  const nowMs = w.nowMs;
  const users = t.users;
  const nUsers = users.length;
  const TWO32 = 4294967296;

  for (let day = w.first; day <= w.last; day++) {
    const dayMs = day * DAY_MS;
    if (dayMs > nowMs) break;
    const r = new Rng(hashSeed(t.seed, 'signins', ymd(day)));
    const dow = new Date(dayMs).getUTCDay();
    const dowFactor = dow === 0 || dow === 6 ? 0.5 : 1.2;
    const n = Math.round(nUsers * perUser * dowFactor * (0.92 + 0.16 * r.next()));

    // Phase 1: who signs in and when (local business hours), plus the forced rare outcomes.
    const userIdx = new Int32Array(n);
    const forced = new Int16Array(n).fill(-1);
    const keys = new Float64Array(n);
    const coverage = COVERAGE_BY_DAY[((day % 3) + 3) % 3]!;
    const nForced = Math.min(n, coverage.length);
    for (let i = 0; i < n; i++) {
      let ui = -1;
      if (i < nForced) {
        const pool = t.pools[coverage[i]!.pool]!;
        if (pool.length > 0) {
          ui = pool[Math.floor(r.next() * pool.length)]!.idx;
          forced[i] = i;
        }
      }
      if (ui < 0) ui = t.alias.sample(r);
      userIdx[i] = ui;
      const local = HOUR_TABLE.pick(r) * 3600 + Math.floor(r.next() * 3600);
      let sec = local - users[ui]!.city.tz;
      if (sec < 0) sec += 86_400;
      else if (sec >= 86_400) sec -= 86_400;
      keys[i] = sec * TWO32 + i;
    }
    keys.sort();

    // Phase 2: build the records in time order, merging the day's special events.
    const specials = planDay(t, day).signins;
    let sp = 0;
    for (let k = 0; k < n; k++) {
      const key = keys[k]!;
      const sec = Math.floor(key / TWO32);
      const i = key - sec * TWO32;
      const ms = dayMs + sec * 1000;
      while (sp < specials.length && specials[sp]!.ms <= ms) {
        if (specials[sp]!.ms <= nowMs) yield specials[sp]!.rec;
        sp++;
      }
      if (ms > nowMs) break;
      const u = users[userIdx[i]!]!;
      const f = forced[i]!;
      const o = f >= 0 ? coverage[f]! : OUTCOME_TABLES[u.pool]!.pick(r);
      yield buildSignin(r, t, u, ms, o, null);
    }
    while (sp < specials.length) {
      if (specials[sp]!.ms <= nowMs) yield specials[sp]!.rec;
      sp++;
    }
  }
}

function collect<T>(opts: DemoTenantOptions, pick: (p: DayPlan) => Timed<T>[]): T[] {
  const t = tenantFor(opts.seed, opts.users);
  const w = windowOf(opts);
  const out: Timed<T>[] = [];
  for (let day = w.first; day <= w.last; day++) {
    for (const x of pick(planDay(t, day))) if (x.ms <= w.nowMs) out.push(x);
  }
  out.sort((a, b) => a.ms - b.ms);
  return out.map((x) => x.rec);
}

/** riskDetection records in the window: the user-reported ones of each fraud report plus unrelated realtime detections. */
export function demoRiskDetections(opts: DemoTenantOptions): GraphRiskDetection[] {
  return collect(opts, (p) => p.risks);
}

/** directoryAudit records in the window: fraud / suspicious-activity reports and security-info changes. */
export function demoDirectoryAudits(opts: DemoTenantOptions): GraphDirectoryAudit[] {
  return collect(opts, (p) => p.audits);
}

/**
 * Block/unblock history: a fixed legacy MFA Server history (2023-10 .. 2024-09, some users still
 * blocked), plus block requests in the window (portal requests every ninth day, and the automatic
 * blocks of fraud reports logged as "Fraud reported - user is blocked for MFA").
 */
export function demoBlockEvents(opts: DemoTenantOptions): DemoBlockEvent[] {
  const t = tenantFor(opts.seed, opts.users);
  const nowMs = opts.now.getTime();
  const r = new Rng(hashSeed(t.seed, 'legacy-block', t.users.length));
  const out: DemoBlockEvent[] = [];
  const from = Date.UTC(2023, 9, 1);
  const to = Date.UTC(2024, 8, 20);
  const count = Math.min(400, Math.max(6, Math.round(t.users.length * 0.04)));
  const pool = t.targets;
  for (let k = 0; k < count; k++) {
    const u = r.pick(pool);
    const ms = Math.floor((from + r.next() * (to - from)) / 1000) * 1000;
    out.push({ upn: u.upn, action: 'block', reason: r.pick(BLOCK_REASONS), actor: r.pick(t.admins).upn, occurredAt: new Date(ms) });
    // About two in three are unblocked again; the rest stay blocked (the 1st and 4th always do).
    if (k % 3 !== 0 && r.next() < 0.95) {
      const ums = ms + r.int(1, 30) * DAY_MS + r.int(0, 8 * 3600) * 1000;
      out.push({ upn: u.upn, action: 'unblock', reason: r.pick(UNBLOCK_REASONS), actor: r.pick(t.admins).upn, occurredAt: new Date(ums) });
    }
  }
  const recent = collect(opts, (p) => p.blocks);
  return [...out.filter((e) => e.occurredAt.getTime() <= nowMs), ...recent].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
}

const BYPASS_REASONS = [
  'Left phone at home, verified by manager over Teams',
  'New phone, Authenticator not yet restored',
  'Travelling without mobile signal',
  'Phone broken - replacement ordered',
  'Service account migration window',
] as const;

/**
 * One-time bypasses. A fixed legacy history (2023-06 .. 2024-09, all long expired) plus two that
 * are still valid at `now` — these two are placed relative to `now` (the start of now's hour, 1 h;
 * the start of now's 10-minute slot, 10 min), so a seed run in a later hour adds a new one.
 */
export function demoBypassEvents(opts: DemoTenantOptions): DemoBypassEvent[] {
  const t = tenantFor(opts.seed, opts.users);
  const nowMs = opts.now.getTime();
  const r = new Rng(hashSeed(t.seed, 'legacy-bypass', t.users.length));
  const out: DemoBypassEvent[] = [];
  const from = Date.UTC(2023, 5, 1);
  const to = Date.UTC(2024, 8, 25);
  const count = Math.min(300, Math.max(8, Math.round(t.users.length * 0.03)));
  const pool = t.targets;
  for (let k = 0; k < count; k++) {
    const ms = Math.floor((from + r.next() * (to - from)) / 1000) * 1000;
    if (ms > nowMs) continue;
    out.push({
      upn: r.pick(pool).upn,
      seconds: r.weighted([[300, 50], [600, 30], [3600, 20]] as const),
      reason: r.pick(BYPASS_REASONS),
      actor: r.pick(t.admins).upn,
      occurredAt: new Date(ms),
      replicationGroup: r.weighted([[null, 60], ['Default', 25], ['EU-Servers', 15]] as const),
    });
  }
  const ra = new Rng(hashSeed(t.seed, 'active-bypass', t.users.length));
  const hourStart = Math.floor(nowMs / 3_600_000) * 3_600_000;
  const slotStart = Math.floor(nowMs / 600_000) * 600_000;
  out.push({ upn: ra.pick(pool).upn, seconds: 3600, reason: 'Phone broken - replacement ordered', actor: ra.pick(t.admins).upn, occurredAt: new Date(hourStart), replicationGroup: null });
  out.push({ upn: ra.pick(pool).upn, seconds: 600, reason: 'Left phone at home, verified by manager over Teams', actor: ra.pick(t.admins).upn, occurredAt: new Date(slotStart), replicationGroup: 'Default' });
  return out.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
}

/**
 * On-premises hosts: two retired MFA Servers (last heard from just before 2024-09-30), the NPS
 * extension hosts and the AD FS host. Heartbeats are relative to `now`: nps01 and adfs01 talked
 * within the last few minutes, nps02 has been silent for a few hours.
 */
export function demoServers(opts: DemoTenantOptions): DemoServer[] {
  const nowMs = opts.now.getTime();
  const at = (ms: number): Date => new Date(Math.min(ms, nowMs));
  return [
    ...MFA_SERVERS.map((s) => ({ name: s.name, component: 'mfa_server' as const, version: s.version, state: 'Retired', ipAddress: s.ip, lastCommunicationAt: at(s.last) })),
    { name: NPS_SERVERS[0].name, component: 'nps', version: NPS_SERVERS[0].version, state: 'Online', ipAddress: NPS_SERVERS[0].ip, lastCommunicationAt: at(nowMs - 47_000) },
    { name: NPS_SERVERS[1].name, component: 'nps', version: NPS_SERVERS[1].version, state: 'Online', ipAddress: NPS_SERVERS[1].ip, lastCommunicationAt: at(nowMs - (3 * 3600 + 41 * 60 + 12) * 1000) },
    { name: ADFS_SERVER.name, component: 'adfs', version: ADFS_SERVER.version, state: 'Online', ipAddress: ADFS_SERVER.ip, lastCommunicationAt: at(nowMs - 132_000) },
  ];
}

const CALL_RESULT_TABLE = new WeightedTable<readonly [string, string, boolean]>(
  MFA_SERVER_CALL_RESULTS.map((c) => {
    const w: Record<string, number> = {
      SUCCESS_PHONE_APP_AUTHENTICATED: 450,
      SUCCESS_NO_PIN: 120,
      SUCCESS_SMS_AUTHENTICATED: 90,
      SUCCESS_USED_CACHE: 60,
      SUCCESS_WITH_PIN: 40,
      SUCCESS_OATH_CODE_VERIFIED: 40,
      SUCCESS_USED_IP_BASED_CACHE: 20,
      FAILED_PHONE_APP_NO_RESPONSE: 20,
      FAILED_PHONE_APP_DENIED: 12,
      SUCCESS_NO_PIN_BUT_TIMEOUT: 10,
      SUCCESS_SMS_SENT: 10,
    };
    return [c, w[c[0]] ?? 2] as const;
  }),
);

/**
 * Legacy MFA Server activity-report rows (2024-07-01 .. 2024-09-29, before the retirement), one
 * of each Call Result code first, then a realistic mix. Fixed: depends on (seed, users) only.
 */
export function demoOnpremActivity(opts: DemoTenantOptions): DemoOnpremActivity[] {
  const t = tenantFor(opts.seed, opts.users);
  const nowMs = opts.now.getTime();
  const r = new Rng(hashSeed(t.seed, 'mfa-server-activity', t.users.length));
  const from = Date.UTC(2024, 6, 1);
  const to = Date.UTC(2024, 8, 29, 23, 59, 59);
  const count = Math.min(20_000, Math.max(MFA_SERVER_CALL_RESULTS.length + 40, t.users.length * 3));
  const pool = t.pools[0]!.length > 0 ? t.pools[0]! : t.users;
  const out: DemoOnpremActivity[] = [];
  for (let k = 0; k < count; k++) {
    const [code, description, ok] = k < MFA_SERVER_CALL_RESULTS.length ? MFA_SERVER_CALL_RESULTS[k]! : CALL_RESULT_TABLE.pick(r);
    const ms = Math.floor((from + r.next() * (to - from)) / 1000) * 1000;
    const server = r.next() < 0.6 ? MFA_SERVERS[0].name : MFA_SERVERS[1].name;
    const u = r.pick(pool);
    if (ms > nowMs) continue;
    out.push({ occurredAt: new Date(ms), component: 'mfa_server', server, upn: u.upn, callResult: code, succeeded: ok, detail: description });
  }
  return out.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
}
