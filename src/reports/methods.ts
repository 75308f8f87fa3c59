// "How do users complete MFA": per method (normalised name) the sign-ins, distinct users, success
// rate and share; and how many satisfied MFA sign-ins needed no prompt at all (a claim already in
// the token, a remembered device, a trusted location, ...). Counts come from the hourly rollup
// (`signinFacts`); distinct users per method read `signins` in the period.
import type { Store } from '../../db/client.js';
import type { Period } from '../time/period.js';
import { distinctUsers, usersIn } from './distinct-users.js';
import { newestSigninAt, signinFacts } from './signin-facts.js';
import { NO_PROMPT_CATEGORIES, type NoPromptKey } from './signin-predicates.js';

export type { NoPromptKey } from './signin-predicates.js';

export interface MethodRow {
  /** Normalised method name ("Mobile app notification", "Text message", ...). */
  method: string;
  signins: number;
  users: number;
  satisfied: number;
  denied: number;
  interrupted: number;
}

export interface NoPromptRow {
  key: NoPromptKey;
  words: string;
  signins: number;
}

export interface MethodsReport {
  period: Period;
  signins: number;
  mfaRequired: number;
  /** MFA sign-ins that name a method: the whole the method shares are of. */
  withMethod: number;
  /** MFA sign-ins naming no method (v1.0 records, interrupted before a method was chosen). */
  withoutMethod: number;
  /** Most sign-ins first. */
  methods: MethodRow[];
  /** Satisfied MFA sign-ins, with a method or not. */
  satisfied: number;
  /** Satisfied without a prompt, per category, in the order of NO_PROMPT_CATEGORIES. */
  noPrompt: NoPromptRow[];
  dataAsOf: Date | null;
}

/** satisfied / (satisfied + denied + interrupted); null when the method never reached an end. */
export function successRate(row: Pick<MethodRow, 'satisfied' | 'denied' | 'interrupted'>): number | null {
  const ended = row.satisfied + row.denied + row.interrupted;
  return ended === 0 ? null : row.satisfied / ended;
}

export function noPromptTotal(report: Pick<MethodsReport, 'noPrompt'>): number {
  return report.noPrompt.reduce((sum, row) => sum + row.signins, 0);
}

export async function methodsReport(store: Store, period: Period): Promise<MethodsReport> {
  const [facts, users, dataAsOf] = await Promise.all([
    signinFacts(store, period),
    distinctUsers(store, period, ['method']),
    newestSigninAt(store),
  ]);

  const report: MethodsReport = {
    period,
    signins: 0,
    mfaRequired: 0,
    withMethod: 0,
    withoutMethod: 0,
    methods: [],
    satisfied: 0,
    noPrompt: NO_PROMPT_CATEGORIES.map((c) => ({ key: c.key, words: c.words, signins: 0 })),
    dataAsOf,
  };
  const categoryOf = new Map<string, NoPromptRow>();
  NO_PROMPT_CATEGORIES.forEach((c, i) => c.codes.forEach((code) => categoryOf.set(code, report.noPrompt[i]!)));
  const methods = new Map<string, MethodRow>();

  for (const fact of facts) {
    report.signins += fact.signins;
    if (fact.mfaRequired !== 'yes') continue;
    report.mfaRequired += fact.signins;
    if (fact.mfaOutcome === 'satisfied') {
      report.satisfied += fact.signins;
      const category = categoryOf.get(fact.mfaResultCode);
      if (category) category.signins += fact.signins;
    }
    if (!fact.mfaMethod) {
      report.withoutMethod += fact.signins;
      continue;
    }
    report.withMethod += fact.signins;
    const row = methods.get(fact.mfaMethod) ?? { method: fact.mfaMethod, signins: 0, users: 0, satisfied: 0, denied: 0, interrupted: 0 };
    row.signins += fact.signins;
    if (fact.mfaOutcome === 'satisfied') row.satisfied += fact.signins;
    else if (fact.mfaOutcome === 'denied') row.denied += fact.signins;
    else if (fact.mfaOutcome === 'interrupted') row.interrupted += fact.signins;
    methods.set(fact.mfaMethod, row);
  }
  for (const row of methods.values()) row.users = usersIn(users, 'method', row.method);
  report.methods = [...methods.values()].sort((a, b) => b.signins - a.signins || b.users - a.users || a.method.localeCompare(b.method));
  return report;
}
