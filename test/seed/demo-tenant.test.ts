import { describe, expect, it } from 'vitest';
import {
  demoBlockEvents,
  demoBypassEvents,
  demoDirectoryAudits,
  demoOnpremActivity,
  demoRegistrationDetails,
  demoRiskDetections,
  demoServers,
  demoSignins,
  demoUsers,
  MFA_SERVER_CALL_RESULTS,
  type DemoTenantOptions,
  type GraphSignIn,
} from '../../src/seed/demo-tenant.js';
import { hashSeed, Rng, WeightedTable } from '../../src/seed/random.js';

const NOW = new Date('2026-11-20T15:30:00Z');
const TENANT: DemoTenantOptions = { users: 300, days: 14, seed: 42, now: NOW };
const signins: GraphSignIn[] = [...demoSignins(TENANT)];

/** Case, apostrophe and contraction folding, as the ingest classifier is told to do (graph-data.md §3.4). */
function fold(s: string): string {
  return s
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/didn't/g, 'did not')
    .replace(/doesn't/g, 'does not')
    .replace(/in-progress/g, 'in progress')
    .replace(/\s+/g, ' ');
}

// The documented vocabulary, copied from graph-data.md §3.4 (2025 portal wording), independent of the generator.
const SATISFIED_VOCABULARY = [
  'completed in the cloud',
  'has expired due to the policies configured on tenant',
  'registration prompted',
  'satisfied by claim in the token',
  'satisfied by claim provided by external provider',
  'satisfied by strong authentication',
  'skipped as flow exercised was Windows broker logon flow',
  'skipped due to app password',
  'skipped due to location',
  'skipped due to registered device',
  'skipped due to remembered device',
  'successfully completed',
  'Redirected to external provider for multi-factor authentication',
];
const DENIED_VOCABULARY = [
  'authentication in-progress',
  'duplicate authentication attempt',
  'entered incorrect code too many times',
  'invalid authentication',
  'invalid mobile app verification code',
  'misconfiguration',
  'phone call went to voicemail',
  'phone number has an invalid format',
  'service error',
  "unable to reach the user's phone",
  'unable to send the mobile app notification to the device',
  'unable to send the mobile app notification',
  'user declined the authentication',
  "user didn't respond to mobile app notification",
  "user doesn't have any verification methods registered",
  'user entered incorrect code',
  'user entered incorrect PIN',
  'user hung up the phone call without succeeding the authentication',
  'user is blocked',
  'user never entered the verification code',
  'user not found',
  'verification code already used once',
  // Microsoft-authored exact strings (S16, S25)
  'MFA denied; Phone App Reported Fraud',
  'MFA denied, Fraud Code Entered',
];

const isPrimary = (s: { authenticationStepRequirement: string }) => s.authenticationStepRequirement === 'Primary authentication';
const mfaStep = (r: GraphSignIn) => r.authenticationDetails.find((s) => !isPrimary(s));
const ms = (iso: string) => Date.parse(iso);

describe('random', () => {
  it('is deterministic per seed and independent across derived streams', () => {
    const a = new Rng(hashSeed(1, 'x'));
    const b = new Rng(hashSeed(1, 'x'));
    const c = new Rng(hashSeed(1, 'y'));
    const sa = Array.from({ length: 20 }, () => a.u32());
    expect(Array.from({ length: 20 }, () => b.u32())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.u32())).not.toEqual(sa);
    expect(hashSeed('ab', 'c')).not.toBe(hashSeed('a', 'bc'));
  });

  it('draws in range and makes v4-shaped UUIDs', () => {
    const r = new Rng(7);
    for (let i = 0; i < 2000; i++) {
      const n = r.int(3, 9);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(9);
      expect(r.next()).toBeLessThan(1);
    }
    expect(r.pick(['only'])).toBe('only');
    expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const t = new WeightedTable([['a', 1], ['b', 0], ['c', 3]] as const);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 4000; i++) counts[t.pick(r)]++;
    expect(counts.b).toBe(0);
    expect(counts.c / counts.a).toBeGreaterThan(2.4);
    expect(counts.c / counts.a).toBeLessThan(3.7);
    expect(r.weighted([['x', 0], ['y', 1]] as const)).toBe('y');
  });
});

