// Graph NDJSON export files (one beta signIn object a line) from the demo tenant generator.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { demoSignins } from '../src/seed/demo-tenant.js';

export interface WrittenFile {
  path: string;
  records: number;
  bytes: number;
}

/**
 * Writes sign-ins of a tenant of its own (seed 7, so none collide with the benchmark tenant) until
 * `maxRecords` records or `maxBytes` bytes, whichever comes first.
 */
export async function writeSigninNdjson(path: string, now: Date, limits: { maxRecords?: number; maxBytes?: number }): Promise<WrittenFile> {
  const maxRecords = limits.maxRecords ?? Number.POSITIVE_INFINITY;
  const maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
  // About 4 KB a record; size the tenant so it has more than enough records, 10% over.
  const wanted = Math.min(maxRecords, Math.ceil(maxBytes / 3000));
  const users = Math.max(100, Math.round(wanted / 100));
  const days = 30;
  const perUserPerDay = (wanted * 1.25) / (users * days);
  const out = createWriteStream(path);
  let records = 0;
  let bytes = 0;
  try {
    for (const record of demoSignins({ users, days, seed: 7, now, signinsPerUserPerDay: perUserPerDay })) {
      if (records >= maxRecords || bytes >= maxBytes) break;
      const line = `${JSON.stringify(record)}\n`;
      records += 1;
      bytes += Buffer.byteLength(line);
      if (!out.write(line)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'finish');
  }
  return { path, records, bytes };
}
