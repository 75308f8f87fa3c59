import { z } from 'zod';
import { MAX_USER_TEXT, resolveUser, storeHasUsers } from '../src/reports/resolve-user.js';
import { userActivityReport, type UserActivityQuery } from '../src/reports/user-activity.js';
import { isPeriodLike, parsePeriod, type Period } from '../src/time/period.js';
import type { Reply } from '../src/views/blocks.js';
import { USER_PAGE_SIZE, userView } from '../src/views/user-view.js';
import { defineSubcommand, type CommandContext, type CommandResult } from './types.js';

interface UserArgs {
  user: string;
  period: string | undefined;
}

/** A word meant as a period: one `parsePeriod` reads, or a number-led word it will explain ("30days"). */
function periodWord(word: string): boolean {
  return isPeriodLike(word) || (/^\d/.test(word) && !word.includes('@'));
}

const QUOTE_HINT = 'a name with spaces goes in "double quotes", e.g. user "Adele Vance" 30d';

const args = z
  .array(z.string())
  .transform((words, ctx): UserArgs => {
    const periods = words.filter(periodWord);
    const users = words.filter((w) => !periodWord(w));
    let problem: string | null = null;
    if (users.length === 0) problem = 'say which user: a UPN like adele@contoso.com or part of a display name';
    else if (words.length > 2) problem = `user takes one user and one period at most; ${QUOTE_HINT}`;
    else if (periods.length > 1) problem = 'user takes one period at most';
    else if (users.length > 1) problem = `user takes one user at most; ${QUOTE_HINT}`;
    else if (users[0]!.length > MAX_USER_TEXT) problem = `that user is ${users[0]!.length} characters long; a UPN or display name is at most ${MAX_USER_TEXT}`;
    if (problem === null) return { user: users[0]!, period: periods[0] };
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  });

type Asked = { period: Period; query: Omit<UserActivityQuery, 'offset' | 'limit'> } | { result: CommandResult };

/** The period and the one user meant, or the reply that says why there is none. */
async function ask({ user, period: periodText }: UserArgs, context: CommandContext): Promise<Asked> {
  const { store, now, timeZone } = context;
  const period = parsePeriod(periodText, now, timeZone);
  const resolved = await resolveUser(store, user, { signinsWithin: { from: period.from, to: period.to } });
  const refuse = (reply: Reply, outcome: CommandResult['outcome'] = 'usage_error'): Asked => ({ result: { outcome, reply, rowCount: null } });
  if (resolved.kind === 'none') {
    if (!(await storeHasUsers(store))) return { result: { outcome: 'answered', reply: userView.emptyStore(), rowCount: 0 } };
    return refuse(userView.notFound(user, `searched the registration details and the sign-ins of ${period.label}`));
  }
  if (resolved.kind === 'ambiguous') {
    const example = `user ${resolved.candidates[0]!.upn}${periodText ? ` ${periodText}` : ''}`;
    return refuse(userView.ambiguous(user, resolved.candidates, resolved.total, example));
  }
  return { period, query: { user: resolved.user, period, now } };
}

export const userCommand = defineSubcommand({
  name: 'user',
  usage: 'user <upn or name> [period]',
  help: "One user's MFA story: their sign-ins (challenged? how they completed MFA, or why they couldn't; Conditional Access), registration, block / bypass now and fraud reports",
  examples: ['user adele@contoso.com 30d', 'user "Adele Vance"', 'user adele yesterday'],
  args,
  async run(words, context) {
    const asked = await ask(words, context);
    if ('result' in asked) return asked.result;
    const { store, timeZone, commandText, offset } = context;
    const report = await userActivityReport(store, { ...asked.query, offset, limit: USER_PAGE_SIZE });
    const page = { commandText, offset, pageSize: USER_PAGE_SIZE, total: report.totals.signins };
    return { outcome: 'answered', reply: userView.report(report, { page, timeZone }), rowCount: report.totals.signins };
  },
  async exportCsv(words, context) {
    const asked = await ask(words, context);
    if ('result' in asked) return { filename: 'mfa-user.csv', columns: ['problem'], rows: [[asked.result.reply.text]] };
    const report = await userActivityReport(context.store, { ...asked.query, offset: 0, limit: null });
    const name = report.user.upn.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
    return {
      filename: `mfa-user-${name}.csv`,
      columns: [
        'created_at',
        'signin_id',
        'upn',
        'app',
        'city',
        'country',
        'ip_address',
        'client_app',
        'error_code',
        'failure_reason',
        'mfa_required',
        'mfa_required_reason',
        'mfa_outcome',
        'mfa_result_code',
        'mfa_result_detail',
        'mfa_method',
        'mfa_auth_detail',
        'ca_status',
        'ca_policies',
        'onprem_component',
      ],
      rows: report.signins.map((s) => [
        s.createdAt,
        s.id,
        s.upn ?? report.user.upn,
        s.appDisplayName,
        s.city,
        s.countryOrRegion,
        s.ipAddress,
        s.clientAppUsed,
        s.errorCode,
        s.failureReason,
        s.mfaRequired,
        s.mfaRequiredReason,
        s.mfaOutcome,
        s.mfaResultCode,
        s.mfaResultDetail,
        s.mfaMethod,
        s.mfaAuthDetail,
        s.caStatus,
        s.policies
          .map((p) => `${p.name ?? p.policyId}: ${p.result} (grant: ${p.grantControls.join(' ') || 'none'}; session: ${p.sessionControls.join(' ') || 'none'})`)
          .join(' | '),
        s.onpremComponent,
      ]),
    };
  },
});
