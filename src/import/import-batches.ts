// Collects an import's records into batches and writes each batch through the shared ingest path
// (ingestSignins & co., the legacy writers, the quarantine), awaiting every write before reading
// on: that await is the import's backpressure, and a batch bounds what is held in memory — by
// count, and by the size of the records' source text, since one sign-in listing every Conditional
// Access policy of a big tenant can be tens of kilobytes.
//
// Counting. Every record read ends up in exactly one of new / updated / unchanged / quarantined.
// A record repeated within one batch is written once (the last copy wins, as Graph's re-delivery
// does) and its earlier copies count as unchanged, so the four figures always add up.
//
// Sign-in rollups. `signin_hourly` is recomputed for the hours the written batches touched, in
// runs of consecutive hours, at most every `rollupEveryMs` and at the end: per-batch refreshes
// would re-read whole days for exports that are not in time order. Every hour a batch carries is
// refreshed, changed or not: a re-run repairs the rollups of a run killed part-way.
import { sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { ingestDirectoryAudits, ingestPreparedSignins, ingestRegistrations, ingestRiskDetections } from '../ingest/ingest-records.js';
import { quarantine, type QuarantineEntry } from '../ingest/quarantine.js';
import { refreshHourlyRollup } from '../ingest/refresh-hourly-rollup.js';
import { scrubPhoneNumbers } from '../ingest/scrub.js';
import { writeBlockEvents, writeBypassEvents, writeOnpremActivity, writeServers } from '../ingest/write-legacy.js';
import { kindLabel, type ImportRecord } from './import-record.js';
import { storableText } from './text-problem.js';

export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  newFraudReports: number;
}

export interface BatchOptions {
  /** Records per write (default 5,000). */
  batchSize?: number;
  /** Source text per write (default 4 MB): a batch is written when either limit is reached. */
  batchBytes?: number;
  /** How stale the hourly rollup may get during a long import (default 10 s). */
  rollupEveryMs?: number;
}

export interface QuarantinedSample {
  locator: string;
  reason: string;
}

const HOUR_MS = 3_600_000;
const SAMPLES = 10;
const QUARANTINE_RAW_CHARS = 64 * 1024;

type Pending = { [K in ImportRecord['kind']]: Map<string, Extract<ImportRecord, { kind: K }>> };

export class ImportBatches {
  readonly counts: ImportCounts = { inserted: 0, updated: 0, unchanged: 0, quarantined: 0, newFraudReports: 0 };
  /** Valid records per kind label ("sign-ins (Graph beta)" …), for the summary. */
  readonly kinds = new Map<string, number>();
  /** The first few quarantined records, to show the user where to look. */
  readonly samples: QuarantinedSample[] = [];

  private readonly batchSize: number;
  private readonly batchBytes: number;
  private readonly rollupEveryMs: number;
  private pending: Pending = emptyPending();
  private pendingCount = 0;
  private pendingBytes = 0;
  private quarantined: QuarantineEntry[] = [];
  private rollupHours = new Set<number>();
  private lastRollup = Date.now();
  /** The batch being written while the next one is read (reading and writing overlap). */
  private writing: Promise<void> = Promise.resolve();
  private writingCount = 0;

  constructor(
    private readonly store: Store,
    private readonly quarantineSource: string,
    options: BatchOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 5_000;
    this.batchBytes = options.batchBytes ?? 4 * 1024 * 1024;
    this.rollupEveryMs = options.rollupEveryMs ?? 10_000;
  }

  /** Records handed over so far (valid or quarantined). */
  get records(): number {
    const c = this.counts;
    return c.inserted + c.updated + c.unchanged + c.quarantined + this.writingCount + this.pendingCount + this.quarantined.length;
  }

  /** `sourceBytes`: the length of the record's text in the file, for the batch's size limit. */
  async add(item: ImportRecord, sourceBytes = 0): Promise<void> {
    const label = kindLabel(item);
    this.kinds.set(label, (this.kinds.get(label) ?? 0) + 1);
    const key = dedupeKey(item);
    const group = this.pending[item.kind] as Map<string, ImportRecord>;
    if (group.has(key)) {
      group.delete(key); // re-insert so the last copy keeps its place in the batch order
      this.counts.unchanged++;
    } else {
      this.pendingCount++;
    }
    group.set(key, item);
    this.pendingBytes += sourceBytes;
    if (this.pendingCount >= this.batchSize || this.pendingBytes >= this.batchBytes) await this.startWriting();
  }

  async quarantine(locator: string, reason: string, raw: string): Promise<void> {
    // quarantine() keeps 64 kB of the raw text (and marks the cut); hold no more than that.
    const kept = storableText(raw.length > QUARANTINE_RAW_CHARS ? raw.slice(0, QUARANTINE_RAW_CHARS + 1) : raw);
    this.quarantined.push({ source: this.quarantineSource, locator, reason, raw: kept });
    if (this.samples.length < SAMPLES) this.samples.push({ locator, reason });
    this.pendingBytes += kept.length;
    if (this.quarantined.length >= this.batchSize || this.pendingBytes >= this.batchBytes) await this.startWriting();
  }

  /**
   * Hands what is pending to the writer once the previous batch is written, and returns: the
   * reader parses the next batch while this one goes to the store (two cores, both busy). At most
   * two batches are held, so memory stays bounded; a write error surfaces at the next call.
   */
  private async startWriting(): Promise<void> {
    await this.writing;
    this.writingCount = this.pendingCount + this.quarantined.length;
    const writing = this.flush().finally(() => {
      this.writingCount = 0;
    });
    // Awaited at the next batch or in finish(); until then it must not count as unhandled.
    writing.catch(() => {});
    this.writing = writing;
  }

