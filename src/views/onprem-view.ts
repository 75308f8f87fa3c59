// `/mfa onprem`: how much MFA went through the NPS extension and the AD FS adapter (sign-ins), per
// NPS server, and what the retired MFA Server did (its imported Activity Report: historical).
import type { KnownBlock } from '@slack/types';
import type { ActivityServer, ComponentUsage, NpsServerUsage, OnpremUsageReport } from '../reports/onprem-usage.js';
import { formatLocalDate } from '../time/zoned.js';
import { ageWords, MFA_SERVER_RETIRED, provenanceLine } from './blocked-view.js';
import { context, escapeMrkdwn, header, lineSections, reply, type Reply, section } from './blocks.js';
import { periodContext } from './data-as-of.js';
import { countWithShare, formatCount, formatShare, plural } from './format.js';
import { pagerBlock } from './pager.js';
import { failureReasonWords } from './summary-view.js';

const SERVERS_SHOWN = 10;
const DAY = 86_400_000;

export const COMPONENT_NAMES: Record<string, string> = {
  nps: 'NPS extension',
  adfs: 'AD FS adapter',
  mfa_server: 'MFA Server',
};

export function componentName(component: string): string {
  return COMPONENT_NAMES[component] ?? component;
}

/** Rows the Export CSV button sends: one per component, NPS server and activity-report server. */
export function onpremCsvRowCount(report: OnpremUsageReport): number {
  return report.components.filter((c) => c.signins > 0).length + report.npsServers.length + report.activity.length;
}

function componentSection(usage: ComponentUsage): KnownBlock {
  const lines = [
    `*${componentName(usage.component)}*: ${plural(usage.signins, 'sign-in')} · satisfied ${countWithShare(usage.satisfied, usage.signins)} · ` +
      `denied ${countWithShare(usage.denied, usage.signins)} · interrupted ${countWithShare(usage.interrupted, usage.signins)}` +
      (usage.other > 0 ? ` · stopped before MFA or unknown ${countWithShare(usage.other, usage.signins)}` : ''),
  ];
  const failed = usage.denied + usage.interrupted;
  if (usage.topFailures.length > 0) {
    lines.push(
      'Most common failures: ' +
        usage.topFailures.map((r, i) => `${i + 1}. ${failureReasonWords(r)}: ${countWithShare(r.signins, failed)}`).join('; '),
    );
  }
  return section(lines.join('\n'));
}

function npsLine(server: NpsServerUsage): string {
  const name = server.name ? `${escapeMrkdwn(server.name)} (${escapeMrkdwn(server.ipAddress ?? 'no IP')})` : escapeMrkdwn(server.ipAddress ?? 'no IP recorded');
  return (
    `• ${name}: ${plural(server.signins, 'sign-in')}, ${countWithShare(server.satisfied, server.signins)} satisfied, ` +
    `${formatCount(server.denied)} denied, ${formatCount(server.interrupted)} interrupted; ${plural(server.users, 'user')}`
  );
}

function activityLine(server: ActivityServer): string {
  const results = server.topResults
    .map((r) => `${escapeMrkdwn(r.callResult)}${r.description ? ` “${escapeMrkdwn(r.description)}”` : ''} ${formatCount(r.authentications)}`)
    .join(', ');
  return (
    `• ${escapeMrkdwn(server.server ?? 'unnamed server')}${server.component === 'mfa_server' ? '' : ` (${componentName(server.component)})`}: ` +
    `${plural(server.authentications, 'authentication')}, ${countWithShare(server.succeeded, server.authentications)} succeeded, ` +
    `${formatCount(server.failed)} failed; ${plural(server.users, 'user')}${results ? `. Top results: ${results}` : ''}`
  );
}

function listed<T>(items: T[], line: (item: T) => string): string[] {
  const shown = items.slice(0, SERVERS_SHOWN).map(line);
  if (items.length > SERVERS_SHOWN) shown.push(`…and ${formatCount(items.length - SERVERS_SHOWN)} more (Export CSV lists them all).`);
  return shown;
}

