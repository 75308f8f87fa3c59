// npm run ask -- "/mfa summary 7d" [--json]: answers one command against the configured store and
// prints the reply as text (or the Block Kit JSON). Exit 0 on an answer, 2 on a usage error, 1 on
// a failure. It runs as the local operator (who can read the store directly anyway) and is audited.
// A chart that goes with an answer (`/mfa trend`) is written to a file whose path is printed.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { LogLevel } from '@slack/bolt';
import { answerCommand } from '../../commands/index.js';
import { recordQuery } from '../audit/record-query.js';
import { writeChartFile } from '../charts/chart-files.js';
import { loadConfig, loadDotEnv } from '../config.js';
import { createLogger } from '../logger.js';
import { openConfiguredStore } from '../runtime/open-configured-store.js';
import { renderMessageAsText } from '../views/render-text.js';
import { exitOnError } from './exit-on-error.js';

const USAGE = 'Usage: npm run ask -- "/mfa summary 7d" [--json]';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { json: { type: 'boolean', default: false } }, allowPositionals: true });
  const typed = positionals.join(' ').trim();
  if (!typed) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const text = typed.replace(/^\/mfa\b\s*/i, '');
  loadDotEnv();
  const config = loadConfig();
  const logger = createLogger({ level: LogLevel.WARN });
  const store = await openConfiguredStore(config, logger);
  let exitCode = 0;
  try {
    const started = Date.now();
    const answer = await answerCommand(text, { store, now: new Date(), timeZone: config.TZ });
    await recordQuery(
      store,
      {
        actor: `cli:${userInfo().username}`,
        commandText: text,
        subcommand: answer.subcommand,
        allowed: true,
        outcome: answer.outcome,
        rowCount: answer.rowCount,
        durationMs: Date.now() - started,
      },
      logger,
    );
    const output = values.json ? JSON.stringify({ response_type: 'ephemeral', ...answer.reply }, null, 2) : renderMessageAsText(answer.reply);
    process.stdout.write(`${output}\n`);
    for (const file of answer.outcome === 'answered' ? (answer.files ?? []) : []) {
      const path = await writeChartFile(file.filename, file.bytes);
      // With --json, stdout stays one JSON document.
      (values.json ? process.stderr : process.stdout).write(`Chart written to ${path}\n`);
    }
    exitCode = answer.outcome === 'answered' ? 0 : 2;
  } finally {
    await store.close();
  }
  process.exit(exitCode);
}

main().catch(exitOnError);
