// `npm run import`'s library half: one export file into the store. The file is opened and
// recognised from its content, streamed record by record into batches written through the shared
// ingest path, and summed up. A file that is not a known export is refused (nothing written);
// a bad record inside a known one is quarantined and the rest loads.
import { basename } from 'node:path';
import type { Store } from '../../db/client.js';
import { ImportBatches, type BatchOptions, type QuarantinedSample } from './import-batches.js';
import { NotTextError, openExport, type ExportText } from './open-export.js';
import { ImportRefused, type ReadContext, type ReadOutcome } from './read-context.js';
import { readCsvExport } from './read-csv-export.js';
import { readJsonExport } from './read-json-export.js';
import { readNdjsonExport } from './read-ndjson-export.js';
import { sniffFormat } from './sniff-format.js';

/** What a refusal tells the user the importer does read. */
export const ACCEPTED_FORMATS =
  'Accepted: Microsoft Graph JSON of sign-ins (beta or v1.0), userRegistrationDetails, riskDetections or directoryAudits, ' +
  'as a list response {"value": [...]}, a JSON array or NDJSON (one record per line); ' +
  "the Entra portal's sign-in download (CSV or JSON); " +
  'MFA Server report CSVs (blocked user history, one-time bypass history, server status, activity report).';

export interface ImportProgress {
  /** Records read from this file so far (loaded, pending or quarantined). */
  records: number;
  bytesRead: number;
  size: number;
}

export interface ImportFileOptions extends BatchOptions {
  /** Called as the file is read (every few hundred records) and once at the end. */
  onProgress?: (progress: ImportProgress) => void;
}

export interface FileImportResult {
  file: string;
  status: 'imported' | 'refused';
  /** The export recognised, in words; null when refused before it was recognised. */
  format: string | null;
  /** Why the file was refused (followed by ACCEPTED_FORMATS when shown). */
  refusal: string | null;
  /** Valid records per kind ("sign-ins (Graph beta)" → 1200). */
  kinds: Array<[kind: string, records: number]>;
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  newFraudReports: number;
  /** The first quarantined records' locators and reasons. */
  samples: QuarantinedSample[];
  warnings: string[];
  bytes: number;
  durationMs: number;
}

const READERS: Record<ReturnType<typeof sniffFormat>, (ctx: ReadContext) => Promise<ReadOutcome>> = {
  json: readJsonExport,
  ndjson: readNdjsonExport,
  csv: readCsvExport,
};

const PROGRESS_EVERY = 256;

export async function importFile(store: Store, file: string, options: ImportFileOptions = {}): Promise<FileImportResult> {
  const started = Date.now();
  const base = { file, kinds: [], inserted: 0, updated: 0, unchanged: 0, quarantined: 0, newFraudReports: 0, samples: [], warnings: [] };
  const refused = (reason: string, bytes: number): FileImportResult => ({
    ...base,
    status: 'refused',
    format: null,
    refusal: reason,
    bytes,
    durationMs: Date.now() - started,
  });

  let text: ExportText;
  try {
    text = await openExport(file);
  } catch (error) {
    if (error instanceof NotTextError) return refused(error.message, 0);
    throw error;
  }
  try {
    const batches = new ImportBatches(store, `import:${basename(file)}`, options);
    let ticks = 0;
    const report = () => options.onProgress?.({ records: batches.records, bytesRead: text.bytesRead, size: text.size });
    const ctx: ReadContext = {
      file,
      text,
      batches,
      tick: () => {
        if (++ticks % PROGRESS_EVERY === 0) report();
      },
    };
    let outcome: ReadOutcome;
    try {
      outcome = await READERS[sniffFormat(text.head)](ctx);
    } catch (error) {
      if (error instanceof ImportRefused) return refused(error.message, text.size);
      throw error;
    }
    await batches.finish();
    report();
    const c = batches.counts;
    return {
      file,
      status: 'imported',
      format: outcome.format,
      refusal: null,
      kinds: [...batches.kinds.entries()],
      inserted: c.inserted,
      updated: c.updated,
      unchanged: c.unchanged,
      quarantined: c.quarantined,
      newFraudReports: c.newFraudReports,
      samples: batches.samples,
      warnings: outcome.warnings,
      bytes: text.size,
      durationMs: Date.now() - started,
    };
  } finally {
    await text.close();
  }
}
