// Deny by default: a Slack user sees data only when listed in MFA_ADMINS or a member of the
// MFA_ADMIN_GROUP user group. Group membership is cached for a few minutes; when Slack cannot
// say, group members are refused rather than guessed (fail secure).
import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';

export interface AdminCheckOptions {
  admins: readonly string[];
  group?: string;
  client: WebClient;
  logger: Logger;
  /** How long a fetched member list is trusted. */
  ttlMs?: number;
  now?: () => number;
}

/** Never rejects: a failure to read the group refuses its members (and is logged once per try). */
export type AdminCheck = (userId: string) => Promise<boolean>;

export function createAdminCheck(options: AdminCheckOptions): AdminCheck {
  const admins = new Set(options.admins);
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  let cached: { members: Set<string>; fetchedAt: number } | null = null;
  let inflight: Promise<Set<string> | null> | null = null;

  async function groupMembers(): Promise<Set<string> | null> {
    if (!options.group) return null;
    if (cached && now() - cached.fetchedAt < ttlMs) return cached.members;
    inflight ??= options.client.usergroups.users
      .list({ usergroup: options.group })
      .then((answer) => {
        const members = new Set(answer.users ?? []);
        cached = { members, fetchedAt: now() };
        return members;
      })
      .catch((error: unknown) => {
        options.logger.error(`Could not read the members of MFA_ADMIN_GROUP ${options.group}; refusing its members until Slack answers`, error);
        cached = null;
        return null;
      })
      .finally(() => {
        inflight = null;
      });
    return inflight;
  }

  return async (userId: string) => {
    if (admins.has(userId)) return true;
    const members = await groupMembers();
    return members?.has(userId) ?? false;
  };
}
