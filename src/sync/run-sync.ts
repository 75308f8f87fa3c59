// One Microsoft Graph pull of every source into the report store: what `npm run sync` runs and
// what the bot's scheduler (SYNC_CRON) can call. A failing source does not stop the others; each
// keeps its own cursor and resume point.
import type { Logger } from '@slack/bolt';
import type { Store } from '../../db/client.js';
import type { GraphClient } from '../graph/graph-client.js';
import { syncSource, type SourceSummary } from './sync-source.js';
import { SYNC_SOURCE_NAMES, SYNC_SOURCES, type SyncSourceName } from './sync-sources.js';

export interface SyncOptions {
  logger: Logger;
  /** Wall clock for the backfill horizon (default: now). */
  now?: () => Date;
  /** Which sources, in this order (default all four). */
  sources?: readonly SyncSourceName[];
  /** What a first run backfills (default 30 days, what Graph keeps on P1/P2). */
  backfillDays?: number;
  /** Per-source override of the trailing re-read window. */
  reReadWindowMs?: Partial<Record<SyncSourceName, number>>;
  /** How long a run's lease on a source lasts without renewal. */
  leaseMs?: number;
}

export interface SyncSummary {
  ok: boolean;
  startedAt: Date;
  durationMs: number;
  /** In the order the sources ran. */
  sources: SourceSummary[];
  /** Fraud reports this run created, for alerting to post. */
  newFraudReportIds: number[];
}

export async function runSync(store: Store, graph: GraphClient, options: SyncOptions): Promise<SyncSummary> {
  const startedAt = new Date();
  const sources: SourceSummary[] = [];
  // Sequential on purpose: three of the four share the reporting APIs' 5-per-10-s budget anyway.
  for (const name of options.sources ?? SYNC_SOURCE_NAMES) {
    sources.push(
      await syncSource(store, graph, SYNC_SOURCES[name], {
        logger: options.logger,
        now: options.now ?? (() => new Date()),
        backfillDays: options.backfillDays,
        reReadWindowMs: options.reReadWindowMs?.[name],
        leaseMs: options.leaseMs,
      }),
    );
  }
  return {
    ok: sources.every((s) => s.outcome !== 'failed'),
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    sources,
    newFraudReportIds: sources.flatMap((s) => s.newFraudReportIds),
  };
}
