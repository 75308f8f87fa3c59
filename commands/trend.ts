import { z } from 'zod';
import { trendChartFile } from '../src/charts/trend-chart-file.js';
import { MAX_USER_TEXT, resolveUser, storeHasUsers } from '../src/reports/resolve-user.js';
import { trendReport } from '../src/reports/trend.js';
import { isPeriodLike, parsePeriod } from '../src/time/period.js';
import { trendNotices, trendView } from '../src/views/trend-view.js';
import { defineSubcommand, type CommandResult } from './types.js';

export const TREND_DEFAULT_PERIOD = '14d';

/** A period word and a user, in either order; a name with spaces comes in quotes. */
const args = z.array(z.string()).transform((words, ctx) => {
  const periods = words.filter((w) => isPeriodLike(w));
  const users = words.filter((w) => !isPeriodLike(w));
  if (periods.length > 1) {
    ctx.addIssue({ code: 'custom', message: 'trend takes one period at most' });
    return z.NEVER;
  }
  if (users.length > 1) {
    ctx.addIssue({ code: 'custom', message: 'trend takes one user (a UPN or part of a name); put a name with spaces in quotes, e.g. trend 14d "Alice Smith"' });
    return z.NEVER;
  }
  const user = users[0];
  if (user !== undefined && user.length > MAX_USER_TEXT) {
    ctx.addIssue({ code: 'custom', message: `a user is a UPN or part of a name, at most ${MAX_USER_TEXT} characters` });
    return z.NEVER;
  }
  return { period: periods[0], user };
});

export const trendCommand = defineSubcommand({
  name: 'trend',
  usage: 'trend [period] [user]',
  help: 'A chart of satisfied / denied / interrupted MFA sign-ins per day and the top failure reasons (default the last 14 days); with a user, theirs',
  examples: ['trend', 'trend 30d', 'trend 14d alice@contoso.com'],
  args,
  async run({ period: periodWord, user }, { store, now, timeZone }): Promise<CommandResult> {
    const period = parsePeriod(periodWord ?? TREND_DEFAULT_PERIOD, now, timeZone);
    let resolved = null;
    if (user !== undefined) {
      const found = await resolveUser(store, user, { signinsWithin: period });
      if (found.kind === 'none') {
        const reply = (await storeHasUsers(store)) ? trendNotices.noUser(user) : trendNotices.noUsers();
        return { outcome: 'usage_error', reply, rowCount: null };
      }
      if (found.kind === 'ambiguous') return { outcome: 'usage_error', reply: trendNotices.ambiguous(user, found.candidates, found.total, periodWord), rowCount: null };
      resolved = found.user;
    }
    const report = await trendReport(store, period, timeZone, resolved);
    return {
      outcome: 'answered',
      reply: trendView(report, timeZone),
      rowCount: report.signins,
      files: [await trendChartFile(report, timeZone)],
    };
  },
});
