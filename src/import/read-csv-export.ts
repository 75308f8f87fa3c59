// CSV exports through csv-parse's stream API: the header row says which export it is (the portal's
// sign-in download or one of the four MFA Server reports) or the file is refused; then each row is
// mapped, and a row that cannot be (wrong column count, unparsable date, broken quoting) is
// quarantined with its line number while the rest of the file loads.
import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { checkGraphRecord } from './import-record.js';
import { MFA_SERVER_REPORT_NAMES, mfaServerCsv, type RowResult } from './mfa-server-csv.js';
import { portalRowToSignin, portalSigninColumns } from './portal-signin-csv.js';
import { ImportRefused, type ReadContext, type ReadOutcome } from './read-context.js';
import { textProblem } from './text-problem.js';

/** No real export row comes near this; an unclosed quote would otherwise swallow the whole file. */
const MAX_RECORD_BYTES = 4 * 1024 * 1024;

interface ParsedRow {
  record: string[];
  raw: string;
  info: { lines: number };
}

interface Skipped {
  line: number;
  reason: string;
  raw: string;
}

export async function readCsvExport(ctx: ReadContext): Promise<ReadOutcome> {
  const source = Readable.from(ctx.text.chunks());
  const parser = parse({
    delimiter: sniffDelimiter(ctx.text.head),
    relax_column_count: true, // column counts are checked here, so a bad row is quarantined, not fatal
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_BYTES,
    info: true,
    raw: true,
  });
  const skipped: Skipped[] = [];
  let oversized: CsvError | null = null;
  parser.on('skip', (error: CsvError) => {
    if (error.code === 'CSV_MAX_RECORD_SIZE') {
      // csv-parse cannot resynchronise after this one: stop reading, keep what was parsed.
      if (!oversized) {
        oversized = error;
        source.unpipe(parser);
        source.destroy();
        parser.end();
      }
      return;
    }
    const raw = typeof error.raw === 'string' ? error.raw : '';
    skipped.push({ line: startLine(Number(error.lines) || 0, raw), reason: `malformed CSV: ${error.message}`, raw });
  });
  // pipe() does not pass a read error on; without this the loop below would wait forever.
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);

  const warnings: string[] = [];
  let toRecord: ((row: readonly string[]) => RowResult) | null = null;
  let format = '';
  let columns = 0;
  // csv-parse reports a broken record when it meets it, which can be ahead of the rows still
  // buffered for us: release each in line order.
  const quarantineSkipped = async (beforeLine = Infinity) => {
    while (skipped.length > 0 && skipped[0]!.line < beforeLine) {
      const s = skipped.shift()!;
      ctx.tick();
      await ctx.batches.quarantine(`${ctx.file}:${s.line}`, s.reason, s.raw);
    }
  };
  try {
    for await (const { record, raw, info } of parser as AsyncIterable<ParsedRow>) {
      const line = startLine(info.lines, raw);
      await quarantineSkipped(line);
      if (!toRecord) {
        const headers = record.map((h) => h.trim());
        ({ toRecord, format } = recogniseHeaders(headers));
        columns = headers.length;
        continue;
      }
      if (record.every((value) => value.trim() === '')) continue; // a spreadsheet's blank row
      ctx.tick();
      const locator = `${ctx.file}:${line}`;
      // A trailing delimiter (blank extra fields) is harmless; any other count mismatch means the
      // fields cannot be trusted to be in their columns.
      const extraBlank = record.length > columns && record.slice(columns).every((v) => v.trim() === '');
      if (record.length !== columns && !extraBlank) {
        await ctx.batches.quarantine(locator, `expected ${columns} columns (as in the header), found ${record.length}`, raw);
        continue;
      }
      const problem = textProblem(raw, 'text');
      if (problem) {
        await ctx.batches.quarantine(locator, problem, raw);
        continue;
      }
      const result = toRecord(record);
      if (result.ok) await ctx.batches.add(result.value, raw.length);
      else await ctx.batches.quarantine(locator, result.reason, raw);
    }
    await quarantineSkipped();
  } catch (error) {
    // An error csv-parse cannot skip past ends the file here; a file we never recognised is refused.
    if (!isCsvError(error)) throw error;
    if (!toRecord) throw new ImportRefused(`not a readable CSV: ${error.message}`);
    await quarantineSkipped();
    const line = Number(error.lines) || 0;
    await ctx.batches.quarantine(`${ctx.file}:${line}`, `malformed CSV: ${error.message}; the rest of the file was not read`, '');
    warnings.push(`reading stopped at line ${line}: ${error.message}`);
  } finally {
    source.destroy();
  }
  if (!toRecord) throw new ImportRefused('it has no header row');
  const stopped = oversized as CsvError | null;
  if (stopped) {
    const line = Number(stopped.lines) || 0;
    await ctx.batches.quarantine(`${ctx.file}:${line}`, `a CSV record larger than ${MAX_RECORD_BYTES / 1024 / 1024} MB (an unclosed quote?); the rest of the file was not read`, '');
    warnings.push(`reading stopped at line ${line}: a record there is larger than ${MAX_RECORD_BYTES / 1024 / 1024} MB (an unclosed quote?)`);
  }
  return { format, warnings };
}

const isCsvError = (error: unknown): error is CsvError => typeof (error as { code?: unknown })?.code === 'string' && (error as { code: string }).code.startsWith('CSV_');

function recogniseHeaders(headers: readonly string[]): { toRecord: (row: readonly string[]) => RowResult; format: string } {
  // The portal's download is recognised first: it needs a Request ID column, which the MFA
  // Server reports do not have.
  const portal = portalSigninColumns(headers);
  if (portal) {
    return {
      format: 'Entra portal sign-in CSV',
      toRecord: (row) => {
        const mapped = portalRowToSignin(portal, row);
        return mapped.ok ? checkGraphRecord('signin', mapped.record, 'import:portal-csv') : mapped;
      },
    };
  }
  const legacy = mfaServerCsv(headers);
  if (legacy) return { format: MFA_SERVER_REPORT_NAMES[legacy.report], toRecord: legacy.toRecord };
  const shown = headers.slice(0, 8).map((h) => `"${h}"`).join(', ');
  throw new ImportRefused(`a CSV whose header row is not one of a known export (found ${shown}${headers.length > 8 ? ', …' : ''})`);
}

/** The line a record starts on: csv-parse counts to its end, and a quoted field may span lines. */
function startLine(endLine: number, raw: string): number {
  const inner = raw.replace(/[\r\n]+$/, '');
  let breaks = 0;
  for (let i = inner.indexOf('\n'); i !== -1; i = inner.indexOf('\n', i + 1)) breaks++;
  return endLine - breaks;
}

/** Comma, semicolon (European Excel) or tab: whichever the header line has most of, outside quotes. */
export function sniffDelimiter(head: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (const c of head) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}
