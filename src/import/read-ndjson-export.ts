// NDJSON exports, one JSON record per line: a broken line costs that line only, quarantined with
// its line number. The lines are judged (parsed, checked, sign-ins prepared) on a worker thread in
// chunks, a few chunks ahead of the main thread, which applies the verdicts in file order.
import { GraphRecordHandler } from './graph-record-handler.js';
import { LineJudgeThread } from './judge-lines-thread.js';
import type { Verdict } from './judge-record.js';
import type { ReadContext, ReadOutcome } from './read-context.js';
import { splitLines, type TextLine } from './split-lines.js';

/** A chunk is sent when it has this many lines or characters. */
const CHUNK_LINES = 100;
const CHUNK_CHARS = 512 * 1024;
/** Chunks sent ahead and not applied yet: enough to keep the worker busy, few enough to bound memory. */
const AHEAD = 3;

interface Sent {
  lines: TextLine[];
  verdicts: Promise<Verdict[]>;
}

export async function readNdjsonExport(ctx: ReadContext): Promise<ReadOutcome> {
  const handler = new GraphRecordHandler(ctx);
  const judge = new LineJudgeThread();
  try {
    const sent: Sent[] = [];
    let chunk: TextLine[] = [];
    let chars = 0;
    const send = () => {
      const verdicts = judge.judge(chunk.map((l) => l.text));
      verdicts.catch(() => {}); // awaited in apply(); a worker failure must not count as unhandled before then
      sent.push({ lines: chunk, verdicts });
      chunk = [];
      chars = 0;
    };
    const apply = async (keep: number) => {
      while (sent.length > keep) {
        const { lines, verdicts } = sent.shift()!;
        const answers = await verdicts;
        for (let i = 0; i < lines.length; i++) await handler.handleVerdict(answers[i]!, `${ctx.file}:${lines[i]!.line}`, lines[i]!.text);
      }
    };

    for await (const line of splitLines(ctx.text.chunks())) {
      if (line.truncated) {
        // Rare: keep file order by applying everything before it first.
        if (chunk.length > 0) send();
        await apply(0);
        ctx.tick();
        await ctx.batches.quarantine(`${ctx.file}:${line.line}`, 'the line is longer than 64 MB: not a record', line.text);
      } else if (line.text.trim() !== '') {
        chunk.push(line);
        chars += line.text.length;
        if (chunk.length >= CHUNK_LINES || chars >= CHUNK_CHARS) {
          send();
          await apply(AHEAD);
        }
      }
    }
    if (chunk.length > 0) send();
    await apply(0);
  } finally {
    await judge.close();
  }
  handler.finish();
  return { format: handler.sawPortalJson ? 'Entra portal JSON download (NDJSON)' : 'NDJSON', warnings: [] };
}