  /** Writes everything pending. */
  private async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = emptyPending();
    this.pendingCount = 0;
    this.pendingBytes = 0;
    const c = this.counts;
    const add = (r: { inserted: number; updated: number; unchanged: number }) => {
      c.inserted += r.inserted;
      c.updated += r.updated;
      c.unchanged += r.unchanged;
    };

    if (pending.signin.size > 0) {
      // Each prepared sign-in carries its own source, so a file mixing sources is one write.
      const records = [...pending.signin.values()];
      const result = await ingestPreparedSignins(this.store, records.map((r) => r.signin), { rollup: 'deferred' });
      add(result);
      c.newFraudReports += result.newFraudReportIds.length;
      // Unchanged rows' hours too: an import killed after committing a batch and before its
      // rollup refresh left those hours stale, and running it again is how that is repaired.
      for (const r of records) this.rollupHours.add(Math.floor(r.signin.createdAt / HOUR_MS));
    }
    if (pending.risk_detection.size > 0) {
      const result = await ingestRiskDetections(this.store, [...pending.risk_detection.values()].map((r) => r.record));
      add(result);
      c.newFraudReports += result.newFraudReportIds.length;
    }
    if (pending.directory_audit.size > 0) {
      const result = await ingestDirectoryAudits(this.store, [...pending.directory_audit.values()].map((r) => r.record));
      add(result);
      c.newFraudReports += result.newFraudReportIds.length;
    }
    for (const [source, records] of groupBy([...pending.registration.values()], (r) => r.source)) {
      add(await ingestRegistrations(this.store, records.map((r) => r.record), source));
    }
    if (pending.block_event.size > 0) add(await writeBlockEvents(this.store, [...pending.block_event.values()].map((r) => r.row)));
    if (pending.bypass_event.size > 0) add(await writeBypassEvents(this.store, [...pending.bypass_event.values()].map((r) => r.row)));
    if (pending.server.size > 0) add(await writeServers(this.store, [...pending.server.values()].map((r) => r.row)));
    if (pending.onprem_activity.size > 0) add(await writeOnpremActivity(this.store, [...pending.onprem_activity.values()].map((r) => r.row)));

    if (this.quarantined.length > 0) {
      const entries = this.quarantined;
      this.quarantined = [];
      await quarantine(this.store, await this.notQuarantinedYet(entries));
      c.quarantined += entries.length;
    }
    if (Date.now() - this.lastRollup >= this.rollupEveryMs) await this.refreshRollup();
  }

  /** Writes what is left and brings the hourly rollup up to date. */
  async finish(): Promise<void> {
    await this.writing;
    await this.flush();
    await this.refreshRollup();
  }

  /**
   * Re-importing a file must change nothing, the quarantine included: a record already
   * quarantined from the same file name, place and reason is counted again but not stored twice.
   */
  private async notQuarantinedYet(entries: QuarantineEntry[]): Promise<QuarantineEntry[]> {
    const key = (locator: string | null, reason: string, head: string) => `${locator}\u0000${reason}\u0000${head}`;
    // quarantine() stores the reason cut at 2,000 characters and the raw text scrubbed.
    const headOf = (raw: string) => scrubPhoneNumbers(raw.slice(0, 1000)).slice(0, 200);
    const stored = await this.store.rows<{ locator: string | null; reason: string; head: string }>(sql`
      SELECT "locator", "reason", left("raw", 200) AS "head" FROM "quarantined_records"
      WHERE "source" = ${this.quarantineSource} AND "locator" = any(${sql.param(entries.map((e) => e.locator))}::text[])`);
    const known = new Set(stored.map((row) => key(row.locator, row.reason, row.head)));
    return entries.filter((e) => !known.has(key(e.locator, e.reason.slice(0, 2000), headOf(e.raw))));
  }

  private async refreshRollup(): Promise<void> {
    this.lastRollup = Date.now();
    if (this.rollupHours.size === 0) return;
    const hours = [...this.rollupHours].sort((a, b) => a - b);
    this.rollupHours = new Set();
    for (const [first, last] of consecutiveRuns(hours)) {
      await this.store.db.transaction((tx) => refreshHourlyRollup(tx, new Date(first * HOUR_MS), new Date(last * HOUR_MS)));
    }
  }
}

function emptyPending(): Pending {
  return {
    signin: new Map(),
    registration: new Map(),
    risk_detection: new Map(),
    directory_audit: new Map(),
    block_event: new Map(),
    bypass_event: new Map(),
    server: new Map(),
    onprem_activity: new Map(),
  };
}

/** The key the store dedupes this record on, so one batch never carries a row twice. */
function dedupeKey(item: ImportRecord): string {
  switch (item.kind) {
    case 'signin':
      // (id, created_at) is the sign-ins' primary key.
      return item.signin.key;
    case 'registration':
    case 'risk_detection':
    case 'directory_audit':
      return item.record.id;
    case 'server':
      return item.row.name;
    default:
      return item.row.dedupeKey;
  }
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** [3, 4, 5, 9] → [[3, 5], [9, 9]] */
function consecutiveRuns(sorted: readonly number[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const n of sorted) {
    const last = runs[runs.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else runs.push([n, n]);
  }
  return runs;
}
