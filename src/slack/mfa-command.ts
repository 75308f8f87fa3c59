// The /mfa listener: a thin adapter. It authorizes, asks `answerCommand` (as of the start of the
// minute, through the answer cache and the admission limit when given), replies ephemerally and
// audits (before replying). The answer goes back in the acknowledgement when it is ready within two seconds (one
// round trip, no Web API call); otherwise the ack says "working" and the answer follows through
// the response_url, so Slack's three-second limit is never hit. Files that go with an answer (a
// chart) are uploaded after the reply, which says where they went (see reply-files.ts).
import type { App, Logger, RespondArguments, SlashCommand } from '@slack/bolt';
import { answerCommand, type Answer } from '../../commands/index.js';
import type { Store } from '../../db/client.js';
import { recordQuery } from '../audit/record-query.js';
import { startOfMinute } from '../time/period.js';
import { withNote, type Reply } from '../views/blocks.js';
import { notice } from '../views/notice-view.js';
import type { AdminCheck } from './admin-check.js';
import type { AnswerAdmission } from './answer-admission.js';
import type { AnswerCache } from './answer-cache.js';
import { reportFailure } from './report-failure.js';
import { fileNote, uploadReplyFiles } from './reply-files.js';

export interface MfaCommandDeps {
  /** The report store, opened with a statement timeout (see Store.withStatementTimeout). */
  store: Store;
  /**
   * Where the query audit (and the replay check) write: the same database, through a small pool
   * of its own, so those writes never queue behind report queries for a connection.
   */
  records: Store;
  isAdmin: AdminCheck;
  timeZone: string;
  now: () => Date;
  logger: Logger;
  /** How long to wait for an answer before acknowledging with "working"; 0 always acknowledges first. */
  inlineAnswerMs?: number;
  /** Answers given again within their minute while the store is unchanged; none kept when absent. */
  answers?: AnswerCache<Outcome>;
  /** Bounds the questions worked on at once; unbounded when absent. */
  admission?: AnswerAdmission;
}

const ADMIN_HINT = 'Ask your Slack workspace admins to add you to MFA_ADMINS or to the MFA admin user group.';

export type Outcome =
  | Pick<Answer, 'outcome' | 'reply' | 'rowCount' | 'subcommand' | 'visibility' | 'files'>
  | { outcome: 'error' | 'timeout' | 'refused' | 'busy'; reply: Reply; rowCount: null; subcommand: null; visibility: 'ephemeral'; storeUnavailable?: boolean };

/** How often a bot that keeps turning questions away says so in its log. */
const BUSY_WARNING_EVERY_MS = 60_000;

/** An outcome that is a notice, not data: nothing to count, shown only to the one who asked. */
function noticeOutcome(outcome: 'error' | 'timeout' | 'refused' | 'busy', reply: Reply, storeUnavailable = false): Outcome {
  return { outcome, reply, rowCount: null, subcommand: null, visibility: 'ephemeral', storeUnavailable };
}

function message(reply: Reply, visibility: Answer['visibility'] = 'ephemeral'): RespondArguments & { response_type: Answer['visibility'] } {
  return { response_type: visibility, text: reply.text, blocks: reply.blocks };
}

