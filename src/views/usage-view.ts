// `/mfa usage`: overall usage (compact), the users with the most MFA prompts and the most
// failures; `/mfa usage <period> <user>`: that user's counts per day. Plus the replies for a user
// that matches nobody or several people.
import type { KnownBlock } from '@slack/types';
import type { ResolvedUser } from '../reports/resolve-user.js';
import { failedOf, type DayCounts, type UsageOverview, type UserCounts, type UserUsage } from '../reports/usage.js';
import { formatLocalDateTime } from '../time/zoned.js';
import { clip, context, escapeMrkdwn, header, lineSections, reply, type Reply, section } from './blocks.js';
import { periodContext } from './data-as-of.js';
import { countWithShare, formatCount, plural } from './format.js';
import { pageLine, pagerBlock, type PageInfo } from './pager.js';

/** Days of a user's details per page: a month fits on one. */
export const USAGE_DAYS_PAGE_SIZE = 31;

const PROMPT_MEANING =
  'A prompt is one MFA challenge the user had to answer (sign-ins of one flow, by correlation ID, count once): satisfied by answering it, denied or interrupted. Satisfied by a claim in the token, a remembered device, a trusted location, a registered device, an app password or the Windows broker is not a prompt.';

const NO_SIGNINS = 'No sign-ins in the store yet: run `npm run sync` (Microsoft Graph) or `npm run import -- FILE`, or try the demo tenant with `npm run seed`.';

function who(user: { upn: string | null; displayName: string | null }): string {
  const upn = user.upn ?? 'unknown user';
  const name = user.displayName?.trim();
  return name && name.toLowerCase() !== upn.split('@')[0] ? `${escapeMrkdwn(clip(name, 80))} (${escapeMrkdwn(upn)})` : escapeMrkdwn(upn);
}

