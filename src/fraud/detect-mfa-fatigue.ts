// MFA fatigue ("push bombing"): someone with a user's password sends push prompt after push
// prompt until the user approves one to make it stop. The sign-in logs show it as a run of
// denied or unanswered Authenticator prompts (graph-data.md §3.4). N of them for one user
// within M minutes (MFA_FATIGUE_PROMPTS in MFA_FATIGUE_MINUTES, defaults 5 in 10) is an attack;
// the attack is the whole run, every prompt within M minutes of the one before.
import { sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';

export interface FatiguePolicy {
  prompts: number;
  minutes: number;
}

export interface PushPrompt {
  signinId: string;
  at: Date;
  upn: string;
  userId: string | null;
  ipAddress: string | null;
  city: string | null;
  countryOrRegion: string | null;
  appDisplayName: string | null;
}

export interface FatigueAttack {
  upn: string;
  prompts: PushPrompt[];
}

const PUSH_METHOD = 'Mobile app notification';

/** Finds the attacks among prompts (any order, any users). */
export function findFatigueAttacks(prompts: ReadonlyArray<PushPrompt>, policy: FatiguePolicy): FatigueAttack[] {
  const windowMs = policy.minutes * 60_000;
  const byUser = new Map<string, PushPrompt[]>();
  for (const prompt of prompts) {
    const key = prompt.upn.toLowerCase();
    byUser.set(key, [...(byUser.get(key) ?? []), prompt]);
  }
  const attacks: FatigueAttack[] = [];
  for (const [upn, list] of byUser) {
    list.sort((a, b) => a.at.getTime() - b.at.getTime());
    let run: PushPrompt[] = [];
    const close = () => {
      if (isAttack(run, policy.prompts, windowMs)) attacks.push({ upn, prompts: run });
      run = [];
    };
    for (const prompt of list) {
      const previous = run[run.length - 1];
      if (previous && prompt.at.getTime() - previous.at.getTime() > windowMs) close();
      run.push(prompt);
    }
    close();
  }
  return attacks;
}

/** Whether some `count` consecutive prompts of the run fall within `windowMs`. */
function isAttack(run: PushPrompt[], count: number, windowMs: number): boolean {
  for (let i = 0; i + count - 1 < run.length; i += 1) {
    if (run[i + count - 1]!.at.getTime() - run[i]!.at.getTime() <= windowMs) return true;
  }
  return false;
}

/** Denied or unanswered push prompts in [from, to], oldest first. */
export async function pushPromptsBetween(store: Store, from: Date, to: Date): Promise<PushPrompt[]> {
  // Declined or never answered (mfa-vocabulary.ts); matches the partial index signins_push_denials_idx.
  const rows = await store.rows<{
    id: string;
    created_at: string | Date;
    upn: string;
    user_id: string | null;
    ip_address: string | null;
    city: string | null;
    country_or_region: string | null;
    app_display_name: string | null;
  }>(sql`
    SELECT "id", "created_at", "upn", "user_id", "ip_address", "city", "country_or_region", "app_display_name"
    FROM "signins"
    WHERE "created_at" >= ${from.toISOString()}::timestamptz AND "created_at" <= ${to.toISOString()}::timestamptz
      AND "mfa_method" = ${PUSH_METHOD} AND "mfa_result_code" IN ('denied_user_declined', 'denied_no_response')
      AND "upn" IS NOT NULL
    ORDER BY "created_at"`);
  return rows.map((row) => ({
    signinId: row.id,
    at: new Date(row.created_at),
    upn: row.upn,
    userId: row.user_id,
    ipAddress: row.ip_address,
    city: row.city,
    countryOrRegion: row.country_or_region,
    appDisplayName: row.app_display_name,
  }));
}
