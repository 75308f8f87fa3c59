import { failuresReport, reasonAdvice, reasonWords } from '../src/reports/failures.js';
import { parsePeriod } from '../src/time/period.js';
import { FAILURES_PAGE_SIZE, failuresView } from '../src/views/failures-view.js';
import { formatShare } from '../src/views/format.js';
import { defineSubcommand, periodOnly } from './types.js';

export const failuresCommand = defineSubcommand({
  name: 'failures',
  usage: 'failures [period]',
  help: 'Why MFA failed: denial and interruption reasons by sign-ins and by users, what to do about each, the users most affected',
  examples: ['failures 7d', 'failures yesterday', 'failures 2026-11-01..2026-11-07'],
  args: periodOnly('failures'),
  async run({ period }, { store, now, timeZone, commandText, offset }) {
    const report = await failuresReport(store, parsePeriod(period, now, timeZone));
    const page = { commandText, offset, pageSize: FAILURES_PAGE_SIZE, total: report.reasons.length };
    return { outcome: 'answered', reply: failuresView(report, { page, timeZone }), rowCount: report.reasons.length };
  },
  async exportCsv({ period }, { store, now, timeZone }) {
    const report = await failuresReport(store, parsePeriod(period, now, timeZone));
    const failed = report.denied + report.interrupted;
    return {
      filename: 'mfa-failures.csv',
      columns: ['reason', 'code', 'sign_ins', 'users', 'share', 'advice'],
      rows: report.reasons.map((r) => [
        reasonWords(r),
        r.code,
        r.signins,
        r.users,
        formatShare(r.signins, failed),
        reasonAdvice(r),
      ]),
    };
  },
});
