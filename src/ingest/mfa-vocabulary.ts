// The MFA result and method vocabulary, as data.
//
// Graph's MFA outcome fields are free text, not enums (graph-data.md §0.3, §3.4): the same result
// shows up as "MFA denied; user didn't respond…", "Azure Multi-Factor Authentication denied; user
// did not respond…" or with odd capitalisation ("MFA Denied; …", "Phone App Reported Fraud").
// So we keep the raw string and derive a stable code by case-insensitive substring match against
// the documented portal vocabulary, after folding case, apostrophes and contractions.

/** Every outcome a sign-in row can carry (`signins.mfa_outcome`). */
export type MfaOutcome = 'satisfied' | 'denied' | 'interrupted' | 'not_required' | 'not_reached' | 'unknown';

export interface ResultVocabularyEntry {
  /** Stable snake_case code stored in `signins.mfa_result_code`. */
  code: string;
  outcome: 'satisfied' | 'denied';
  /** Substrings (written naturally; folded at load) that identify this result. */
  phrases: readonly string[];
  /** What an admin reads. */
  words: string;
  /** What an admin can do about it (denied results only). */
  advice: string | null;
}

export interface ResultClassification {
  code: string;
  outcome: 'satisfied' | 'denied' | null;
  words: string;
  advice: string | null;
}

/**
 * Fold a free-text value so that wording variants compare equal: lowercase, straight
 * apostrophes, the contractions the 2025 portal uses expanded, "multifactor"/"multi factor"
 * spelled "multi-factor", "in-progress" spelled "in progress", whitespace collapsed.
 */
