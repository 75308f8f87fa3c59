import { summaryReport } from '../src/reports/summary.js';
import { parsePeriod } from '../src/time/period.js';
import { summaryView } from '../src/views/summary-view.js';
import { defineSubcommand, periodOnly } from './types.js';

export const summaryCommand = defineSubcommand({
  name: 'summary',
  usage: 'summary [period]',
  help: 'How many sign-ins were challenged for MFA, satisfied, denied or interrupted; who could not complete it; why; which methods',
  examples: ['summary 7d', 'summary yesterday', 'summary 2026-11-01..2026-11-07'],
  args: periodOnly('summary'),
  async run({ period }, { store, now, timeZone }) {
    const report = await summaryReport(store, parsePeriod(period, now, timeZone));
    return { outcome: 'answered', reply: summaryView(report, timeZone), rowCount: report.signins };
  },
});
