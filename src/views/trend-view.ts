// The trend as Block Kit: the figures as text (totals with shares, each day's outcomes for short
// periods, the failure reasons), so the reply is whole without the chart that goes with it.
import type { KnownBlock } from '@slack/types';
import type { ResolvedUser } from '../reports/resolve-user.js';
import type { TrendReport } from '../reports/trend.js';
import { trendTitle } from '../charts/trend-chart.js';
import { escapeMrkdwn, header, lineSections, reply, section, shorten, type Reply } from './blocks.js';
import { periodContext } from './data-as-of.js';
import { countWithShare, formatCount, formatShare, plural } from './format.js';
import { failureReasonWords } from './summary-view.js';

/** Periods up to this many local days list every day in the text. */
export const TREND_TEXT_DAYS = 31;

function dayWords(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  const weekday = new Date(Date.UTC(year!, month! - 1, date!)).toLocaleDateString('en-US', { weekday: 'short', timeZone: 'UTC' });
  return `${weekday} ${day}`;
}

function who(user: ResolvedUser): string {
  return user.displayName ? `${escapeMrkdwn(user.displayName)} (${escapeMrkdwn(user.upn)})` : escapeMrkdwn(user.upn);
}

export function trendView(report: TrendReport, timeZone: string): Reply {
  const title = trendTitle(report);
  const blocks: KnownBlock[] = [header(title)];
  const failed = report.denied + report.interrupted;
  const outcomes = report.satisfied + failed;
  const subject = report.user ? `${who(report.user)}: ` : '';

  if (outcomes === 0) {
    const why = report.signins > 0 ? `${subject}${plural(report.signins, 'sign-in')} in this period, none with an MFA outcome.` : `${subject}no sign-ins in this period.`;
    blocks.push(section(why), periodContext(report.period, report.dataAsOf, timeZone));
    return reply(`${title}: no MFA outcomes`, blocks);
  }

  blocks.push(
    section(
      `${subject}*${plural(report.mfaRequired, 'sign-in')}* required MFA. ` +
        `*${countWithShare(report.satisfied, outcomes)}* satisfied, *${countWithShare(report.denied, outcomes)}* denied, *${countWithShare(report.interrupted, outcomes)}* interrupted.`,
    ),
  );

  if (report.days.length <= TREND_TEXT_DAYS) {
    const lines = report.days.map((d) => {
      const total = d.satisfied + d.denied + d.interrupted;
      if (total === 0) return `• ${dayWords(d.day)}: none`;
      return `• ${dayWords(d.day)}: ${formatCount(d.satisfied)} satisfied · ${formatCount(d.denied)} denied · ${formatCount(d.interrupted)} interrupted`;
    });
    blocks.push(...lineSections(lines, `*Per day* (${escapeMrkdwn(timeZone)})`));
  } else {
    const worst = report.days.reduce((a, b) => (b.denied + b.interrupted > a.denied + a.interrupted ? b : a));
    blocks.push(
      section(
        `*Per day*: ${formatCount(report.days.length)} days are in the chart. The most failures on one day: ` +
          `${plural(worst.denied + worst.interrupted, 'sign-in')} denied or interrupted on ${dayWords(worst.day)}.`,
      ),
    );
  }

  if (report.reasons.length > 0) {
    const lines = report.reasons.map((r, i) => `${i + 1}. ${failureReasonWords(r)}: ${plural(r.signins, 'sign-in')} (${formatShare(r.signins, failed)} of failures)`);
    blocks.push(section(`*Most common failure reasons*\n${lines.join('\n')}`));
  } else {
    blocks.push(section('*Most common failure reasons*\nNo denied or interrupted MFA in this period.'));
  }

  blocks.push(periodContext(report.period, report.dataAsOf, timeZone));
  const text = `${title}: ${formatCount(report.satisfied)} satisfied, ${formatCount(report.denied)} denied, ${formatCount(report.interrupted)} interrupted`;
  return reply(text, blocks);
}

export const trendNotices = {
  noUser(text: string): Reply {
    const line = `No user matches \`${echo(text)}\`. Try a UPN like \`alice@contoso.com\` or part of a display name, e.g. \`/mfa trend 14d "Alice Smith"\`.`;
    return reply(line, [section(line)]);
  },
  noUsers(): Reply {
    const line = 'No users to look up: the report store has no sign-ins or registration details yet. Load them with `npm run sync` or `npm run import -- FILE`.';
    return reply(line, [section(line)]);
  },
  ambiguous(text: string, candidates: ResolvedUser[], total: number, periodWord = '14d'): Reply {
    const more = total > candidates.length ? `\n…and ${formatCount(total - candidates.length)} more.` : '';
    const line = `\`${echo(text)}\` matches ${plural(total, 'user')}. Use the UPN, e.g. \`/mfa trend ${echo(periodWord)} ${escapeMrkdwn(candidates[0]!.upn)}\`:`;
    return reply(`${line} ${candidates.map((c) => c.upn).join(', ')}`, [section(`${line}\n${candidates.map((c) => `• ${who(c)}`).join('\n')}${more}`)]);
  },
};

function echo(text: string): string {
  return escapeMrkdwn(shorten(text).replace(/`/g, "'"));
}