export function foldText(s: string): string {
  return s
    .toLowerCase()
    .replace(/[\u2018\u2019\u201b\u02bc\u00b4`]/g, "'")
    .replace(/\bdidn't\b/g, 'did not')
    .replace(/\bdoesn't\b/g, 'does not')
    .replace(/\bdon't\b/g, 'do not')
    .replace(/\bisn't\b/g, 'is not')
    .replace(/\bwasn't\b/g, 'was not')
    .replace(/\bcouldn't\b/g, 'could not')
    .replace(/\bcan't\b/g, 'cannot')
    .replace(/\bmulti[\s-]*factor\b/g, 'multi-factor')
    .replace(/\bin-progress\b/g, 'in progress')
    .replace(/\s+/g, ' ')
    .trim();
}

const FRAUD_ADVICE =
  'Treat as a possible compromise: reset the password, review sign-ins, revoke sessions, and confirm with the user out of band';

/**
 * Ordered: the first entry with a phrase contained in the folded detail wins. Put the more
 * specific phrase first whenever one phrase could contain another ("incorrect code too many
 * times" before "incorrect code"; "first factor … claim in the token" before "claim in the token";
 * anything with "fraud" before "user is blocked", since a fraud report also blocks the user).
 * Sources: the portal vocabulary (S12 current, S13 2019), Graph examples (S5, S17), Sentinel rules
 * (S16), S36, and community-observed strings (§3.4).
 */
export const RESULT_VOCABULARY: readonly ResultVocabularyEntry[] = [
  // --- Denied: fraud first, it is the one that must never be misfiled. ---
  {
    code: 'denied_fraud_reported',
    outcome: 'denied',
    phrases: ['fraud'], // "Fraud Code Entered", "Phone App Reported Fraud", "Fraud reported - …"
    words: 'Denied: the user reported the prompt as fraud',
    advice: FRAUD_ADVICE,
  },
  // --- Satisfied ---
  {
    code: 'satisfied_first_factor_by_claim',
    outcome: 'satisfied',
    phrases: ['first factor requirement satisfied by claim in the token'],
    words: 'Satisfied: first factor by a claim in the token',
    advice: null,
  },
  {
    code: 'satisfied_by_claim_external',
    outcome: 'satisfied',
    phrases: ['satisfied by claim provided by external provider'],
    words: 'Satisfied: MFA claim from an external (federated) provider',
    advice: null,
  },
  {
    code: 'satisfied_by_claim',
    outcome: 'satisfied',
    // "claim in token" is the Graph doc's own short form (S5).
    phrases: ['satisfied by claim in the token', 'claim in the token', 'claim in token'],
    words: 'Satisfied: MFA claim already in the token',
    advice: null,
  },
  {
    code: 'satisfied_by_device',
    outcome: 'satisfied',
    phrases: ['satisfied by multi-factor device'],
    words: 'Satisfied: multi-factor device (for example Windows Hello, FIDO2)',
    advice: null,
  },
  {
    code: 'satisfied_strong_auth',
    outcome: 'satisfied',
    phrases: ['satisfied by strong authentication'],
    words: 'Satisfied: strong authentication',
    advice: null,
  },
  {
    code: 'skipped_broker_logon',
    outcome: 'satisfied',
    phrases: ['skipped as flow exercised was windows broker logon flow', 'windows broker logon flow'],
    words: 'Skipped: Windows broker logon flow',
    advice: null,
  },
  {
    code: 'skipped_app_password',
    outcome: 'satisfied',
    phrases: ['skipped due to app password'],
    words: 'Skipped: app password',
    advice: null,
  },
  {
    code: 'skipped_location',
    outcome: 'satisfied',
    phrases: ['skipped due to location'],
    words: 'Skipped: trusted location',
    advice: null,
  },
  {
    code: 'skipped_registered_device',
    outcome: 'satisfied',
    phrases: ['skipped due to registered device'],
    words: 'Skipped: registered device',
    advice: null,
  },
  {
    code: 'skipped_remembered_device',
    outcome: 'satisfied',
    phrases: ['skipped due to remembered device'],
    words: 'Skipped: remembered device',
    advice: null,
  },
  {
    code: 'expired_by_policy',
    outcome: 'satisfied', // listed under "Satisfied" by the portal (S12, S13)
    phrases: ['has expired due to the policies configured on tenant', 'expired due to the policies configured'],
    words: 'Satisfied: earlier MFA had expired under tenant policy, so it was asked again',
    advice: null,
  },
  {
    code: 'registration_prompted',
    outcome: 'satisfied', // listed under "Satisfied" by the portal (S12, S13)
    phrases: ['registration prompted'],
    words: 'Satisfied: the user was prompted to register MFA',
    advice: null,
  },
  {
    code: 'redirected_external_provider',
    outcome: 'satisfied',
    phrases: ['redirected to external provider'],
    words: 'Satisfied: redirected to an external MFA provider',
    advice: null,
  },
  {
    code: 'completed_in_cloud',
    outcome: 'satisfied',
    // "MFA completed in Azure AD" is the community-observed runtime form of the portal's
    // "completed in the cloud".
    phrases: ['completed in the cloud', 'completed in azure ad', 'completed in microsoft entra'],
    words: 'Completed: MFA done in the cloud',
    advice: null,
  },
  {
    code: 'completed',
    outcome: 'satisfied',
    phrases: ['successfully completed'],
    words: 'Completed: MFA successfully completed',
    advice: null,
  },
  // --- Denied ---
  {
    code: 'denied_in_progress',
    outcome: 'denied',
    phrases: ['authentication in progress', 'already in progress'],
    words: 'Denied: another authentication was already in progress',
    advice: 'Usually a second prompt while the first was pending; ask the user to retry once and answer a single prompt',
  },
  {
    code: 'denied_duplicate_attempt',
    outcome: 'denied',
    phrases: ['duplicate authentication attempt'],
    words: 'Denied: duplicate authentication attempt',
    advice: 'Usually harmless; if it repeats, look for a client retrying the sign-in in a loop',
  },
  {
    code: 'denied_too_many_incorrect_codes',
    outcome: 'denied',
    phrases: ['entered incorrect code too many times'],
    words: 'Denied: wrong code entered too many times',
    advice: "Check the code source (SMS, app) and the device clock; reset the user's methods if codes never work",
  },
  {
    code: 'denied_invalid_app_code',
    outcome: 'denied',
    phrases: ['invalid mobile app verification code'],
    words: 'Denied: invalid Authenticator verification code',
    advice: "Check the phone's time sync; have the user re-register the Authenticator app if codes keep failing",
  },
  {
    code: 'denied_invalid_authentication',
    outcome: 'denied',
    phrases: ['invalid authentication'],
    words: 'Denied: invalid authentication',
    advice: 'Look at the other events of this sign-in (same correlation ID) for the cause',
  },
  {
    code: 'denied_misconfiguration',
    outcome: 'denied',
    phrases: ['misconfiguration'],
    words: 'Denied: MFA misconfiguration',
    advice: 'Check the MFA configuration: authentication methods policy, NPS extension or AD FS adapter settings',
  },
  {
    code: 'denied_voicemail',
    outcome: 'denied',
    phrases: ['phone call went to voicemail', 'went to voicemail', 'voicemail'],
    words: 'Denied: the call went to voicemail',
    advice: "Check the user's phone number and carrier; suggest the Authenticator app",
  },
  {
    code: 'denied_invalid_phone_format',
    outcome: 'denied',
    phrases: ['phone number has an invalid format', 'invalid phone number format'],
    words: "Denied: the user's phone number has an invalid format",
    advice: "Fix the user's registered phone number (international format with country code)",
  },
  {
    code: 'denied_service_error',
    outcome: 'denied',
    phrases: ['service error'],
    words: 'Denied: MFA service error',
    advice: 'Usually transient; ask the user to retry and check Microsoft 365 service health if it is widespread',
  },
  {
    code: 'denied_phone_unreachable',
    outcome: 'denied',
    phrases: ["unable to reach the user's phone", 'unable to reach the phone', 'phone unreachable'],
    words: "Denied: the user's phone could not be reached",
    advice: "Check the user's phone number and signal; suggest the Authenticator app or a second method",
  },
  {
    code: 'denied_app_notification_failed',
    outcome: 'denied',
    phrases: ['unable to send the mobile app notification'],
    words: 'Denied: the Authenticator notification could not be sent',
    advice: 'Ask the user to open the Authenticator app and check notifications are allowed; re-register the device if it persists',
  },
  {
    code: 'denied_user_declined',
    outcome: 'denied',
    // Not bare "declined": consent errors ("User declined to consent…") are not MFA results.
    phrases: ['user declined the authentication', 'declined the authentication', 'mobile app denied'],
    words: 'Denied: the user declined the prompt',
    advice: 'Ask the user whether they started this sign-in; if not, treat it as a possible compromise',
  },
  {
    code: 'denied_no_response',
    outcome: 'denied',
    phrases: ['user did not respond to mobile app notification', 'did not respond to mobile app', 'mobile app no response'],
    words: 'Denied: the user did not respond to the Authenticator notification',
    advice: 'Ask the user to check notifications on their phone; many unanswered prompts can be an MFA fatigue attack',
  },
  {
    code: 'denied_no_methods_registered',
    outcome: 'denied',
    phrases: ['user does not have any verification methods registered', 'does not have any verification methods'],
    words: 'Denied: the user has no MFA methods registered',
    advice: 'Run a registration campaign for this user',
  },
  {
    code: 'denied_incorrect_code',
    outcome: 'denied',
    phrases: ['user entered incorrect code', 'entered incorrect code', 'incorrect code'],
    words: 'Denied: the user entered a wrong code',
    advice: 'Ask the user to retry with the newest code; check which phone or app the codes go to',
  },
  {
    code: 'denied_incorrect_pin',
    outcome: 'denied',
    phrases: ['user entered incorrect pin', 'incorrect pin'],
    words: 'Denied: the user entered a wrong PIN',
    advice: 'Ask the user to retry; reset or re-register the method if they no longer know the PIN',
  },
  {
    code: 'denied_user_hung_up',
    outcome: 'denied',
    phrases: ['user hung up the phone call without succeeding the authentication', 'hung up'],
    words: 'Denied: the user hung up the call without confirming',
    advice: 'Remind the user to press # to confirm, or move them to the Authenticator app',
  },
  {
    code: 'denied_user_blocked',
    outcome: 'denied',
    // Not bare "is blocked": Conditional Access failure texts say access "is blocked" too.
    phrases: ['user is blocked'],
    words: 'Denied: the user is blocked from MFA',
    advice: 'Check Block/unblock users; unblock the user if the block is no longer needed',
  },
  {
    code: 'denied_code_not_entered',
    outcome: 'denied',
    phrases: ['user never entered the verification code', 'never entered'],
    words: 'Denied: the user never entered the verification code',
    advice: 'Ask the user to retry; suggest an Authenticator push instead of codes',
  },
  {
    code: 'denied_user_not_found',
    outcome: 'denied',
    phrases: ['user not found'],
    words: 'Denied: user not found',
    advice: 'Check the account exists and is synchronised, and that the UPN sent by NPS/AD FS matches',
  },
  {
    code: 'denied_code_reused',
    outcome: 'denied',
    phrases: ['verification code already used once', 'already used'],
    words: 'Denied: the verification code had already been used',
    advice: 'Ask the user to wait for a fresh code; repeated reuse can be a replay attempt',
  },
  {
    code: 'denied_no_phone_input',
    outcome: 'denied',
    phrases: ['no phone input - timed out', 'no phone input'],
    words: 'Denied: no input on the call before it timed out',
    advice: "Often the call went to voicemail; check the user's phone number and suggest the Authenticator app",
  },
];

// Phrases folded once, so the table can be written naturally.
const FOLDED = RESULT_VOCABULARY.map((e) => ({ entry: e, phrases: e.phrases.map(foldText) }));

/**
 * Codes that do not come from a result string: derived from the error code or the absence of a
 * detail (see graph-signin.ts). Listed here so `describeResultCode` can explain every stored code.
 */
export const DERIVED_RESULT_CODES: Readonly<
  Record<string, { words: string; advice: string | null; outcome: MfaOutcome | null }>
> = {
  other: { words: 'Unrecognised MFA result (see the raw detail)', advice: null, outcome: null },
  none: { words: 'No MFA result recorded', advice: null, outcome: null },
  satisfied_other: { words: 'Satisfied (no detail recorded)', advice: null, outcome: 'satisfied' },
  denied_mfa_failed: {
    words: 'Denied: MFA failed (error 500121)',
    advice: "Open the sign-in's authentication details and ask the user what they saw",
    outcome: 'denied',
  },
  denied_external_challenge: {
    words: 'Denied: the external security challenge was not satisfied (error 50158)',
    advice: 'Check the external authentication method or federated MFA provider',
    outcome: 'denied',
  },
  interrupted_mfa_required: {
    words: 'Interrupted: MFA was required and the user was sent to complete it',
    advice: 'Usually normal; look for a later sign-in with the same correlation ID to see how it ended',
    outcome: 'interrupted',
  },
  interrupted_registration_required: {
    words: 'Interrupted: the user had to register for MFA first',
    advice: 'Run a registration campaign for this user',
    outcome: 'interrupted',
  },
  not_reached: {
    words: 'Not reached: primary authentication failed before MFA',
    advice: null,
    outcome: 'not_reached',
  },
};

const NONE: ResultClassification = { code: 'none', outcome: null, words: DERIVED_RESULT_CODES.none!.words, advice: null };
const OTHER: ResultClassification = { code: 'other', outcome: null, words: DERIVED_RESULT_CODES.other!.words, advice: null };

/** Classify a raw result string (`authenticationStepResultDetail`, `status.additionalDetails`, …). */
export function classifyResultDetail(detail: string | null | undefined): ResultClassification {
  if (detail == null) return NONE;
  const folded = foldText(detail);
  if (folded === '') return NONE;
  for (const { entry, phrases } of FOLDED) {
    if (phrases.some((p) => folded.includes(p))) {
      return { code: entry.code, outcome: entry.outcome, words: entry.words, advice: entry.advice };
    }
  }
  return OTHER;
}

/** Explain a stored `mfa_result_code`, whatever produced it. Unknown codes echo the code. */
export function describeResultCode(code: string): { words: string; advice: string | null; outcome: MfaOutcome | null } {
  const entry = RESULT_VOCABULARY.find((e) => e.code === code);
  if (entry) return { words: entry.words, advice: entry.advice, outcome: entry.outcome };
  const derived = DERIVED_RESULT_CODES[code];
  if (derived) return { ...derived };
  return { words: code, advice: null, outcome: null };
}

// --- Methods ---------------------------------------------------------------------------------

/** Canonical method names (graph-data.md §9): the portal's names where it has one. */
export const KNOWN_METHODS = [
  'Text message',
  'Mobile app notification',
  'Mobile app verification code',
  'Phone call (Authentication phone)',
  'Phone call (Office phone)',
  'Phone call (Alternate authentication phone)',
  'Previously satisfied',
  'FIDO2 security key',
  'Windows Hello for Business',
  'X.509 Certificate',
  'Other',
] as const;

export type KnownMethod = (typeof KNOWN_METHODS)[number];

// Aliases seen in Graph docs, the portal, exports and mfaDetail.authMethod (§3.4, §9).
const METHOD_ALIASES: Readonly<Record<KnownMethod, readonly string[]>> = {
  'Text message': ['Text message', 'SMS'],
  'Mobile app notification': [
    'Mobile app notification',
    'Authenticator App',
    'Microsoft Authenticator',
    'Notification through mobile app',
  ],
  // "OATH verification code is logged as the authentication method for both OATH hardware and
  // software tokens" (S12), so all code-generating methods fold together.
  'Mobile app verification code': [
    'Mobile app verification code',
    'OATH verification code',
    'Software OATH token',
    'Hardware OATH token',
    'App Verification code',
    'Verification code from mobile app',
  ],
  'Phone call (Authentication phone)': ['Phone call (Authentication phone)', 'Phone call', 'Voice'],
  'Phone call (Office phone)': ['Phone call (Office phone)'],
  'Phone call (Alternate authentication phone)': ['Phone call (Alternate authentication phone)'],
  'Previously satisfied': ['Previously satisfied', 'Satisfied by token'],
  'FIDO2 security key': ['FIDO2 security key', 'FIDO', 'FIDO2'],
  'Windows Hello for Business': ['Windows Hello for Business'],
  'X.509 Certificate': ['X.509 Certificate', 'Certificate-based authentication'],
  Other: ['Other'],
};

const methodKey = (s: string): string => s.toLowerCase().replace(/\s+/g, ' ').trim();

const METHOD_LOOKUP = new Map<string, KnownMethod>(
  (Object.entries(METHOD_ALIASES) as [KnownMethod, readonly string[]][]).flatMap(([canonical, aliases]) =>
    aliases.map((a) => [methodKey(a), canonical] as const),
  ),
);

/** Canonical method name for a raw one; unknown values pass through trimmed; blank → null. */
export function normaliseMethod(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const trimmed = raw.trim();
  if (trimmed === '') return null;
  return METHOD_LOOKUP.get(methodKey(trimmed)) ?? trimmed;
}
