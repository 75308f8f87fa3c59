import { describe, expect, it } from 'vitest';
import {
  classifyResultDetail,
  describeResultCode,
  DERIVED_RESULT_CODES,
  foldText,
  KNOWN_METHODS,
  normaliseMethod,
  RESULT_VOCABULARY,
} from '../../src/ingest/mfa-vocabulary.js';
import { scrubPhoneNumbers } from '../../src/ingest/scrub.js';

describe('foldText', () => {
  it('folds case, apostrophes, contractions, spelling and whitespace', () => {
    expect(foldText('  MFA denied;  user didn’t   respond ')).toBe('mfa denied; user did not respond');
    expect(foldText("User doesn't have any")).toBe('user does not have any');
    expect(foldText('Multifactor authentication')).toBe('multi-factor authentication');
    expect(foldText('Multi factor authentication')).toBe('multi-factor authentication');
    expect(foldText('Multi-Factor Authentication')).toBe('multi-factor authentication');
    expect(foldText('Authentication in-progress')).toBe('authentication in progress');
    expect(foldText('unable to reach the user’s phone')).toBe("unable to reach the user's phone");
  });
});

// Every documented portal phrase (graph-data.md §3.4, S12/S13), plus the Microsoft-authored and
// community-observed runtime strings, with the code and outcome it must classify to.
const SATISFIED: [string, string][] = [
  ['completed in the cloud', 'completed_in_cloud'],
  ['MFA completed in Azure AD', 'completed_in_cloud'],
  ['has expired due to the policies configured on tenant', 'expired_by_policy'],
  ['registration prompted', 'registration_prompted'],
  ['satisfied by claim in the token', 'satisfied_by_claim'],
  ['MFA requirement satisfied by claim in the token', 'satisfied_by_claim'],
  ['First factor requirement satisfied by claim in the token', 'satisfied_first_factor_by_claim'],
  ['claim in token', 'satisfied_by_claim'],
  ['satisfied by claim provided by external provider', 'satisfied_by_claim_external'],
  ['MFA requirement satisfied by claim provided by external provider', 'satisfied_by_claim_external'],
  ['satisfied by strong authentication', 'satisfied_strong_auth'],
  ['skipped as flow exercised was Windows broker logon flow', 'skipped_broker_logon'],
  ['skipped due to app password', 'skipped_app_password'],
  ['skipped due to location', 'skipped_location'],
  ['MFA skipped due to location', 'skipped_location'],
  ['skipped due to registered device', 'skipped_registered_device'],
  ['skipped due to remembered device', 'skipped_remembered_device'],
  ['successfully completed', 'completed'],
  ['MFA successfully completed', 'completed'],
  ['Redirected to external provider for multi-factor authentication', 'redirected_external_provider'],
  ['Redirected to external provider for multifactor authentication', 'redirected_external_provider'],
  ['MFA requirement satisfied by multi-factor device', 'satisfied_by_device'],
  ['MFA requirement satisfied by multifactor device', 'satisfied_by_device'],
];

const DENIED: [string, string][] = [
  ['authentication in-progress', 'denied_in_progress'],
  ['Authentication in progress', 'denied_in_progress'],
  ['duplicate authentication attempt', 'denied_duplicate_attempt'],
  ['MFA denied; duplicate authentication attempt', 'denied_duplicate_attempt'],
  ['entered incorrect code too many times', 'denied_too_many_incorrect_codes'],
  ['invalid authentication', 'denied_invalid_authentication'],
  ['invalid mobile app verification code', 'denied_invalid_app_code'],
  ['misconfiguration', 'denied_misconfiguration'],
  ['phone call went to voicemail', 'denied_voicemail'],
  ['phone number has an invalid format', 'denied_invalid_phone_format'],
  ['service error', 'denied_service_error'],
  ["unable to reach the user's phone", 'denied_phone_unreachable'],
  ['unable to reach the user’s phone', 'denied_phone_unreachable'],
  ['phone unreachable', 'denied_phone_unreachable'],
  ['unable to send the mobile app notification to the device', 'denied_app_notification_failed'],
  ['unable to send the mobile app notification', 'denied_app_notification_failed'],
  ['user declined the authentication', 'denied_user_declined'],
  ['MFA Denied; user declined the authentication', 'denied_user_declined'],
  ['MFA denied; user declined the authentication', 'denied_user_declined'],
  ['user did not respond to mobile app notification', 'denied_no_response'],
  ["user didn't respond to mobile app notification", 'denied_no_response'],
  ['MFA denied; user did not respond to mobile app notification', 'denied_no_response'],
  ['user does not have any verification methods registered', 'denied_no_methods_registered'],
  ["user doesn't have any verification methods registered", 'denied_no_methods_registered'],
  ['user entered incorrect code', 'denied_incorrect_code'],
  ['user entered incorrect PIN', 'denied_incorrect_pin'],
  ['user hung up the phone call without succeeding the authentication', 'denied_user_hung_up'],
  ['user is blocked', 'denied_user_blocked'],
  ['user never entered the verification code', 'denied_code_not_entered'],
  ['user not found', 'denied_user_not_found'],
  ['verification code already used once', 'denied_code_reused'],
  ['fraud code entered', 'denied_fraud_reported'],
  ['MFA denied, Fraud Code Entered', 'denied_fraud_reported'],
  ['MFA denied, fraud code entered', 'denied_fraud_reported'],
  ['MFA denied; Phone App Reported Fraud', 'denied_fraud_reported'],
  ['Fraud reported - user is blocked for MFA', 'denied_fraud_reported'],
  ['no phone input - timed out', 'denied_no_phone_input'],
  // The 2019 portal prefix.
  ['Azure Multi-Factor Authentication denied; phone call went to voicemail', 'denied_voicemail'],
  ['Azure Multi-Factor Authentication denied; user entered incorrect code too many times', 'denied_too_many_incorrect_codes'],
];

