// Quarantines rejected Graph records once. Every run re-reads a trailing window, so a bad record
// near the cursor arrives again and again; storing it each time would flood the quarantine.
import { sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { quarantine, type QuarantineEntry } from '../ingest/quarantine.js';
import { scrubPhoneNumbers } from '../ingest/scrub.js';

// quarantine() stores the raw text scrubbed and cut at 64 kB; compare like with like.
const COMPARABLE_LIMIT = 64 * 1024;

/** Stores the entries not already quarantined (same source, reason and record); returns how many were new. */
export async function quarantineOnce(store: Store, entries: ReadonlyArray<QuarantineEntry>): Promise<number> {
  const fresh: QuarantineEntry[] = [];
  for (const entry of entries) {
    if (entry.raw.length <= COMPARABLE_LIMIT) {
      const [seen] = await store.rows<{ n: number }>(sql`
        select count(*)::int as n from quarantined_records
        where source = ${entry.source} and reason = ${entry.reason.slice(0, 2000)} and raw = ${scrubPhoneNumbers(entry.raw)}`);
      if (seen && seen.n > 0) continue;
    }
    fresh.push(entry);
  }
  return quarantine(store, fresh);
}
