// `/mfa user <upn or name> [period]`: was this user challenged, how did they complete MFA, why
// couldn't they. The answer first (how many sign-ins, how many required MFA and how they ended,
// and whether the user is blocked, bypassed or reported fraud), then the sign-ins a page at a
// time, then registration, block / bypass state and fraud reports.
import type { KnownBlock } from '@slack/types';
import type { ResolvedUser } from '../reports/resolve-user.js';
import { describeErrorCode, SIGNIN_ID_PATTERN } from '../reports/signin-detail.js';
import type { BlockEvent, BypassEvent, UserActivityReport, UserFraudReport, UserSignin } from '../reports/user-activity.js';
import { formatLocalDate, formatLocalDateTime } from '../time/zoned.js';
import { context, escapeMrkdwn, header, reply, section, type Reply } from './blocks.js';
import { periodContext } from './data-as-of.js';
import { countWithShare, formatCount, plural } from './format.js';
import { methodName } from './method-names.js';
import { pageLine, pagerBlock, type PageInfo } from './pager.js';
import { echo, methodWords, placeWords, policyLine, requiredWords, resultWords } from './signin-view.js';

export const USER_PAGE_SIZE = 10;
const MAX_FRAUD_LINES = 10;
/** MFA Server stopped servicing requests on this day (graph-data.md §0.8). */
const MFA_SERVER_RETIRED = '2024-09-30';

const LOAD_HINT = 'Load them with `npm run sync` (Microsoft Graph) or `npm run import -- FILE`, or try the demo tenant with `npm run seed`.';

export function userLabel(user: Pick<ResolvedUser, 'upn' | 'displayName'>): string {
  return user.displayName ? `${user.displayName} (${user.upn})` : user.upn;
}

function signinSection(s: UserSignin, timeZone: string): string {
  const head = [
    `*${formatLocalDateTime(s.createdAt, timeZone)}*`,
    escapeMrkdwn(s.appDisplayName ?? 'unknown app'),
    placeWords(s.city, s.countryOrRegion),
    escapeMrkdwn(s.ipAddress ?? 'no IP'),
  ].join(' · ');
  const mfa = [`MFA required: ${requiredWords(s)}`, resultWords(s)];
  if (s.mfaMethod || s.mfaAuthDetail) mfa.push(`Method: ${methodWords(s.mfaMethod, s.mfaAuthDetail)}`);
  const lines = [head, mfa.join(' · ')];
  const status =
    s.errorCode === 0 ? 'Sign-in succeeded' : `Sign-in failed: error ${s.errorCode} (${escapeMrkdwn(describeErrorCode(s.errorCode))})`;
  const component = s.onpremComponent === 'nps' ? ' · via the NPS extension' : s.onpremComponent === 'adfs' ? ' · via the AD FS adapter' : '';
  lines.push(`${status}${component} · id ${SIGNIN_ID_PATTERN.test(s.id) ? `\`${s.id}\`` : escapeMrkdwn(s.id)}`);
  if (s.policies.length > 0) lines.push(...s.policies.map((p) => `Conditional Access: ${policyLine(p)}`));
  else if (s.caStatus) lines.push(`Conditional Access: ${s.caStatus === 'notApplied' ? 'no policy applied' : `status ${escapeMrkdwn(s.caStatus)}, no applied policy stored`}`);
  return lines.join('\n');
}

function summaryText(report: UserActivityReport, who: string, commandHint: string, timeZone: string): string {
  const t = report.totals;
  if (t.signins === 0) {
    if (!report.dataAsOf) return `The report store has no sign-ins yet, so there is nothing to show for ${who}. ${LOAD_HINT}`;
    const newest = report.newestSigninAt
      ? `Their newest sign-in in the store is from ${formatLocalDateTime(report.newestSigninAt, timeZone)} (${timeZone}); try a longer period, e.g. \`/mfa ${commandHint} 30d\`.`
      : 'The store has no sign-ins for this user at all.';
    return `*No sign-ins* for ${who} in ${escapeMrkdwn(report.period.label)}. ${newest}`;
  }
  return (
    `*${plural(t.signins, 'sign-in')}* in ${escapeMrkdwn(report.period.label)}; *${countWithShare(t.mfaRequired, t.signins)}* required MFA` +
    (t.mfaRequired > 0
      ? `: *${formatCount(t.satisfied)}* satisfied, *${formatCount(t.denied)}* denied, *${formatCount(t.interrupted)}* interrupted` +
        (t.otherOutcome > 0 ? `, ${formatCount(t.otherOutcome)} stopped before MFA or unknown` : '') +
        '.'
      : '.')
  );
}