export function onpremView(report: OnpremUsageReport, options: { commandText: string; now: Date; timeZone: string }): Reply {
  const { now, timeZone } = options;
  const title = `On-premises MFA usage: ${report.period.label}`;
  const blocks: KnownBlock[] = [header(title)];
  const closing = periodContext(report.period, report.dataAsOf, timeZone);
  const history = report.activityProvenance;

  if (!report.anyOnpremSignins && history.rows === 0) {
    const text =
      'No on-premises MFA usage in the store yet. NPS extension and AD FS adapter events arrive with the sign-ins ' +
      '(`resourceId` `radius` / `adfs`): run `npm run sync` or `npm run import -- FILE` with a sign-in export. ' +
      `MFA Server's own activity exists only in its Activity Report (MFA Server retired ${MFA_SERVER_RETIRED}): export it and load it with \`npm run import -- FILE\`.`;
    blocks.push(section(text), closing);
    return reply('No on-premises MFA usage in the store yet', blocks);
  }

  const used = report.components.filter((c) => c.signins > 0);
  const onprem = report.components.reduce((sum, c) => sum + c.signins, 0);
  let answer: string;
  if (onprem > 0) {
    answer =
      `*${plural(onprem, 'sign-in')}* went through on-premises components (${formatShare(onprem, report.allSignins)} of all ${formatCount(report.allSignins)} sign-ins): ` +
      report.components.map((c) => `${componentName(c.component)} ${countWithShare(c.signins, onprem)}`).join(', ') +
      '.';
  } else {
    answer = report.anyOnpremSignins
      ? 'No NPS extension or AD FS adapter sign-ins in this period.'
      : 'No NPS extension or AD FS adapter sign-ins in the store at all: they arrive with the sign-ins (`resourceId` `radius` / `adfs`) on `npm run sync`.';
  }
  blocks.push(section(answer));
  for (const usage of used) blocks.push(componentSection(usage));
  if (report.npsServers.length > 0) {
    blocks.push(...lineSections(listed(report.npsServers, npsLine), '*Per NPS server* (an NPS extension sign-in shows the NPS server as its source IP)'));
  }

  const intro = `*MFA Server* (historical: MFA Server stopped serving MFA on ${MFA_SERVER_RETIRED}; from its imported Activity Report)`;
  if (report.activity.length > 0) {
    const total = report.activity.reduce((sum, a) => sum + a.authentications, 0);
    const succeeded = report.activity.reduce((sum, a) => sum + a.succeeded, 0);
    blocks.push(
      ...lineSections(
        listed(report.activity, activityLine),
        `${intro}\n${plural(total, 'authentication')} on ${plural(report.activity.length, 'server')}: ${countWithShare(succeeded, total)} succeeded, ` +
          `${countWithShare(total - succeeded, total)} failed.`,
      ),
    );
  } else if (history.rows > 0) {
    const newest = history.newest!;
    // The whole imported span when it is a sensible period, else its last 90 days.
    const oldest = history.oldest!;
    const from = newest.getTime() - oldest.getTime() <= 365 * DAY ? oldest : new Date(newest.getTime() - 89 * DAY);
    const range = `${formatLocalDate(from, timeZone)}..${formatLocalDate(newest, timeZone)}`;
    blocks.push(
      section(
        `${intro}\nNo MFA Server activity in this period. The imported report runs from ${formatLocalDate(history.oldest!, timeZone)} to ` +
          `${formatLocalDate(newest, timeZone)} (newest row ${ageWords(now.getTime() - newest.getTime())} old): try \`/mfa onprem ${range}\`.`,
      ),
    );
  } else {
    blocks.push(section(`${intro}\nNo MFA Server Activity Report imported; if you still have one, load it with \`npm run import -- FILE\`.`));
  }

  const csvRows = onpremCsvRowCount(report);
  const pager = pagerBlock({ commandText: options.commandText, offset: 0, pageSize: Math.max(csvRows, 1), total: csvRows }, { exportable: true });
  if (pager) blocks.push(pager);
  if (history.rows > 0) blocks.push(context(provenanceLine(history, now, timeZone, 'MFA Server activity rows')));
  blocks.push(closing);
  const text = `${title}: ${formatCount(onprem)} NPS / AD FS sign-ins, ${formatCount(report.activity.reduce((s, a) => s + a.authentications, 0))} MFA Server authentications`;
  return reply(text, blocks);
}
