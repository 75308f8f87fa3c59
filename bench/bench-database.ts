// The bench's own scratch databases on the DATABASE_URL server: created fresh for each run
// (`mfa_bench_<timestamp>[_suffix]`) and dropped at the end unless --keep.
import postgres from 'postgres';

export interface BenchDatabases {
  /** A fresh database; returns its URL (same server, user and password as DATABASE_URL). */
  create(suffix?: string): Promise<string>;
  /** The server's version string, e.g. "15.18". */
  serverVersion(): Promise<string>;
  /** Drops every database this run created (or lists them when keeping). */
  finish(keep: boolean): Promise<string[]>;
}

export function databaseUrlFor(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export function openBenchDatabases(baseUrl: string, stamp: string): BenchDatabases {
  const admin = postgres(databaseUrlFor(baseUrl, 'postgres'), { max: 1, onnotice: () => {}, connect_timeout: 5 });
  const created: string[] = [];
  return {
    async create(suffix) {
      const name = `mfa_bench_${stamp}${suffix ? `_${suffix}` : ''}`;
      if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Not a safe database name: ${name}`);
      await admin.unsafe(`CREATE DATABASE "${name}"`);
      created.push(name);
      return databaseUrlFor(baseUrl, name);
    },
    async serverVersion() {
      const [row] = await admin<{ server_version: string }[]>`show server_version`;
      return row?.server_version ?? 'unknown';
    },
    async finish(keep) {
      try {
        if (!keep) {
          for (const name of created) await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        }
        return [...created];
      } finally {
        await admin.end({ timeout: 5 });
      }
    },
  };
}
