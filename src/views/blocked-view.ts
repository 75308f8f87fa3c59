// `/mfa blocked`: who is blocked now, then the block and unblock requests of the period, a page at
// a time, and where the rows came from (imported report files, Entra audit entries) and how old
// they are. Also the pieces the other legacy reports share: provenance, age, user replies.
import type { ContextBlock, KnownBlock } from '@slack/types';
import type { BlockEvent, BlockHistoryReport, Provenance, UserFilter } from '../reports/block-history.js';
import { FRAUD_BLOCK_DAYS } from '../reports/block-history.js';
import type { ResolvedUser } from '../reports/resolve-user.js';
import { describePeriodBounds, type Period } from '../time/period.js';
import { formatLocalDate, formatLocalDateTime } from '../time/zoned.js';
import { clip, context, escapeMrkdwn, header, lineSections, reply, type Reply, section, shorten } from './blocks.js';
import { dataAsOfLine } from './data-as-of.js';
import { countWithShare, formatCount, plural } from './format.js';
import { pageLine, pagerBlock, type PageInfo } from './pager.js';

export const BLOCKED_PAGE_SIZE = 20;
/** Users listed under "blocked now"; the rest are counted. */
const BLOCKED_NOW_SHOWN = 15;
export const MFA_SERVER_RETIRED = '2024-09-30';
const DAY = 86_400_000;

/** "3 h 41 min", "2 days", "just now" */
export function ageWords(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}

/** A free-text reason, short enough that a page of lines fits a section. */
export function reasonWords(reason: string | null): string {
  return reason ? `“${escapeMrkdwn(clip(reason.replace(/\s+/g, ' ').trim(), 100))}”` : 'no reason given';
}