/** The lines an admin must not miss: blocked, bypassed, fraud, not registered. */
function flags(report: UserActivityReport, timeZone: string): string[] {
  const out: string[] = [];
  const block = report.latestBlockEvent;
  if (block?.action === 'block') out.push(`:no_entry: *Blocked from MFA now* (since ${formatLocalDateTime(block.occurredAt, timeZone)}).`);
  if (report.activeBypass) out.push(`:unlock: *One-time bypass valid now*, until ${formatLocalDateTime(report.activeBypass.expiresAt, timeZone)}.`);
  if (report.fraudReports.length > 0) out.push(`:rotating_light: *${plural(report.fraudReports.length, 'fraud report')}* in this period.`);
  if (report.registration && !report.registration.isMfaRegistered) out.push(':warning: *Not registered for MFA.*');
  return out;
}

function registrationText(report: UserActivityReport, timeZone: string): string {
  const r = report.registration;
  if (!r) {
    if (!report.registrationDataAsOf) {
      return '*Registration*: no registration details are loaded. Run `npm run sync` (Graph userRegistrationDetails, permission AuditLog.Read.All) or `npm run import -- FILE`.';
    }
    return `*Registration*: this user is not in the registration details (loaded ${formatLocalDateTime(report.registrationDataAsOf, timeZone)} (${timeZone})); they may be new since then or from another tenant.`;
  }
  const methods = r.methods.filter((m) => m !== 'password').map(methodName);
  const who = [r.isAdmin ? '*admin*' : null, r.userType === 'guest' ? 'guest' : 'member'].filter(Boolean).join(' · ');
  const lines = [
    r.isMfaRegistered
      ? `*Registration*: registered for MFA · ${who}`
      : `*Registration*: *not registered for MFA* · ${who}`,
    `Methods: ${methods.length === 0 ? 'none usable for MFA' : r.isMfaRegistered ? escapeMrkdwn(methods.join(', ')) : `only ${escapeMrkdwn(methods.join(', '))} (not usable for MFA)`}${r.defaultMethod ? ` · default: ${escapeMrkdwn(methodName(r.defaultMethod))}` : ' · no default method'}`,
    `${r.isMfaCapable ? 'Can use MFA under the current policy' : 'Cannot use MFA under the current policy (not MFA capable)'}${r.isPasswordlessCapable ? ' · passwordless capable' : ''}`,
    `Registration details as of ${formatLocalDateTime(r.syncedAt, timeZone)} (${timeZone})${r.lastUpdatedAt ? `; user's registration last changed ${formatLocalDateTime(r.lastUpdatedAt, timeZone)}` : ''}`,
  ];
  return lines.join('\n');
}

const byWhom = (actor: string | null) => (actor ? ` by ${escapeMrkdwn(actor)}` : '');
const because = (reason: string | null) => (reason ? `: “${escapeMrkdwn(reason)}”` : '');
const sourceNote = (source: string) => ` _(source: ${escapeMrkdwn(source)})_`;

function blockLine(block: BlockEvent | null, timeZone: string): string {
  if (!block) return 'Not blocked: no block or unblock request for this user on record.';
  const when = formatLocalDateTime(block.occurredAt, timeZone);
  return block.action === 'block'
    ? `:no_entry: *Blocked now*: blocked ${when}${byWhom(block.actor)}${because(block.reason)}${sourceNote(block.source)}`
    : `Not blocked: last unblocked ${when}${byWhom(block.actor)}${because(block.reason)}${sourceNote(block.source)}`;
}

function bypassLine(bypass: BypassEvent | null, timeZone: string): string {
  if (!bypass) return 'No one-time bypass valid now.';
  return (
    `:unlock: *One-time bypass valid* until ${formatLocalDateTime(bypass.expiresAt, timeZone)} ` +
    `(${plural(bypass.seconds, 'second')}, granted ${formatLocalDateTime(bypass.occurredAt, timeZone)}${byWhom(bypass.actor)}${because(bypass.reason)})${sourceNote(bypass.source)}`
  );
}

function legacyNote(report: UserActivityReport, timeZone: string): string {
  const part = (what: string, newest: Date | null) => (newest ? `${what} newest row ${formatLocalDate(newest, timeZone)}` : `no ${what} loaded`);
  return (
    `Block and bypass history come from imported report files (MFA Server's Blocked User History and One-time bypass reports have no API; ` +
    `MFA Server was retired on ${MFA_SERVER_RETIRED}) and from fraud-triggered blocks in the audit log: ` +
    `${part('block history', report.blockHistoryNewest)}; ${part('bypass history', report.bypassHistoryNewest)}. Load newer files with \`npm run import -- FILE\`.`
  );
}

const FRAUD_STATUS_WORDS: Readonly<Record<string, string>> = {
  new: 'new, not yet acted on',
  acknowledged: 'acknowledged',
  false_positive: 'marked a false positive',
  escalated: 'escalated',
};

