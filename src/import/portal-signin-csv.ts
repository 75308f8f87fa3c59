// The Entra portal's sign-in log download (CSV) → a Graph-shaped sign-in, which then takes the
// same road as everything else (graphSignInSchema, ingestSignins). The portal writes human column
// headers that drift between versions; each field below lists the headers accepted for it
// (compared ignoring case, spaces, hyphens and punctuation, see csv-columns.ts):
//
//   id                    Request ID | ID | Sign-in ID                         (required)
//   createdDateTime       Date (UTC) | Date | Created date time | Date time      (required; export-dates.ts)
//   correlationId         Correlation ID;   userAgent   User agent
//   userId                User ID | User object ID
//   userDisplayName       User | User display name
//   userPrincipalName     Username | User principal name | UPN | Sign-in name
//   userType, crossTenantAccessType, incomingTokenType, authenticationProtocol,
//   uniqueTokenIdentifier, originalTransferMethod, clientCredentialType, signInIdentifier,
//   sessionId, tokenIssuerName    the portal's header for each ("User type", "Cross tenant access type", …)
//   signInTokenProtectionStatus   Token Protection - Sign In Session
//   appDisplayName / appId        Application / Application ID
//   resourceDisplayName / resourceId / resourceTenantId / homeTenantId    Resource / Resource ID / …
//   ipAddress             IP address
//   ipAddressFromResourceProvider IP address (seen by resource)
//   location              Location ("City, State, CC"), or City / State / Country columns
//   status.errorCode      Sign-in error code | Error code; blank means 0 when Status is Success
//   status.failureReason  Failure reason;  status.additionalDetails  Additional details
//   clientAppUsed         Client app
//   deviceDetail          Device ID, Browser, Operating System, Compliant, Managed, Join Type
//   authenticationRequirement  Authentication requirement ("Multifactor authentication" →
//                         multiFactorAuthentication, "Single-factor authentication" → singleFactorAuthentication)
//   the MFA step          Multifactor authentication result / auth method / auth detail
//   conditionalAccessStatus  Conditional Access ("Success", "Failure", "Not Applied")
//   tokenIssuerType       Token issuer type ("NPS Extension" → NPSExtension)
//   isThroughGlobalSecureAccess, globalSecureAccessIpAddress, autonomousSystemNumber,
//   flaggedForReview, processingTimeInMilliseconds (Latency), isInteractive (Is interactive)
import { classifyResultDetail } from '../ingest/mfa-vocabulary.js';
import { CsvColumns, type ColumnAliases } from './csv-columns.js';
import { parseExportDate } from './export-dates.js';

const PORTAL_COLUMNS = {
  id: ['Request ID', 'ID', 'Sign-in ID'],
  createdDateTime: ['Date (UTC)', 'Date', 'Created date time', 'Created date time (UTC)', 'Date time'],
  userAgent: ['User agent'],
  correlationId: ['Correlation ID'],
  userId: ['User ID', 'User object ID'],
  userDisplayName: ['User', 'User display name'],
  userPrincipalName: ['Username', 'User principal name', 'UPN', 'Sign-in name'],
  userType: ['User type'],
  crossTenantAccessType: ['Cross tenant access type'],
  incomingTokenType: ['Incoming token type'],
  authenticationProtocol: ['Authentication Protocol'],
  uniqueTokenIdentifier: ['Unique token identifier'],
  originalTransferMethod: ['Original transfer method'],
  clientCredentialType: ['Client credential type'],
  signInTokenProtectionStatus: ['Token Protection - Sign In Session'],
  appDisplayName: ['Application', 'Application name'],
  appId: ['Application ID', 'App ID'],
  resourceDisplayName: ['Resource', 'Resource name'],
  resourceId: ['Resource ID'],
  resourceTenantId: ['Resource tenant ID'],
  homeTenantId: ['Home tenant ID'],
  ipAddress: ['IP address'],
  ipAddressFromResourceProvider: ['IP address (seen by resource)'],
  location: ['Location'],
  city: ['City'],
  state: ['State', 'State/Province'],
  countryOrRegion: ['Country', 'Country/Region', 'Country or region'],
  status: ['Status', 'Sign-in status'],
  errorCode: ['Sign-in error code', 'Error code'],
  failureReason: ['Failure reason'],
  additionalDetails: ['Additional details'],
  clientAppUsed: ['Client app', 'Client app used'],
  deviceId: ['Device ID'],
  deviceName: ['Device name'],
  browser: ['Browser'],
  operatingSystem: ['Operating System'],
  isCompliant: ['Compliant'],
  isManaged: ['Managed'],
  trustType: ['Join Type'],
  mfaResult: ['Multifactor authentication result', 'MFA result'],
  mfaMethod: ['Multifactor authentication auth method', 'Multifactor authentication method', 'MFA auth method'],
  mfaDetail: ['Multifactor authentication auth detail', 'Multifactor authentication detail', 'MFA auth detail'],
  authenticationRequirement: ['Authentication requirement'],
  signInIdentifier: ['Sign-in identifier'],
  sessionId: ['Session ID'],
  isThroughGlobalSecureAccess: ['Through Global Secure Access'],
  globalSecureAccessIpAddress: ['Global Secure Access IP address'],
  autonomousSystemNumber: ['Autonomous system number'],
  flaggedForReview: ['Flagged for review'],
  tokenIssuerType: ['Token issuer type'],
  tokenIssuerName: ['Token issuer name'],
  latency: ['Latency'],
  conditionalAccessStatus: ['Conditional Access', 'Conditional Access status'],
  isInteractive: ['Is interactive'],
} as const satisfies ColumnAliases<string>;