/** What the admin typed, safe to echo inside backticks. */
function echo(text: string): string {
  return escapeMrkdwn(clip(text.replace(/`/g, "'"), 40));
}

function promptedLine(u: UserCounts, i: number): string {
  return `${i + 1}. ${who(u)}: ${plural(u.prompts, 'prompt')} in ${plural(u.signins, 'sign-in')}; ${plural(failedOf(u), 'failed MFA sign-in')}`;
}

function failedLine(u: UserCounts, i: number): string {
  return `${i + 1}. ${who(u)}: ${plural(failedOf(u), 'failed MFA sign-in')} (${formatCount(u.denied)} denied, ${formatCount(u.interrupted)} interrupted) of ${plural(u.prompts, 'prompt')}`;
}

export function usageOverviewView(overview: UsageOverview, options: { page: PageInfo; timeZone: string }): Reply {
  const { summary } = overview;
  const { timeZone } = options;
  const title = `MFA usage: ${summary.period.label}`;
  const blocks: KnownBlock[] = [header(title)];
  if (summary.signins === 0) {
    const why = summary.dataAsOf
      ? `No sign-ins in this period. The newest sign-in in the store is from ${formatLocalDateTime(summary.dataAsOf, timeZone)} (${timeZone}); try a longer period such as \`/mfa usage 30d\`.`
      : NO_SIGNINS;
    blocks.push(section(why), periodContext(summary.period, summary.dataAsOf, timeZone));
    return reply(`${title}: no sign-ins`, blocks);
  }

  blocks.push(
    section(
      `*${formatCount(summary.signins)}* sign-ins by *${plural(overview.users, 'user')}*; *${countWithShare(summary.mfaRequired, summary.signins)}* required MFA, ` +
        `in *${plural(overview.prompts, 'prompt')}*. ${formatCount(summary.satisfied)} satisfied, ${formatCount(summary.denied)} denied, ${formatCount(summary.interrupted)} interrupted. ` +
        `${plural(summary.usersChallenged, 'user')} challenged; ${formatCount(summary.usersFailed)} could not complete MFA at least once.`,
    ),
  );
  blocks.push(
    ...lineSections(
      overview.mostPrompted.length > 0 ? overview.mostPrompted.map(promptedLine) : ['Nobody was prompted for MFA in this period.'],
      '*Most MFA prompts*',
    ),
    ...lineSections(overview.mostFailed.length > 0 ? overview.mostFailed.map(failedLine) : ['No denied or interrupted MFA in this period.'], '*Most MFA failures*'),
  );
  // Export CSV only: the whole per-user table.
  const pager = pagerBlock({ ...options.page, offset: 0, pageSize: Math.max(overview.users, 1), total: overview.users }, { exportable: true });
  if (pager) blocks.push(pager);
  blocks.push(
    context(
      `One user's days: \`/mfa ${escapeMrkdwn(options.page.commandText)} ${escapeMrkdwn(overview.mostPrompted[0]?.upn ?? 'alice@contoso.com')}\` (a UPN or part of a name). Export CSV lists every user.`,
      PROMPT_MEANING,
    ),
    periodContext(summary.period, summary.dataAsOf, timeZone),
  );
  const text = `${title}: ${formatCount(summary.signins)} sign-ins by ${plural(overview.users, 'user')}, ${formatCount(summary.mfaRequired)} required MFA, ${plural(overview.prompts, 'prompt')}`;
  return reply(text, blocks);
}

function dayLine(d: DayCounts): string {
  const skipped = d.noPrompt > 0 ? ` (${formatCount(d.noPrompt)} without a prompt)` : '';
  return `• ${d.day}: ${plural(d.signins, 'sign-in')} · ${plural(d.prompts, 'prompt')} · ${formatCount(d.satisfied)} satisfied${skipped} · ${formatCount(d.denied)} denied · ${formatCount(d.interrupted)} interrupted`;
}

export function userUsageView(usage: UserUsage, options: { page: PageInfo; timeZone: string }): Reply {
  const { page, timeZone } = options;
  const { totals, user } = usage;
  const title = `MFA usage of ${user.displayName ?? user.upn}: ${usage.period.label}`;
  const blocks: KnownBlock[] = [header(title)];
  if (totals.signins === 0) {
    const last = usage.lastSigninAt
      ? `Their newest sign-in in the store is from ${formatLocalDateTime(usage.lastSigninAt, timeZone)} (${timeZone}).`
      : usage.dataAsOf
        ? 'The store has no sign-in of theirs at all' + (user.inDirectory ? ' (they are in the registration details).' : '.')
        : NO_SIGNINS;
    blocks.push(section(`${who(user)} has no sign-ins in this period. ${last}`), periodContext(usage.period, usage.dataAsOf, timeZone));
    return reply(`${title}: no sign-ins`, blocks);
  }

  const failed = totals.denied + totals.interrupted;
  blocks.push(
    section(
      `${who(user)}: *${plural(totals.signins, 'sign-in')}*, ${countWithShare(totals.mfaRequired, totals.signins)} required MFA, in *${plural(totals.prompts, 'prompt')}*. ` +
        `*${formatCount(totals.satisfied)}* satisfied (${formatCount(totals.noPrompt)} without a prompt), *${formatCount(totals.denied)}* denied, *${formatCount(totals.interrupted)}* interrupted` +
        (failed > 0 ? `: \`/mfa failures\` explains the reasons.` : '.'),
    ),
  );
  if (usage.methods.length > 0) {
    const methodsUsed = usage.methods.map((m) => `${escapeMrkdwn(clip(m.method, 60))} ${formatCount(m.signins)}`).join(', ');
    blocks.push(section(`*Methods*: ${methodsUsed}`));
  }
  const shown = usage.days.slice(page.offset, page.offset + page.pageSize);
  blocks.push(...lineSections(shown.map(dayLine), `*Per day* (${timeZone}; days without sign-ins are left out)`));
  const pager = pagerBlock(page, { exportable: true });
  if (pager) blocks.push(pager);
  blocks.push(context(`${pageLine(page, shown.length)} ${page.total === 1 ? 'day' : 'days'}`, PROMPT_MEANING), periodContext(usage.period, usage.dataAsOf, timeZone));
  const text = `${title}: ${formatCount(totals.signins)} sign-ins, ${plural(totals.prompts, 'prompt')}, ${formatCount(totals.satisfied)} satisfied, ${formatCount(totals.denied)} denied, ${formatCount(totals.interrupted)} interrupted`;
  return reply(text, blocks);
}

export const usageNotices = {
  /** Nobody matches what was typed. */
  noUser(text: string): Reply {
    const shown = echo(text);
    // A UPN built from what was typed when it reads like a name ("bob" → bob@contoso.com).
    const nameLike = !text.includes('@') && text.length <= 40 && /^[\p{L}\p{N}][\p{L}\p{N}.'\- ]*$/u.test(text);
    const example = nameLike ? `${escapeMrkdwn(text.trim().toLowerCase().replace(/\s+/g, '.'))}@contoso.com` : 'alice@contoso.com';
    const line = `No user matches \`${shown}\`. Try a UPN like \`${example}\` or part of a display name, e.g. \`/mfa usage 7d "Alice Smith"\`.`;
    return reply(line, [section(line)]);
  },
  /** There are no users in the store to match against. */
  noUsers(): Reply {
    return reply(NO_SIGNINS, [section(`No users to look up. ${NO_SIGNINS}`)]);
  },
  /** Several users match equally well. */
  ambiguous(text: string, candidates: ResolvedUser[], total: number, periodWord = '7d'): Reply {
    const more = total > candidates.length ? `\n…and ${formatCount(total - candidates.length)} more.` : '';
    const line = `\`${echo(text)}\` matches ${plural(total, 'user')}. Use the UPN, e.g. \`/mfa usage ${echo(periodWord)} ${escapeMrkdwn(candidates[0]!.upn)}\`:`;
    return reply(`${line} ${candidates.map((c) => c.upn).join(', ')}`, [section(`${line}\n${candidates.map((c) => `• ${who(c)}`).join('\n')}${more}`)]);
  },
};
