// The fraud alert card: what happened (who, when, where, which app and method), what an admin
// needs to judge it at a glance (the user's last sign-ins, registered methods, whether they are
// blocked), who has acted on it, and the buttons to act. Redrawn in place after every press.
import type { Button, KnownBlock } from '@slack/types';
import { describeResultCode } from '../ingest/mfa-vocabulary.js';
import { formatLocalDateTime } from '../time/zoned.js';
import { actions, button, context, escapeMrkdwn, fields, header, reply, section, type Reply } from '../views/blocks.js';
import { plural } from '../views/format.js';
import { methodName } from '../views/method-names.js';
import type { AlertFacts, RecentSignin } from './alert-facts.js';
import { formatMention } from './mention.js';

export const FRAUD_ACK_ACTION = 'fraud_alert_ack';
export const FRAUD_FALSE_POSITIVE_ACTION = 'fraud_alert_false_positive';
export const FRAUD_SIGNINS_ACTION = 'fraud_alert_signins';
export const FRAUD_ACTIONS_BLOCK = 'fraud_alert_actions';

/** Metadata event type of alert posts (the key a lost post is found again by). */
export const FRAUD_ALERT_EVENT = 'mfa_fraud_alert';

export interface CardOptions {
  timeZone: string;
  /** Drawn as the escalation re-post in the alert's thread. */
  escalation?: { mention: string | undefined; minutes: number };
}

const kindTitle = (facts: AlertFacts) =>
  facts.report.kind === 'mfa_fatigue' ? `Possible MFA fatigue attack on ${facts.report.upn}` : `Fraud reported by ${facts.report.upn}`;

export function placeWords(ip: string | null, city: string | null, country: string | null): string {
  const place = [city, country].filter(Boolean).join(', ');
  if (ip && place) return `${ip} (${place})`;
  return ip ?? (place || 'unknown');
}

export function signinOutcomeWords(signin: Pick<RecentSignin, 'mfaOutcome' | 'mfaResultCode' | 'mfaResultDetail' | 'errorCode'>): string {
  if (signin.mfaResultCode === 'other' && signin.mfaResultDetail) return `Unrecognised result: “${signin.mfaResultDetail}”`;
  if (signin.mfaResultCode && signin.mfaResultCode !== 'none') return describeResultCode(signin.mfaResultCode).words;
  if (signin.mfaOutcome === 'not_required') return signin.errorCode === 0 ? 'Signed in (no MFA required)' : `Failed before MFA (error ${signin.errorCode})`;
  if (signin.errorCode !== 0) return `Failed (error ${signin.errorCode})`;
  return 'Signed in';
}

function signinLine(signin: RecentSignin, timeZone: string): string {
  const parts = [
    formatLocalDateTime(signin.at, timeZone),
    escapeMrkdwn(signin.app ?? 'unknown app'),
    escapeMrkdwn(signinOutcomeWords(signin)),
    escapeMrkdwn(placeWords(signin.ipAddress, signin.city, signin.countryOrRegion)),
  ];
  return `• ${parts.join(' · ')}`;
}

function sourceWords(facts: AlertFacts): string {
  const words = facts.sources
    .filter((source) => !(facts.report.kind === 'mfa_fatigue' && source.kind === 'signin'))
    .map((source) => {
      switch (source.kind) {
        case 'risk_detection':
          return 'risk detection (user reported suspicious activity)';
        case 'directory_audit':
          return `audit log “${escapeMrkdwn(source.activity ?? 'fraud reported')}”`;
        case 'signin':
          return 'denied sign-in';
        default:
          return `${escapeMrkdwn(source.kind)} record`;
      }
    });
  if (facts.fatigue) words.unshift(plural(facts.fatigue.prompts, 'push prompt'));
  return [...new Set(words)].join(', ') || 'unknown';
}

function registrationWords(facts: AlertFacts): string {
  const reg = facts.registration;
  if (!reg) return 'Not in the registration report';
  if (!reg.isMfaRegistered || reg.methods.length === 0) return 'None: not registered for MFA';
  return reg.methods.map((m) => `${escapeMrkdwn(methodName(m))}${reg.defaultMethod === m ? ' (default)' : ''}`).join(', ');
}

