// The connection factory: Postgres through postgres.js when DATABASE_URL is set, otherwise the
// embedded PGlite (on disk in PGLITE_DIR, or in memory for memory://). Callers get one `Store`
// whatever the backend, and run migrations before handing it out.
import type { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { connect as netConnect, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { runMigrations } from './migrate.js';
import { createServerWatch, type ServerWatch, type ServerWatchOptions } from './server-watch.js';
import { lockPgliteDir } from './pglite-lock.js';
import * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Store {
  readonly kind: 'postgres' | 'pglite';
  readonly db: Db;
  /** Where the store lives, with any password masked: safe to log. */
  readonly description: string;
  /** Statements running longer are cancelled by the server (see withStatementTimeout); null when none are. */
  readonly statementTimeoutMs: number | null;
  /** Connections the store opens at most (1 for PGlite). */
  readonly maxConnections: number;
  /** Runs raw SQL and returns the rows, whatever the driver's result shape. */
  rows<T>(query: SQL): Promise<T[]>;
  /**
   * LISTENs on `channel`: `onNotify` gets each NOTIFY's payload; `onListening` is called whenever
   * listening (re)starts, after which notifications sent while disconnected are lost (so callers
   * re-check then). Resolves once listening, to a function that stops it.
   */
  listen(channel: string, onNotify: (payload: string) => void, onListening?: () => void): Promise<() => Promise<void>>;
  /** Runs `work` in one transaction on one connection, with COPY for bulk rows. */
  bulk<T>(work: (tx: BulkTransaction) => Promise<T>): Promise<T>;
  /**
   * The same database with statements cancelled after `ms` (SQLSTATE 57014), for reads that a
   * user is waiting on: on Postgres a pool of its own, so imports, migrations and jobs on this
   * store keep running as long as they need. PGlite accepts statement_timeout but never enforces
   * it (one WebAssembly thread, no timer to interrupt a statement): there it is this store, with
   * statementTimeoutMs null. Close it before this store. `maxConnections` sizes the new pool
   * (default: this store's).
   */
  withStatementTimeout(ms: number, maxConnections?: number): Store;
  /**
   * Calls `listener` each time the server is found to have stopped answering: a check made because
   * a connection waited too long went unanswered (server-watch.ts). Returns the unsubscribe. Never
   * called on PGlite, which lives in the process.
   */
  onServerSilent(listener: () => void): () => void;
  close(): Promise<void>;
}

/** A transaction that can stream rows in with COPY (the fastest way Postgres takes rows). */
export interface BulkTransaction {
  readonly db: Db;
  rows<T>(query: SQL): Promise<T[]>;
  /**
   * COPY `text` (COPY text format, see copy-text.ts) into `table`'s `columns`. It may come in
   * pieces (whole lines each): a bulk load's rows then need not be joined into one big string.
   */
  copyIn(table: string, columns: readonly string[], text: string | readonly string[]): Promise<void>;
}

const copyStatement = (table: string, columns: readonly string[], from: string) =>
  `COPY "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) FROM ${from}`;

export interface StoreOptions {
  databaseUrl?: string;
  pgliteDir: string;
  /** Postgres pool size. */
  maxConnections?: number;
  /**
   * In-memory PGlite only: a data directory dumped by PGlite's dumpDataDir to start from instead
   * of an empty one. Creating a PGlite database takes about 2.5 s and loading a dump about 0.6 s:
   * the tests start each of their stores from one migrated dump.
   */
  pgliteFrom?: Blob;
}

export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return `Postgres at ${parsed.host}${parsed.pathname}${parsed.password ? ' (password hidden)' : ''}`;
  } catch {
    return 'Postgres (unparseable URL)';
  }
}

const CONNECT_TIMEOUT_S = 5;

/**
 * postgres.js connects with Node's default, Nagle's algorithm on. A COPY ends with a few-byte
 * CopyDone written right after the data; Nagle holds it back until the server acknowledges the
 * data, which the server delays (some 40 ms on Linux) while it waits for more. Every COPY took that
 * much longer: half of an import's time. So we connect the sockets ourselves, without Nagle.
 */
