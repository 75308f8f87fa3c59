// The MFA summary as Block Kit: the answer first (how many were challenged and how it ended),
// then who, why it failed and which methods, closing with the period and "data as of".
import type { KnownBlock } from '@slack/types';
import { describeResultCode } from '../ingest/mfa-vocabulary.js';
import type { FailureReason, SummaryReport } from '../reports/summary.js';
import { formatLocalDateTime } from '../time/zoned.js';
import { escapeMrkdwn, fields, header, reply, section, type Reply } from './blocks.js';
import { periodContext } from './data-as-of.js';
import { countWithShare, formatCount, formatShare, noun, plural } from './format.js';

export function failureReasonWords(reason: Pick<FailureReason, 'code' | 'detail'>): string {
  if (reason.code === 'other' && reason.detail) return `Unrecognised result: “${escapeMrkdwn(reason.detail)}”`;
  return escapeMrkdwn(describeResultCode(reason.code).words);
}

export function summaryView(report: SummaryReport, timeZone: string): Reply {
  const title = `MFA summary: ${report.period.label}`;
  const blocks: KnownBlock[] = [header(title)];

  if (report.signins === 0) {
    const why = report.dataAsOf
      ? `No sign-ins in this period. The newest sign-in in the store is from ${formatLocalDateTime(report.dataAsOf, timeZone)} (${timeZone}).`
      : 'The report store has no sign-ins yet. Load them with `npm run sync` (Microsoft Graph) or `npm run import -- FILE`, or try the demo tenant with `npm run seed`.';
    blocks.push(section(why), periodContext(report.period, report.dataAsOf, timeZone));
    return reply(`${title}: no sign-ins`, blocks);
  }

  const failed = report.denied + report.interrupted;
  const answer =
    `*${formatCount(report.signins)}* ${noun(report.signins, 'sign-in')}; *${countWithShare(report.mfaRequired, report.signins)}* required MFA. ` +
    `Of those, *${formatCount(report.satisfied)}* satisfied, *${formatCount(report.denied)}* denied and *${formatCount(report.interrupted)}* interrupted.`;
  blocks.push(section(answer));

  const outcomeFields = [
    `*Satisfied*\n${countWithShare(report.satisfied, report.mfaRequired)}`,
    `*Denied*\n${countWithShare(report.denied, report.mfaRequired)}`,
    `*Interrupted*\n${countWithShare(report.interrupted, report.mfaRequired)}`,
  ];
  if (report.otherOutcome > 0) outcomeFields.push(`*Stopped before MFA or unknown*\n${countWithShare(report.otherOutcome, report.mfaRequired)}`);
  outcomeFields.push(`*Users challenged*\n${formatCount(report.usersChallenged)}`, `*Users who could not complete MFA*\n${formatCount(report.usersFailed)}`);
  blocks.push(...fields(outcomeFields));

  if (report.topFailureReasons.length > 0) {
    const lines = report.topFailureReasons.map(
      (reason, i) => `${i + 1}. ${failureReasonWords(reason)}: ${plural(reason.signins, 'sign-in')} (${formatShare(reason.signins, failed)} of failures)`,
    );
    blocks.push(section(`*Most common failure reasons*\n${lines.join('\n')}`));
  } else {
    blocks.push(section('*Most common failure reasons*\nNo denied or interrupted MFA in this period.'));
  }

  const withMethod = report.methods.reduce((sum, m) => sum + m.signins, 0);
  if (report.methods.length > 0) {
    const lines = report.methods.map((m) => `• ${escapeMrkdwn(m.method)}: ${countWithShare(m.signins, withMethod)}`);
    blocks.push(section(`*Method mix* (${plural(withMethod, 'MFA sign-in')} naming a method)\n${lines.join('\n')}`));
  }

  blocks.push(periodContext(report.period, report.dataAsOf, timeZone));
  const text = `${title}: ${formatCount(report.signins)} sign-ins, ${formatCount(report.mfaRequired)} required MFA, ${formatCount(report.denied)} denied, ${formatCount(report.interrupted)} interrupted`;
  return reply(text, blocks);
}
