// npm run bench:load: issue #7's load run. Two bot replicas (real processes, built as `npm start`
// builds them) on one fresh Postgres database holding a benchmark tenant, one local Slack for both;
// signed /mfa requests at --rate per second for --seconds, spread over both replicas and every
// subcommand; then the errors, the timeouts (Slack's 3 s), the questions turned away as busy, and
// p50/p99 of the whole answer against the 100 ms target of issue #6. Every request must also have
// its row in the bot's query audit, and both replicas must stop cleanly (SIGTERM, exit 0)
// afterwards. The replicas run as in production, answer cache on: the audit tells how many
// answers were given again within their minute. They post no fraud alerts unless --alerts: a
// bench tenant's seed leaves about 2,400 alerts to post at one a second, and each post changes the
// store, which drops both replicas' kept answers every second (a real tenant has a few fraud
// reports a day).
// Exit status: 0 when the run completed, 1 on a failure or, with --strict, any error, busy answer,
// timeout, missing audit row or unclean stop; 2 on a usage error. A missed p99 is reported, not fatal.
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { openStore, type Store } from '../db/client.js';
import { LocalSlackApi } from '../src/simulator/local-slack-api.js';
import { databaseUrlFor, openBenchDatabases } from './bench-database.js';
import { startBot, type RunningBot } from './bot-process.js';
import { buildTenant, pickSamples, reuseTenant } from './build-tenant.js';
import { benchPeriods, commandPlans } from './latency-run.js';
import { runLoad, SLACK_ACK_LIMIT_MS, summarize, type LoadSummary } from './load-generator.js';
import { ask } from './slash-client.js';

const USAGE = `Usage: npm run bench:load -- [options]   (DATABASE_URL must be a postgres:// URL)
  --rate N         signed /mfa requests per second, over both replicas (default 50)
  --seconds N      how long to send them (default 60)
  --signins N      sign-ins in the tenant built for the run (default 1000000)
  --tenant-db NAME reuse the tenant database of an earlier bench run (npm run bench -- --keep) instead
  --keep           keep the database built for the run
  --alerts         the replicas post the tenant's pending fraud alerts meanwhile (FRAUD_ALERT_CHANNEL)
  --strict         exit with status 1 on any error, timeout, question turned away as busy, missing
                   audit row or unclean stop`;

const TARGET_P99_MS = 100;
const REPLICAS = 2;
const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');
const log = (line: string) => process.stdout.write(`${line}\n`);

class UsageError extends Error {}

interface LoadRunOptions {
  databaseUrl: string;
  rate: number;
  seconds: number;
  signins: number;
  tenantDb: string | undefined;
  keep: boolean;
  strict: boolean;
  alerts: boolean;
}

function parseOptions(argv: string[]): LoadRunOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        rate: { type: 'string', default: '50' },
        seconds: { type: 'string', default: '60' },
        signins: { type: 'string', default: '1000000' },
        'tenant-db': { type: 'string' },
        keep: { type: 'boolean', default: false },
        alerts: { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const positive = (name: string, raw: string) => {
    const value = Number(raw.replaceAll('_', ''));
    if (!Number.isInteger(value) || value <= 0) throw new UsageError(`--${name}: expected a positive whole number, got "${raw}"`);
    return value;
  };
  const databaseUrl = process.env.DATABASE_URL?.trim() ?? '';
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new UsageError('DATABASE_URL must be a postgres:// URL: two replicas share one Postgres database, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:load');
  }
  const tenantDb = values['tenant-db'];
  if (tenantDb !== undefined && !/^[a-z0-9_]+$/.test(tenantDb)) throw new UsageError('--tenant-db: expected a database name like mfa_bench_20261127t111205511z');
  return {
    databaseUrl,
    rate: positive('rate', values.rate),
    seconds: positive('seconds', values.seconds),
    signins: positive('signins', values.signins),
    tenantDb,
    keep: values.keep,
    strict: values.strict,
    alerts: values.alerts,
  };
}

interface AuditCount {
  rows: number;
  reused: number;
}

async function auditRows(store: Store): Promise<AuditCount> {
  const [row] = await store.rows<{ n: string; reused: string }>(sql`SELECT count(*) AS "n", count(*) FILTER (WHERE "reused") AS "reused" FROM "query_audit"`);
  return { rows: Number(row?.n ?? 0), reused: Number(row?.reused ?? 0) };
}

