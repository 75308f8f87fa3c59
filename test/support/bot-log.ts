// The log file spawned bots write to (bench/child-process.ts prefixes each line with the bot's
// label), in a folder of its own that close() removes once the stream is flushed.
import { createWriteStream, mkdtempSync, readFileSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BotLog {
  stream: WriteStream;
  /** What the bots have written so far. */
  text(): string;
  close(): Promise<void>;
}

export function openBotLog(prefix: string): BotLog {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, 'bots.log');
  const stream = createWriteStream(path);
  return {
    stream,
    text: () => readFileSync(path, 'utf8'),
    async close() {
      await new Promise((resolve) => stream.end(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
