// The bot's Home tab. An admin sees today's numbers, the open fraud alerts with the same buttons
// as their cards (pressing one here acts exactly as on the card), the on-premises hosts and
// registration coverage. Anyone else sees what the bot is and whom to ask. Never more than
// Slack's 100 blocks for a Home view; phone numbers scrubbed as in every reply.
import type { Button, KnownBlock } from '@slack/types';
import { FRAUD_ACK_ACTION, FRAUD_FALSE_POSITIVE_ACTION, FRAUD_SIGNINS_ACTION, placeWords } from '../alerts/alert-card.js';
import { formatMention } from '../alerts/mention.js';
import type { OpenFraudAlert, OpenFraudAlerts } from '../reports/open-fraud-alerts.js';
import type { RegistrationReport } from '../reports/registration.js';
import type { ServerStatusReport } from '../reports/server-status.js';
import type { SummaryReport } from '../reports/summary.js';
import { scrubPhoneNumbers } from '../ingest/scrub.js';
import { formatLocalDateTime } from '../time/zoned.js';
import { actions, button, context, divider, escapeMrkdwn, fields, header, lineSections, section } from './blocks.js';
import { dataAsOfLine } from './data-as-of.js';
import { countWithShare, formatCount, formatShare, plural } from './format.js';
import { serverLine } from './servers-view.js';
import { failureReasonWords } from './summary-view.js';

/** Slack's limit for a Home tab view. */
export const HOME_MAX_BLOCKS = 100;
/** Open alerts shown with their buttons (two blocks each); the rest are counted. */
export const HOME_ALERTS_SHOWN = 20;
/** Host lines shown; the rest are counted. */
export const HOME_SERVERS_SHOWN = 15;

export interface HomeView {
  type: 'home';
  blocks: KnownBlock[];
}

export interface AdminHomeInput {
  today: SummaryReport;
  alerts: OpenFraudAlerts;
  servers: ServerStatusReport;
  registration: RegistrationReport;
  now: Date;
  timeZone: string;
}

/** Caps the blocks at Slack's limit (keeping the closing line) and scrubs phone numbers. */
function homeView(blocks: KnownBlock[]): HomeView {
  let kept = blocks;
  if (blocks.length > HOME_MAX_BLOCKS) {
    const last = blocks[blocks.length - 1]!;
    kept = [...blocks.slice(0, HOME_MAX_BLOCKS - 2), section('_…more than fits on the Home tab; ask with `/mfa`._'), last];
  }
  return JSON.parse(scrubPhoneNumbers(JSON.stringify({ type: 'home', blocks: kept }))) as HomeView;
}

function todayBlocks(report: SummaryReport, timeZone: string): KnownBlock[] {
  const blocks: KnownBlock[] = [header(`Today in MFA (${timeZone})`)];
  if (report.signins === 0) {
    blocks.push(section(`No sign-ins today yet. ${dataAsOfLine(report.dataAsOf, timeZone)}.`));
    return blocks;
  }
  const failed = report.denied + report.interrupted;
  blocks.push(
    section(`*${formatCount(report.signins)}* sign-ins today; *${countWithShare(report.mfaRequired, report.signins)}* required MFA.`),
    ...fields([
      `*Satisfied*\n${countWithShare(report.satisfied, report.mfaRequired)}`,
      `*Denied*\n${countWithShare(report.denied, report.mfaRequired)}`,
      `*Interrupted*\n${countWithShare(report.interrupted, report.mfaRequired)}`,
      `*Users who could not complete MFA*\n${formatCount(report.usersFailed)} of ${formatCount(report.usersChallenged)} challenged`,
    ]),
  );
  const top = report.topFailureReasons[0];
  if (top && failed > 0) {
    blocks.push(context(`Most common failure today: ${failureReasonWords(top)} (${formatShare(top.signins, failed)} of failures) · \`/mfa summary today\` for more`));
  }
  return blocks;
}

function alertButtons(alert: OpenFraudAlert): Button[] {
  const value = String(alert.id);
  return [{ ...button('Acknowledge', FRAUD_ACK_ACTION, value), style: 'primary' }, button('False positive', FRAUD_FALSE_POSITIVE_ACTION, value), button('Show sign-ins', FRAUD_SIGNINS_ACTION, value)];
}

