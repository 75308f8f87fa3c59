import { z } from 'zod';
import { mfaBlockEvents } from '../db/schema.js';
import { blockHistoryReport, resolveHistoryUser, type HistoryTable, type UserFilter } from '../src/reports/block-history.js';
import { MAX_USER_TEXT } from '../src/reports/resolve-user.js';
import { isPeriodLike, parsePeriod, type Period } from '../src/time/period.js';
import { ambiguousUserReply, BLOCKED_PAGE_SIZE, blockedView, unknownUserReply } from '../src/views/blocked-view.js';
import type { Reply } from '../src/views/blocks.js';
import { defineSubcommand, type CommandContext } from './types.js';

export interface UserAndPeriod {
  user: string | undefined;
  period: string | undefined;
}

/** A word meant as a period: one `parsePeriod` reads, or a number-led word it will explain ("30days"). */
function periodWord(word: string): boolean {
  return isPeriodLike(word) || (/^\d/.test(word) && !word.includes('@'));
}

/** `[user] [period]` in either order; a name with spaces goes in "double quotes". */
export function userAndPeriodArgs(name: string): z.ZodType<UserAndPeriod, string[]> {
  return z
    .array(z.string())
    .max(2, { message: `${name} takes a user and a period at most (a name with spaces goes in "double quotes")` })
    .transform((words, ctx) => {
      const periods = words.filter(periodWord);
      const users = words.filter((w) => !periodWord(w));
      if (periods.length > 1) ctx.addIssue({ code: 'custom', message: `${name} takes one period at most` });
      else if (users.length > 1) ctx.addIssue({ code: 'custom', message: `${name} takes one user at most (a name with spaces goes in "double quotes")` });
      else if (users[0] !== undefined && users[0].length > MAX_USER_TEXT) {
        ctx.addIssue({ code: 'custom', message: `that user is ${users[0].length} characters long; a UPN or display name is at most ${MAX_USER_TEXT}` });
      } else return { user: users[0], period: periods[0] };
      return z.NEVER;
    });
}

/** The period and the user filter, or the one-line reply that explains why there is no user. */
export async function periodAndUser(
  table: HistoryTable,
  args: UserAndPeriod,
  context: CommandContext,
): Promise<{ period: Period; user: UserFilter | null } | { problem: Reply }> {
  const period = parsePeriod(args.period, context.now, context.timeZone);
  if (args.user === undefined) return { period, user: null };
  const resolved = await resolveHistoryUser(context.store, table, args.user, period);
  if (resolved.kind === 'none') return { problem: unknownUserReply(args.user) };
  if (resolved.kind === 'ambiguous') return { problem: ambiguousUserReply(args.user, resolved.candidates, resolved.total) };
  return { period, user: resolved.filter };
}

export const blockedCommand = defineSubcommand({
  name: 'blocked',
  usage: 'blocked [user] [period]',
  help: 'Who is blocked from MFA now, and block / unblock requests (who, when, why, by whom); imported history and fraud auto-blocks',
  examples: ['blocked 30d', 'blocked bob@contoso.com 90d', 'blocked 2026-11-01..2026-11-07'],
  args: userAndPeriodArgs('blocked'),
  async run(args, context) {
    const asked = await periodAndUser(mfaBlockEvents, args, context);
    if ('problem' in asked) return { outcome: 'usage_error', reply: asked.problem, rowCount: null };
    const { store, now, timeZone, commandText, offset } = context;
    const report = await blockHistoryReport(store, { ...asked, offset, limit: BLOCKED_PAGE_SIZE });
    const page = { commandText, offset, pageSize: BLOCKED_PAGE_SIZE, total: report.events };
    return { outcome: 'answered', reply: blockedView(report, { page, now, timeZone }), rowCount: report.events };
  },
  async exportCsv(args, context) {
    const asked = await periodAndUser(mfaBlockEvents, args, context);
    const report = 'problem' in asked ? null : await blockHistoryReport(context.store, { ...asked, offset: 0, limit: null });
    return {
      filename: 'mfa-block-history.csv',
      columns: ['occurred_at', 'upn', 'action', 'reason', 'by', 'source', 'blocked_now'],
      rows: (report?.rows ?? []).map((e) => [e.occurredAt, e.upn, e.action, e.reason, e.actor, e.source, e.blockedNow]),
    };
  },
});
