// npm run import -- FILE… [--stats]: loads export files into the configured store (Graph JSON list
// responses, JSON arrays, NDJSON; the portal's sign-in CSV/JSON; MFA Server report CSVs), with a
// progress line on stderr and a per-file and total summary on stdout.
// Exit status: 0 when every file was recognised (quarantined records included: the summary counts
// them), 1 when any file was refused or the store failed, 2 on a usage error.
import { parseArgs } from 'node:util';
import { loadConfig, loadDotEnv } from '../config.js';
import { formatFileResult, formatTotal } from '../import/format-summary.js';
import { importFile, type FileImportResult } from '../import/import-file.js';
import { createProgressDisplay } from '../import/import-progress.js';
import { createLogger } from '../logger.js';
import { openConfiguredStore } from '../runtime/open-configured-store.js';
import { exitOnError } from './exit-on-error.js';

const USAGE =
  'Usage: npm run import -- FILE... [--stats]   e.g. npm run import -- signins.json InteractiveSignIns.csv\n' +
  '  --stats   also print the peak memory use at the end';

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ options: { stats: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } }, allowPositionals: true });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const files = parsed.positionals;
  if (files.length === 0) {
    process.stderr.write(`No files to import.\n${USAGE}\n`);
    process.exit(2);
  }

  const memory = parsed.values.stats ? watchMemory() : null;
  loadDotEnv();
  const config = loadConfig();
  const store = await openConfiguredStore(config, createLogger()); // info level
  const progress = createProgressDisplay(process.stderr);
  const results: FileImportResult[] = [];
  const started = Date.now();
  try {
    for (const file of files) {
      progress.start(file);
      const result = await importFile(store, file, { onProgress: (p) => progress.update(p) });
      progress.done();
      results.push(result);
      process.stdout.write(formatFileResult(result));
    }
  } finally {
    progress.done();
    await store.close();
  }
  process.stdout.write(formatTotal(results, Date.now() - started));
  if (memory) process.stdout.write(`${memory.stop()}\n`);
  process.exitCode = results.some((r) => r.status === 'refused') ? 1 : 0;
}

/** Samples heap and RSS while the import runs: how an admin sizes the machine for a big export. */
function watchMemory(): { stop(): string } {
  const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
  const start = process.memoryUsage();
  let heap = start.heapUsed;
  let rss = start.rss;
  const sample = () => {
    const now = process.memoryUsage();
    heap = Math.max(heap, now.heapUsed);
    rss = Math.max(rss, now.rss);
  };
  const timer = setInterval(sample, 50);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return `Memory: peak heap ${mb(heap)} (${heap} bytes), peak RSS ${mb(rss)} (${rss} bytes); at start heap ${mb(start.heapUsed)} (${start.heapUsed} bytes), RSS ${mb(start.rss)} (${start.rss} bytes)`;
    },
  };
}

main().catch(exitOnError);
