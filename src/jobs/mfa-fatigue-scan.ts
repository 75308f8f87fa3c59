// The MFA fatigue scan, every minute: the last day of denied or unanswered push prompts, read
// through a partial index, so prompts that arrive late (Graph delivers sign-ins minutes to hours
// after they happen) still complete an attack. Reports are deduplicated by record-mfa-fatigue.ts.
import type { Store } from '../../db/client.js';
import { findFatigueAttacks, pushPromptsBetween, type FatiguePolicy } from '../fraud/detect-mfa-fatigue.js';
import { recordMfaFatigue } from '../fraud/record-mfa-fatigue.js';
import type { Job } from './job-runner.js';

export const MFA_FATIGUE_JOB = 'mfa-fatigue';
const LOOKBACK_MS = 24 * 3_600_000;

export async function scanMfaFatigue(store: Store, now: Date, policy: FatiguePolicy) {
  const prompts = await pushPromptsBetween(store, new Date(now.getTime() - LOOKBACK_MS), now);
  return recordMfaFatigue(store, findFatigueAttacks(prompts, policy), policy);
}

export function mfaFatigueJob(options: { store: Store; policy: FatiguePolicy; cron?: string }): Job {
  return {
    name: MFA_FATIGUE_JOB,
    cron: options.cron ?? '* * * * *',
    async run({ now }) {
      const { newReportIds, linked } = await scanMfaFatigue(options.store, now, options.policy);
      return newReportIds.length > 0 ? `new MFA fatigue reports ${newReportIds.join(', ')} (${linked} prompts linked)` : `no new attack (${linked} prompts linked)`;
    },
  };
}
