// The daily summary post: exactly the `/mfa summary yesterday` view, with what changed since the
// day before and what else happened that day inserted before its closing period line, and a note
// on top when it is posted late.
import type { KnownBlock } from '@slack/types';
import type { SummaryReport } from '../reports/summary.js';
import { formatLocalDateTime } from '../time/zoned.js';
import { escapeMrkdwn, reply, section, type Reply } from '../views/blocks.js';
import { formatCount, plural } from '../views/format.js';
import { summaryView } from '../views/summary-view.js';
import type { DailyChanges, NamedCount } from './daily-changes.js';

export interface DailySummaryInput {
  report: SummaryReport;
  previous: SummaryReport;
  changes: DailyChanges;
  timeZone: string;
  /** The day reported, YYYY-MM-DD in TZ. */
  day: string;
  /** When it was due, if it is posted late. */
  lateSince: Date | null;
}

/** "up 12 (+4.8%) from 250", "down 3 (-20%) from 15", "no change". */
export function describeChange(now: number, before: number): string {
  const delta = now - before;
  if (delta === 0) return 'no change';
  const sign = delta > 0 ? '+' : '-';
  const share = before === 0 ? '' : ` (${sign}${((Math.abs(delta) / before) * 100).toFixed(1).replace(/\.0$/, '')}%)`;
  return `${delta > 0 ? 'up' : 'down'} ${formatCount(Math.abs(delta))}${share} from ${formatCount(before)}`;
}

function names(list: NamedCount): string {
  if (list.count === 0) return '';
  const more = list.count > list.names.length ? `, and ${formatCount(list.count - list.names.length)} more` : '';
  return `: ${list.names.map(escapeMrkdwn).join(', ')}${more}`;
}

function changeLines(report: SummaryReport, previous: SummaryReport): string {
  const rows: Array<[string, number, number]> = [
    ['Sign-ins', report.signins, previous.signins],
    ['Required MFA', report.mfaRequired, previous.mfaRequired],
    ['Satisfied', report.satisfied, previous.satisfied],
    ['Denied', report.denied, previous.denied],
    ['Interrupted', report.interrupted, previous.interrupted],
    ['Users who could not complete MFA', report.usersFailed, previous.usersFailed],
  ];
  return rows.map(([label, now, before]) => `• ${label}: ${formatCount(now)}, ${describeChange(now, before)}`).join('\n');
}

function alertWords(changes: DailyChanges): string {
  const alerts = changes.fraudAlerts;
  if (alerts.count === 0) return '*New fraud alerts*: none';
  const kinds = alerts.fatigue > 0 ? ` (${plural(alerts.count - alerts.fatigue, 'fraud report')}, ${plural(alerts.fatigue, 'MFA fatigue attack')})` : '';
  const open = (alerts.byStatus.new ?? 0) + (alerts.byStatus.escalated ?? 0);
  const status = open > 0 ? `; ${formatCount(open)} not acknowledged yet` : '; all acknowledged or closed';
  return `*New fraud alerts*: ${formatCount(alerts.count)}${kinds}${status}${names(alerts)}`;
}

export function dailySummaryView(input: DailySummaryInput): Reply {
  const base = summaryView(input.report, input.timeZone);
  const closing = base.blocks[base.blocks.length - 1]!;
  const blocks: KnownBlock[] = [];
  if (input.lateSince) {
    blocks.push(
      section(`:hourglass: *Posted late*: this summary was due at ${formatLocalDateTime(input.lateSince, input.timeZone)} (${input.timeZone}), when the bot was not running.`),
    );
  }
  blocks.push(...base.blocks.slice(0, -1));
  if (input.report.signins > 0 || input.previous.signins > 0) {
    blocks.push(section(`*Change from the day before* (${escapeMrkdwn(input.previous.period.label)})\n${changeLines(input.report, input.previous)}`));
  }
  const { changes } = input;
  blocks.push(
    section(alertWords(changes)),
    section(
      [
        `*New blocks*: ${formatCount(changes.blocked.count)}${names(changes.blocked)}`,
        `*Unblocked*: ${formatCount(changes.unblocked.count)}${names(changes.unblocked)}`,
        `*One-time bypasses*: ${formatCount(changes.bypasses.count)}${names(changes.bypasses)}`,
      ].join('\n'),
    ),
    section(
      `*Users newly without MFA*: ${formatCount(changes.newlyUnregistered.count)}${names(changes.newlyUnregistered)}` +
        (changes.newlyUnregistered.count > 0 ? '\n_Their registration changed that day and now shows no MFA method._' : ''),
    ),
    closing,
  );
  const late = input.lateSince ? ' (posted late)' : '';
  return reply(`Daily MFA summary for ${input.day}${late}. ${base.text}`, blocks);
}
