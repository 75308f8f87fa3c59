// Import speed and memory: `npm run import` of a Graph NDJSON file as a child process (wall time,
// peak RSS from /proc), and, in the same run, a raw COPY of the same records normalised into an
// unindexed table `bench_copy (LIKE signins)`: the ceiling the import is measured against.
import { once } from 'node:events';
import { createReadStream, createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openStore } from '../db/client.js';
import { signins } from '../db/schema.js';
import { graphSignInSchema, normaliseSignin } from '../src/ingest/graph-signin.js';
import { POLICY_COPY_COLUMNS, prepareSignin } from '../src/ingest/prepare-signin.js';
import { childEnv, spawnNode } from './child-process.js';
import { copyText } from '../db/copy-text.js';
import { watchMemory } from './proc-memory.js';

export interface ImportRun {
  file: string;
  fileMb: number;
  records: number;
  /** Sign-ins in the database after the import. */
  rows: number;
  seconds: number;
  recordsPerSecond: number;
  exitCode: number | string;
  /** Kernel peak RSS (VmHWM) of the import's node process, MB. */
  peakRssMb: number;
  sampledPeakRssMb: number;
  /** The import's own summary line (its `--stats` memory line included). */
  summary: string;
}

/** Brings a fresh database's schema up to date first, so the timed import does only the import. */
export async function migrate(databaseUrl: string): Promise<void> {
  const store = await openStore({ databaseUrl, pgliteDir: '' });
  await store.close();
}

export async function runImport(databaseUrl: string, file: { path: string; records: number; bytes: number }, log: WriteStream, label: string): Promise<ImportRun> {
  await migrate(databaseUrl);
  const started = performance.now();
  const child = spawnNode('src/cli/import.ts', ['--stats', file.path], childEnv({ DATABASE_URL: databaseUrl, TZ: 'UTC' }), log, label);
  const memory = watchMemory(child.pid, 200);
  const exitCode = await child.exited;
  const seconds = (performance.now() - started) / 1000;
  const peak = memory.stop();
  const store = await openStore({ databaseUrl, pgliteDir: '' });
  let rows = 0;
  try {
    const [row] = await store.rows<{ n: string }>(sql`SELECT count(*) AS "n" FROM "signins"`);
    rows = Number(row?.n ?? 0);
  } finally {
    await store.close();
  }
  const out = child.stdout();
  const summary = out
    .split('\n')
    .filter((line) => /^Total:|^Memory:/.test(line))
    .join(' ');
  if (exitCode !== 0) throw new Error(`npm run import (${label}) exited with ${exitCode}; see the log file`);
  return {
    file: file.path,
    fileMb: file.bytes / 1024 / 1024,
    records: file.records,
    rows,
    seconds,
    recordsPerSecond: file.records / seconds,
    exitCode,
    peakRssMb: peak.hwmMb,
    sampledPeakRssMb: peak.sampledRssMb,
    summary,
  };
}

export interface CopyRun {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  tsvMb: number;
  /** JSON.parse of every record of the file, one thread, seconds: what reading it costs at the least. */
  parseSeconds: number;
  /** The same rows COPYed into the store's own `signins` and `signin_ca_policies` (partitions, keys, indexes), seconds. */
  indexedSeconds: number;
}

/**
 * Normalises the file's records exactly as the import does (untimed, into COPY text files), then
 * times COPY of the sign-in rows into `bench_copy (LIKE signins)`: no indexes, no keys, no
 * partitions. Two more figures in the same run bound what any import can score: the time JSON.parse
 * takes over the file, and the time the same rows take into the store's own indexed tables (the
 * import's, emptied), with no parsing, no rollups and no user sets.
 */
export async function copyBaseline(databaseUrl: string, ndjsonPath: string, tsvPath: string): Promise<CopyRun> {
  const ingestedAt = new Date();
  const out = createWriteStream(tsvPath);
  const policiesPath = `${tsvPath}.policies`;
  const policiesOut = createWriteStream(policiesPath);
  let rows = 0;
  let bytes = 0;
  let parseMs = 0;
  let columns: string[] = [];
  let pending: Array<typeof signins.$inferInsert> = [];
  let pendingPolicies = '';
  const writePending = async () => {
    const copy = copyText(signins, pending, { allColumns: true });
    columns = copy.columns;
    bytes += Buffer.byteLength(copy.text);
    pending = [];
    const policyText = pendingPolicies;
    pendingPolicies = '';
    if (!out.write(copy.text)) await once(out, 'drain');
    if (!policiesOut.write(policyText)) await once(policiesOut, 'drain');
  };
  const lines = createInterface({ input: createReadStream(ndjsonPath), crlfDelay: Infinity });
  for await (const text of lines) {
    if (text.trim() === '') continue;
    const parseStarted = performance.now();
    const record: unknown = JSON.parse(text);
    parseMs += performance.now() - parseStarted;
    const signin = graphSignInSchema.parse(record);
    const { row } = normaliseSignin(signin, 'import:graph-beta');
    pending.push({ ...row, ingestedAt });
    pendingPolicies += prepareSignin(signin, 'import:graph-beta').policyLines;
    rows += 1;
    if (pending.length >= 5_000) await writePending();
  }
  await writePending();
  for (const stream of [out, policiesOut]) {
    stream.end();
    await once(stream, 'finish');
  }

  const client = postgres(databaseUrl, { max: 1, onnotice: () => {}, connection: { TimeZone: 'UTC' } });
  try {
    const timedCopy = async (table: string, path: string, columnNames: readonly string[]) => {
      const started = performance.now();
      const writable = await client.unsafe(`COPY "${table}" (${columnNames.map((c) => `"${c}"`).join(', ')}) FROM STDIN`).writable();
      await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), writable);
      return (performance.now() - started) / 1000;
    };
    await client.unsafe('DROP TABLE IF EXISTS "bench_copy"');
    await client.unsafe('CREATE TABLE "bench_copy" (LIKE "signins")');
    const seconds = await timedCopy('bench_copy', tsvPath, columns);
    const [copied] = await client<{ n: string }[]>`SELECT count(*) AS "n" FROM "bench_copy"`;
    if (Number(copied?.n) !== rows) throw new Error(`COPY loaded ${copied?.n} rows of ${rows}`);
    // The import's day partitions stay: emptied, they take the same rows again.
    await client.unsafe('TRUNCATE "signins", "signin_ca_policies"');
    const indexedSeconds = (await timedCopy('signins', tsvPath, columns)) + (await timedCopy('signin_ca_policies', policiesPath, POLICY_COPY_COLUMNS));
    return { rows, seconds, rowsPerSecond: rows / seconds, tsvMb: bytes / 1024 / 1024, parseSeconds: parseMs / 1000, indexedSeconds };
  } finally {
    await client.end({ timeout: 5 });
    rmSync(policiesPath, { force: true });
  }
}
