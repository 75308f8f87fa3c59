// `/mfa fraud`: how many fraud alerts, from how many users, how they were handled; then each alert
// with where it came from, the records behind it and whether it reached the alert channel.
import type { KnownBlock } from '@slack/types';
import { describeResultCode } from '../ingest/mfa-vocabulary.js';
import type { FraudAlert, FraudHistoryReport, FraudSourceRecord } from '../reports/fraud-history.js';
import { formatLocalDateTime } from '../time/zoned.js';
import { context, escapeMrkdwn, fields, header, reply, section, type Reply } from './blocks.js';
import { periodContext } from './data-as-of.js';
import { countWithShare, formatCount, plural } from './format.js';
import { pageLine, pagerBlock, type PageInfo } from './pager.js';

/** One alert is a few lines; ten keep a page well inside Slack's limits. */
export const FRAUD_PAGE_SIZE = 10;

const STATUS_WORDS: Record<string, string> = {
  new: 'New',
  acknowledged: 'Acknowledged',
  false_positive: 'False positive',
  escalated: 'Escalated',
};

export function fraudStatusWords(status: string): string {
  return STATUS_WORDS[status] ?? status;
}

const SOURCE_WORDS: Record<string, string> = {
  risk_detection: 'risk detection (user reported suspicious activity)',
  directory_audit: 'audit entry',
  signin: 'denied sign-in',
  import: 'imported record',
};

export function fraudSourceWords(source: Pick<FraudSourceRecord, 'kind' | 'activity'>): string {
  const words = SOURCE_WORDS[source.kind] ?? source.kind;
  return source.kind === 'directory_audit' && source.activity ? `${words} “${source.activity}”` : words;
}

/** A Slack user id becomes a mention; anything else (a UPN, a name) is shown as text. */
export function slackUser(who: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(who) ? `<@${who}>` : escapeMrkdwn(who);
}

export function slackChannel(channel: string): string {
  return /^[CGD][A-Z0-9]{2,}$/.test(channel) ? `<#${channel}>` : `#${escapeMrkdwn(channel.replace(/^#/, ''))}`;
}

function place(alert: FraudAlert): string {
  const parts = [alert.ipAddress, alert.city, alert.countryOrRegion].filter((p): p is string => Boolean(p));
  return parts.length ? escapeMrkdwn(parts.join(', ')) : 'unknown';
}

/** "risk detection, denied sign-in ×3, audit entry “…”": each kind once, in order of arrival. */
function recordWords(sources: FraudSourceRecord[]): string {
  if (sources.length === 0) return 'none linked';
  const counts = new Map<string, number>();
  for (const source of sources) {
    const words = fraudSourceWords(source);
    counts.set(words, (counts.get(words) ?? 0) + 1);
  }
  return [...counts.entries()].map(([words, n]) => `${escapeMrkdwn(words)}${n > 1 ? ` ×${n}` : ''}`).join(', ');
}

function alertSection(alert: FraudAlert, timeZone: string): KnownBlock {
  const when = `${formatLocalDateTime(alert.reportedAt, timeZone)} (${timeZone})`;
  const kind = alert.kind === 'mfa_fatigue' ? ' · MFA fatigue' : '';
  const lines = [
    `*${escapeMrkdwn(alert.upn)}* · ${when}${kind} · *${fraudStatusWords(alert.status)}*`,
    `Where: ${place(alert)} · App: ${escapeMrkdwn(alert.appDisplayName ?? 'unknown')} · Method: ${escapeMrkdwn(alert.mfaMethod ?? 'unknown')}`,
    `Records: ${recordWords(alert.sources)}`,
  ];
  const handled =
    alert.status === 'new'
      ? 'Handled: not yet'
      : `Handled: ${fraudStatusWords(alert.status).toLowerCase()}${alert.actedBy ? ` by ${slackUser(alert.actedBy)}` : ''}${alert.actedAt ? ` on ${formatLocalDateTime(alert.actedAt, timeZone)}` : ''}`;
  const posted = alert.postedAt
    ? `Slack: posted${alert.slackChannel ? ` to ${slackChannel(alert.slackChannel)}` : ''} at ${formatLocalDateTime(alert.postedAt, timeZone)}`
    : alert.alertState === 'skipped'
      ? 'Slack: not posted (it was already old when it reached the store)'
      : `Slack: not delivered yet${alert.lastDeliveryError ? ` (last attempt: ${escapeMrkdwn(alert.lastDeliveryError)})` : ''}`;
  lines.push(`${handled} · ${posted}`);
  return section(lines.join('\n'));
}

export function fraudView(report: FraudHistoryReport, options: { page: PageInfo; timeZone: string }): Reply {
  const { timeZone } = options;
  const title = `Fraud alerts: ${report.period.label}`;
  const blocks: KnownBlock[] = [header(title)];
  const closing = periodContext(report.period, report.dataAsOf, timeZone);

  if (report.alerts === 0) {
    const why =
      report.storeAlerts === 0
        ? 'No fraud alerts in the store yet. They come from Identity Protection risk detections (`userReportedSuspiciousActivity`), ' +
          'audit entries (“Suspicious activity reported”, “Fraud reported - …”) and sign-ins denied with a fraud code: run `npm run sync` ' +
          '(permissions IdentityRiskEvent.Read.All and AuditLog.Read.All) or `npm run import -- FILE`.'
        : `No fraud alerts in this period. The newest in the store is from ${formatLocalDateTime(report.newestAlert!.reportedAt, timeZone)} (${timeZone}), ` +
          `${escapeMrkdwn(report.newestAlert!.upn)}; ${plural(report.storeAlerts, 'alert')} in all: try a longer period such as \`/mfa fraud 30d\`.`;
    blocks.push(section(why), closing);
    return reply(`${title}: none`, blocks);
  }

  const open = report.byStatus.find((s) => s.status === 'new')?.alerts ?? 0;
  let answer = `*${plural(report.alerts, 'fraud alert')}* from *${plural(report.users, 'user')}*; *${countWithShare(open, report.alerts)}* not handled yet.`;
  if (open > 0) answer += `\n${describeResultCode('denied_fraud_reported').advice ?? ''}.`;
  blocks.push(section(answer));
  blocks.push(
    ...fields([
      ...report.byStatus
        .filter((s) => s.alerts > 0 || STATUS_WORDS[s.status])
        .map((s) => `*${fraudStatusWords(s.status)}*\n${countWithShare(s.alerts, report.alerts)}`),
      `*Not delivered to Slack yet*\n${countWithShare(report.notDelivered, report.alerts)}`,
    ]),
  );
  if (report.fatigue.alerts > 0) {
    blocks.push(
      section(
        `*MFA fatigue:* ${countWithShare(report.fatigue.alerts, report.alerts)} of these alerts are MFA fatigue alerts ` +
          `(a burst of MFA prompts the user did not start), for ${plural(report.fatigue.users, 'user')}; the rest are user-reported.`,
      ),
    );
  }
  for (const alert of report.rows) blocks.push(alertSection(alert, timeZone));
  const pager = pagerBlock(options.page, { exportable: true });
  if (pager) blocks.push(pager);
  blocks.push(context(pageLine(options.page, report.rows.length)), closing);
  return reply(`${title}: ${formatCount(report.alerts)} alerts from ${formatCount(report.users)} users, ${formatCount(open)} not handled`, blocks);
}