describe('demo tenant: determinism and idempotence', () => {
  it('produces identical output for identical options', () => {
    const opts: DemoTenantOptions = { users: 80, days: 4, seed: 9, now: NOW };
    expect(JSON.stringify([...demoSignins(opts)])).toBe(JSON.stringify([...demoSignins({ ...opts, now: new Date(NOW) })]));
    expect(demoUsers(opts)).toEqual(demoUsers({ seed: 9, users: 80 }));
    expect(demoRegistrationDetails(opts)).toEqual(demoRegistrationDetails(opts));
    expect(demoRiskDetections(opts)).toEqual(demoRiskDetections(opts));
    expect(demoDirectoryAudits(opts)).toEqual(demoDirectoryAudits(opts));
    expect(demoBlockEvents(opts)).toEqual(demoBlockEvents(opts));
    expect(demoBypassEvents(opts)).toEqual(demoBypassEvents(opts));
    expect(demoOnpremActivity(opts)).toEqual(demoOnpremActivity(opts));
  });

  it('yields fresh records; the parts shared between records are frozen', () => {
    const opts: DemoTenantOptions = { users: 20, days: 1, seed: 1, now: NOW };
    const [a] = [...demoSignins(opts)];
    const [b] = [...demoSignins(opts)];
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    expect(a!.authenticationDetails).not.toBe(b!.authenticationDetails);
    expect(a!.authenticationDetails[0]).not.toBe(b!.authenticationDetails[0]);
    expect(a!.appliedConditionalAccessPolicies).not.toBe(b!.appliedConditionalAccessPolicies);
    expect(Object.isFrozen(a!.location)).toBe(true);
    expect(Object.isFrozen(a!.status)).toBe(true);
    expect(Object.isFrozen(a!.appliedConditionalAccessPolicies[0])).toBe(true);
    expect(() => {
      (a!.status as { errorCode: number }).errorCode = 1;
    }).toThrow(TypeError);
    // A structured clone is fully mutable.
    const copy = structuredClone(a!);
    (copy.status as { errorCode: number }).errorCode = 1;
    expect(copy.status.errorCode).toBe(1);
  });

  it('differs across seeds', () => {
    const a = [...demoSignins({ users: 30, days: 1, seed: 1, now: NOW })];
    const b = [...demoSignins({ users: 30, days: 1, seed: 2, now: NOW })];
    expect(a[0]!.id).not.toBe(b[0]!.id);
    expect(demoUsers({ seed: 1, users: 30 })[1]!.id).not.toBe(demoUsers({ seed: 2, users: 30 })[1]!.id);
  });

  // An hour later with one more day: the same hour-of-day (10:30) and across midnight (23:30).
  for (const start of ['2026-11-20T10:30:00Z', '2026-11-20T23:30:00Z']) {
    it(`a later run with one more day is a superset with identical records (now=${start})`, () => {
      const early: DemoTenantOptions = { users: 60, days: 3, seed: 5, now: new Date(start) };
      const late: DemoTenantOptions = { ...early, days: 4, now: new Date(Date.parse(start) + 3_600_000) };
      const pairs: [unknown[], unknown[], (x: never) => string][] = [
        [[...demoSignins(early)], [...demoSignins(late)], (x: GraphSignIn) => x.id],
        [demoRiskDetections(early), demoRiskDetections(late), (x: { id: string }) => x.id],
        [demoDirectoryAudits(early), demoDirectoryAudits(late), (x: { id: string }) => x.id],
        [demoBlockEvents(early), demoBlockEvents(late), (x: { upn: string; action: string; occurredAt: Date }) => `${x.upn}|${x.action}|${x.occurredAt.toISOString()}`],
        [demoOnpremActivity(early), demoOnpremActivity(late), (x: { upn: string; callResult: string; occurredAt: Date }) => `${x.upn}|${x.callResult}|${x.occurredAt.toISOString()}`],
      ];
      for (const [a, b, key] of pairs) {
        const later = new Map(b.map((x) => [key(x as never), JSON.stringify(x)]));
        expect(later.size).toBe(b.length); // keys are unique: nothing duplicated
        expect(b.length).toBeGreaterThanOrEqual(a.length);
        for (const x of a) expect(later.get(key(x as never))).toBe(JSON.stringify(x));
      }
      expect(demoUsers(early)).toEqual(demoUsers(late));
    });
  }

  it('user i is the same in every larger tenant', () => {
    const small = demoUsers({ seed: 3, users: 50 });
    const large = demoUsers({ seed: 3, users: 120 });
    expect(large.slice(0, 50)).toEqual(small);
  });

  it('copes with tiny tenants', () => {
    for (const users of [1, 2, 5, 12]) {
      const opts: DemoTenantOptions = { users, days: 3, seed: 11, now: NOW };
      expect([...demoSignins(opts)].length).toBeGreaterThan(0);
      expect(demoRegistrationDetails(opts)).toHaveLength(users);
      demoRiskDetections(opts);
      demoDirectoryAudits(opts);
      demoBlockEvents(opts);
      demoBypassEvents(opts);
    }
  });

  it('rejects nonsense options', () => {
    expect(() => [...demoSignins({ users: 0, days: 1, seed: 1, now: NOW })]).toThrow(RangeError);
    expect(() => [...demoSignins({ users: 1, days: 0, seed: 1, now: NOW })]).toThrow(RangeError);
    expect(() => [...demoSignins({ users: 1, days: 1, seed: 1, now: new Date('nope') })]).toThrow(RangeError);
  });
});

