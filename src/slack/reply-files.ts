// Sends the files of an answer (a chart) with files.uploadV2. A reply only its asker can see
// (ephemeral) cannot carry a file, so the file goes to the asker's direct message with the bot;
// with `public` it goes to the channel the command came from, and to the direct message if the
// bot may not post files there (a private channel it is not in). Never rejects: a failure is
// logged and reported back so the caller can tell the asker (the figures in the reply stand).
import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { ReplyFile } from '../../commands/index.js';

export interface FileTarget {
  userId: string;
  /** Where the command was typed. */
  channelId: string;
  visibility: 'ephemeral' | 'in_channel';
  /** The command, for the file's comment. */
  commandText: string;
}

export type FilesDelivery = { ok: true; channel: string; fellBack: boolean } | { ok: false; error: string };

/** The line added to a reply that has files, saying where they go. */
export function fileNote(visibility: FileTarget['visibility']): string {
  return visibility === 'in_channel'
    ? ':bar_chart: The chart is posted in this channel.'
    : ':bar_chart: The chart is sent to you in a direct message (a reply only you can see cannot carry a file).';
}

function slackError(error: unknown): string {
  const data = (error as { data?: { error?: string } } | null)?.data;
  if (data?.error) return data.error;
  return error instanceof Error ? error.message : String(error);
}

async function upload(client: WebClient, channel: string, files: readonly ReplyFile[], commandText: string): Promise<void> {
  for (const file of files) {
    await client.filesUploadV2({
      channel_id: channel,
      file: file.bytes,
      filename: file.filename,
      title: file.title,
      alt_text: file.altText,
      initial_comment: `\`/mfa ${commandText}\``,
    });
  }
}

async function directMessage(client: WebClient, userId: string): Promise<string> {
  const dm = await client.conversations.open({ users: userId });
  if (!dm.channel?.id) throw new Error('conversations.open returned no channel');
  return dm.channel.id;
}

export async function uploadReplyFiles(client: WebClient, files: readonly ReplyFile[], target: FileTarget, logger: Logger): Promise<FilesDelivery> {
  if (files.length === 0) return { ok: true, channel: target.channelId, fellBack: false };
  if (target.visibility === 'in_channel') {
    try {
      await upload(client, target.channelId, files, target.commandText);
      return { ok: true, channel: target.channelId, fellBack: false };
    } catch (error) {
      logger.warn(`Could not upload ${files.map((f) => f.filename).join(', ')} to ${target.channelId} (${slackError(error)}); sending it to ${target.userId} directly`);
    }
  }
  try {
    const channel = await directMessage(client, target.userId);
    await upload(client, channel, files, target.commandText);
    return { ok: true, channel, fellBack: target.visibility === 'in_channel' };
  } catch (error) {
    logger.error(`Could not upload ${files.map((f) => f.filename).join(', ')} for ${target.userId}`, error);
    return { ok: false, error: slackError(error) };
  }
}
