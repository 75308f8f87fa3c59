import { resolveUser, storeHasUsers } from '../src/reports/resolve-user.js';
import { usageByUser, usageOverview, userUsage } from '../src/reports/usage.js';
import { parsePeriod } from '../src/time/period.js';
import { USAGE_DAYS_PAGE_SIZE, usageNotices, usageOverviewView, userUsageView } from '../src/views/usage-view.js';
import { defineSubcommand, periodAndUser, type CommandResult } from './types.js';

const args = periodAndUser('usage', 'usage 7d "Alice Smith"');

export const usageCommand = defineSubcommand({
  name: 'usage',
  usage: 'usage [period] [user]',
  help: 'Overall MFA usage and the users with the most prompts and failures; with a user (UPN or part of a name), their prompts and outcomes per day',
  examples: ['usage 7d', 'usage 7d alice@contoso.com', 'usage 30d "Alice Smith"'],
  args,
  async run({ period: periodWord, user }, { store, now, timeZone, commandText, offset }): Promise<CommandResult> {
    const period = parsePeriod(periodWord, now, timeZone);
    if (user === undefined) {
      const overview = await usageOverview(store, period);
      const page = { commandText, offset: 0, pageSize: overview.users, total: overview.users };
      return { outcome: 'answered', reply: usageOverviewView(overview, { page, timeZone }), rowCount: overview.summary.signins };
    }
    const found = await resolveUser(store, user, { signinsWithin: period });
    if (found.kind === 'none') {
      const reply = (await storeHasUsers(store)) ? usageNotices.noUser(user) : usageNotices.noUsers();
      return { outcome: 'usage_error', reply, rowCount: null };
    }
    if (found.kind === 'ambiguous') return { outcome: 'usage_error', reply: usageNotices.ambiguous(user, found.candidates, found.total, periodWord), rowCount: null };
    const usage = await userUsage(store, period, found.user, timeZone);
    const page = { commandText, offset, pageSize: USAGE_DAYS_PAGE_SIZE, total: usage.days.length };
    return { outcome: 'answered', reply: userUsageView(usage, { page, timeZone }), rowCount: usage.totals.signins };
  },
  async exportCsv({ period: periodWord, user }, { store, now, timeZone }) {
    const period = parsePeriod(periodWord, now, timeZone);
    if (user === undefined) {
      const users = await usageByUser(store, period);
      return {
        filename: 'mfa-usage-by-user.csv',
        columns: ['upn', 'display_name', 'sign_ins', 'mfa_required', 'prompts', 'satisfied', 'denied', 'interrupted'],
        rows: users.map((u) => [u.upn, u.displayName, u.signins, u.mfaRequired, u.prompts, u.satisfied, u.denied, u.interrupted]),
      };
    }
    const found = await resolveUser(store, user, { signinsWithin: period });
    // The button was made for one user; if the name no longer resolves, the file says so by being empty.
    const usage = found.kind === 'found' ? await userUsage(store, period, found.user, timeZone) : null;
    const slug = found.kind === 'found' ? found.user.upn.replace(/[^a-z0-9]+/gi, '-') : 'unknown-user';
    return {
      filename: `mfa-usage-${slug}.csv`,
      columns: ['day', 'sign_ins', 'mfa_required', 'prompts', 'satisfied', 'satisfied_without_prompt', 'denied', 'interrupted'],
      rows: (usage?.days ?? []).map((d) => [d.day, d.signins, d.mfaRequired, d.prompts, d.satisfied, d.noPrompt, d.denied, d.interrupted]),
    };
  },
});