function openSocket(options: SocketTarget): Socket {
  return options.path ? netConnect({ path: options.path, noDelay: true }) : netConnect({ host: options.host[0], port: options.port[0] ?? 5432, noDelay: true });
}

interface SocketTarget {
  host: string[];
  port: number[];
  path?: string | false;
}

/**
 * The socket function postgres.js connects with (see openSocket). The socket is handed over while
 * still connecting (postgres.js writes its startup message into it; Node sends that once
 * connected): a failed connect then reaches postgres.js as the socket's error and close, which
 * reject the query and free the pool slot. Had this function rejected instead, postgres.js would
 * keep the slot "connecting" for ever: a few refused connects while Postgres was down left a pool
 * that never connected again. `watch` gives up on connections to a server that stopped answering
 * (server-watch.ts). Two more ways postgres.js lost a connection for good once its socket failed
 * are fixed in postgres.js itself, on install (scripts/patch-postgres.mjs).
 */
function socketFactory(watch: ServerWatch) {
  return (options: SocketTarget): Socket => watch.watch(openSocket(options), () => openSocket(options));
}

/**
 * How long postgres.js waits before reconnecting after failed connects (seconds, by failure count).
 * Its default grows to 20 s, which a query waits out even once Postgres is back; a refused connect
 * costs next to nothing, and a reconnect only happens for a query that waits for one.
 */
const reconnectDelay = (failures: number) => Math.min(0.05 * failures, 0.25);

/**
 * A pool waits this long for a silent server before probing it, and the probe this long for an
 * answer (server-watch.ts): for the pool of reports someone waits for, short enough that "the
 * store is unavailable" reaches Slack within its 3 s; for the rest (imports, jobs, the
 * dispatcher), lenient.
 */
const REPORT_WATCH: ServerWatchOptions = { stallMs: 500, probeTimeoutMs: 500 };
const BACKGROUND_WATCH: ServerWatchOptions = { stallMs: 5000, probeTimeoutMs: CONNECT_TIMEOUT_S * 1000 };

