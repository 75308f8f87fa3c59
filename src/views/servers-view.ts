// `/mfa servers`: the on-premises hosts now, problems first: NPS / AD FS hosts silent for over an
// hour, then the working ones, then the MFA Servers (retired; their state is as last imported).
import type { KnownBlock } from '@slack/types';
import { SILENT_AFTER_MS, type ServerStatus, type ServerStatusReport } from '../reports/server-status.js';
import { formatLocalDateTime } from '../time/zoned.js';
import { ageWords, MFA_SERVER_RETIRED, sourceWords } from './blocked-view.js';
import { context, escapeMrkdwn, header, lineSections, reply, type Reply, section } from './blocks.js';
import { dataAsOfLine } from './data-as-of.js';
import { formatCount, plural } from './format.js';
import { componentName } from './onprem-view.js';
import { pageLine, pagerBlock, type PageInfo } from './pager.js';

export const SERVERS_PAGE_SIZE = 20;
const SILENT_WORDS = `${SILENT_AFTER_MS / 60_000} minutes`;

function lastHeard(server: ServerStatus, now: Date, timeZone: string): string {
  if (!server.lastCommunicationAt) return 'never heard from';
  const at = formatLocalDateTime(server.lastCommunicationAt, timeZone);
  const via = server.newestSigninAt && server.lastCommunicationAt === server.newestSigninAt ? ' (its newest sign-in)' : '';
  return `last communication ${at} (${timeZone})${via}, ${ageWords(now.getTime() - server.lastCommunicationAt.getTime())} ago`;
}

export function serverLine(server: ServerStatus, now: Date, timeZone: string): string {
  const what = [componentName(server.component), server.version].filter(Boolean).join(' ');
  const parts = [
    `*${escapeMrkdwn(server.name)}*`,
    escapeMrkdwn(what),
    server.listed ? escapeMrkdwn(server.state ?? 'state not reported') : 'not in the server list (seen in sign-ins)',
  ];
  if (server.ipAddress && server.ipAddress !== server.name) parts.push(escapeMrkdwn(server.ipAddress));
  parts.push(lastHeard(server, now, timeZone));
  let flag = '';
  if (server.flag === 'silent') flag = ` · :warning: *silent* for over ${SILENT_WORDS}`;
  else if (server.flag === 'retired') {
    const claimsOnline = /online|running|active|connected/i.test(server.state ?? '');
    flag = claimsOnline
      ? ` · :warning: retired ${MFA_SERVER_RETIRED}: the import says ${escapeMrkdwn(server.state!)}, but MFA Server has not served MFA since then`
      : ` · retired ${MFA_SERVER_RETIRED}`;
  }
  return `• ${parts.join(' · ')}${flag}`;
}

export function serversView(report: ServerStatusReport, options: { page: PageInfo; timeZone: string }): Reply {
  const { timeZone } = options;
  const { now, counts } = report;
  const title = 'On-premises MFA servers';
  const blocks: KnownBlock[] = [header(title)];
  const closing = context(`Snapshot at ${formatLocalDateTime(now, timeZone)} (${timeZone}); no period`, dataAsOfLine(report.dataAsOf, timeZone));

  if (counts.total === 0) {
    const text =
      'No on-premises servers in the store yet. MFA Servers come from the MFA Server status report (no API; MFA Server retired ' +
      `${MFA_SERVER_RETIRED}): export it and load it with \`npm run import -- FILE\`. NPS extension and AD FS hosts appear from their sign-ins ` +
      '(`resourceId` `radius` / `adfs`) after `npm run sync`.';
    blocks.push(section(text), closing);
    return reply('No on-premises servers in the store yet', blocks);
  }

  const kinds = [
    counts.mfaServers ? `${plural(counts.mfaServers, 'MFA Server')} (retired ${MFA_SERVER_RETIRED})` : null,
    counts.nps ? plural(counts.nps, 'NPS extension host') : null,
    counts.adfs ? plural(counts.adfs, 'AD FS host') : null,
  ].filter(Boolean);
  const silent = report.servers.filter((s) => s.flag === 'silent');
  const answer =
    `*${plural(counts.total, 'host')}*: ${kinds.join(', ')}. ` +
    (silent.length === 0
      ? counts.nps + counts.adfs > 0
        ? `*Every NPS / AD FS host was heard from in the last ${SILENT_WORDS}.*`
        : ''
      : `*${plural(silent.length, 'host')} silent* for over ${SILENT_WORDS}: ${silent
          .slice(0, 5)
          .map((s) => escapeMrkdwn(s.name))
          .join(', ')}${silent.length > 5 ? ` and ${formatCount(silent.length - 5)} more` : ''}.`);
  blocks.push(section(answer.trim()));

  const lines = report.rows.map((s) => serverLine(s, now, timeZone));
  blocks.push(...lineSections(lines));

  const pager = pagerBlock(options.page, { exportable: true });
  if (pager) blocks.push(pager);
  const from = report.sources.map((s) => `${sourceWords(s.source)}: ${plural(s.rows, 'host')}`);
  const unlisted = report.servers.filter((s) => !s.listed).length;
  if (unlisted) from.push(`NPS addresses seen only in sign-ins: ${formatCount(unlisted)}`);
  blocks.push(
    context(
      pageLine(options.page, report.rows.length),
      `Server list from ${from.join('; ')}. MFA Server state is as last imported; NPS / AD FS hosts count as heard from on each sign-in through them.`,
    ),
    closing,
  );
  return reply(`${title}: ${formatCount(counts.total)} hosts, ${formatCount(silent.length)} silent`, blocks);
}
