// The /mfa listener: a thin adapter. It authorizes, asks `answerCommand`, replies ephemerally and
// audits (before replying). The answer goes back in the acknowledgement when it is ready within two seconds (one
// round trip, no Web API call); otherwise the ack says "working" and the answer follows through
// the response_url, so Slack's three-second limit is never hit.
import type { App, Logger, RespondArguments, SlashCommand } from '@slack/bolt';
import { answerCommand, type Answer } from '../../commands/index.js';
import type { Store } from '../../db/client.js';
import { isStoreUnavailable } from '../../db/errors.js';
import { recordQuery } from '../audit/record-query.js';
import type { Reply } from '../views/blocks.js';
import { notice } from '../views/notice-view.js';
import type { AdminCheck } from './admin-check.js';

export interface MfaCommandDeps {
  store: Store;
  isAdmin: AdminCheck;
  timeZone: string;
  now: () => Date;
  logger: Logger;
  /** How long to wait for an answer before acknowledging with "working"; 0 always acknowledges first. */
  inlineAnswerMs?: number;
}

const ADMIN_HINT = 'Ask your Slack workspace admins to add you to MFA_ADMINS or to the MFA admin user group.';

type Outcome =
  | Pick<Answer, 'outcome' | 'reply' | 'rowCount' | 'subcommand' | 'visibility'>
  | { outcome: 'error' | 'refused'; reply: Reply; rowCount: null; subcommand: null; visibility: 'ephemeral' };

function message(reply: Reply, visibility: Answer['visibility'] = 'ephemeral'): RespondArguments & { response_type: Answer['visibility'] } {
  return { response_type: visibility, text: reply.text, blocks: reply.blocks };
}

export function registerMfaCommand(app: App, deps: MfaCommandDeps): void {
  const inlineMs = deps.inlineAnswerMs ?? 2000;

  app.command('/mfa', async ({ command, ack, respond }) => {
    const started = Date.now();
    const audit = (allowed: boolean, result: Outcome) =>
      recordQuery(
        deps.store,
        {
          actor: command.user_id,
          teamId: command.team_id,
          channelId: command.channel_id,
          commandText: command.text ?? '',
          subcommand: result.subcommand,
          allowed,
          outcome: result.outcome,
          rowCount: result.rowCount,
          durationMs: Date.now() - started,
        },
        deps.logger,
      );

    const allowed = await deps.isAdmin(command.user_id);
    // The audit row is written before the reply goes out: nothing is shown that was not recorded.
    if (!allowed) {
      const refusal = notice.refused(ADMIN_HINT);
      await audit(false, { outcome: 'refused', reply: refusal, rowCount: null, subcommand: null, visibility: 'ephemeral' });
      deps.logger.info(`Refused /mfa from ${command.user_id}: not an MFA admin`);
      await ack(message(refusal));
      return;
    }

    const answering = answer(command, deps).then(async (result) => {
      await audit(true, result);
      return result;
    });
    let timer: NodeJS.Timeout | undefined;
    const early =
      inlineMs > 0 ? await Promise.race([answering, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), inlineMs)))]) : null;
    clearTimeout(timer);
    if (early) {
      await ack(message(early.reply, early.visibility));
      return;
    }
    await ack(message(notice.working()));
    const late = await answering;
    try {
      await respond({ ...message(late.reply, late.visibility), replace_original: late.visibility === 'ephemeral' });
    } catch (error) {
      deps.logger.error('Could not deliver a late /mfa answer through the response_url', error);
    }
  });
}

async function answer(command: SlashCommand, deps: MfaCommandDeps): Promise<Outcome> {
  try {
    return await answerCommand(command.text ?? '', { store: deps.store, now: deps.now(), timeZone: deps.timeZone });
  } catch (error) {
    if (isStoreUnavailable(error)) {
      deps.logger.warn('The report store is unavailable', error);
      return { outcome: 'error', reply: notice.storeUnavailable(), rowCount: null, subcommand: null, visibility: 'ephemeral' };
    }
    deps.logger.error('Answering /mfa failed', error);
    return { outcome: 'error', reply: notice.failed(), rowCount: null, subcommand: null, visibility: 'ephemeral' };
  }
}
