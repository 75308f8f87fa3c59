// `/mfa bypassed`: one-time MFA bypasses (MFA Server): how many, for whom, which are still valid,
// then each bypass a page at a time, with where the imported rows came from and how old they are.
import type { KnownBlock } from '@slack/types';
import type { BypassEvent, BypassHistoryReport } from '../reports/bypass-history.js';
import { formatLocalDateTime } from '../time/zoned.js';
import { ageWords, legacyContext, MFA_SERVER_RETIRED, provenanceLine, reasonWords, userWords } from './blocked-view.js';
import { context, escapeMrkdwn, header, lineSections, reply, type Reply, section } from './blocks.js';
import { countWithShare, formatCount, plural } from './format.js';
import { pageLine, pagerBlock, type PageInfo } from './pager.js';

export const BYPASSED_PAGE_SIZE = 20;
const VALID_SHOWN = 10;

/** "300 s (5 minutes)" */
export function secondsWords(seconds: number): string {
  return seconds < 60 ? plural(seconds, 'second') : `${formatCount(seconds)} s (${ageWords(seconds * 1000)})`;
}

function validity(event: BypassEvent, now: Date, timeZone: string): string {
  return event.stillValid
    ? `*still valid* until ${formatLocalDateTime(event.expiresAt, timeZone)} (${ageWords(event.expiresAt.getTime() - now.getTime())} left)`
    : `expired ${formatLocalDateTime(event.expiresAt, timeZone)}`;
}

function eventLine(event: BypassEvent, now: Date, timeZone: string): string {
  const by = event.actor ? ` by ${escapeMrkdwn(event.actor)}` : '';
  const group = event.replicationGroup ? ` · group ${escapeMrkdwn(event.replicationGroup)}` : '';
  return `• ${formatLocalDateTime(event.occurredAt, timeZone)} · *${escapeMrkdwn(event.upn)}* · ${secondsWords(event.seconds)}${by}: ${reasonWords(event.reason)}${group} · ${validity(event, now, timeZone)}`;
}

export function bypassedView(report: BypassHistoryReport, options: { page: PageInfo; now: Date; timeZone: string }): Reply {
  const { now, timeZone } = options;
  const scope = userWords(report.user);
  const title = `One-time MFA bypasses${report.user?.kind === 'exact' ? `: ${report.user.upn}` : ''}`;
  const blocks: KnownBlock[] = [header(title)];
  const closing = legacyContext(report.period, report.provenance.newest, timeZone, 'No bypass history loaded');
  const note =
    `One-time bypass was an MFA Server feature (retired ${MFA_SERVER_RETIRED}, no API): this is imported data. ` +
    provenanceLine(report.provenance, now, timeZone);

  if (report.provenance.rows === 0) {
    const text =
      `No one-time bypass history in the store yet. It exists only in MFA Server's Bypassed User History report (MFA Server retired ${MFA_SERVER_RETIRED}, no API): ` +
      'export it and load it with `npm run import -- FILE`.';
    blocks.push(section(text), closing);
    return reply('No bypass history in the store yet', blocks);
  }

  const answer =
    report.bypasses === 0
      ? `No one-time bypasses${scope} in ${escapeMrkdwn(report.period.label)}.`
      : `*${plural(report.bypasses, 'one-time bypass', 'one-time bypasses')}*${scope} in ${escapeMrkdwn(report.period.label)}, for ${plural(report.users, 'user')}; ` +
        `${countWithShare(report.stillValid, report.bypasses)} still valid now.` +
        (report.medianSeconds !== null ? ` Typical length ${secondsWords(report.medianSeconds)}.` : '');
  blocks.push(section(answer));
  if (report.validNow.length > 0) {
    // Short: the full lines are in the list below (or on another page / before the period).
    const lines = report.validNow.slice(0, VALID_SHOWN).map(
      (e) =>
        `• *${escapeMrkdwn(e.upn)}* until ${formatLocalDateTime(e.expiresAt, timeZone)} (${ageWords(e.expiresAt.getTime() - now.getTime())} left)` +
        (e.actor ? `, granted by ${escapeMrkdwn(e.actor)}` : ''),
    );
    const more = report.validNow.length > VALID_SHOWN ? `\n…and ${formatCount(report.validNow.length - VALID_SHOWN)} more.` : '';
    blocks.push(
      ...lineSections(
        [...lines, ...(more ? [more.trim()] : [])],
        `:warning: *Valid right now${scope}:* ${plural(report.validNow.length, 'bypass', 'bypasses')}; MFA is skipped until they expire.`,
      ),
    );
  }
  if (report.rows.length > 0) {
    blocks.push(...lineSections(report.rows.map((e) => eventLine(e, now, timeZone))));
  }
  const pager = pagerBlock(options.page, { exportable: true });
  if (pager) blocks.push(pager);
  blocks.push(context(pageLine(options.page, report.rows.length), note), closing);
  return reply(`${formatCount(report.bypasses)} one-time bypasses${scope} in ${report.period.label}, ${formatCount(report.stillValid)} still valid`, blocks);
}
