// The buttons under a paged report: Previous / Next re-run the command at another offset and
// replace the message; Export CSV sends the whole result to the presser as a file in a direct
// message (never to the channel: a report stays with the admin who asked for it). Only admins may
// press; every press is audited like a command.
import type { App, BlockButtonAction, RespondArguments } from '@slack/bolt';
import { answerCommand, answerExport } from '../../commands/index.js';
import { recordQuery } from '../audit/record-query.js';
import { startOfMinute } from '../time/period.js';
import { toCsv } from '../views/csv.js';
import { notice } from '../views/notice-view.js';
import { decodePagerValue, EXPORT_ACTION, PAGE_ACTION } from '../views/pager.js';
import type { MfaCommandDeps } from './mfa-command.js';
import { reportFailure } from './report-failure.js';

const ADMIN_HINT = 'Only MFA administrators can page or export reports.';

export function registerMfaActions(app: App, deps: MfaCommandDeps): void {
  app.action<BlockButtonAction>(new RegExp(`^(${PAGE_ACTION}|${EXPORT_ACTION})(:\\d+)?$`), async ({ ack, body, action, respond, client }) => {
    await ack();
    const started = Date.now();
    const user = body.user.id;
    const exporting = action.action_id.startsWith(EXPORT_ACTION);
    const pressed = decodePagerValue(action.value);
    const audit = (allowed: boolean, outcome: string, subcommand: string | null, rowCount: number | null) =>
      recordQuery(
        deps.records,
        {
          actor: user,
          teamId: body.team?.id ?? null,
          channelId: body.channel?.id ?? null,
          commandText: `${pressed?.commandText ?? '(unreadable button)'} [${exporting ? 'export csv' : `page from ${pressed?.offset ?? 0}`}]`,
          subcommand,
          allowed,
          outcome,
          rowCount,
          durationMs: Date.now() - started,
        },
        deps.logger,
      );
    const reply = async (message: RespondArguments) => {
      try {
        await respond(message);
      } catch (error) {
        deps.logger.error('Could not answer a button press through its response_url', error);
      }
    };

    const allowed = await deps.isAdmin(user);
    if (!allowed) {
      await audit(false, 'refused', null, null);
      const refusal = notice.refused(ADMIN_HINT);
      await reply({ response_type: 'ephemeral', replace_original: false, text: refusal.text, blocks: refusal.blocks });
      return;
    }
    if (!pressed) {
      await audit(true, 'usage_error', null, null);
      await reply({ response_type: 'ephemeral', replace_original: false, text: 'That button is not one I made; run the command again.' });
      return;
    }

    const base = { store: deps.store, now: startOfMinute(deps.now()), timeZone: deps.timeZone };
    try {
      if (!exporting) {
        const answer = await answerCommand(pressed.commandText, base, { offset: pressed.offset });
        await audit(true, answer.outcome, answer.subcommand, answer.rowCount);
        await reply({ replace_original: true, text: answer.reply.text, blocks: answer.reply.blocks });
        return;
      }
      const exported = await answerExport(pressed.commandText, base);
      if ('problem' in exported) {
        await audit(true, 'usage_error', exported.problem.subcommand, null);
        await reply({ response_type: 'ephemeral', replace_original: false, text: exported.problem.reply.text, blocks: exported.problem.reply.blocks });
        return;
      }
      const { table } = exported;
      const dm = await client.conversations.open({ users: user });
      const channel = dm.channel?.id;
      if (!channel) throw new Error('conversations.open returned no channel');
      await client.filesUploadV2({
        channel_id: channel,
        file: Buffer.from(toCsv(table), 'utf8'),
        filename: table.filename,
        title: `/mfa ${pressed.commandText}`,
        initial_comment: `Export of \`/mfa ${pressed.commandText}\`: ${table.rows.length.toLocaleString('en-US')} rows.`,
      });
      await audit(true, 'answered', exported.subcommand, table.rows.length);
      await reply({ response_type: 'ephemeral', replace_original: false, text: `Sent ${table.filename} (${table.rows.length.toLocaleString('en-US')} rows) to you in a direct message.` });
    } catch (error) {
      const failure = reportFailure(error, deps.store, deps.logger, exporting ? 'an Export CSV button' : 'a paging button');
      await audit(true, failure.outcome, null, null);
      await reply({ response_type: 'ephemeral', replace_original: false, text: failure.reply.text, blocks: failure.reply.blocks });
    }
  });
}
