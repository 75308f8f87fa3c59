import { onpremUsageReport } from '../src/reports/onprem-usage.js';
import { parsePeriod } from '../src/time/period.js';
import { componentName, onpremCsvRowCount, onpremView } from '../src/views/onprem-view.js';
import { defineSubcommand, periodOnly } from './types.js';

export const onpremCommand = defineSubcommand({
  name: 'onprem',
  usage: 'onprem [period]',
  help: 'NPS extension and AD FS adapter MFA (outcomes, per NPS server) and the retired MFA Server\'s imported activity',
  examples: ['onprem 7d', 'onprem 30d', 'onprem 2024-09-01..2024-09-29'],
  args: periodOnly('onprem'),
  async run({ period }, { store, now, timeZone, commandText }) {
    const report = await onpremUsageReport(store, parsePeriod(period, now, timeZone));
    return { outcome: 'answered', reply: onpremView(report, { commandText, now, timeZone }), rowCount: onpremCsvRowCount(report) };
  },
  async exportCsv({ period }, { store, now, timeZone }) {
    const report = await onpremUsageReport(store, parsePeriod(period, now, timeZone));
    const rows: Array<Array<string | number | null>> = [
      ...report.components
        .filter((c) => c.signins > 0)
        .map((c) => ['sign-ins', componentName(c.component), null, null, c.signins, c.satisfied, c.denied, c.interrupted, c.other, null]),
      ...report.npsServers.map((s) => ['sign-ins', componentName('nps'), s.name, s.ipAddress, s.signins, s.satisfied, s.denied, s.interrupted, s.signins - s.satisfied - s.denied - s.interrupted, s.users]),
      ...report.activity.map((a) => ['activity report', componentName(a.component), a.server, null, a.authentications, a.succeeded, a.failed, null, null, a.users]),
    ];
    return {
      filename: 'mfa-onprem-usage.csv',
      columns: ['from', 'component', 'server', 'ip_address', 'total', 'succeeded', 'denied_or_failed', 'interrupted', 'other', 'users'],
      rows,
    };
  },
});
