// JSON exports — a bare array, a Graph list response, or one object — streamed through the
// incremental tokenizer one record at a time. A truncated file keeps every complete record and
// quarantines the one it ends in; a file that breaks before its first record is refused.
import { GraphRecordHandler } from './graph-record-handler.js';
import { JsonArrayTokenizer } from './json-array-tokenizer.js';
import { ImportRefused, type ReadContext, type ReadOutcome } from './read-context.js';

export async function readJsonExport(ctx: ReadContext): Promise<ReadOutcome> {
  const tokenizer = new JsonArrayTokenizer();
  const handler = new GraphRecordHandler(ctx, () => tokenizer.metadata['@odata.context']);
  const warnings: string[] = [];
  let broken = false;
  for await (const chunk of ctx.text.chunks()) {
    for (const record of tokenizer.push(chunk)) await handler.handleText(record.text, `${ctx.file}:record ${record.index}`);
    const failure = tokenizer.failure;
    if (failure) {
      if (tokenizer.records === 0) throw new ImportRefused(`not valid JSON: ${failure.message}`);
      // Past a structural break the record boundaries are guesswork: stop, and say so.
      await ctx.batches.quarantine(`${ctx.file}:line ${failure.line}`, `the JSON breaks here (${failure.message}); the rest of the file was not read`, '');
      warnings.push(`the JSON breaks at line ${failure.line}; the ${tokenizer.records} records before it were read, the rest of the file was not`);
      broken = true;
      break;
    }
  }
  if (!broken) {
    const end = tokenizer.end();
    if (end.unclosed && tokenizer.records === 0) {
      throw new ImportRefused(`truncated JSON: the file ends ${end.partial ? `inside its first record (line ${end.partial.line})` : 'before its first record'}`);
    }
    if (end.partial) {
      await ctx.batches.quarantine(`${ctx.file}:record ${end.partial.index}`, 'truncated: the file ends inside this record', end.partial.text);
      warnings.push(`the file is truncated: it ends inside record ${end.partial.index}, which was quarantined; the ${tokenizer.records} records before it were read`);
    } else if (end.unclosed) {
      warnings.push(`the file ends before its closing bracket (truncated?); all ${tokenizer.records} complete records were read`);
    }
  }
  handler.finish();
  const shape = tokenizer.listResponse ? 'Graph JSON list response' : tokenizer.topLevel === 'array' ? 'JSON array' : 'JSON object';
  return { format: handler.sawPortalJson ? `Entra portal JSON download (${shape})` : shape, warnings };
}
