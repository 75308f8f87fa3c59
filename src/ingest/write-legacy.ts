// The legacy MFA Server reports (no Graph API: imported files) and block history. Rows carry a
// dedupe key derived from their content, so loading the same report twice adds nothing.
import { createHash } from 'node:crypto';
import type { Store } from '../../db/client.js';
import { mfaBlockEvents, mfaBypassEvents, mfaServers, onpremActivity } from '../../db/schema.js';
import { upsertRows, type UpsertCounts } from '../../db/upsert.js';

export type BlockEventRow = typeof mfaBlockEvents.$inferInsert;
export type BypassEventRow = typeof mfaBypassEvents.$inferInsert;
export type ServerRow = typeof mfaServers.$inferInsert;
export type OnpremActivityRow = typeof onpremActivity.$inferInsert;

/** A stable key from the fields that identify a history row. */
export function contentKey(kind: string, ...parts: Array<string | number | Date | null | undefined>): string {
  const text = parts.map((p) => (p instanceof Date ? p.toISOString() : String(p ?? ''))).join('\u001f');
  return `${kind}:${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}

export function writeBlockEvents(store: Store, rows: BlockEventRow[]): Promise<UpsertCounts> {
  return upsertRows(store.db, mfaBlockEvents, rows, { key: ['dedupe_key'], update: 'never' });
}

export function writeBypassEvents(store: Store, rows: BypassEventRow[]): Promise<UpsertCounts> {
  return upsertRows(store.db, mfaBypassEvents, rows, { key: ['dedupe_key'], update: 'never' });
}

export function writeServers(store: Store, rows: ServerRow[]): Promise<UpsertCounts> {
  return upsertRows(store.db, mfaServers, rows, { key: ['name'], update: 'changed', ignore: ['updated_at'] });
}

export function writeOnpremActivity(store: Store, rows: OnpremActivityRow[]): Promise<UpsertCounts> {
  return upsertRows(store.db, onpremActivity, rows, { key: ['dedupe_key'], update: 'never' });
}
