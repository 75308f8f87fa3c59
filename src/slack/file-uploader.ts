// Uploads a file to a channel with files.uploadV2 for the bot's scheduled posts (the daily
// summary's chart). One attempt: the Web API client does not retry on its own (it would pause for
// a Retry-After or retry 5xx answers for half an hour), and the caller logs a failure.
import { webApi, type Logger } from '@slack/bolt';
import type { ReplyFile } from '../../commands/types.js';

export type FileUploader = (channel: string, file: ReplyFile, comment: string) => Promise<void>;

export interface FileUploaderOptions {
  token: string;
  slackApiUrl: string;
  logger: Logger;
  timeoutMs?: number;
}

export function createFileUploader(options: FileUploaderOptions): FileUploader {
  const client = new webApi.WebClient(options.token, {
    slackApiUrl: options.slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 30_000,
    logger: {
      debug: (...parts) => options.logger.debug(...parts),
      info: (...parts) => options.logger.debug(...parts),
      warn: (...parts) => options.logger.debug(...parts),
      error: (...parts) => options.logger.warn(...parts),
      setLevel: () => {},
      getLevel: () => options.logger.getLevel(),
      setName: () => {},
    },
  });
  return async (channel, file, comment) => {
    await client.filesUploadV2({
      channel_id: channel,
      file: file.bytes,
      filename: file.filename,
      title: file.title,
      alt_text: file.altText,
      initial_comment: comment,
    });
  };
}