function openPostgres(url: string, maxConnections: number, statementTimeoutMs: number | null = null): Store {
  const watch = createServerWatch(statementTimeoutMs === null ? BACKGROUND_WATCH : REPORT_WATCH);
  const client = postgres(url, {
    max: maxConnections,
    onnotice: () => {},
    connect_timeout: CONNECT_TIMEOUT_S,
    backoff: reconnectDelay,
    // Not in postgres.js's types, but in its options: a function returning a socket.
    ...({ socket: socketFactory(watch) } as object),
    // The pools of Slack requests keep their connections: a new connection plans its first
    // statement over the day partitions in 35-50 ms against 3-7 ms once it has, so closing idle
    // ones (after a quiet minute, or postgres.js's 30-60 minute lifetime) would make the first
    // question after every lull pay it again, and undo the start-up warm-up
    // (src/runtime/warm-report-connections.ts). Imports, jobs and sync let theirs go after a minute.
    ...(statementTimeoutMs === null ? { idle_timeout: 60 } : { idle_timeout: 0, max_lifetime: 0 }),
    // Reports bucket by UTC hour; never depend on the server's default zone. A timeout is set
    // when each connection starts, so no statement of this pool runs without it; its own
    // application_name tells its sessions apart in pg_stat_activity.
    connection: {
      TimeZone: 'UTC',
      // No JIT: it starts past a cost estimate (a report over a busy partial hour of raw rows
      // crosses it) and compiling takes 30 ms or more, longer than the reports it would speed up;
      // the bulk writes are COPY and index work it does not touch.
      jit: 'off',
      application_name: statementTimeoutMs === null ? 'mfa-bot' : 'mfa-bot reports',
      ...(statementTimeoutMs === null ? {} : { statement_timeout: statementTimeoutMs }),
    },
  });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    description: describeDatabaseUrl(url),
    statementTimeoutMs,
    maxConnections,
    async rows<T>(query: SQL) {
      return (await db.execute(query)) as unknown as T[];
    },
    async listen(channel, onNotify, onListening) {
      // postgres.js keeps one extra connection for LISTEN and re-listens after a reconnect,
      // calling onListening each time.
      const request = await client.listen(channel, onNotify, onListening);
      return () => request.unlisten();
    },
    async bulk(work) {
      const result = await client.begin(async (t) => {
        // drizzle wants a full client; a transaction's lacks `options`, which it only reads to
        // install the same type parsers the pool already has.
        const txClient = Object.assign(t, { options: (t as { options?: unknown }).options ?? client.options }) as unknown as postgres.Sql;
        const txDb = drizzlePostgres({ client: txClient, schema }) as unknown as Db;
        return work({
          db: txDb,
          rows: async <T>(query: SQL) => (await txDb.execute(query)) as unknown as T[],
          async copyIn(table, columns, text) {
            const pieces = typeof text === 'string' ? [text] : text;
            if (pieces.every((piece) => piece === '')) return;
            const stream = await t.unsafe(copyStatement(table, columns, 'STDIN')).writable();
            await pipeline(Readable.from(pieces), stream);
          },
        });
      });
      return result as Awaited<ReturnType<typeof work>>;
    },
    withStatementTimeout(ms, poolSize) {
      return openPostgres(url, poolSize ?? maxConnections, ms);
    },
    onServerSilent: (listener) => watch.onSilent(listener),
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

async function openPglite(dataDir: string | undefined, from?: Blob): Promise<Store> {
  // Loaded on demand: PGlite's module alone adds about 40 MB to a process that runs on Postgres.
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([import('@electric-sql/pglite'), import('drizzle-orm/pglite')]);
  const release = dataDir ? lockPgliteDir(dataDir) : () => {};
  let client: PGlite | undefined;
  try {
    client = dataDir ? new PGlite(dataDir) : new PGlite(from ? { loadDataDir: from } : {});
    await client.waitReady;
    await client.exec(`SET TIME ZONE 'UTC'`);
    await runMigrations({ pglite: client });
  } catch (error) {
    await client?.close().catch(() => {});
    release();
    throw error;
  }
  const opened = client;
  const db = drizzlePglite(opened, { schema }) as unknown as Db;
  const store: Store = {
    kind: 'pglite',
    db,
    description: dataDir ? `embedded PGlite in ${dataDir}` : 'embedded PGlite in memory',
    statementTimeoutMs: null,
    maxConnections: 1,
    async rows<T>(query: SQL) {
      const result = (await db.execute(query)) as unknown as { rows: T[] };
      return result.rows;
    },
    async listen(channel, onNotify, onListening) {
      // In-process: the only writer is this process, and PGlite never disconnects.
      const unlisten = await opened.listen(channel, onNotify);
      onListening?.();
      return () => unlisten();
    },
    bulk(work) {
      return opened.transaction(async (t) => {
        const txDb = drizzlePglite({ client: t as unknown as PGlite, schema }) as unknown as Db;
        return work({
          db: txDb,
          rows: async <T>(query: SQL) => ((await txDb.execute(query)) as unknown as { rows: T[] }).rows,
          async copyIn(table, columns, text) {
            const pieces = typeof text === 'string' ? [text] : text;
            if (pieces.every((piece) => piece === '')) return;
            // PGlite has no client stream; it reads COPY input from a blob.
            await t.query(copyStatement(table, columns, `'/dev/blob'`), [], { blob: new Blob([...pieces]) });
          },
        });
      });
    },
    onServerSilent: () => () => {},
    withStatementTimeout() {
      // Not enforceable here (see Store); closing it leaves this store open.
      return { ...store, async close() {} };
    },
    async close() {
      try {
        await opened.close();
      } finally {
        release();
      }
    },
  };
  return store;
}

/** Opens the store the options select and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const { databaseUrl } = options;
  if (databaseUrl && databaseUrl !== 'memory://') {
    await runMigrations({ databaseUrl });
    return openPostgres(databaseUrl, options.maxConnections ?? 10);
  }
  if (databaseUrl === 'memory://') return openPglite(undefined, options.pgliteFrom);
  return openPglite(options.pgliteDir);
}