function alertBlocks(open: OpenFraudAlerts, timeZone: string): KnownBlock[] {
  const blocks: KnownBlock[] = [header(`Open fraud alerts: ${formatCount(open.total)}`)];
  if (open.total === 0) {
    blocks.push(section('None: every fraud alert has been acknowledged or marked a false positive.'));
    return blocks;
  }
  for (const alert of open.rows.slice(0, HOME_ALERTS_SHOWN)) {
    const what = alert.kind === 'mfa_fatigue' ? 'Possible MFA fatigue attack on' : 'Fraud reported by';
    const status = alert.status === 'escalated' ? ' · :rotating_light: escalated' : '';
    const notPosted = alert.alertState === 'posted' ? '' : alert.alertState === 'skipped' ? ' · not posted (a backfill)' : ' · not posted yet';
    const where = placeWords(alert.ipAddress, alert.city, alert.countryOrRegion);
    blocks.push(
      section(
        `*${what} ${escapeMrkdwn(alert.upn)}* at ${formatLocalDateTime(alert.reportedAt, timeZone)}${status}\n` +
          `${escapeMrkdwn(where)} · ${escapeMrkdwn(alert.appDisplayName ?? 'unknown app')} · ${escapeMrkdwn(alert.mfaMethod ?? 'unknown method')} · #${alert.id}${notPosted}`,
      ),
      { ...actions(...alertButtons(alert)), block_id: `home_fraud_alert:${alert.id}` },
    );
  }
  const more = open.total - Math.min(open.rows.length, HOME_ALERTS_SHOWN);
  if (more > 0) blocks.push(context(`…and ${formatCount(more)} more open alerts: \`/mfa fraud 30d\` lists them all.`));
  return blocks;
}

function serverBlocks(report: ServerStatusReport, now: Date, timeZone: string): KnownBlock[] {
  const { counts } = report;
  const blocks: KnownBlock[] = [header('On-premises hosts')];
  if (counts.total === 0) {
    blocks.push(section('No MFA Server, NPS extension or AD FS hosts known: none imported and none seen in sign-ins.'));
    return blocks;
  }
  const summary = `${plural(counts.total, 'host')}: ${formatCount(counts.nps)} NPS, ${formatCount(counts.adfs)} AD FS, ${plural(counts.mfaServers, 'MFA Server')}` + (counts.silent > 0 ? ` · :warning: *${formatCount(counts.silent)} silent*` : ' · none silent');
  const lines = report.servers.slice(0, HOME_SERVERS_SHOWN).map((s) => serverLine(s, now, timeZone));
  const more = counts.total - Math.min(counts.total, HOME_SERVERS_SHOWN);
  if (more > 0) lines.push(`…and ${formatCount(more)} more: \`/mfa servers\``);
  blocks.push(...lineSections(lines, summary).slice(0, 3));
  return blocks;
}

function registrationBlocks(report: RegistrationReport, timeZone: string): KnownBlock[] {
  const blocks: KnownBlock[] = [header('Registration coverage')];
  if (report.users === 0) {
    blocks.push(section('No registration details loaded yet (`npm run sync` loads them from Microsoft Graph).'));
    return blocks;
  }
  const unregistered = report.users - report.registered;
  blocks.push(
    section(
      `*${countWithShare(report.registered, report.users)}* of ${plural(report.users, 'member')} registered for MFA; ` +
        `*${formatCount(unregistered)}* not registered (\`/mfa unregistered\`).`,
    ),
  );
  if (report.dataAsOf) blocks.push(context(`Registration details as of ${formatLocalDateTime(report.dataAsOf, timeZone)} (${timeZone})`));
  return blocks;
}

export function adminHomeView(input: AdminHomeInput): HomeView {
  const { timeZone, now } = input;
  return homeView([
    ...todayBlocks(input.today, timeZone),
    divider(),
    ...alertBlocks(input.alerts, timeZone),
    divider(),
    ...serverBlocks(input.servers, now, timeZone),
    divider(),
    ...registrationBlocks(input.registration, timeZone),
    divider(),
    context(`Refreshed ${formatLocalDateTime(now, timeZone)} (${timeZone}), each time you open this tab · ${dataAsOfLine(input.today.dataAsOf, timeZone)} · \`/mfa help\` for everything you can ask`),
  ]);
}

export interface WhomToAsk {
  admins: readonly string[];
  adminGroup?: string | undefined;
}

/** When the store cannot be read: the tab says so instead of going blank. */
export function unavailableHomeView(problem: string): HomeView {
  return homeView([header('mfa-bot'), section(`:warning: ${escapeMrkdwn(problem)}`)]);
}

export function visitorHomeView(ask: WhomToAsk): HomeView {
  const people = [...(ask.adminGroup ? [formatMention(ask.adminGroup)] : []), ...ask.admins.slice(0, 20).map((id) => formatMention(id))];
  const whom = people.length > 0 ? `Ask ${people.join(', ')} if you need an answer, or to be added as an MFA administrator.` : 'No MFA administrators are configured yet: ask your Slack workspace admins.';
  return homeView([
    header('mfa-bot'),
    section(
      'I answer Entra ID administrators’ questions about multi-factor authentication: was a sign-in challenged, how MFA was completed or why it failed, ' +
        'who is registered, fraud reports and the on-premises MFA components. I also post fraud alerts and a daily summary to the security team’s channels.',
    ),
    section(`Only MFA administrators get data from me, and every question is recorded. ${whom}`),
    context('If you got an MFA prompt you did not expect, deny it and tell your IT help desk.'),
  ]);
}
