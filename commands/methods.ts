import { methodsReport, successRate } from '../src/reports/methods.js';
import { parsePeriod } from '../src/time/period.js';
import { formatShare } from '../src/views/format.js';
import { METHODS_PAGE_SIZE, methodsView } from '../src/views/methods-view.js';
import { defineSubcommand, periodOnly } from './types.js';

export const methodsCommand = defineSubcommand({
  name: 'methods',
  usage: 'methods [period]',
  help: 'How users complete MFA: per method sign-ins, users, success rate and share; how many were satisfied without a prompt',
  examples: ['methods 7d', 'methods 30d', 'methods yesterday'],
  args: periodOnly('methods'),
  async run({ period }, { store, now, timeZone, commandText, offset }) {
    const report = await methodsReport(store, parsePeriod(period, now, timeZone));
    const page = { commandText, offset, pageSize: METHODS_PAGE_SIZE, total: report.methods.length };
    return { outcome: 'answered', reply: methodsView(report, { page, timeZone }), rowCount: report.methods.length };
  },
  async exportCsv({ period }, { store, now, timeZone }) {
    const report = await methodsReport(store, parsePeriod(period, now, timeZone));
    return {
      filename: 'mfa-methods.csv',
      columns: ['method', 'sign_ins', 'share', 'users', 'satisfied', 'denied', 'interrupted', 'success_rate'],
      rows: report.methods.map((m) => [
        m.method,
        m.signins,
        formatShare(m.signins, report.withMethod),
        m.users,
        m.satisfied,
        m.denied,
        m.interrupted,
        successRate(m) === null ? null : formatShare(m.satisfied, m.satisfied + m.denied + m.interrupted),
      ]),
    };
  },
});
