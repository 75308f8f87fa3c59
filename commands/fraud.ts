import { fraudHistoryReport } from '../src/reports/fraud-history.js';
import { parsePeriod } from '../src/time/period.js';
import { FRAUD_PAGE_SIZE, fraudSourceWords, fraudStatusWords, fraudView } from '../src/views/fraud-view.js';
import { defineSubcommand, periodOnly } from './types.js';

export const fraudCommand = defineSubcommand({
  name: 'fraud',
  usage: 'fraud [period]',
  help: 'Fraud alerts (users reporting an MFA prompt): who, when, where, the records behind each, how handled, whether posted to Slack',
  examples: ['fraud 7d', 'fraud 30d', 'fraud 2026-11-01..2026-11-07'],
  args: periodOnly('fraud'),
  async run({ period }, { store, now, timeZone, commandText, offset }) {
    const report = await fraudHistoryReport(store, { period: parsePeriod(period, now, timeZone), offset, limit: FRAUD_PAGE_SIZE });
    const page = { commandText, offset, pageSize: FRAUD_PAGE_SIZE, total: report.alerts };
    return { outcome: 'answered', reply: fraudView(report, { page, timeZone }), rowCount: report.alerts };
  },
  async exportCsv({ period }, { store, now, timeZone }) {
    const report = await fraudHistoryReport(store, { period: parsePeriod(period, now, timeZone), offset: 0, limit: null });
    return {
      filename: 'mfa-fraud-alerts.csv',
      columns: [
        'reported_at',
        'kind',
        'upn',
        'ip_address',
        'city',
        'country',
        'app',
        'method',
        'status',
        'acted_by',
        'acted_at',
        'slack_channel',
        'posted_at',
        'delivered',
        'correlation_id',
        'records',
      ],
      rows: report.rows.map((a) => [
        a.reportedAt,
        a.kind,
        a.upn,
        a.ipAddress,
        a.city,
        a.countryOrRegion,
        a.appDisplayName,
        a.mfaMethod,
        fraudStatusWords(a.status),
        a.actedBy,
        a.actedAt,
        a.slackChannel,
        a.postedAt,
        a.postedAt !== null,
        a.correlationId,
        a.sources.map((s) => `${fraudSourceWords(s)} [${s.id}]`).join('; '),
      ]),
    };
  },
});
