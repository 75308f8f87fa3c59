// NDJSON exports, one JSON record per line: a broken line costs that line only, quarantined with
// its line number. The file's bytes go to a worker thread, which decodes, splits and judges the
// lines (parses, checks, prepares sign-ins) a few chunks ahead of the main thread; the main thread
// applies the verdicts in file order.
import { GraphRecordHandler } from './graph-record-handler.js';
import { LineJudgeThread, type JudgedLine } from './judge-lines-thread.js';
import type { ReadContext, ReadOutcome } from './read-context.js';

/** Chunks (of 64 kB) sent ahead and not applied yet: enough to keep the worker busy, few enough to bound memory. */
const AHEAD = 8;

export async function readNdjsonExport(ctx: ReadContext): Promise<ReadOutcome> {
  const handler = new GraphRecordHandler(ctx);
  const judge = new LineJudgeThread(ctx.text.encoding);
  try {
    const sent: Array<Promise<JudgedLine[]>> = [];
    const send = (answer: Promise<JudgedLine[]>) => {
      answer.catch(() => {}); // awaited in apply(); a worker failure must not count as unhandled before then
      sent.push(answer);
    };
    const apply = async (keep: number) => {
      while (sent.length > keep) {
        for (const { line, verdict, raw, length } of await sent.shift()!) {
          const locator = `${ctx.file}:${line}`;
          if (verdict) {
            await handler.handleVerdict(verdict, locator, raw ?? '', length);
          } else {
            ctx.tick();
            await ctx.batches.quarantine(locator, 'the line is longer than 64 MB: not a record', raw ?? '');
          }
        }
      }
    };
    for await (const bytes of ctx.text.bytes()) {
      send(judge.judge(bytes));
      await apply(AHEAD);
    }
    send(judge.end());
    await apply(0);
  } finally {
    await judge.close();
  }
  handler.finish();
  return { format: handler.sawPortalJson ? 'Entra portal JSON download (NDJSON)' : 'NDJSON', warnings: [] };
}