export function registerMfaCommand(app: App, deps: MfaCommandDeps): void {
  const inlineMs = deps.inlineAnswerMs ?? 2000;
  let lastBusyWarning = -Infinity;
  const warnBusy = () => {
    if (Date.now() - lastBusyWarning < BUSY_WARNING_EVERY_MS || !deps.admission) return;
    lastBusyWarning = Date.now();
    const { running, waiting } = deps.admission.load;
    deps.logger.warn(`/mfa is turning questions away as busy: ${running} being answered, ${waiting} waiting (the query audit records each one)`);
  };

  app.command('/mfa', async ({ command, ack, respond, client }) => {
    const started = Date.now();
    const asOf = startOfMinute(deps.now());
    const audit = (allowed: boolean, result: Outcome, reused = false) =>
      recordQuery(
        deps.records,
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
          reused,
        },
        deps.logger,
      );

    const allowed = await deps.isAdmin(command.user_id);
    // The audit row is written before the reply goes out: nothing is shown that was not recorded.
    if (!allowed) {
      const refusal = notice.refused(ADMIN_HINT);
      await audit(false, noticeOutcome('refused', refusal));
      deps.logger.info(`Refused /mfa from ${command.user_id}: not an MFA admin`);
      await ack(message(refusal));
      return;
    }

    const answering = ask(command, asOf, deps).then(async ({ answer: result, kept }): Promise<Outcome> => {
      // "Unavailable" shows no data, and the audit write would wait for the same absent store
      // past Slack's 3 s: it goes on in the background (and logs if it cannot be made). So does
      // "busy", which shows none either and is said at once, not after a write to a busy store.
      if (('storeUnavailable' in result && result.storeUnavailable) || result.outcome === 'busy') {
        if (result.outcome === 'busy') warnBusy();
        void audit(true, result);
        return result;
      }
      // A kept answer needs no store, but data (an answer built from rows: not help) is not
      // shown to anyone the audit could not record.
      if ((await audit(true, result, kept)) === 'store unavailable' && kept && result.rowCount !== null) {
        deps.logger.warn('The report store is unavailable (/mfa): an answer kept from earlier in the minute is not shown, as its audit row could not be written');
        return noticeOutcome('error', notice.storeUnavailable(), true);
      }
      return withFiles(result);
    });
    let timer: NodeJS.Timeout | undefined;
    let stopListening = () => {};
    // A server that stops answering is found by the store's check within about a second; the
    // answer says so then, within Slack's 3 s, rather than "working" and an answer that cannot
    // come (the question still runs out, and audits itself, in the background).
    const silence = new Promise<'silent'>((resolve) => (stopListening = deps.store.onServerSilent(() => resolve('silent'))));
    const early =
      inlineMs > 0 ? await Promise.race([answering, silence, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), inlineMs)))]) : null;
    clearTimeout(timer);
    stopListening();
    if (early === 'silent') {
      await ack(message(notice.storeUnavailable()));
      return;
    }
    if (early) {
      await ack(message(early.reply, early.visibility));
      await sendFiles(early);
      return;
    }
    await ack(message(notice.working()));
    const late = await answering;
    try {
      await respond({ ...message(late.reply, late.visibility), replace_original: late.visibility === 'ephemeral' });
    } catch (error) {
      deps.logger.error('Could not deliver a late /mfa answer through the response_url', error);
    }
    await sendFiles(late);

    /** The reply says where its files go before they are sent. */
    function withFiles(result: Outcome): Outcome {
      if (!('files' in result) || !result.files?.length) return result;
      return { ...result, reply: withNote(result.reply, fileNote(result.visibility)) };
    }

    async function sendFiles(result: Outcome): Promise<void> {
      const files = 'files' in result ? (result.files ?? []) : [];
      if (files.length === 0) return;
      const target = { userId: command.user_id, channelId: command.channel_id, visibility: result.visibility, commandText: command.text ?? '' };
      const sent = await uploadReplyFiles(client, files, target, deps.logger);
      const problem = !sent.ok
        ? `:warning: The chart could not be uploaded (${sent.error}); the figures above are complete.`
        : sent.fellBack
          ? 'I may not post files in this channel, so the chart is in your direct messages with me.'
          : null;
      if (!problem) return;
      try {
        await respond({ response_type: 'ephemeral', replace_original: false, text: problem });
      } catch (error) {
        deps.logger.error('Could not say through the response_url that a chart was not uploaded', error);
      }
    }
  });
}

/** The answer as of `asOf`: kept from earlier in the minute, or worked out when admitted. */
async function ask(command: SlashCommand, asOf: Date, deps: MfaCommandDeps): Promise<{ answer: Outcome; kept: boolean }> {
  const compute = async (): Promise<Outcome> => {
    const admitted = deps.admission ? await deps.admission.run(() => answer(command, asOf, deps)) : await answer(command, asOf, deps);
    if (admitted !== 'busy') return admitted;
    return noticeOutcome('busy', notice.busy());
  };
  if (!deps.answers) return { answer: await compute(), kept: false };
  const key = { text: command.text ?? '', minute: asOf.getTime(), timeZone: deps.timeZone };
  return deps.answers.answer(key, compute);
}

async function answer(command: SlashCommand, asOf: Date, deps: MfaCommandDeps): Promise<Outcome> {
  try {
    return await answerCommand(command.text ?? '', { store: deps.store, now: asOf, timeZone: deps.timeZone });
  } catch (error) {
    const failure = reportFailure(error, deps.store, deps.logger, '/mfa');
    return noticeOutcome(failure.outcome, failure.reply, failure.storeUnavailable);
  }
}