describe('classifyResultDetail', () => {
  it.each(SATISFIED)('%s → %s (satisfied)', (detail, code) => {
    const c = classifyResultDetail(detail);
    expect(c.code).toBe(code);
    expect(c.outcome).toBe('satisfied');
    expect(c.advice).toBeNull();
    expect(c.words.length).toBeGreaterThan(0);
  });

  it.each(DENIED)('%s → %s (denied)', (detail, code) => {
    const c = classifyResultDetail(detail);
    expect(c.code).toBe(code);
    expect(c.outcome).toBe('denied');
    expect(c.advice).toEqual(expect.any(String));
  });

  it('is case-insensitive', () => {
    for (const [detail, code] of [...SATISFIED, ...DENIED]) {
      expect(classifyResultDetail(detail.toUpperCase()).code).toBe(code);
    }
  });

  it('gives the wording and advice an admin reads', () => {
    expect(classifyResultDetail('skipped due to location').words).toBe('Skipped: trusted location');
    const voicemail = classifyResultDetail('phone call went to voicemail');
    expect(voicemail.words).toBe('Denied: the call went to voicemail');
    expect(voicemail.advice).toBe("Check the user's phone number and carrier; suggest the Authenticator app");
    expect(classifyResultDetail('user does not have any verification methods registered').advice).toBe(
      'Run a registration campaign for this user',
    );
    expect(classifyResultDetail('MFA denied; Phone App Reported Fraud').advice).toMatch(
      /^Treat as a possible compromise: reset the password, review sign-ins/,
    );
  });

  it('keeps the specific phrase ahead of the general one', () => {
    expect(classifyResultDetail('user entered incorrect code too many times').code).toBe(
      'denied_too_many_incorrect_codes',
    );
    expect(classifyResultDetail('Invalid mobile app verification code').code).toBe('denied_invalid_app_code');
    expect(classifyResultDetail('First factor requirement satisfied by claim in the token').code).toBe(
      'satisfied_first_factor_by_claim',
    );
  });

  it('does not mistake non-MFA texts that share a word', () => {
    expect(classifyResultDetail('User declined to consent to access the app.').code).toBe('other');
    expect(classifyResultDetail('Access is blocked by Conditional Access policies').code).toBe('other');
  });

  it('returns other for unknown text and none for nothing', () => {
    expect(classifyResultDetail('MFA required in Azure AD')).toMatchObject({ code: 'other', outcome: null });
    expect(classifyResultDetail('Correct password')).toMatchObject({ code: 'other', outcome: null });
    expect(classifyResultDetail('something new from Microsoft')).toMatchObject({ code: 'other', outcome: null });
    expect(classifyResultDetail('')).toMatchObject({ code: 'none', outcome: null });
    expect(classifyResultDetail('   ')).toMatchObject({ code: 'none', outcome: null });
    expect(classifyResultDetail(null)).toMatchObject({ code: 'none', outcome: null });
    expect(classifyResultDetail(undefined)).toMatchObject({ code: 'none', outcome: null });
  });
});

