import { conditionalAccessReport } from '../src/reports/conditional-access.js';
import { parsePeriod } from '../src/time/period.js';
import { CA_PAGE_SIZE, conditionalAccessView, policyName } from '../src/views/conditional-access-view.js';
import { formatShare } from '../src/views/format.js';
import { defineSubcommand, periodOnly } from './types.js';

export const caCommand = defineSubcommand({
  name: 'ca',
  usage: 'ca [period]',
  help: 'Conditional Access per policy: applied, succeeded, failed, grant and session controls; report-only apart; CA status of sign-ins',
  examples: ['ca 7d', 'ca 30d', 'ca 2026-11-01..2026-11-07'],
  args: periodOnly('ca'),
  async run({ period }, { store, now, timeZone, commandText, offset }) {
    const report = await conditionalAccessReport(store, parsePeriod(period, now, timeZone));
    const page = { commandText, offset, pageSize: CA_PAGE_SIZE, total: report.policies.length };
    return { outcome: 'answered', reply: conditionalAccessView(report, { page, timeZone }), rowCount: report.policies.length };
  },
  async exportCsv({ period }, { store, now, timeZone }) {
    const report = await conditionalAccessReport(store, parsePeriod(period, now, timeZone));
    return {
      filename: 'mfa-conditional-access.csv',
      columns: ['mode', 'policy_id', 'policy', 'sign_ins', 'share_of_sign_ins', 'succeeded', 'failed', 'interrupted', 'other', 'grant_controls', 'session_controls'],
      rows: report.policies.map((p) => [
        p.mode === 'enforced' ? 'enforced' : 'report-only',
        p.policyId,
        policyName(p),
        p.applied,
        formatShare(p.applied, report.signins),
        p.succeeded,
        p.failed,
        p.interrupted,
        p.other,
        p.grantControls.join('; '),
        p.sessionControls.join('; '),
      ]),
    };
  },
});