function fraudLine(f: UserFraudReport, timeZone: string): string {
  const status = FRAUD_STATUS_WORDS[f.status] ?? escapeMrkdwn(f.status);
  const kind = f.kind === 'mfa_fatigue' ? 'MFA fatigue pattern' : 'reported by the user';
  const where = [f.appDisplayName ? escapeMrkdwn(f.appDisplayName) : null, f.mfaMethod ? escapeMrkdwn(f.mfaMethod) : null, f.city || f.countryOrRegion ? placeWords(f.city, f.countryOrRegion) : null, f.ipAddress ? escapeMrkdwn(f.ipAddress) : null].filter(Boolean);
  return `• ${formatLocalDateTime(f.reportedAt, timeZone)}: ${kind}; ${status}${f.actedBy && f.status !== 'new' ? ` by ${escapeMrkdwn(f.actedBy)}` : ''}${where.length ? ` · ${where.join(' · ')}` : ''}`;
}

function fraudText(report: UserActivityReport, timeZone: string): string {
  const list = report.fraudReports;
  if (list.length === 0) return '*Fraud reports in this period*: none.';
  const lines = list.slice(0, MAX_FRAUD_LINES).map((f) => fraudLine(f, timeZone));
  if (list.length > MAX_FRAUD_LINES) lines.push(`…and ${formatCount(list.length - MAX_FRAUD_LINES)} more`);
  return `*Fraud reports in this period: ${formatCount(list.length)}*\n${lines.join('\n')}`;
}

export const userView = {
  report(report: UserActivityReport, options: { page: PageInfo; timeZone: string }): Reply {
    const { timeZone, page } = options;
    const who = escapeMrkdwn(userLabel(report.user));
    const title = `MFA activity: ${userLabel(report.user)}`;
    const blocks: KnownBlock[] = [header(title)];

    const answer = [summaryText(report, who, `user ${report.user.upn}`, timeZone), ...flags(report, timeZone)];
    blocks.push(section(answer.join('\n')));

    if (report.totals.signins > 0) {
      blocks.push(section(`*Sign-ins*, newest first (times in ${timeZone}; \`/mfa signin &lt;id&gt;\` shows one in full)`));
      if (report.signins.length === 0) blocks.push(section('_No sign-ins on this page._'));
      for (const s of report.signins) blocks.push(section(signinSection(s, timeZone)));
      const pager = pagerBlock(page, { exportable: true });
      if (pager) blocks.push(pager);
      blocks.push(context(pageLine(page, report.signins.length)));
    }

    blocks.push(section(registrationText(report, timeZone)));
    blocks.push(section(`*Block and bypass now*\n${blockLine(report.latestBlockEvent, timeZone)}\n${bypassLine(report.activeBypass, timeZone)}`));
    blocks.push(context(legacyNote(report, timeZone)));
    blocks.push(section(fraudText(report, timeZone)));
    blocks.push(periodContext(report.period, report.dataAsOf, timeZone));

    const t = report.totals;
    const text = `${title}: ${plural(t.signins, 'sign-in')} in ${report.period.label}, ${formatCount(t.mfaRequired)} required MFA, ${formatCount(t.satisfied)} satisfied, ${formatCount(t.denied)} denied, ${formatCount(t.interrupted)} interrupted`;
    return reply(text, blocks);
  },

  /** Nobody matches what was typed. `searched` says where we looked. */
  notFound(typed: string, searched: string): Reply {
    const simple = /^[A-Za-z0-9._-]{1,40}$/.test(typed) ? `${typed}@contoso.com` : 'adele@contoso.com';
    const text = `No user matches \`${echo(typed)}\`. Try a UPN like \`${simple}\` or part of a display name (${searched}).`;
    return reply(text, [section(text)]);
  },

  /** The store has no users at all: nothing to match against. */
  emptyStore(): Reply {
    const text = `No users in the store yet: there are no registration details and no sign-ins. ${LOAD_HINT}`;
    return reply(text, [header('MFA activity'), section(text)]);
  },

  /** Several users match: list them and ask for more. */
  ambiguous(typed: string, candidates: ResolvedUser[], total: number, example: string): Reply {
    const lines = candidates.map((c) => `• ${escapeMrkdwn(userLabel(c))}`);
    if (total > candidates.length) lines.push(`…and ${formatCount(total - candidates.length)} more`);
    const first = `\`${echo(typed)}\` matches ${formatCount(total)} users. Be more specific, e.g. with the full UPN: \`/mfa ${example}\``;
    return reply(`${first.replace(/`/g, '')}`, [section(`${first}\n${lines.join('\n')}`)]);
  },
};
