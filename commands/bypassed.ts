import { mfaBypassEvents } from '../db/schema.js';
import { bypassHistoryReport } from '../src/reports/bypass-history.js';
import { BYPASSED_PAGE_SIZE, bypassedView } from '../src/views/bypassed-view.js';
import { periodAndUser, userAndPeriodArgs } from './blocked.js';
import { defineSubcommand } from './types.js';

export const bypassedCommand = defineSubcommand({
  name: 'bypassed',
  usage: 'bypassed [user] [period]',
  help: 'One-time MFA bypasses (user, seconds, reason, by whom, when) and which are still valid; imported MFA Server history',
  examples: ['bypassed 30d', 'bypassed bob@contoso.com 90d', 'bypassed 2024-09-01..2024-09-30'],
  args: userAndPeriodArgs('bypassed'),
  async run(args, context) {
    const asked = await periodAndUser(mfaBypassEvents, args, context);
    if ('problem' in asked) return { outcome: 'usage_error', reply: asked.problem, rowCount: null };
    const { store, now, timeZone, commandText, offset } = context;
    const report = await bypassHistoryReport(store, { ...asked, now, offset, limit: BYPASSED_PAGE_SIZE });
    const page = { commandText, offset, pageSize: BYPASSED_PAGE_SIZE, total: report.bypasses };
    return { outcome: 'answered', reply: bypassedView(report, { page, now, timeZone }), rowCount: report.bypasses };
  },
  async exportCsv(args, context) {
    const asked = await periodAndUser(mfaBypassEvents, args, context);
    const report = 'problem' in asked ? null : await bypassHistoryReport(context.store, { ...asked, now: context.now, offset: 0, limit: null });
    return {
      filename: 'mfa-bypass-history.csv',
      columns: ['occurred_at', 'upn', 'seconds', 'reason', 'by', 'replication_group', 'expires_at', 'still_valid', 'source'],
      rows: (report?.rows ?? []).map((e) => [e.occurredAt, e.upn, e.seconds, e.reason, e.actor, e.replicationGroup, e.expiresAt, e.stillValid, e.source]),
    };
  },
});
