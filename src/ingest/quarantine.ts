// Records that fail validation are kept, with where they came from and why, instead of being
// dropped: nothing is silently lost, and an admin can see what Graph or a file sent.
import type { Store } from '../../db/client.js';
import { quarantinedRecords } from '../../db/schema.js';
import { scrubPhoneNumbers } from './scrub.js';

export interface QuarantineEntry {
  /** 'graph:signIns', 'import:<file name>' ... */
  source: string;
  /** A page link or file:line. */
  locator: string | null;
  reason: string;
  /** The record as received (scrubbed of phone numbers, cut at 64 kB). */
  raw: string;
}

const MAX_RAW = 64 * 1024;

export async function quarantine(store: Store, entries: ReadonlyArray<QuarantineEntry>): Promise<number> {
  if (entries.length === 0) return 0;
  await store.db.insert(quarantinedRecords).values(
    entries.map((entry) => ({
      source: entry.source,
      locator: entry.locator,
      reason: entry.reason.slice(0, 2000),
      raw: scrubPhoneNumbers(entry.raw.length > MAX_RAW ? `${entry.raw.slice(0, MAX_RAW)}…` : entry.raw),
    })),
  );
  return entries.length;
}