describe('demo tenant: sign-ins (the 300-user, 14-day tenant)', () => {
  it('has the expected volume, in time order, within the window, never after now, with unique ids', () => {
    const perDay = signins.length / TENANT.users / TENANT.days;
    expect(perDay).toBeGreaterThan(2.5); // 4 a day on average, the last day partial
    expect(perDay).toBeLessThan(5);
    const first = (Math.floor(NOW.getTime() / 86_400_000) - TENANT.days + 1) * 86_400_000;
    const times = signins.map((r) => ms(r.createdDateTime));
    expect(times.filter((t, i) => i > 0 && t < times[i - 1]!)).toEqual([]);
    expect(ms(signins[0]!.createdDateTime)).toBeGreaterThanOrEqual(first);
    expect(Math.max(...signins.map((r) => ms(r.createdDateTime)))).toBeLessThanOrEqual(NOW.getTime());
    expect(new Set(signins.map((r) => r.id)).size).toBe(signins.length);
    expect(new Set(signins.map((r) => r.correlationId)).size).toBe(signins.length);
    // Today is partial: it has records, none after now.
    expect(signins.some((r) => r.createdDateTime.startsWith(NOW.toISOString().slice(0, 10)))).toBe(true);
  });

  it('uses every documented satisfied and denied phrase, plus strings no vocabulary knows', () => {
    const details = new Set<string>();
    for (const r of signins) {
      for (const s of r.authenticationDetails) if (s.authenticationStepResultDetail) details.add(fold(s.authenticationStepResultDetail));
      if (r.status.additionalDetails) details.add(fold(r.status.additionalDetails));
    }
    const all = [...details];
    const missing = [...SATISFIED_VOCABULARY, ...DENIED_VOCABULARY].filter((p) => !all.some((d) => d.includes(fold(p))));
    expect(missing).toEqual([]);
    const known = [...SATISFIED_VOCABULARY, ...DENIED_VOCABULARY].map(fold);
    const unknownDenied = all.filter((d) => d.startsWith('mfa denied') && !known.some((k) => d.includes(k)));
    expect(unknownDenied.length).toBeGreaterThanOrEqual(1);
  });

  it('mixes MFA requirement, methods and outcomes realistically', () => {
    const mfa = signins.filter((r) => r.authenticationRequirement === 'multiFactorAuthentication');
    const share = mfa.length / signins.length;
    expect(share).toBeGreaterThan(0.38);
    expect(share).toBeLessThan(0.55);
    const denied = signins.filter((r) => r.status.errorCode === 500121).length / mfa.length;
    expect(denied).toBeGreaterThan(0.01);
    expect(denied).toBeLessThan(0.1);
    const push = mfa.filter((r) => /^(Mobile app notification|Authenticator App|Microsoft Authenticator)$/.test(mfaStep(r)?.authenticationMethod ?? '')).length;
    expect(push / mfa.length).toBeGreaterThan(0.4);
    const methods = new Set(mfa.map((r) => mfaStep(r)?.authenticationMethod).filter(Boolean));
    for (const m of [
      'Mobile app notification', 'Authenticator App', 'Text message', 'SMS', 'Phone call (Authentication phone)', 'Voice',
      'Phone call (Office phone)', 'Phone call (Alternate authentication phone)', 'OATH verification code',
      'Mobile app verification code', 'X.509 Certificate', 'Previously satisfied',
    ]) expect(methods, m).toContain(m);
    const primaryMethods = new Set(signins.flatMap((r) => r.authenticationDetails.filter(isPrimary).map((s) => s.authenticationMethod)));
    expect(primaryMethods).toContain('FIDO2 security key');
    expect(primaryMethods).toContain('Windows Hello for Business');
    const requirements = new Set(signins.flatMap((r) => r.authenticationDetails.map((s) => s.authenticationStepRequirement)));
    expect(requirements).toContain('Multi-factor authentication');
    expect(requirements).toContain('Multifactor authentication');
    const providers = new Set(signins.flatMap((r) => r.authenticationRequirementPolicies.map((p) => p.requirementProvider)));
    expect([...providers].sort()).toEqual(['multiConditionalAccess', 'securityDefaults', 'user']);
    expect(signins.filter((r) => r.isInteractive === true).length / signins.length).toBeGreaterThan(0.75);
    const apps = new Set(signins.map((r) => r.appDisplayName));
    for (const a of ['Office 365 Exchange Online', 'Microsoft Teams', 'Office 365 SharePoint Online', 'Azure Portal', 'Salesforce', 'Workday']) expect(apps).toContain(a);
  });

  it('carries every error code with its documented wording and a consistent MFA step', () => {
    const byCode = new Map<number, GraphSignIn[]>();
    for (const r of signins) {
      const list = byCode.get(r.status.errorCode);
      if (list) list.push(r);
      else byCode.set(r.status.errorCode, [r]);
    }
    for (const code of [0, 500121, 50074, 50076, 50072, 50079, 53003, 50126, 50053]) expect(byCode.get(code)?.length ?? 0, String(code)).toBeGreaterThan(0);
    for (const r of byCode.get(500121)!) {
      expect(r.status.failureReason).toBe('Authentication failed during strong authentication request.');
      expect(r.status.additionalDetails).toBe(mfaStep(r)!.authenticationStepResultDetail);
      expect(mfaStep(r)!.succeeded).toBe(false);
    }
    for (const r of byCode.get(50074)!) {
      expect(r.status.failureReason).toBe('Strong Authentication is required.');
      expect(mfaStep(r)).toBeUndefined();
    }
    for (const r of byCode.get(50126)!) {
      expect(r.authenticationRequirement).toBe('singleFactorAuthentication');
      expect(r.authenticationDetails).toHaveLength(1);
      expect(r.authenticationDetails[0]!.succeeded).toBe(false);
    }
    for (const r of byCode.get(53003)!) {
      expect(r.conditionalAccessStatus).toBe('failure');
      const block = r.appliedConditionalAccessPolicies.find((p) => p.result === 'failure');
      expect(block?.enforcedGrantControls).toEqual(['Block']);
    }
    const users = new Map(demoUsers(TENANT).map((u) => [u.id, u]));
    for (const code of [50072, 50079]) for (const r of byCode.get(code)!) expect(users.get(r.userId)!.registered).toBe(false);
    const badSuccess = byCode.get(0)!.filter((r) => r.authenticationRequirement === 'multiFactorAuthentication' && mfaStep(r) && !mfaStep(r)!.succeeded);
    expect(badSuccess).toEqual([]);
  });

  it('lists the fixed Conditional Access policies with consistent results', () => {
    const cloud = signins.filter((r) => r.tokenIssuerType === 'AzureAD');
    const ids = new Set(cloud.flatMap((r) => r.appliedConditionalAccessPolicies.map((p) => p.id)));
    expect(ids.size).toBe(6);
    const results = new Set(cloud.flatMap((r) => r.appliedConditionalAccessPolicies.map((p) => p.result)));
    for (const x of ['success', 'failure', 'notApplied', 'notEnabled', 'reportOnlySuccess', 'reportOnlyFailure', 'reportOnlyNotApplied']) expect(results).toContain(x);
    expect(new Set(cloud.map((r) => r.conditionalAccessStatus))).toEqual(new Set(['success', 'failure', 'notApplied']));
    const inconsistent = cloud.filter((r) => {
      const failed = r.appliedConditionalAccessPolicies.some((p) => p.result === 'failure');
      return (r.conditionalAccessStatus === 'failure') !== failed || (r.status.errorCode === 0 && failed);
    });
    expect(inconsistent.map((r) => r.id)).toEqual([]);
  });

  it('scrubs phone numbers except in a small, non-empty fraction', () => {
    const phoneDetails = signins.flatMap((r) =>
      r.authenticationDetails.filter((s) => /Text message|SMS|Phone call|Voice/.test(s.authenticationMethod ?? '')).map((s) => s.authenticationMethodDetail ?? ''),
    );
    const scrubbed = phoneDetails.filter((d) => /^\+X X{8}\d\d$/.test(d)).length;
    const raw = phoneDetails.filter((d) => /^\+\d{1,3} [\d ]+$/.test(d)).length;
    expect(raw).toBeGreaterThan(0);
    expect(raw / phoneDetails.length).toBeLessThan(0.05);
    expect(scrubbed + raw).toBe(phoneDetails.length);
  });

  it('includes sparse NPS extension and AD FS adapter events', () => {
    const servers = demoServers(TENANT);
    const npsIps = new Set(servers.filter((s) => s.component === 'nps').map((s) => s.ipAddress));
    const nps = signins.filter((r) => r.resourceId === 'radius');
    const adfs = signins.filter((r) => r.resourceId === 'adfs');
    expect(nps.length / signins.length).toBeGreaterThan(0.015);
    expect(nps.length / signins.length).toBeLessThan(0.05);
    expect(adfs.length / signins.length).toBeGreaterThan(0.01);
    expect(adfs.length / signins.length).toBeLessThan(0.04);
    for (const r of nps) {
      expect(r.tokenIssuerType).toBe('NPSExtension');
      expect(r.appDisplayName).toBeNull();
      expect(r.appId).toBeNull();
      expect(r.isInteractive).toBeNull();
      expect(npsIps.has(r.ipAddress)).toBe(true);
      expect(mfaStep(r)).toBeDefined();
    }
    expect(new Set(nps.map((r) => r.ipAddress)).size).toBe(2);
    for (const r of adfs) expect(r.tokenIssuerType).toBe('ADFederationServicesMFAAdapter');
  });

  it('has an MFA-fatigue burst: 6+ denied push prompts for one user within 10 minutes', () => {
    const byUser = new Map<string, number[]>();
    for (const r of signins) {
      const s = mfaStep(r);
      if (r.status.errorCode === 500121 && /mobile app notification|declined/i.test(s?.authenticationStepResultDetail ?? '')) {
        const list = byUser.get(r.userId);
        if (list) list.push(ms(r.createdDateTime));
        else byUser.set(r.userId, [ms(r.createdDateTime)]);
      }
    }
    const bursts = [...byUser.values()].filter((ts) => ts.some((t, i) => ts.filter((u, j) => j >= i && u - t <= 600_000).length >= 6));
    expect(bursts.length).toBeGreaterThanOrEqual(1);
  });
});

