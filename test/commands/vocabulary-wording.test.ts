// Every documented MFA result and method, as a tenant logs it, through the real path: a sign-in
// stored by the ingest, then `/mfa signin <id>` as a signed request. The reply must carry the
// classified code and the plain words the vocabulary gives it, and the normalised method name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResultCode } from '../../src/ingest/mfa-vocabulary.js';
import { DENIED_RESULT_DETAILS, SATISFIED_RESULT_DETAILS } from '../../src/seed/demo-tenant.js';
import { loadSignins, type SigninSpec } from '../support/graph-records.js';
import { replyText } from '../support/reply-text.js';
import { startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const NOW = new Date('2026-11-27T12:00:00Z');

// [logged detail, expected code]: the portal's documented vocabulary (graph-data.md §3.4).
const SATISFIED: Array<[string, string]> = [
  [SATISFIED_RESULT_DETAILS.completed, 'completed'],
  [SATISFIED_RESULT_DETAILS.completedInCloud, 'completed_in_cloud'],
  [SATISFIED_RESULT_DETAILS.claimInToken, 'satisfied_by_claim'],
  [SATISFIED_RESULT_DETAILS.claimExternal, 'satisfied_by_claim_external'],
  [SATISFIED_RESULT_DETAILS.strongAuth, 'satisfied_strong_auth'],
  [SATISFIED_RESULT_DETAILS.expired, 'expired_by_policy'],
  [SATISFIED_RESULT_DETAILS.registrationPrompted, 'registration_prompted'],
  [SATISFIED_RESULT_DETAILS.brokerFlow, 'skipped_broker_logon'],
  [SATISFIED_RESULT_DETAILS.appPassword, 'skipped_app_password'],
  [SATISFIED_RESULT_DETAILS.location, 'skipped_location'],
  [SATISFIED_RESULT_DETAILS.registeredDevice, 'skipped_registered_device'],
  [SATISFIED_RESULT_DETAILS.rememberedDevice, 'skipped_remembered_device'],
  [SATISFIED_RESULT_DETAILS.redirectedExternal, 'redirected_external_provider'],
];
const DENIED: Array<[string, string]> = [
  [DENIED_RESULT_DETAILS.inProgressHyphen, 'denied_in_progress'],
  [DENIED_RESULT_DETAILS.duplicate, 'denied_duplicate_attempt'],
  [DENIED_RESULT_DETAILS.incorrectCodeTooMany, 'denied_too_many_incorrect_codes'],
  [DENIED_RESULT_DETAILS.invalidAuthentication, 'denied_invalid_authentication'],
  [DENIED_RESULT_DETAILS.invalidAppCode, 'denied_invalid_app_code'],
  [DENIED_RESULT_DETAILS.misconfiguration, 'denied_misconfiguration'],
  [DENIED_RESULT_DETAILS.voicemail, 'denied_voicemail'],
  [DENIED_RESULT_DETAILS.invalidPhoneFormat, 'denied_invalid_phone_format'],
  [DENIED_RESULT_DETAILS.serviceError, 'denied_service_error'],
  [DENIED_RESULT_DETAILS.unreachable, 'denied_phone_unreachable'],
  [DENIED_RESULT_DETAILS.cannotSendToDevice, 'denied_app_notification_failed'],
  [DENIED_RESULT_DETAILS.declinedCapitalised, 'denied_user_declined'],
  [DENIED_RESULT_DETAILS.noResponseContracted, 'denied_no_response'],
  [DENIED_RESULT_DETAILS.noMethodsContracted, 'denied_no_methods_registered'],
  [DENIED_RESULT_DETAILS.incorrectCode, 'denied_incorrect_code'],
  [DENIED_RESULT_DETAILS.incorrectPin, 'denied_incorrect_pin'],
  [DENIED_RESULT_DETAILS.hungUp, 'denied_user_hung_up'],
  [DENIED_RESULT_DETAILS.blocked, 'denied_user_blocked'],
  [DENIED_RESULT_DETAILS.neverEntered, 'denied_code_not_entered'],
  ['MFA denied; user not found', 'denied_user_not_found'],
  ['MFA denied; verification code already used once', 'denied_code_reused'],
  ['MFA denied, Fraud Code Entered', 'denied_fraud_reported'],
  ['MFA denied; Phone App Reported Fraud', 'denied_fraud_reported'],
];
// [logged method, normalised name]: §3.4 and the alias table of §9.
const METHODS: Array<[string, string]> = [
  ['SMS', 'Text message'],
  ['Text message', 'Text message'],
  ['Authenticator App', 'Mobile app notification'],
  ['Mobile app notification', 'Mobile app notification'],
  ['Voice', 'Phone call (Authentication phone)'],
  ['Phone call (Office phone)', 'Phone call (Office phone)'],
  ['Phone call (Alternate authentication phone)', 'Phone call (Alternate authentication phone)'],
  ['Software OATH token', 'Mobile app verification code'],
  ['OATH verification code', 'Mobile app verification code'],
  ['Previously satisfied', 'Previously satisfied'],
  ['FIDO2 security key', 'FIDO2 security key'],
  ['Windows Hello for Business', 'Windows Hello for Business'],
  ['X.509 Certificate', 'X.509 Certificate'],
];

const at = (i: number) => new Date(NOW.getTime() - (i + 1) * 60_000);
const SPECS: SigninSpec[] = [
  ...SATISFIED.map(([detail], i) => ({ id: `ok-${i}`, at: at(i), upn: 'ann@contoso.com', mfa: { method: 'Mobile app notification', succeeded: true, detail } })),
  ...DENIED.map(([detail], i) => ({
    id: `no-${i}`,
    at: at(100 + i),
    upn: 'ben@contoso.com',
    errorCode: 500121,
    mfa: { method: 'Mobile app notification', succeeded: false, detail },
  })),
  ...METHODS.map(([method], i) => ({ id: `m-${i}`, at: at(200 + i), upn: 'cat@contoso.com', mfa: { method, succeeded: true, detail: 'MFA successfully completed' } })),
];

let store: TestStore;
let harness: Harness;
beforeAll(async () => {
  store = await openTestStore();
  await loadSignins(store, SPECS);
  harness = await startHarness({ store, now: () => NOW });
});
afterAll(async () => {
  await harness?.close();
  await store?.close();
});

describe('the documented vocabulary, worded in replies', () => {
  it.each([...SATISFIED.map(([d, c], i) => [`ok-${i}`, d, c]), ...DENIED.map(([d, c], i) => [`no-${i}`, d, c])])(
    '%s: "%s" is %s',
    async (id, _detail, code) => {
      const text = replyText((await harness.command(`signin ${id}`)).reply);
      expect(text).toContain(`(code ${code})`);
      expect(text).toContain(`Result: ${describeResultCode(code).words}`);
      expect(describeResultCode(code).outcome).toBe(id.startsWith('ok') ? 'satisfied' : 'denied');
    },
  );

  it.each(METHODS.map(([raw, name], i) => [`m-${i}`, raw, name]))('%s: method "%s" is shown as %s', async (id, raw, name) => {
    const text = replyText((await harness.command(`signin ${id}`)).reply);
    expect(text).toContain(`Method: ${name}${raw !== name ? ` (logged as “${raw}”)` : ''}`);
  });
});
