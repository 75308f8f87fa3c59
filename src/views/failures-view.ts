// `/mfa failures`: the answer first (how many MFA sign-ins failed, for how many users, the top
// reason), then every reason in plain words with what an admin can do, a page at a time, the
// reasons that hit the most users, and the users most affected.
import type { KnownBlock } from '@slack/types';
import { reasonAdvice, reasonsByUsers, reasonWords, type AffectedUser, type FailureReasonRow, type FailuresReport } from '../reports/failures.js';
import { formatLocalDateTime } from '../time/zoned.js';
import { clip, context, escapeMrkdwn, fields, header, lineSections, reply, type Reply, section } from './blocks.js';
import { periodContext } from './data-as-of.js';
import { countWithShare, formatCount, formatShare, plural } from './format.js';
import { pageLine, pagerBlock, type PageInfo } from './pager.js';

export const FAILURES_PAGE_SIZE = 10;

const BY_USERS_SHOWN = 5;

/** Reason words escaped for mrkdwn, with a raw 'other' string cut short. */
function words(reason: { code: string; detail: string | null }): string {
  const detail = reason.detail ? clip(reason.detail, 200) : null;
  return escapeMrkdwn(reasonWords({ code: reason.code, detail }));
}

function who(user: Pick<AffectedUser, 'upn' | 'displayName'>): string {
  const upn = user.upn ?? 'unknown user';
  return user.displayName && user.displayName.toLowerCase() !== upn.split('@')[0] ? `${escapeMrkdwn(user.displayName)} (${escapeMrkdwn(upn)})` : escapeMrkdwn(upn);
}

function reasonBlock(reason: FailureReasonRow, rank: number, report: FailuresReport): KnownBlock {
  const failed = report.denied + report.interrupted;
  return section(
    `*${rank}. ${words(reason)}*\n` +
      `${plural(reason.signins, 'sign-in')} (${formatShare(reason.signins, failed)} of failures) · ${plural(reason.users, 'user')}\n` +
      `_What to do:_ ${escapeMrkdwn(reasonAdvice(reason))}`,
  );
}

function emptyReply(report: FailuresReport, title: string, timeZone: string): Reply {
  const why = report.dataAsOf
    ? `No sign-ins in this period. The newest sign-in in the store is from ${formatLocalDateTime(report.dataAsOf, timeZone)} (${timeZone}); try a longer period such as \`/mfa failures 30d\`.`
    : 'No sign-ins in the store yet: run `npm run sync` (Microsoft Graph) or `npm run import -- FILE`, or try the demo tenant with `npm run seed`.';
  return reply(`${title}: no sign-ins`, [header(title), section(why), periodContext(report.period, report.dataAsOf, timeZone)]);
}

export function failuresView(report: FailuresReport, options: { page: PageInfo; timeZone: string }): Reply {
  const { page, timeZone } = options;
  const title = `Why MFA failed: ${report.period.label}`;
  if (report.signins === 0) return emptyReply(report, title, timeZone);

  const failed = report.denied + report.interrupted;
  const blocks: KnownBlock[] = [header(title)];
  if (failed === 0) {
    const text =
      report.mfaRequired === 0
        ? `No sign-in in this period required MFA (${plural(report.signins, 'sign-in')} in all), so none could fail it.`
        : `No MFA failures: none of the ${plural(report.mfaRequired, 'sign-in')} that required MFA was denied or interrupted.`;
    blocks.push(section(text), periodContext(report.period, report.dataAsOf, timeZone));
    return reply(`${title}: no denied or interrupted MFA`, blocks);
  }

  const top = report.reasons[0]!;
  blocks.push(
    section(
      `*${countWithShare(failed, report.mfaRequired)}* of the ${plural(report.mfaRequired, 'sign-in')} that required MFA were denied or interrupted, ` +
        `for *${formatCount(report.usersFailed)}* of ${plural(report.usersChallenged, 'user')} challenged. ` +
        `The most common reason: *${words(top)}* (${plural(top.signins, 'sign-in')}, ${formatShare(top.signins, failed)}).`,
    ),
    ...fields([
      `*Denied*\n${countWithShare(report.denied, failed)}`,
      `*Interrupted*\n${countWithShare(report.interrupted, failed)}`,
      `*Reasons*\n${formatCount(report.reasons.length)}`,
      `*Users who could not complete MFA*\n${countWithShare(report.usersFailed, report.usersChallenged)}`,
    ]),
  );

  const shown = report.reasons.slice(page.offset, page.offset + page.pageSize);
  blocks.push(section(page.offset === 0 ? '*By sign-ins*' : `*By sign-ins* (continued)`));
  shown.forEach((reason, i) => blocks.push(reasonBlock(reason, page.offset + i + 1, report)));

  if (page.offset === 0) {
    const byUsers = reasonsByUsers(report.reasons).slice(0, BY_USERS_SHOWN);
    const lines = byUsers.map((r, i) => `${i + 1}. ${words(r)}: ${plural(r.users, 'user')} (${formatShare(r.users, report.usersFailed)} of users who failed)`);
    blocks.push(...lineSections(lines, '*By users affected*'));

    if (report.mostAffected.length > 0) {
      const userLines = report.mostAffected.map(
        (u, i) =>
          `${i + 1}. ${who(u)}: ${plural(u.failed, 'failed sign-in')} (${formatCount(u.denied)} denied, ${formatCount(u.interrupted)} interrupted); ` +
          `mostly ${words(u.topReason)} (${formatCount(u.topReason.signins)}); last ${formatLocalDateTime(u.lastFailedAt, timeZone)}`,
      );
      blocks.push(...lineSections(userLines, '*Users most affected*'));
    }
  }

  const pager = pagerBlock(page, { exportable: true });
  if (pager) blocks.push(pager);
  blocks.push(context(`${pageLine(page, shown.length)} ${page.total === 1 ? 'reason' : 'reasons'}`, 'Counts are sign-ins that required MFA and ended denied or interrupted.'));
  blocks.push(periodContext(report.period, report.dataAsOf, timeZone));
  const text = `${title}: ${formatCount(failed)} of ${formatCount(report.mfaRequired)} MFA sign-ins failed for ${plural(report.usersFailed, 'user')}; top reason ${reasonWords(top)}`;
  return reply(text, blocks);
}
