// `/mfa methods`: the answer first (the most used method and how many satisfied MFA sign-ins
// needed no prompt), then each method with its users and success rate, then the no-prompt
// breakdown.
import type { KnownBlock } from '@slack/types';
import { noPromptTotal, successRate, type MethodRow, type MethodsReport, type NoPromptKey } from '../reports/methods.js';
import { formatLocalDateTime } from '../time/zoned.js';
import { clip, context, escapeMrkdwn, header, lineSections, reply, type Reply, section } from './blocks.js';
import { periodContext } from './data-as-of.js';
import { countWithShare, formatCount, formatShare, plural } from './format.js';
import { pageLine, pagerBlock, type PageInfo } from './pager.js';

export const METHODS_PAGE_SIZE = 15;

/** What an admin may want to know about a way of skipping the prompt. */
const NO_PROMPT_NOTES: Partial<Record<NoPromptKey, string>> = {
  location: 'per-user MFA trusted IPs; Conditional Access named locations are the modern way',
  app_password: 'legacy clients with per-user MFA app passwords; consider retiring them',
  remembered_device: 'per-user MFA "remember MFA on trusted devices"',
};

/** "95.2%", or "no result" when none of its sign-ins ended satisfied, denied or interrupted. */
export function formatRate(row: Pick<MethodRow, 'satisfied' | 'denied' | 'interrupted'>): string {
  return successRate(row) === null ? 'no result' : formatShare(row.satisfied, row.satisfied + row.denied + row.interrupted);
}

function methodLine(row: MethodRow, report: MethodsReport): string {
  return (
    `• *${escapeMrkdwn(clip(row.method, 80))}*: ${plural(row.signins, 'sign-in')} (${formatShare(row.signins, report.withMethod)}) · ${plural(row.users, 'user')} · ` +
    `${formatRate(row)} succeeded (${formatCount(row.satisfied)} satisfied, ${formatCount(row.denied)} denied, ${formatCount(row.interrupted)} interrupted)`
  );
}

export function methodsView(report: MethodsReport, options: { page: PageInfo; timeZone: string }): Reply {
  const { page, timeZone } = options;
  const title = `How users complete MFA: ${report.period.label}`;
  const blocks: KnownBlock[] = [header(title)];
  if (report.signins === 0) {
    const why = report.dataAsOf
      ? `No sign-ins in this period. The newest sign-in in the store is from ${formatLocalDateTime(report.dataAsOf, timeZone)} (${timeZone}); try a longer period such as \`/mfa methods 30d\`.`
      : 'No sign-ins in the store yet: run `npm run sync` (Microsoft Graph) or `npm run import -- FILE`, or try the demo tenant with `npm run seed`.';
    blocks.push(section(why), periodContext(report.period, report.dataAsOf, timeZone));
    return reply(`${title}: no sign-ins`, blocks);
  }
  if (report.mfaRequired === 0) {
    blocks.push(
      section(`No sign-in in this period required MFA (${plural(report.signins, 'sign-in')} in all), so no method was used.`),
      periodContext(report.period, report.dataAsOf, timeZone),
    );
    return reply(`${title}: no sign-ins required MFA`, blocks);
  }

  const skipped = noPromptTotal(report);
  const top = report.methods[0];
  const answer =
    (top
      ? `*${escapeMrkdwn(clip(top.method, 80))}* is the most used method: ${countWithShare(top.signins, report.withMethod)} of the ${plural(report.withMethod, 'MFA sign-in')} naming a method, ${formatRate(top)} succeeded. `
      : `None of the ${plural(report.mfaRequired, 'sign-in')} that required MFA names a method. `) +
    `*${countWithShare(skipped, report.satisfied)}* of the ${plural(report.satisfied, 'satisfied MFA sign-in')} needed no prompt.`;
  blocks.push(section(answer));

  const shown = report.methods.slice(page.offset, page.offset + page.pageSize);
  if (shown.length > 0) {
    const heading = `*By method* (success rate = satisfied ÷ satisfied, denied and interrupted)${page.offset > 0 ? ', continued' : ''}`;
    blocks.push(...lineSections(shown.map((row) => methodLine(row, report)), heading));
  }

  if (page.offset === 0) {
    const lines = report.noPrompt
      .filter((row) => row.signins > 0)
      .map((row) => `• ${escapeMrkdwn(row.words)}: ${countWithShare(row.signins, report.satisfied)}${NO_PROMPT_NOTES[row.key] ? ` (${NO_PROMPT_NOTES[row.key]})` : ''}`);
    const prompted = report.satisfied - skipped;
    lines.push(`• Prompted and satisfied (or no detail recorded): ${countWithShare(prompted, report.satisfied)}`);
    blocks.push(
      ...lineSections(
        skipped > 0 ? lines : ['None: every satisfied MFA sign-in in this period answered a prompt (or recorded no detail).'],
        `*Satisfied without a prompt*: ${countWithShare(skipped, report.satisfied)} of ${plural(report.satisfied, 'satisfied MFA sign-in')}`,
      ),
    );
  }

  const pager = pagerBlock(page, { exportable: true });
  if (pager) blocks.push(pager);
  const notes = [`${pageLine(page, shown.length)} ${page.total === 1 ? 'method' : 'methods'}`];
  if (report.withoutMethod > 0) {
    notes.push(
      `${countWithShare(report.withoutMethod, report.mfaRequired)} of the sign-ins that required MFA name no method (Graph v1.0 records, or stopped before a method was chosen); they are not in the method shares.`,
    );
  }
  blocks.push(context(...notes), periodContext(report.period, report.dataAsOf, timeZone));
  const text = top
    ? `${title}: most used ${top.method} (${formatShare(top.signins, report.withMethod)}); ${formatShare(skipped, report.satisfied)} of satisfied MFA sign-ins needed no prompt`
    : `${title}: no method named`;
  return reply(text, blocks);
}