export type PortalField = keyof typeof PORTAL_COLUMNS;
export type PortalColumns = CsvColumns<PortalField>;

/** The header row's columns, when it is the portal's sign-in download; null otherwise. */
export function portalSigninColumns(headers: readonly string[]): PortalColumns | null {
  const columns = new CsvColumns(headers, PORTAL_COLUMNS);
  if (!columns.has('id') || !columns.has('createdDateTime')) return null;
  // An id and a date alone could be anything; these say "sign-in log".
  const signinish = (['userPrincipalName', 'appDisplayName', 'errorCode', 'correlationId', 'ipAddress'] as const).filter((f) => columns.has(f));
  return signinish.length >= 2 ? columns : null;
}

type RowResult = { ok: true; record: Record<string, unknown> } | { ok: false; reason: string };

/** One CSV row → a Graph beta-shaped sign-in (not yet validated: graphSignInSchema does that). */
export function portalRowToSignin(columns: PortalColumns, row: readonly string[]): RowResult {
  const get = (field: PortalField) => columns.get(row, field);
  const id = get('id');
  if (!id) return { ok: false, reason: 'no Request ID' };
  const dateText = get('createdDateTime');
  const created = parseExportDate(dateText);
  if (!created) return { ok: false, reason: dateText ? `unparsable date "${dateText}"` : 'no Date (UTC)' };
  const createdDateTime = created.toISOString();

  const errorCode = signinErrorCode(get('errorCode'), get('status'));
  if (typeof errorCode === 'string') return { ok: false, reason: errorCode };

  const record: Record<string, unknown> = {
    id,
    createdDateTime,
    correlationId: get('correlationId'),
    userAgent: get('userAgent'),
    userId: get('userId'),
    userDisplayName: get('userDisplayName'),
    userPrincipalName: get('userPrincipalName'),
    userType: get('userType'),
    crossTenantAccessType: get('crossTenantAccessType'),
    incomingTokenType: get('incomingTokenType'),
    authenticationProtocol: get('authenticationProtocol'),
    uniqueTokenIdentifier: get('uniqueTokenIdentifier'),
    originalTransferMethod: get('originalTransferMethod'),
    clientCredentialType: get('clientCredentialType'),
    signInTokenProtectionStatus: get('signInTokenProtectionStatus'),
    appDisplayName: get('appDisplayName'),
    appId: get('appId'),
    resourceDisplayName: get('resourceDisplayName'),
    resourceId: get('resourceId'),
    resourceTenantId: get('resourceTenantId'),
    homeTenantId: get('homeTenantId'),
    ipAddress: get('ipAddress'),
    ipAddressFromResourceProvider: get('ipAddressFromResourceProvider'),
    location: location(get('location'), get('city'), get('state'), get('countryOrRegion')),
    status: { errorCode, failureReason: get('failureReason'), additionalDetails: get('additionalDetails') },
    clientAppUsed: get('clientAppUsed'),
    deviceDetail: {
      deviceId: get('deviceId'),
      displayName: get('deviceName'),
      browser: get('browser'),
      operatingSystem: get('operatingSystem'),
      isCompliant: yesNo(get('isCompliant')),
      isManaged: yesNo(get('isManaged')),
      trustType: get('trustType'),
    },
    authenticationRequirement: authenticationRequirement(get('authenticationRequirement')),
    signInIdentifier: get('signInIdentifier'),
    sessionId: get('sessionId'),
    isThroughGlobalSecureAccess: yesNo(get('isThroughGlobalSecureAccess')),
    globalSecureAccessIpAddress: get('globalSecureAccessIpAddress'),
    autonomousSystemNumber: wholeNumber(get('autonomousSystemNumber')),
    flaggedForReview: yesNo(get('flaggedForReview')),
    tokenIssuerType: get('tokenIssuerType')?.replace(/\s+/g, '') ?? null,
    tokenIssuerName: get('tokenIssuerName'),
    processingTimeInMilliseconds: wholeNumber(get('latency')),
    conditionalAccessStatus: conditionalAccessStatus(get('conditionalAccessStatus')),
    isInteractive: yesNo(get('isInteractive')),
  };
  const step = mfaStep(get('mfaResult'), get('mfaMethod'), get('mfaDetail'), errorCode, createdDateTime);
  if (step) record.authenticationDetails = [step];
  return { ok: true, record };
}

