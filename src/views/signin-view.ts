// `/mfa signin <id>`: one sign-in in full. The answer first (was MFA required, how it ended, how it
// was done), then every column of the sign-ins report, the authentication steps, the Conditional
// Access policies and the other events of the same sign-in flow (same correlation id).
import type { KnownBlock } from '@slack/types';
import type { AuthStep } from '../../db/schema.js';
import { describeResultCode } from '../ingest/mfa-vocabulary.js';
import { describeErrorCode, SIGNIN_ID_PATTERN, type SigninDetail, type SigninRecord } from '../reports/signin-detail.js';
import type { AppliedPolicy } from '../reports/user-activity.js';
import { formatLocalDateTime, localParts } from '../time/zoned.js';
import { context, escapeMrkdwn, fields, header, reply, section, shorten, type Reply } from './blocks.js';
import { dataAsOfLine } from './data-as-of.js';
import { formatCount, plural } from './format.js';
import { failureReasonWords } from './summary-view.js';

const EMPTY_STORE =
  'No sign-ins in the store yet: run `npm run sync` (Microsoft Graph) or `npm run import -- FILE` to load them, or try the demo tenant with `npm run seed`.';

/** Shown where a value is absent. */
const NONE = '—';

const show = (value: string | null | undefined): string => (value == null || value === '' ? NONE : escapeMrkdwn(value));

/** An id inside a code span, when it is safe to put there. */
export function idCode(id: string): string {
  return SIGNIN_ID_PATTERN.test(id) ? `\`${id}\`` : escapeMrkdwn(id);
}