describe('demo tenant: fraud reports and risk', () => {
  const risks = demoRiskDetections(TENANT);
  const audits = demoDirectoryAudits(TENANT);

  it('produces the three artefacts of each report, sharing user and correlationId within minutes', () => {
    const reported = risks.filter((r) => r.riskEventType === 'userReportedSuspiciousActivity');
    expect(reported.length).toBeGreaterThanOrEqual(4); // "a few a week"
    let complete = 0;
    for (const d of reported) {
      expect(d).toMatchObject({ riskLevel: 'high', riskState: 'atRisk', source: 'EndUserReported', detectionTimingType: 'offline', activity: 'user', tokenIssuerType: 'AzureAD' });
      expect(Array.isArray(JSON.parse(d.additionalInfo))).toBe(true);
      const si = signins.find((r) => r.correlationId === d.correlationId);
      expect(si, 'sign-in of the report').toBeDefined();
      expect(si!.userId).toBe(d.userId);
      expect(si!.id).toBe(d.requestId);
      expect(si!.status.errorCode).toBe(500121);
      expect(mfaStep(si!)!.authenticationStepResultDetail).toMatch(/^MFA denied(, Fraud Code Entered|; Phone App Reported Fraud)$/);
      const a = audits.find((x) => x.correlationId === d.correlationId);
      if (ms(si!.createdDateTime) < NOW.getTime() - 10 * 60_000) expect(a, 'audit of the report').toBeDefined();
      if (!a) continue;
      complete++;
      expect(['Suspicious activity reported', 'Fraud reported - user is blocked for MFA', 'Fraud reported - no action taken']).toContain(a.activityDisplayName);
      expect(a).toMatchObject({ category: 'UserManagement', result: 'success', loggedByService: 'Authentication Methods', additionalDetails: [] });
      expect(a.initiatedBy.user.id).toBe(d.userId);
      expect(a.targetResources[0]).toMatchObject({ id: d.userId, type: 'User', userPrincipalName: d.userPrincipalName });
      const times = [si!.createdDateTime, d.detectedDateTime, a.activityDateTime].map(ms);
      expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(10 * 60_000);
    }
    expect(complete).toBeGreaterThanOrEqual(4);
    const activities = new Set(audits.map((a) => a.activityDisplayName));
    for (const x of ['Suspicious activity reported', 'Fraud reported - user is blocked for MFA', 'Fraud reported - no action taken']) expect(activities).toContain(x);
    const phrases = new Set(signins.map((r) => mfaStep(r)?.authenticationStepResultDetail).filter((x) => x && /fraud/i.test(x)));
    expect(phrases).toEqual(new Set(['MFA denied, Fraud Code Entered', 'MFA denied; Phone App Reported Fraud']));
  });

  it('adds a couple of unrelated realtime detections tied to a sign-in', () => {
    const other = risks.filter((r) => r.riskEventType !== 'userReportedSuspiciousActivity');
    expect(new Set(other.map((r) => r.riskEventType))).toEqual(new Set(['unfamiliarFeatures', 'anonymizedIPAddress']));
    for (const d of other) expect(signins.find((r) => r.id === d.requestId)?.riskEventTypes_v2).toEqual([d.riskEventType]);
  });

  it('never reports anything after now', () => {
    for (const d of risks) expect(ms(d.detectedDateTime)).toBeLessThanOrEqual(NOW.getTime());
    for (const a of audits) expect(ms(a.activityDateTime)).toBeLessThanOrEqual(NOW.getTime());
  });
});

