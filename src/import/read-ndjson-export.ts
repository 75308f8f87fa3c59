// NDJSON exports, one JSON record per line: a broken line costs that line only, quarantined with
// its line number.
import { GraphRecordHandler } from './graph-record-handler.js';
import type { ReadContext, ReadOutcome } from './read-context.js';
import { splitLines } from './split-lines.js';

export async function readNdjsonExport(ctx: ReadContext): Promise<ReadOutcome> {
  const handler = new GraphRecordHandler(ctx);
  for await (const { line, text, truncated } of splitLines(ctx.text.chunks())) {
    const locator = `${ctx.file}:${line}`;
    if (truncated) {
      ctx.tick();
      await ctx.batches.quarantine(locator, 'the line is longer than 64 MB: not a record', text);
    } else if (text.trim() !== '') {
      await handler.handleText(text, locator);
    }
  }
  handler.finish();
  return { format: handler.sawPortalJson ? 'Entra portal JSON download (NDJSON)' : 'NDJSON', warnings: [] };
}
