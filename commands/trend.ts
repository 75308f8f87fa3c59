import { trendChartFile } from '../src/charts/trend-chart-file.js';
import { resolveUser, storeHasUsers } from '../src/reports/resolve-user.js';
import { trendReport } from '../src/reports/trend.js';
import { parsePeriod } from '../src/time/period.js';
import { trendNotices, trendView } from '../src/views/trend-view.js';
import { defineSubcommand, periodAndUser, type CommandResult } from './types.js';

export const TREND_DEFAULT_PERIOD = '14d';

const args = periodAndUser('trend', 'trend 14d "Alice Smith"');

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