function blockWords(facts: AlertFacts, timeZone: string): string {
  if (!facts.block) return 'No';
  const why = facts.block.reason ? `: ${escapeMrkdwn(facts.block.reason)}` : '';
  return `*Yes*, since ${formatLocalDateTime(facts.block.since, timeZone)}${why}`;
}

export function statusWords(facts: AlertFacts, timeZone: string): string {
  const { report } = facts;
  const by = report.actedBy ? formatMention(report.actedBy) : 'someone';
  const at = report.actedAt ? `${formatLocalDateTime(report.actedAt, timeZone)} (${timeZone})` : 'an unknown time';
  switch (report.status) {
    case 'acknowledged':
      return `:white_check_mark: Acknowledged by ${by} at ${at}`;
    case 'false_positive':
      return `:heavy_minus_sign: Marked a false positive by ${by} at ${at}`;
    case 'escalated':
      return `:rotating_light: Escalated at ${report.escalatedAt ? formatLocalDateTime(report.escalatedAt, timeZone) : 'an unknown time'}: nobody acknowledged it in time`;
    default:
      return ':hourglass_flowing_sand: New: nobody has acknowledged it yet';
  }
}

function buttons(facts: AlertFacts): Button[] {
  const value = String(facts.report.id);
  const list: Button[] = [];
  if (facts.report.status === 'new' || facts.report.status === 'escalated') list.push({ ...button('Acknowledge', FRAUD_ACK_ACTION, value), style: 'primary' });
  if (facts.report.status !== 'false_positive') list.push(button('False positive', FRAUD_FALSE_POSITIVE_ACTION, value));
  list.push(button('Show sign-ins', FRAUD_SIGNINS_ACTION, value));
  return list;
}

export function alertCard(facts: AlertFacts, options: CardOptions): Reply {
  const { report } = facts;
  const { timeZone } = options;
  const when = `${formatLocalDateTime(report.reportedAt, timeZone)} (${timeZone})`;
  const who = facts.displayName ? `*${escapeMrkdwn(facts.displayName)}* (${escapeMrkdwn(report.upn)})` : `*${escapeMrkdwn(report.upn)}*`;
  const blocks: KnownBlock[] = [];

  if (options.escalation) {
    const mention = options.escalation.mention ? `${formatMention(options.escalation.mention)} ` : '';
    blocks.push(section(`:alarm_clock: ${mention}Nobody has acknowledged this alert within ${plural(options.escalation.minutes, 'minute')}. Please look at it now.`));
  }
  blocks.push(header(`:rotating_light: ${kindTitle(facts)}`));

  if (facts.fatigue) {
    const f = facts.fatigue;
    const minutes = Math.max(1, Math.round((f.last.getTime() - f.first.getTime()) / 60_000));
    blocks.push(
      section(
        `${who} got *${plural(f.prompts, 'push prompt')}* they did not approve within ${plural(minutes, 'minute')}, from ${when}: ` +
          `${f.unanswered} unanswered, ${f.declined} declined. Someone who has the password may be trying to wear them down.`,
      ),
    );
  } else {
    blocks.push(section(`${who} reported an MFA prompt they did not expect as fraud at *${when}*.`));
  }

  blocks.push(
    ...fields([
      `*Where*\n${escapeMrkdwn(placeWords(report.ipAddress, report.city, report.countryOrRegion))}`,
      `*App*\n${escapeMrkdwn(report.appDisplayName ?? 'unknown')}`,
      `*Method*\n${escapeMrkdwn(report.mfaMethod ?? 'unknown')}`,
      `*Blocked for MFA*\n${blockWords(facts, timeZone)}`,
      `*Registered methods*\n${registrationWords(facts)}`,
      `*Reported via*\n${sourceWords(facts)}`,
    ]),
  );

  const lines = facts.recentSignins.map((s) => signinLine(s, timeZone));
  blocks.push(section(`*Last sign-ins*\n${lines.length > 0 ? lines.join('\n') : 'No sign-ins in the store for this user in the last 7 days.'}`));
  blocks.push(context(statusWords(facts, timeZone)));
  blocks.push({ ...actions(...buttons(facts)), block_id: `${FRAUD_ACTIONS_BLOCK}:${report.id}` });
  blocks.push(context(`Alert #${report.id} · times in ${timeZone}`));

  const text = `${options.escalation ? 'Escalated: ' : ''}${kindTitle(facts)} at ${when}`;
  return reply(text, blocks);
}
