// npm run sync: one Microsoft Graph pull into the configured store, a summary per source, exit 0;
// exit 1 when a source failed (the next run resumes where it stopped) or Graph is not configured.
import { LogLevel } from '@slack/bolt';
import { loadConfig, loadDotEnv } from '../config.js';
import { createLogger } from '../logger.js';
import { openConfiguredStore } from '../runtime/open-configured-store.js';
import { formatSyncSummary } from '../sync/format-summary.js';
import { GraphNotConfiguredError, missingGraphSettings, runConfiguredSync } from '../sync/graph-settings.js';
import { exitOnError } from './exit-on-error.js';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const missing = missingGraphSettings(config);
  if (missing.length > 0) {
    process.stderr.write(`${new GraphNotConfiguredError(missing).message}\n`);
    process.exitCode = 1;
    return;
  }
  const logger = createLogger({ level: LogLevel.INFO, name: 'sync', secrets: [config.GRAPH_CLIENT_SECRET] });
  const store = await openConfiguredStore(config, logger);
  try {
    const summary = await runConfiguredSync(store, config, logger);
    process.stdout.write(formatSyncSummary(summary));
    process.exitCode = summary.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}

main().catch(exitOnError);