describe('demo tenant: users and registration', () => {
  const users = demoUsers(TENANT);
  const reg = demoRegistrationDetails(TENANT);

  it('has members, guests, admins and unregistered users at about the intended rates', () => {
    const guests = users.filter((u) => u.userType === 'guest');
    const admins = users.filter((u) => u.isAdmin);
    const members = users.filter((u) => u.userType === 'member');
    const unregistered = members.filter((u) => !u.registered);
    expect(guests.length).toBe(Math.floor((TENANT.users + 8) / 20)); // every 20th user, from the 12th
    expect(admins.length).toBeGreaterThanOrEqual(Math.floor(TENANT.users / 40)); // every 33rd user
    expect(unregistered.length / members.length).toBeGreaterThan(0.07);
    expect(unregistered.length / members.length).toBeLessThan(0.13);
    expect(new Set(users.map((u) => u.upn)).size).toBe(users.length);
    for (const u of members) expect(u.upn).toMatch(/^[a-z]+\.[a-z]+\d*@contoso\.com$/);
    for (const u of guests) expect(u.upn).toMatch(/@fabrikam\.com$/);
    for (const u of users.filter((x) => x.registered)) {
      expect(u.methods.length).toBeGreaterThan(0);
      expect(u.defaultMethod).not.toBeNull();
      expect(u.preferredAuthMethod).not.toBe('none');
    }
    for (const u of unregistered) {
      expect(u.defaultMethod).toBeNull();
      expect(u.methods.every((m) => m === 'email' || m === 'password')).toBe(true);
    }
    expect(new Set(users.map((u) => u.country)).size).toBeGreaterThanOrEqual(6);
    const signers = new Set(signins.map((r) => r.userId));
    expect(guests.some((g) => signers.has(g.id))).toBe(true);
    expect(unregistered.some((u) => signers.has(u.id))).toBe(true);
  });

  it('returns userRegistrationDetails records consistent with the users', () => {
    expect(reg).toHaveLength(users.length);
    const byId = new Map(users.map((u) => [u.id, u]));
    for (const r of reg) {
      const u = byId.get(r.id)!;
      expect(r.isMfaRegistered).toBe(u.registered);
      expect(r.methodsRegistered).toEqual(u.methods);
      expect(r.defaultMfaMethod).toBe(u.defaultMethod ?? 'none');
      expect(r.userType).toBe(u.userType);
      expect(r.isAdmin).toBe(u.isAdmin);
      expect(ms(r.lastUpdatedDateTime)).toBeLessThanOrEqual(NOW.getTime());
      if (r.isMfaCapable) expect(r.isMfaRegistered).toBe(true);
      if (u.userType === 'guest') expect(r.userPrincipalName).toContain('#EXT#');
      else expect(r.userPrincipalName.toLowerCase()).toBe(u.upn);
    }
    const methods = new Set(reg.flatMap((r) => r.methodsRegistered));
    for (const m of ['microsoftAuthenticatorPush', 'mobilePhone', 'softwareOneTimePasscode', 'fido2', 'windowsHelloForBusiness', 'officePhone', 'alternateMobilePhone', 'email']) expect(methods).toContain(m);
  });
});