/** The error code, 0 for a blank one on a successful sign-in, or why the row is unusable. */
function signinErrorCode(code: string | null, status: string | null): number | string {
  if (code) {
    return /^-?\d+$/.test(code) ? Number(code) : `Sign-in error code "${code}" is not a number`;
  }
  if (!status || /^success/i.test(status)) return 0;
  // A failed or interrupted sign-in without its code would be counted as a success.
  return `Status is "${status}" but the Sign-in error code is blank`;
}

/**
 * The MFA columns describe the MFA step. Whether it succeeded: what the result text says when
 * it is in the documented vocabulary ("MFA successfully completed", "MFA denied; …"), since a
 * sign-in can complete MFA and still fail afterwards (53003, blocked by Conditional Access);
 * otherwise whether the sign-in succeeded (error code 0).
 */
function mfaStep(result: string | null, method: string | null, detail: string | null, errorCode: number, at: string): Record<string, unknown> | null {
  if (!result && !method && !detail) return null;
  const said = result ? classifyResultDetail(result).outcome : null;
  return {
    authenticationStepDateTime: at,
    authenticationStepRequirement: 'Multifactor authentication',
    authenticationMethod: method,
    authenticationMethodDetail: detail,
    succeeded: said === 'satisfied' ? true : said === 'denied' ? false : errorCode === 0,
    authenticationStepResultDetail: result,
  };
}

function authenticationRequirement(text: string | null): string | null {
  if (!text) return null;
  const key = text.toLowerCase().replace(/[^a-z]/g, '');
  if (key === 'multifactorauthentication') return 'multiFactorAuthentication';
  if (key === 'singlefactorauthentication') return 'singleFactorAuthentication';
  return text;
}

function conditionalAccessStatus(text: string | null): string | null {
  if (!text) return null;
  const key = text.toLowerCase().replace(/[^a-z]/g, '');
  return ({ success: 'success', failure: 'failure', notapplied: 'notApplied' } as Record<string, string>)[key] ?? text;
}

/** "Redmond, Washington, US" → city, state, 2-letter country; separate columns win. */
function location(text: string | null, city: string | null, state: string | null, country: string | null): Record<string, string | null> | null {
  const parts = (text ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const fromCountry = parts.length > 0 && /^[A-Za-z]{2}$/.test(parts[parts.length - 1]!) ? parts.pop()!.toUpperCase() : null;
  const fromCity = parts.shift() ?? null;
  const fromState = parts.length > 0 ? parts.join(', ') : null;
  const out = { city: city ?? fromCity, state: state ?? fromState, countryOrRegion: country ?? fromCountry };
  return out.city || out.state || out.countryOrRegion ? out : null;
}

function yesNo(text: string | null): boolean | null {
  if (!text) return null;
  const t = text.toLowerCase();
  if (t === 'true' || t === 'yes') return true;
  if (t === 'false' || t === 'no') return false;
  return null;
}

function wholeNumber(text: string | null): number | null {
  const m = text ? /^(\d+)(?:\s*ms)?$/i.exec(text) : null;
  return m ? Number(m[1]) : null;
}
