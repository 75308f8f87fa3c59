// `/mfa ca`: the answer first (the CA status mix of the period's sign-ins and how many policies
// applied), then each enforced policy with its results and controls, then the report-only
// policies apart, a page at a time.
import type { KnownBlock } from '@slack/types';
import type { CaPolicyRow, ConditionalAccessReport } from '../reports/conditional-access.js';
import { formatLocalDateTime } from '../time/zoned.js';
import { clip, context, escapeMrkdwn, fields, header, reply, section, type Reply } from './blocks.js';
import { periodContext } from './data-as-of.js';
import { countWithShare, formatCount, formatShare, plural } from './format.js';
import { pageLine, pagerBlock, type PageInfo } from './pager.js';

export const CA_PAGE_SIZE = 10;

const NOT_STORED = 'Policies that did not apply to a sign-in (Graph’s notApplied, notEnabled and reportOnlyNotApplied) are not stored, so a policy missing here applied to nothing in this period.';

/** Words for `conditionalAccessStatus`; unknown values are shown as they are. */
export function caStatusWords(status: string): string {
  switch (status) {
    case 'success':
      return 'Success (policies applied and were met)';
    case 'failure':
      return 'Failure (blocked, or a control was not met)';
    case 'notapplied':
      return 'Not applied (no policy applied)';
    case '':
      return 'Not recorded';
    default:
      return status;
  }
}

export function policyName(row: Pick<CaPolicyRow, 'name' | 'policyId'>): string {
  return row.name ?? `Policy ${row.policyId}`;
}

function controlsLine(row: CaPolicyRow): string {
  const list = (items: string[]) => (items.length ? items.map((c) => escapeMrkdwn(clip(c, 60))).join(', ') : 'none');
  return `Grant: ${list(row.grantControls)} · Session: ${list(row.sessionControls)}`;
}

function policyBlock(row: CaPolicyRow, rank: number, signins: number): KnownBlock {
  const name = `*${rank}. ${escapeMrkdwn(clip(policyName(row), 120))}*`;
  const parts =
    row.mode === 'enforced'
      ? [`${formatCount(row.succeeded)} succeeded`, `${formatCount(row.failed)} failed (${formatShare(row.failed, row.applied)})`]
      : [`${formatCount(row.succeeded)} would have succeeded`, `${formatCount(row.failed)} would have failed`, `${formatCount(row.interrupted)} would have interrupted`];
  if (row.other > 0) parts.push(`${formatCount(row.other)} unknown result`);
  const verb = row.mode === 'enforced' ? 'Applied to' : 'Evaluated on';
  return section(`${name}\n${verb} ${plural(row.applied, 'sign-in')} (${formatShare(row.applied, signins)} of sign-ins): ${parts.join(', ')}\n${controlsLine(row)}`);
}

export function conditionalAccessView(report: ConditionalAccessReport, options: { page: PageInfo; timeZone: string }): Reply {
  const { page, timeZone } = options;
  const title = `Conditional Access: ${report.period.label}`;
  const blocks: KnownBlock[] = [header(title)];
  if (report.signins === 0) {
    const why = report.dataAsOf
      ? `No sign-ins in this period. The newest sign-in in the store is from ${formatLocalDateTime(report.dataAsOf, timeZone)} (${timeZone}); try a longer period such as \`/mfa ca 30d\`.`
      : 'No sign-ins in the store yet: run `npm run sync` (Microsoft Graph) or `npm run import -- FILE`, or try the demo tenant with `npm run seed`.';
    blocks.push(section(why), periodContext(report.period, report.dataAsOf, timeZone));
    return reply(`${title}: no sign-ins`, blocks);
  }

  const count = (status: string) => report.statuses.find((s) => s.status === status)?.signins ?? 0;
  const enforced = report.policies.filter((p) => p.mode === 'enforced');
  const reportOnly = report.policies.filter((p) => p.mode === 'reportOnly');
  let answer =
    `Of ${plural(report.signins, 'sign-in')}, Conditional Access *succeeded* on ${countWithShare(count('success'), report.signins)}, ` +
    `*failed* on ${countWithShare(count('failure'), report.signins)} and *applied no policy* to ${countWithShare(count('notapplied'), report.signins)}. `;
  answer +=
    enforced.length > 0
      ? `${plural(enforced.length, 'policy', 'policies')} applied; the one applied most often: *${escapeMrkdwn(clip(policyName(enforced[0]!), 120))}* (${plural(enforced[0]!.applied, 'sign-in')}).`
      : 'No enforced policy applied to any of them.';
  if (reportOnly.length > 0) answer += ` ${plural(reportOnly.length, 'report-only policy', 'report-only policies')} evaluated.`;
  blocks.push(section(answer));
  blocks.push(...fields(report.statuses.map((s) => `*${escapeMrkdwn(clip(caStatusWords(s.status), 80))}*\n${countWithShare(s.signins, report.signins)}`)));

  if (report.policies.length === 0) {
    const enforcedSomewhere = count('success') + count('failure') > 0;
    blocks.push(
      section(
        enforcedSomewhere
          ? 'No applied policy is stored for these sign-ins although their status says Conditional Access ran. Graph leaves out the applied policies when the sync’s app registration cannot read Conditional Access: grant it Policy.Read.All and sync again.'
          : 'No Conditional Access policy applied to any sign-in in this period, enforced or report-only.',
      ),
    );
  } else {
    const shown = report.policies.slice(page.offset, page.offset + page.pageSize);
    let lastMode: string | null = null;
    shown.forEach((row, i) => {
      if (row.mode !== lastMode) {
        const first = report.policies.findIndex((p) => p.mode === row.mode) === page.offset + i;
        const heading = row.mode === 'enforced' ? '*Enforced policies*' : '*Report-only policies* (evaluated, not enforced: what they would have done)';
        blocks.push(section(first ? heading : `${heading}, continued`));
        lastMode = row.mode;
      }
      const rank = row.mode === 'enforced' ? page.offset + i + 1 : page.offset + i + 1 - enforced.length;
      blocks.push(policyBlock(row, rank, report.signins));
    });
    const pager = pagerBlock(page, { exportable: true });
    if (pager) blocks.push(pager);
    blocks.push(context(`${pageLine(page, shown.length)} ${page.total === 1 ? 'policy' : 'policies'}`));
  }
  blocks.push(context(NOT_STORED), periodContext(report.period, report.dataAsOf, timeZone));
  const text = `${title}: ${formatCount(report.signins)} sign-ins, CA failed on ${formatCount(count('failure'))}; ${plural(enforced.length, 'policy', 'policies')} applied`;
  return reply(text, blocks);
}