describe('demo tenant: legacy MFA Server reports', () => {
  it('has block/unblock history with users still blocked and users unblocked', () => {
    const events = demoBlockEvents(TENANT);
    const last = new Map<string, string>();
    for (const e of events) last.set(e.upn, e.action);
    expect([...last.values()]).toContain('block');
    expect(events.some((e) => e.action === 'unblock')).toBe(true);
    expect(events.some((e) => e.occurredAt < new Date('2024-09-30T00:00:00Z'))).toBe(true);
    expect(events.some((e) => e.occurredAt > new Date('2024-09-30T00:00:00Z'))).toBe(true);
    for (const e of events) {
      expect(e.occurredAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(e.reason.length).toBeGreaterThan(0);
      expect(e.actor.length).toBeGreaterThan(0);
    }
  });

  it('has one-time bypasses, mostly expired, one or two still valid at now', () => {
    const events = demoBypassEvents(TENANT);
    for (const e of events) expect([300, 600, 3600]).toContain(e.seconds);
    const valid = events.filter((e) => e.occurredAt.getTime() <= NOW.getTime() && e.occurredAt.getTime() + e.seconds * 1000 > NOW.getTime());
    expect(valid.length).toBeGreaterThanOrEqual(1);
    expect(valid.length).toBeLessThanOrEqual(2);
    expect(events.length - valid.length).toBeGreaterThanOrEqual(5);
    expect(events.some((e) => e.replicationGroup !== null)).toBe(true);
    expect(events.some((e) => e.actor === e.upn)).toBe(false);
  });

  it('reports the retired MFA Servers and the NPS / AD FS hosts, one of them silent', () => {
    const servers = demoServers(TENANT);
    expect(servers.filter((s) => s.component === 'mfa_server').map((s) => s.state)).toEqual(['Retired', 'Retired']);
    expect(servers.map((s) => s.name)).toEqual(expect.arrayContaining(['nps01', 'nps02', 'adfs01']));
    for (const s of servers.filter((x) => x.component === 'mfa_server')) expect(s.lastCommunicationAt < new Date('2024-10-01T00:00:00Z')).toBe(true);
    const live = servers.filter((s) => s.component !== 'mfa_server');
    const silent = live.filter((s) => NOW.getTime() - s.lastCommunicationAt.getTime() > 3_600_000);
    expect(silent).toHaveLength(1);
    for (const s of live) expect(NOW.getTime() - s.lastCommunicationAt.getTime()).toBeLessThan(6 * 3_600_000);
  });

  it('has MFA Server activity rows before the retirement with every Call Result code', () => {
    const rows = demoOnpremActivity(TENANT);
    const codes = new Set(rows.map((r) => r.callResult));
    for (const [code] of MFA_SERVER_CALL_RESULTS) expect(codes).toContain(code);
    for (const r of rows) {
      expect(r.occurredAt < new Date('2024-09-30T00:00:00Z')).toBe(true);
      expect(r.component).toBe('mfa_server');
      expect(['mfasrv01', 'mfasrv02']).toContain(r.server);
    }
    expect(rows.filter((r) => r.succeeded).length / rows.length).toBeGreaterThan(0.6);
  });
});

describe('demo tenant: throughput (printed, not asserted)', () => {
  it('streams sign-ins', () => {
    const opts: DemoTenantOptions = { users: 5000, days: 7, seed: 3, now: NOW };
    for (const _ of demoSignins({ ...opts, days: 2 })) void _; // JIT warm-up and tenant build
    const t0 = performance.now();
    let n = 0;
    for (const _ of demoSignins(opts)) n++;
    const s = (performance.now() - t0) / 1000;
    console.log(`demoSignins: ${n.toLocaleString()} records in ${s.toFixed(2)} s = ${Math.round(n / s).toLocaleString()} records/s`);
    expect(n).toBeGreaterThan(0);
  });
});