/** Shown user text: short, and safe inside `code`. */
export function typedText(text: string): string {
  return escapeMrkdwn(shorten(text).replace(/`/g, "'"));
}

export function unknownUserReply(typed: string): Reply {
  const text = `No user matches \`${typedText(typed)}\`. Try a UPN like \`bob@contoso.com\` or part of a display name.`;
  return reply(text, [section(text)]);
}

export function ambiguousUserReply(typed: string, candidates: ResolvedUser[], total: number): Reply {
  const names = candidates.map((c) => `• ${escapeMrkdwn(c.upn)}${c.displayName ? ` (${escapeMrkdwn(c.displayName)})` : ''}`);
  const more = total > candidates.length ? `\n…and ${formatCount(total - candidates.length)} more.` : '';
  const first = `\`${typedText(typed)}\` matches ${formatCount(total)} users; give more of the UPN, e.g. \`${escapeMrkdwn(candidates[0]?.upn ?? 'bob@contoso.com')}\`.`;
  return reply(first, [section(first), section(`${names.join('\n')}${more}`)]);
}

/** "for bob@contoso.com" / "for users matching “bo”" */
export function userWords(filter: UserFilter | null): string {
  if (!filter) return '';
  return filter.kind === 'exact' ? ` for ${escapeMrkdwn(filter.upn)}` : ` for users matching “${typedText(filter.text)}”`;
}

const SOURCE_WORDS: Array<[RegExp, string]> = [
  [/^import:mfa-server/, 'imported MFA Server report files'],
  [/^import:/, 'imported report files'],
  [/^graph-audit$/, 'Entra audit entries (fraud auto-blocks)'],
  [/^seed$/, 'the demo seed'],
];

export function sourceWords(source: string): string {
  const found = SOURCE_WORDS.find(([pattern]) => pattern.test(source));
  return found ? `${found[1]} (\`${escapeMrkdwn(source)}\`)` : `\`${escapeMrkdwn(source)}\``;
}

/** Where a legacy history came from and how old it is: every legacy reply says so. */
export function provenanceLine(provenance: Provenance, now: Date, timeZone: string, label = 'Rows'): string {
  if (provenance.rows === 0) return `${label}: none loaded yet.`;
  const from = provenance.sources.map((s) => `${sourceWords(s.source)}: ${plural(s.rows, 'row')}`).join('; ');
  const newest = provenance.newest!;
  return `${label} from ${from}. Newest row ${formatLocalDateTime(newest, timeZone)} (${timeZone}), ${ageWords(now.getTime() - newest.getTime())} old.`;
}

/** The closing line of a legacy report: the period and how fresh the imported rows are. */
export function legacyContext(period: Period | null, newest: Date | null, timeZone: string, none: string): ContextBlock {
  const fresh = newest ? dataAsOfLine(newest, timeZone) : none;
  return period ? context(`Period: ${describePeriodBounds(period, timeZone)}`, fresh) : context(fresh);
}

function actionWords(action: string): string {
  return action === 'block' ? 'Blocked' : action === 'unblock' ? 'Unblocked' : escapeMrkdwn(action);
}

function eventLine(event: BlockEvent, timeZone: string): string {
  const by = event.actor ? ` by ${escapeMrkdwn(event.actor)}` : '';
  const why = `: ${reasonWords(event.reason)}`;
  return `• ${formatLocalDateTime(event.occurredAt, timeZone)} · *${actionWords(event.action)}* ${escapeMrkdwn(event.upn)}${by}${why} · \`${escapeMrkdwn(event.source)}\``;
}

export function blockedView(report: BlockHistoryReport, options: { page: PageInfo; now: Date; timeZone: string }): Reply {
  const { now, timeZone } = options;
  const scope = userWords(report.user);
  const title = `Blocked users${report.user?.kind === 'exact' ? `: ${report.user.upn}` : ''}`;
  const blocks: KnownBlock[] = [header(title)];
  const closing = legacyContext(report.period, report.provenance.newest, timeZone, 'No block history loaded');
  const note =
    `Block history has no Graph API (MFA Server retired ${MFA_SERVER_RETIRED}); it comes from imported report files and Entra audit entries. ` +
    provenanceLine(report.provenance, now, timeZone);

  if (report.provenance.rows === 0) {
    const text =
      'No block or unblock history in the store yet. It has no Graph API: export the Blocked User History from the MFA Server / portal ' +
      'and load it with `npm run import -- FILE`. Entra’s automatic blocks after a fraud report arrive as audit entries ' +
      '(“Fraud reported - user is blocked for MFA”) with `npm run sync`.';
    blocks.push(section(text), closing);
    return reply('No block history in the store yet', blocks);
  }

  // The answer: who is blocked now (whatever the period).
  const shown = report.blockedNow.slice(0, BLOCKED_NOW_SHOWN).map((b) => {
    const by = b.actor ? ` by ${escapeMrkdwn(b.actor)}` : '';
    const why = b.reason ? `: ${reasonWords(b.reason)}` : '';
    const fraud = b.fraudAutoBlock
      ? ` · :warning: fraud auto-block (lifts by itself ${FRAUD_BLOCK_DAYS} days after, on ${formatLocalDate(new Date(b.since.getTime() + FRAUD_BLOCK_DAYS * DAY), timeZone)})`
      : '';
    return `• *${escapeMrkdwn(b.upn)}* since ${formatLocalDateTime(b.since, timeZone)}${by}${why}${fraud}`;
  });
  const more = report.blockedNow.length > shown.length ? `\n…and ${formatCount(report.blockedNow.length - shown.length)} more.` : '';
  const user = report.user;
  const n = report.blockedNow.length;
  let nowAnswer: string;
  if (user?.kind === 'exact') {
    nowAnswer = n === 0 ? `*${escapeMrkdwn(user.upn)} is not blocked now* (no block, or unblocked since).` : `*${escapeMrkdwn(user.upn)} is blocked now* (a user stays blocked until unblocked):`;
  } else {
    const matching = user ? ` matching “${typedText(user.text)}”` : '';
    nowAnswer =
      n === 0
        ? `*Nobody${matching} is blocked now* (no user’s latest request is a block).`
        : `*${plural(n, 'user')}${matching} blocked now* (latest request is a block; a user stays blocked until unblocked):`;
  }
  blocks.push(...lineSections(n > 0 ? [...shown, ...(more ? [more.trim()] : [])] : [], nowAnswer));

  const periodAnswer =
    report.events === 0
      ? `No block or unblock requests${scope} in ${escapeMrkdwn(report.period.label)}.`
      : `*${plural(report.events, 'request')}*${scope} in ${escapeMrkdwn(report.period.label)}, for ${plural(report.users, 'user')}: ` +
        `${countWithShare(report.blocks, report.events)} blocks, ${countWithShare(report.unblocks, report.events)} unblocks.`;
  blocks.push(section(periodAnswer));

  if (report.rows.length > 0) {
    blocks.push(...lineSections(report.rows.map((e) => eventLine(e, timeZone))));
  }
  const pager = pagerBlock(options.page, { exportable: true });
  if (pager) blocks.push(pager);
  blocks.push(context(pageLine(options.page, report.rows.length), note), closing);
  const text = `${formatCount(report.blockedNow.length)} blocked now${scope}; ${formatCount(report.events)} block/unblock requests in ${report.period.label}`;
  return reply(text, blocks);
}
