// The buttons on a fraud alert card. Acknowledge and False positive record who did what and
// when, redraw the card in place (chat.update) and say so in the alert's thread; Show sign-ins
// answers the presser alone with the user's recent sign-ins. Only admins may press; every press,
// allowed or refused, is audited like a command. The same buttons are on the App Home: a press
// there acts the same way, answers in a modal (a Home tab has no response_url) and redraws the Home tab.
import type { App, BlockButtonAction, RespondArguments } from '@slack/bolt';
import { and, eq, inArray } from 'drizzle-orm';
import { fraudReports, slackOutbox } from '../../db/schema.js';
import { isStoreUnavailable } from '../../db/errors.js';
import { alertCard, FRAUD_ACK_ACTION, FRAUD_FALSE_POSITIVE_ACTION, FRAUD_SIGNINS_ACTION, statusWords } from '../alerts/alert-card.js';
import { alertFacts, loadReport, recentSignins } from '../alerts/alert-facts.js';
import { formatMention } from '../alerts/mention.js';
import { SIGNINS_SHOWN, signinsReply } from '../alerts/signins-reply.js';
import { recordQuery } from '../audit/record-query.js';
import { formatLocalDateTime } from '../time/zoned.js';
import { section } from '../views/blocks.js';
import { notice } from '../views/notice-view.js';
import { publishHome, type AppHomeDeps } from './app-home.js';

const ADMIN_HINT = 'Only MFA administrators can act on fraud alerts.';

/** What each button does to the alert's status, and from which statuses. */
const TRANSITIONS = {
  [FRAUD_ACK_ACTION]: { status: 'acknowledged', from: ['new', 'escalated'], verb: 'acknowledged this alert', words: 'acknowledge' },
  [FRAUD_FALSE_POSITIVE_ACTION]: { status: 'false_positive', from: ['new', 'escalated', 'acknowledged'], verb: 'marked this alert a false positive', words: 'false positive' },
} as const;

const ACTIONS = new RegExp(`^(${FRAUD_ACK_ACTION}|${FRAUD_FALSE_POSITIVE_ACTION}|${FRAUD_SIGNINS_ACTION})$`);

export function registerFraudActions(app: App, deps: AppHomeDeps): void {
  app.action<BlockButtonAction>(ACTIONS, async ({ ack, body, action, respond, client }) => {
    await ack();
    const started = Date.now();
    const user = body.user.id;
    const id = Number.parseInt(action.value ?? '', 10);
    const transition = action.action_id === FRAUD_SIGNINS_ACTION ? null : TRANSITIONS[action.action_id as keyof typeof TRANSITIONS];
    const audit = (allowed: boolean, outcome: string, rowCount: number | null) =>
      recordQuery(
        deps.records,
        {
          actor: user,
          teamId: body.team?.id ?? null,
          channelId: body.channel?.id ?? null,
          commandText: `[fraud alert #${Number.isFinite(id) ? id : '?'}: ${transition?.words ?? 'show sign-ins'}]`,
          subcommand: 'fraud-alert',
          allowed,
          outcome,
          rowCount,
          durationMs: Date.now() - started,
        },
        deps.logger,
      );
    const fromHome = (body as { view?: { type?: string } }).view?.type === 'home';
    const tell = async (message: RespondArguments) => {
      try {
        if (fromHome) {
          await client.views.open({
            trigger_id: body.trigger_id,
            view: {
              type: 'modal',
              title: { type: 'plain_text', text: 'mfa-bot' },
              close: { type: 'plain_text', text: 'Close' },
              blocks: ('blocks' in message && Array.isArray(message.blocks) ? message.blocks : [section(message.text ?? '')]) as never[],
            },
          });
          return;
        }
        await respond({ response_type: 'ephemeral', replace_original: false, ...message });
      } catch (error) {
        deps.logger.error(`Could not answer a fraud alert button ${fromHome ? 'in a modal' : 'through its response_url'}`, error);
      }
    };

    const allowed = await deps.isAdmin(user);
    if (!allowed) {
      await audit(false, 'refused', null);
      deps.logger.info(`Refused a fraud alert button from ${user}: not an MFA admin`);
      const refusal = notice.refused(ADMIN_HINT);
      await tell({ text: refusal.text, blocks: refusal.blocks });
      return;
    }

    try {
      const report = Number.isFinite(id) ? await loadReport(deps.store, id) : null;
      if (!report) {
        await audit(true, 'usage_error', null);
        await tell({ text: 'That alert is not in the report store any more.' });
        return;
      }
      const now = deps.now();

      if (!transition) {
        const signins = await recentSignins(deps.store, report.upn, now, SIGNINS_SHOWN);
        await audit(true, 'answered', signins.length);
        const view = signinsReply(report.upn, signins, deps.timeZone);
        await tell({ text: view.text, blocks: view.blocks });
        return;
      }

      const [updated] = await deps.store.db
        .update(fraudReports)
        .set({ status: transition.status, actedBy: user, actedAt: now })
        .where(and(eq(fraudReports.id, report.id), inArray(fraudReports.status, [...transition.from])))
        .returning();
      const current = updated ?? (await loadReport(deps.store, report.id)) ?? report;
      await audit(true, updated ? 'answered' : 'usage_error', 1);
      // Pressed on the Home tab: redraw it, so the alert leaves the open list.
      if (fromHome) await publishHome(client, deps, user, { teamId: body.team?.id ?? null });

      // Redraw the card wherever it is: in the channel, and its escalation re-post in the thread.
      const facts = await alertFacts(deps.store, current, now);
      const card = alertCard(facts, { timeZone: deps.timeZone });
      const channel = current.slackChannel ?? body.channel?.id;
      const cardTs = current.slackTs ?? body.container?.message_ts;
      const pressedTs = body.container?.message_ts as string | undefined;
      const [escalation] = await deps.store.db
        .select({ ts: slackOutbox.slackTs })
        .from(slackOutbox)
        .where(eq(slackOutbox.dedupeKey, `fraud_escalation:${report.id}`));
      for (const ts of new Set([cardTs, pressedTs, escalation?.ts].filter((t): t is string => Boolean(t)))) {
        if (!channel) break;
        try {
          await client.chat.update({ channel, ts, text: card.text, blocks: card.blocks });
        } catch (error) {
          deps.logger.error(`Could not update the card of fraud alert #${report.id}`, error);
        }
      }

      if (!updated) {
        await tell({ text: `Alert #${report.id} was not changed: ${statusWords(facts, deps.timeZone).replace(/^:[a-z_]+: /, '')}.` });
        return;
      }
      if (channel && cardTs) {
        try {
          await client.chat.postMessage({
            channel,
            thread_ts: current.slackThreadTs ?? cardTs,
            text: `${formatMention(user)} ${transition.verb} (#${report.id}, ${report.upn}) at ${formatLocalDateTime(now, deps.timeZone)} (${deps.timeZone}).`,
          });
        } catch (error) {
          deps.logger.error(`Could not reply in the thread of fraud alert #${report.id}`, error);
        }
      }
      deps.logger.info(`Fraud alert #${report.id} (${report.upn}): ${user} ${transition.verb}`);
    } catch (error) {
      const unavailable = isStoreUnavailable(error);
      deps.logger[unavailable ? 'warn' : 'error']('A fraud alert button failed', error);
      await audit(true, 'error', null);
      const failure = unavailable ? notice.storeUnavailable() : notice.failed();
      await tell({ text: failure.text, blocks: failure.blocks });
    }
  });
}
