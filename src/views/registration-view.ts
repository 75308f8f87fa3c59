// `/mfa registered` and `/mfa unregistered`: the answer (how many, coverage), then the users,
// a page at a time, admins first.
import type { KnownBlock } from '@slack/types';
import type { RegistrationReport, RegistrationUser } from '../reports/registration.js';
import { formatLocalDateTime } from '../time/zoned.js';
import { context, escapeMrkdwn, header, reply, section, type Reply } from './blocks.js';
import { countWithShare, formatCount, formatShare } from './format.js';
import { methodName } from './method-names.js';
import { pageLine, pagerBlock, type PageInfo } from './pager.js';

export const REGISTRATION_PAGE_SIZE = 25;

function userLine(user: RegistrationUser): string {
  const tags = [user.isAdmin ? '*admin*' : null, user.userType === 'guest' ? 'guest' : null].filter(Boolean);
  const who = `${escapeMrkdwn(user.displayName ?? user.upn)} (${escapeMrkdwn(user.upn)})`;
  const methods = user.methods.filter((m) => m !== 'password').map(methodName);
  const detail = user.isMfaRegistered
    ? `${methods.join(', ') || 'no listed method'}${user.defaultMethod ? `; default ${methodName(user.defaultMethod)}` : ''}${user.isMfaCapable ? '' : '; not allowed by policy'}`
    : methods.length > 0
      ? `only ${methods.join(', ')} (not usable for MFA)`
      : 'no MFA method';
  return `• ${who}${tags.length ? ` · ${tags.join(' · ')}` : ''}: ${detail}`;
}

export function registrationView(report: RegistrationReport, options: { registered: boolean; includeGuests: boolean; page: PageInfo; timeZone: string }): Reply {
  const scope = options.includeGuests ? 'users' : 'members';
  const asOf = report.dataAsOf
    ? `Registration details as of ${formatLocalDateTime(report.dataAsOf, options.timeZone)} (${options.timeZone}) · source: Graph userRegistrationDetails`
    : 'No registration details loaded';
  if (report.users === 0) {
    const text = 'No registration details are loaded yet. Run `npm run sync` (Graph userRegistrationDetails, permission AuditLog.Read.All) or `npm run import -- FILE` with an export of them.';
    return reply(text, [header(options.registered ? 'Registered for MFA' : 'Not registered for MFA'), section(text), context(asOf)]);
  }
  const unregistered = report.users - report.registered;
  const title = options.registered
    ? `Registered for MFA: ${formatCount(report.registered)} of ${formatCount(report.users)} ${scope}`
    : `Not registered for MFA: ${formatCount(unregistered)} of ${formatCount(report.users)} ${scope}`;
  const answer =
    `*Coverage ${formatShare(report.registered, report.users)}*: ${countWithShare(report.registered, report.users)} registered, ` +
    `${countWithShare(unregistered, report.users)} not registered; ${countWithShare(report.capable, report.users)} can use MFA under the current policy.` +
    (options.includeGuests ? '' : ' Guests are left out; add `--all` to include them.');
  const blocks: KnownBlock[] = [header(title), section(answer)];
  if (report.rows.length === 0) {
    blocks.push(section(options.registered ? 'Nobody here is registered for MFA.' : 'Everyone here is registered for MFA. :tada:'));
  } else {
    // Section text holds 3,000 characters: a page of 25 lines always fits in two sections.
    const lines = report.rows.map(userLine);
    const half = Math.ceil(lines.length / 2);
    blocks.push(section(lines.slice(0, half).join('\n')));
    if (lines.length > half) blocks.push(section(lines.slice(half).join('\n')));
  }
  const pager = pagerBlock(options.page, { exportable: true });
  if (pager) blocks.push(pager);
  blocks.push(context(pageLine(options.page, report.rows.length), asOf));
  return reply(`${title} (coverage ${formatShare(report.registered, report.users)})`, blocks);
}