function report(summary: LoadSummary, options: LoadRunOptions, audited: AuditCount, exits: Array<number | string>): string[] {
  const ms = (x: number) => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`;
  const lines = [
    '',
    `Load: ${summary.sent} requests${options.alerts ? ', fraud alerts posted meanwhile' : ''} in ${summary.sendingSeconds.toFixed(1)} s (${(summary.sent / Math.max(summary.sendingSeconds, 1e-9)).toFixed(1)}/s asked ${options.rate}/s), per replica ${summary.byReplica.join(' / ')}`,
    `  answered ${summary.answered}, busy ${summary.busy}, errors ${summary.errors}, timeouts ${summary.timeouts} (no ack within ${SLACK_ACK_LIMIT_MS / 1000} s, or no answer)`,
    `  whole answer: p50 ${ms(summary.latency.p50)}, p99 ${ms(summary.latency.p99)}, max ${ms(summary.latency.max)}; target p99 <= ${TARGET_P99_MS} ms: ${summary.latency.p99 <= TARGET_P99_MS ? 'yes' : 'NO'}`,
    `  acknowledgement: p50 ${ms(summary.ack.p50)}, p99 ${ms(summary.ack.p99)}, max ${ms(summary.ack.max)}`,
    `  query audit: ${audited.rows} rows for ${summary.sent} requests${audited.rows === summary.sent ? '' : ' (MISMATCH)'}; ${audited.reused} answers given again within their minute (answer cache)`,
    `  replicas stopped with SIGTERM: exit ${exits.join(' / ')}`,
    '  per subcommand (whole answer):',
    ...summary.bySubcommand.map((s) => `    ${s.subcommand.padEnd(13)} n ${String(s.n).padStart(5)}  p50 ${ms(s.p50).padStart(8)}  p99 ${ms(s.p99).padStart(8)}`),
  ];
  if (summary.samples.length) lines.push('  first problems:', ...summary.samples.map((s) => `    ${s}`));
  return lines;
}

async function main(): Promise<number> {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    log(USAGE);
    return 0;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  mkdirSync(RESULTS_DIR, { recursive: true });
  const logFile = join(RESULTS_DIR, `${stamp}-load.log`);
  log(`Bot output goes to ${logFile}`);
  const childLog = createWriteStream(logFile, { flags: 'a' });
  const dbs = openBenchDatabases(options.databaseUrl, `load${stamp.toLowerCase().replace(/[^a-z0-9]/g, '')}`);
  const api = new LocalSlackApi();
  // Each answer still to come through a response_url waits on the API's event.
  api.setMaxListeners(0);
  const bots: RunningBot[] = [];
  let store: Store | undefined;
  try {
    const url = options.tenantDb ? databaseUrlFor(options.databaseUrl, options.tenantDb) : await dbs.create();
    store = await openStore({ databaseUrl: url, pgliteDir: '' });
    if (options.tenantDb) log(`Reusing the tenant in ${options.tenantDb}…`);
    else log(`Building the tenant (${options.signins.toLocaleString('en-US')} sign-ins)…`);
    const tenant = options.tenantDb ? await reuseTenant(store) : await buildTenant(store, options.signins, new Date(), log);
    const plans = commandPlans(await pickSamples(store, tenant.signinRows), benchPeriods(tenant.now));

    log(`Starting ${REPLICAS} bot replicas on ${url.replace(/\/\/[^@]*@/, '//')}…`);
    await api.start();
    bots.push(...(await Promise.all(Array.from({ length: REPLICAS }, (_, n) => startBot(url, childLog, { api, label: `replica-${n + 1}`, env: options.alerts ? {} : { FRAUD_ALERT_CHANNEL: '' } })))));
    // One of each subcommand on each replica first: connections, caches and code paths warm.
    for (const bot of bots) for (const plan of plans) await ask(bot, plan.texts[0]!);
    const auditBefore = await auditRows(store);

    log(`Sending ${options.rate} requests/s for ${options.seconds} s over ${plans.length} subcommands…`);
    const run = await runLoad(bots, plans, { rate: options.rate, seconds: options.seconds });
    const summary = summarize(run.outcomes, run.sendingSeconds, bots.length);
    const auditAfter = await auditRows(store);
    const audited = { rows: auditAfter.rows - auditBefore.rows, reused: auditAfter.reused - auditBefore.reused };

    const exits: Array<number | string> = [];
    // Each leaves `bots` once stopped, so a stop that throws leaves the rest to the finally.
    while (bots.length > 0) {
      await bots[0]!.stop();
      exits.push(await bots.shift()!.process.exited);
    }
    for (const line of report(summary, options, audited, exits)) log(line);
    const clean = summary.errors === 0 && summary.busy === 0 && summary.timeouts === 0 && audited.rows === summary.sent && exits.every((code) => code === 0);
    return options.strict && !clean ? 1 : 0;
  } finally {
    await Promise.all(bots.map((bot) => bot.stop().catch(() => {})));
    await api.stop();
    if (store) await store.close().catch(() => {});
    const kept = await dbs.finish(options.keep).catch((error: unknown) => {
      log(`Could not drop the load run's database: ${(error as Error).message}`);
      return [];
    });
    if (options.keep && kept.length) log(`Kept databases: ${kept.join(', ')}`);
    await new Promise<void>((resolve) => childLog.end(resolve));
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Load run failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