/** What the user typed, safe to echo: short, no backticks, mrkdwn escaped. */
export function echo(text: string): string {
  return escapeMrkdwn(shorten(text).replace(/`/g, "'"));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-11-27 09:05:07" in the zone. */
function withSeconds(date: Date, timeZone: string): string {
  return `${formatLocalDateTime(date, timeZone)}:${pad(localParts(date, timeZone).second)}`;
}

export function placeWords(city: string | null, country: string | null): string {
  const parts = [city, country].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? escapeMrkdwn(parts.join(', ')) : 'unknown place';
}

const CA_RESULT_WORDS: Readonly<Record<string, string>> = {
  success: 'success (grant controls satisfied)',
  failure: 'failure (grant controls not satisfied, or access blocked)',
  reportonlysuccess: 'report-only: would have succeeded',
  reportonlyfailure: 'report-only: would have failed',
  reportonlyinterrupted: 'report-only: would have interrupted the sign-in',
  unknown: 'unknown',
};

export function caResultWords(result: string): string {
  return CA_RESULT_WORDS[result.toLowerCase()] ?? escapeMrkdwn(result);
}

/** "Require MFA for admins: success (…) · grant Mfa · session SignInFrequency" */
export function policyLine(policy: AppliedPolicy): string {
  const grant = policy.grantControls.length > 0 ? escapeMrkdwn(policy.grantControls.join(', ')) : 'none';
  const session = policy.sessionControls.length > 0 ? escapeMrkdwn(policy.sessionControls.join(', ')) : 'none';
  return `${show(policy.name ?? policy.policyId)}: ${caResultWords(policy.result)} · grant: ${grant} · session: ${session}`;
}

/** The MFA result of a sign-in in plain words: the stored code explained, the raw text for 'other'. */
export function resultWords(s: Pick<SigninRecord, 'mfaRequired' | 'mfaOutcome' | 'mfaResultCode' | 'mfaResultDetail'>): string {
  if (s.mfaResultCode) return failureReasonWords({ code: s.mfaResultCode, detail: s.mfaResultDetail });
  if (s.mfaOutcome === 'not_required' || s.mfaRequired === 'no') return 'No MFA: not required';
  return 'MFA result unknown (the record does not say)';
}

export function requiredWords(s: Pick<SigninRecord, 'mfaRequired' | 'mfaRequiredReason'>): string {
  const base = s.mfaRequired === 'yes' ? 'yes' : s.mfaRequired === 'no' ? 'no' : 'unknown (the record does not say; v1.0 sign-ins lack this field)';
  return s.mfaRequired === 'yes' && s.mfaRequiredReason ? `${base} (${escapeMrkdwn(s.mfaRequiredReason)})` : base;
}

/** "Text message (+X XXXXXXXX64)" */
export function methodWords(method: string | null, authDetail: string | null): string {
  if (!method) return authDetail ? escapeMrkdwn(authDetail) : NONE;
  return authDetail ? `${escapeMrkdwn(method)} (${escapeMrkdwn(authDetail)})` : escapeMrkdwn(method);
}

const yesNo = (value: boolean | null): string => (value === true ? 'yes' : value === false ? 'no' : NONE);

function stepLine(step: AuthStep, index: number, timeZone: string): string {
  const at = step.at && !Number.isNaN(Date.parse(step.at)) ? withSeconds(new Date(step.at), timeZone) : 'time not recorded';
  const method = step.methodDetail ? `${show(step.method)} (${escapeMrkdwn(step.methodDetail)})` : show(step.method);
  const outcome = step.succeeded === true ? 'succeeded' : step.succeeded === false ? '*failed*' : 'result not recorded';
  return `${index + 1}. ${at} · ${show(step.requirement)} · ${method} · ${outcome}${step.resultDetail ? `: “${escapeMrkdwn(step.resultDetail)}”` : ''}`;
}

function issuerWords(s: SigninRecord): string {
  const component = s.onpremComponent === 'nps' ? 'NPS extension' : s.onpremComponent === 'adfs' ? 'AD FS adapter' : null;
  const issuer = show(s.tokenIssuerType);
  return component ? `${issuer} · on-premises component: ${component}` : `${issuer} · not an on-premises component event`;
}

export const signinView = {
  detail(detail: SigninDetail, timeZone: string): Reply {
    const s = detail.signin;
    const when = `${formatLocalDateTime(s.createdAt, timeZone)} (${timeZone})`;
    const who = s.userDisplayName ?? s.upn ?? 'unknown user';
    const title = `Sign-in: ${who}, ${when}`;
    const described = s.mfaResultCode ? describeResultCode(s.mfaResultCode) : null;

    const answer = [
      `*MFA required:* ${requiredWords(s)}`,
      `*Result:* ${resultWords(s)}`,
      `*Method:* ${methodWords(s.mfaMethod, s.mfaAuthDetail)}`,
      s.errorCode === 0 ? '*Sign-in:* succeeded (error code 0)' : `*Sign-in:* failed with error ${s.errorCode}: ${escapeMrkdwn(describeErrorCode(s.errorCode))}`,
    ];
    if (described?.advice) answer.push(`_What to do:_ ${escapeMrkdwn(described.advice)}`);

    const blocks: KnownBlock[] = [header(title), section(answer.join('\n'))];

    blocks.push(
      ...fields([
        `*Time*\n${withSeconds(s.createdAt, timeZone)} (${timeZone})\n${s.createdAt.toISOString()}`,
        `*User*\n${show(s.userDisplayName)}\n${show(s.upn)}\nid ${show(s.userId)}`,
        `*Application*\n${show(s.appDisplayName)}\n${show(s.appId)}`,
        `*Resource*\n${show(s.resourceDisplayName)}\n${show(s.resourceId)}`,
        `*IP address*\n${show(s.ipAddress)}`,
        `*Place*\n${placeWords(s.city, s.countryOrRegion)}`,
        `*Client app*\n${show(s.clientAppUsed)}`,
        `*Interactive*\n${yesNo(s.isInteractive)}`,
        `*Token issuer*\n${issuerWords(s)}`,
        `*Source*\n${show(s.source)}`,
      ]),
    );

    blocks.push(
      section(
        [
          '*Status*',
          `Error code: ${s.errorCode} (${escapeMrkdwn(describeErrorCode(s.errorCode))})`,
          `Failure reason: ${show(s.failureReason)}`,
          `Additional details: ${show(s.additionalDetails)}`,
        ].join('\n'),
      ),
    );

    blocks.push(
      section(
        [
          '*MFA*',
          `Required: ${requiredWords(s)}`,
          `Outcome: ${escapeMrkdwn(s.mfaOutcome.replace('_', ' '))}`,
          `Result: ${resultWords(s)}${s.mfaResultCode ? ` (code ${escapeMrkdwn(s.mfaResultCode)})` : ''}`,
          `Result as logged: ${s.mfaResultDetail ? `“${escapeMrkdwn(s.mfaResultDetail)}”` : NONE}`,
          `Method: ${show(s.mfaMethod)}${s.mfaMethodRaw && s.mfaMethodRaw !== s.mfaMethod ? ` (logged as “${escapeMrkdwn(s.mfaMethodRaw)}”)` : ''}`,
          `Authentication detail: ${show(s.mfaAuthDetail)}`,
        ].join('\n'),
      ),
    );

    const steps = detail.authSteps;
    blocks.push(
      section(
        steps.length === 0
          ? '*Authentication steps*\nNone recorded (v1.0 and imported records carry no step detail).'
          : `*Authentication steps* (${formatCount(steps.length)})\n${steps.map((step, i) => stepLine(step, i, timeZone)).join('\n')}`,
      ),
    );

    const ca = [`*Conditional Access*: status ${show(s.caStatus)}`];
    if (detail.policies.length > 0) ca.push(...detail.policies.map((p) => `• ${policyLine(p)}`));
    else ca.push(s.caStatus === null ? 'No Conditional Access data on this record (it needs the Policy.Read.All permission to be logged).' : 'No policy applied to this sign-in.');
    ca.push('_Only policies that applied are stored (success, failure, report-only); policies that did not apply or are disabled are not._');
    blocks.push(section(ca.join('\n')));

    const corr = detail.correlated;
    let corrText: string;
    if (!s.correlationId) corrText = '*Correlation id*: none recorded';
    else if (corr.total === 0) corrText = `*Correlation id* \`${escapeMrkdwn(s.correlationId).replace(/`/g, "'")}\`\nNo other sign-in in the store shares it.`;
    else {
      const lines = corr.signins.map(
        (o) => `• ${idCode(o.id)}: ${formatLocalDateTime(o.createdAt, timeZone)}, ${escapeMrkdwn(o.mfaOutcome.replace('_', ' '))}${o.errorCode ? `, error ${o.errorCode}` : ''}`,
      );
      if (corr.total > corr.signins.length) lines.push(`…and ${formatCount(corr.total - corr.signins.length)} more`);
      corrText = `*Correlation id* \`${escapeMrkdwn(s.correlationId).replace(/`/g, "'")}\`\n${plural(corr.total, 'other sign-in')} of the same flow share it:\n${lines.join('\n')}`;
    }
    blocks.push(section(corrText));

    blocks.push(
      context(
        `Sign-in ${idCode(s.id)} · loaded ${formatLocalDateTime(s.ingestedAt, timeZone)} (${timeZone}) · one record, no period`,
        dataAsOfLine(detail.dataAsOf, timeZone),
      ),
    );
    const text = `${title}: MFA required ${s.mfaRequired}, ${s.mfaOutcome.replace('_', ' ')}${s.errorCode ? `, error ${s.errorCode}` : ''}`;
    return reply(text, blocks);
  },

  /** No sign-in with that id (or no sign-ins at all). */
  unknown(id: string, dataAsOf: Date | null, timeZone: string): Reply {
    if (!dataAsOf) return reply(EMPTY_STORE, [header('Sign-in not found'), section(EMPTY_STORE), context(dataAsOfLine(null, timeZone))]);
    const text =
      `No sign-in with id \`${echo(id)}\` in the store. Copy an id from \`/mfa user &lt;upn&gt;\`; sign-ins older than the ` +
      'retention period are dropped, and newer ones arrive with the next `npm run sync`.';
    return reply(`No sign-in with id ${id.slice(0, 100)} in the store.`, [section(text), context(dataAsOfLine(dataAsOf, timeZone))]);
  },
};
