// The MFA summary for a period: what `/mfa summary` shows and the daily summary posts.
import type { Store } from '../../db/client.js';
import type { Period } from '../time/period.js';
import { distinctUsers, usersIn } from './distinct-users.js';
import { newestSigninAt, signinFacts } from './signin-facts.js';

export interface FailureReason {
  /** Classified result code, e.g. 'denied_voicemail'; 'other' for strings the vocabulary lacks. */
  code: string;
  /** The raw result string, for 'other' (so an admin sees what Microsoft wrote). */
  detail: string | null;
  signins: number;
}

export interface MethodCount {
  method: string;
  signins: number;
}

export interface SummaryReport {
  period: Period;
  signins: number;
  mfaRequired: number;
  satisfied: number;
  denied: number;
  interrupted: number;
  /** Required MFA but primary authentication failed first, or the outcome is unknown. */
  otherOutcome: number;
  usersChallenged: number;
  /** Users with at least one denied or interrupted MFA sign-in. */
  usersFailed: number;
  topFailureReasons: FailureReason[];
  /** Sign-ins that required MFA and name a method. */
  methods: MethodCount[];
  dataAsOf: Date | null;
}

const TOP_REASONS = 5;

/** The user sets the summary counts (see distinctUsers). */
export const SUMMARY_USER_SETS = ['challenged', 'failed'] as const;

/**
 * `userCounts`: distinct users of the period already being counted by a caller that needs more
 * sets than SUMMARY_USER_SETS (usage): each count reads the period's raw edge sign-ins again.
 */
export async function summaryReport(store: Store, period: Period, userCounts?: Promise<Map<string, number>>): Promise<SummaryReport> {
  const [facts, users, dataAsOf] = await Promise.all([
    signinFacts(store, period),
    userCounts ?? distinctUsers(store, period, SUMMARY_USER_SETS),
    newestSigninAt(store),
  ]);

  const report: SummaryReport = {
    period,
    signins: 0,
    mfaRequired: 0,
    satisfied: 0,
    denied: 0,
    interrupted: 0,
    otherOutcome: 0,
    usersChallenged: usersIn(users, 'challenged'),
    usersFailed: usersIn(users, 'failed'),
    topFailureReasons: [],
    methods: [],
    dataAsOf,
  };
  const reasons = new Map<string, FailureReason>();
  const methods = new Map<string, number>();
  for (const fact of facts) {
    report.signins += fact.signins;
    if (fact.mfaRequired !== 'yes') continue;
    report.mfaRequired += fact.signins;
    if (fact.mfaOutcome === 'satisfied') report.satisfied += fact.signins;
    else if (fact.mfaOutcome === 'denied') report.denied += fact.signins;
    else if (fact.mfaOutcome === 'interrupted') report.interrupted += fact.signins;
    else report.otherOutcome += fact.signins;
    if (fact.mfaOutcome === 'denied' || fact.mfaOutcome === 'interrupted') {
      const code = fact.mfaResultCode || 'none';
      const detail = code === 'other' ? fact.mfaResultDetail : null;
      const key = `${code}\u0000${detail ?? ''}`;
      const reason = reasons.get(key) ?? { code, detail, signins: 0 };
      reason.signins += fact.signins;
      reasons.set(key, reason);
    }
    if (fact.mfaMethod) methods.set(fact.mfaMethod, (methods.get(fact.mfaMethod) ?? 0) + fact.signins);
  }
  report.topFailureReasons = [...reasons.values()]
    .sort((a, b) => b.signins - a.signins || a.code.localeCompare(b.code))
    .slice(0, TOP_REASONS);
  report.methods = [...methods.entries()]
    .map(([method, signins]) => ({ method, signins }))
    .sort((a, b) => b.signins - a.signins || a.method.localeCompare(b.method));
  return report;
}