describe('RESULT_VOCABULARY', () => {
  it('has unique, prefixed snake_case codes', () => {
    const codes = RESULT_VOCABULARY.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const e of RESULT_VOCABULARY) {
      expect(e.code).toMatch(/^[a-z][a-z0-9_]*$/);
      if (e.outcome === 'denied') {
        expect(e.code).toMatch(/^denied_/);
        expect(e.advice).toEqual(expect.any(String));
      } else {
        expect(e.code).not.toMatch(/^denied_/);
        expect(e.advice).toBeNull();
      }
    }
  });

  it('classifies each of its own phrases to itself (no phrase is shadowed)', () => {
    for (const e of RESULT_VOCABULARY) {
      for (const p of e.phrases) expect(classifyResultDetail(p).code, p).toBe(e.code);
    }
  });

  it('is covered by the documented-phrase tables above', () => {
    const tested = new Set([...SATISFIED, ...DENIED].map(([, code]) => code));
    for (const e of RESULT_VOCABULARY) expect(tested.has(e.code), e.code).toBe(true);
  });

  it('never contains a phone number in its wording', () => {
    for (const e of RESULT_VOCABULARY) {
      const text = `${e.words} ${e.advice ?? ''}`;
      expect(scrubPhoneNumbers(text)).toBe(text);
    }
  });
});

describe('describeResultCode', () => {
  it('explains vocabulary codes', () => {
    expect(describeResultCode('denied_voicemail')).toEqual({
      words: 'Denied: the call went to voicemail',
      advice: "Check the user's phone number and carrier; suggest the Authenticator app",
      outcome: 'denied',
    });
    expect(describeResultCode('skipped_location')).toMatchObject({ outcome: 'satisfied', advice: null });
  });

  it('explains derived codes', () => {
    for (const code of Object.keys(DERIVED_RESULT_CODES)) {
      expect(describeResultCode(code).words.length, code).toBeGreaterThan(0);
    }
    expect(describeResultCode('other').outcome).toBeNull();
    expect(describeResultCode('none').outcome).toBeNull();
    expect(describeResultCode('satisfied_other').outcome).toBe('satisfied');
    expect(describeResultCode('denied_mfa_failed').outcome).toBe('denied');
    expect(describeResultCode('denied_external_challenge').outcome).toBe('denied');
    expect(describeResultCode('interrupted_mfa_required').outcome).toBe('interrupted');
    expect(describeResultCode('interrupted_registration_required').advice).toBe(
      'Run a registration campaign for this user',
    );
    expect(describeResultCode('not_reached').outcome).toBe('not_reached');
  });

  it('echoes an unknown code', () => {
    expect(describeResultCode('made_up')).toEqual({ words: 'made_up', advice: null, outcome: null });
  });
});

describe('normaliseMethod', () => {
  it.each([
    ['Text message', 'Text message'],
    ['SMS', 'Text message'],
    ['sms', 'Text message'],
    ['Mobile app notification', 'Mobile app notification'],
    ['Authenticator App', 'Mobile app notification'],
    ['Microsoft Authenticator', 'Mobile app notification'],
    ['Notification through mobile app', 'Mobile app notification'],
    ['OATH verification code', 'Mobile app verification code'],
    ['Software OATH token', 'Mobile app verification code'],
    ['Hardware OATH token', 'Mobile app verification code'],
    ['Mobile app verification code', 'Mobile app verification code'],
    ['App Verification code', 'Mobile app verification code'],
    ['Verification code from mobile app', 'Mobile app verification code'],
    ['Phone call', 'Phone call (Authentication phone)'],
    ['Voice', 'Phone call (Authentication phone)'],
    ['Phone call (Authentication phone)', 'Phone call (Authentication phone)'],
    ['Phone call (Office phone)', 'Phone call (Office phone)'],
    ['Phone call (Alternate authentication phone)', 'Phone call (Alternate authentication phone)'],
    ['Previously satisfied', 'Previously satisfied'],
    ['Satisfied by token', 'Previously satisfied'],
    ['FIDO2 security key', 'FIDO2 security key'],
    ['FIDO', 'FIDO2 security key'],
    ['FIDO2', 'FIDO2 security key'],
    ['Windows Hello for Business', 'Windows Hello for Business'],
    ['X.509 Certificate', 'X.509 Certificate'],
    ['Certificate-based authentication', 'X.509 Certificate'],
    ['Other', 'Other'],
    ['  text   MESSAGE ', 'Text message'],
    ['PHONE CALL (OFFICE PHONE)', 'Phone call (Office phone)'],
  ])('%s → %s', (raw, canonical) => {
    expect(normaliseMethod(raw)).toBe(canonical);
  });

  it('passes unknown values through trimmed', () => {
    expect(normaliseMethod('  Password ')).toBe('Password');
    expect(normaliseMethod('Temporary Access Pass')).toBe('Temporary Access Pass');
    expect(normaliseMethod('Passkey (device-bound)')).toBe('Passkey (device-bound)');
  });

  it('maps nothing to null', () => {
    expect(normaliseMethod(null)).toBeNull();
    expect(normaliseMethod(undefined)).toBeNull();
    expect(normaliseMethod('  ')).toBeNull();
  });

  it('canonical names are fixed points', () => {
    for (const m of KNOWN_METHODS) expect(normaliseMethod(m)).toBe(m);
  });
});
