// The bench's command line: `npm run bench -- [--signins N] [--quick] ...`, validated with zod so a
// bad value stops the run with one message naming the option.
import { parseArgs } from 'node:util';
import { z } from 'zod';

export interface BenchOptions {
  databaseUrl: string;
  signins: number;
  quick: boolean;
  /** Timed requests per /mfa subcommand (after the warm-ups). */
  requests: number;
  /** Time budget per subcommand, seconds: a slow one stops early (with at least 20 samples). */
  secondsPerCommand: number;
  warmups: number;
  /** Fraud alerts committed during the alert-latency run. */
  alerts: number;
  /** Milliseconds between two fraud records (the channel pace is 1 post/s). */
  alertIntervalMs: number;
  importRecords: number;
  importFileMb: number;
  keep: boolean;
  strict: boolean;
  /** An existing database holding an earlier run's tenant, reused instead of building one. */
  tenantDb: string | undefined;
  /** The parts of the run to measure (default: all of them). */
  only: ReadonlySet<BenchPart>;
}

export const BENCH_PARTS = ['latency', 'naive', 'alerts', 'retention', 'import'] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

export const USAGE = `Usage: npm run bench -- [options]   (DATABASE_URL must be a postgres:// URL)
  --signins N          sign-ins in the benchmark tenant (default 1000000; targets are for 10000000)
  --quick              small counts for CI: 3 warm-ups + 20 requests, 10 alerts, 5000 import records, a 5 MB file
  --requests N         timed requests per /mfa subcommand after 10 warm-ups (default 200; quick 20)
  --seconds-per-command N  time budget per subcommand; stops early past it, after 20 requests (default 120)
  --alerts N           fraud alerts in the alert-latency run (default 500; quick 10)
  --alert-interval-ms  time between two fraud records (default 1100: below the 1 post/s channel pace)
  --import-records N   records in the import-speed file (default min(signins, 1000000); quick 5000)
  --import-file-mb N   size of the import-memory file in MB (default 1024; quick 5)
  --keep               keep the bench databases (default: drop them at the end)
  --tenant-db NAME     reuse the tenant database of an earlier run (kept or interrupted) instead of building one;
                       pass the same --signins it was built with
  --only PARTS         measure only these, comma-separated: ${BENCH_PARTS.join(', ')} (default: all;
                       retention drops the oldest day of the tenant)
  --strict             exit with status 1 when a target is missed`;

const count = (what: string) => z.coerce.number({ message: `expected a whole number (${what})` }).int({ message: `expected a whole number (${what})` }).positive({ message: `expected a positive whole number (${what})` });

const schema = z.object({
  signins: count('--signins'),
  requests: count('--requests'),
  secondsPerCommand: count('--seconds-per-command'),
  alerts: count('--alerts'),
  alertIntervalMs: count('--alert-interval-ms'),
  importRecords: count('--import-records'),
  importFileMb: count('--import-file-mb'),
});

export class UsageError extends Error {}

export function parseBenchOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        signins: { type: 'string' },
        quick: { type: 'boolean', default: false },
        requests: { type: 'string' },
        'seconds-per-command': { type: 'string' },
        alerts: { type: 'string' },
        'alert-interval-ms': { type: 'string' },
        'import-records': { type: 'string' },
        'import-file-mb': { type: 'string' },
        keep: { type: 'boolean', default: false },
        'tenant-db': { type: 'string' },
        only: { type: 'string' },
        strict: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const quick = v.quick ?? false;
  const raw = {
    signins: (v.signins ?? '1000000').replaceAll('_', ''),
    requests: v.requests ?? (quick ? 20 : 200),
    secondsPerCommand: v['seconds-per-command'] ?? 120,
    alerts: v.alerts ?? (quick ? 10 : 500),
    alertIntervalMs: v['alert-interval-ms'] ?? 1100,
    importRecords: v['import-records'] ?? '',
    importFileMb: v['import-file-mb'] ?? (quick ? 5 : 1024),
  };
  const signinsOnly = schema.shape.signins.safeParse(raw.signins);
  if (!signinsOnly.success) throw new UsageError(`--signins: ${signinsOnly.error.issues[0]?.message}`);
  if (raw.importRecords === '') raw.importRecords = String(quick ? 5000 : Math.min(signinsOnly.data, 1_000_000));
  const checked = schema.safeParse(raw);
  if (!checked.success) {
    throw new UsageError(checked.error.issues.map((i) => `--${String(i.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i.message}`).join('\n'));
  }

  const databaseUrl = env.DATABASE_URL?.trim() ?? '';
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new UsageError(
      databaseUrl === ''
        ? 'DATABASE_URL is not set: the bench runs against Postgres, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench'
        : 'DATABASE_URL must be a postgres:// or postgresql:// URL: the bench measures Postgres, not the embedded PGlite store',
    );
  }
  const tenantDb = v['tenant-db'];
  if (tenantDb !== undefined && !/^[a-z0-9_]+$/.test(tenantDb)) throw new UsageError('--tenant-db: expected a database name like mfa_bench_20261127t111205511z');
  const only = v.only === undefined ? [...BENCH_PARTS] : v.only.split(',').map((part) => part.trim());
  const unknown = only.filter((part) => !(BENCH_PARTS as readonly string[]).includes(part));
  if (unknown.length > 0 || only.length === 0) throw new UsageError(`--only: expected some of ${BENCH_PARTS.join(', ')}, got "${v.only}"`);
  return {
    databaseUrl,
    quick,
    keep: v.keep ?? false,
    strict: v.strict ?? false,
    tenantDb,
    only: new Set(only as BenchPart[]),
    warmups: quick ? 3 : 10,
    ...checked.data,
  };
}
