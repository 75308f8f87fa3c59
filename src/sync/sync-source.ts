// One resumable pull of one Graph source: page by page, each page validated, written and committed
// before the next is requested, so an interruption loses nothing and the next run continues from
// the stored nextLink. See sync-state.ts for what the cursor and the resume link mean.
import type { Logger } from '@slack/bolt';
import type { Store } from '../../db/client.js';
import { GraphRequestError } from '../graph/graph-errors.js';
import type { GraphClient } from '../graph/graph-client.js';
import { quarantineOnce } from './quarantine-once.js';
import { claimSource, commitPage, completeRun, DEFAULT_LEASE_MS, discardResumePoint, failRun, isBusy, type ClaimedState } from './sync-state.js';
import type { SyncSource, SyncSourceName } from './sync-sources.js';
import { validatePage } from './validate-page.js';

export interface SourceSummary {
  source: SyncSourceName;
  label: string;
  /** 'skipped': another run holds the source. */
  outcome: 'ok' | 'failed' | 'skipped';
  pages: number;
  /** Records received from Graph. */
  received: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Records that failed validation (stored in quarantined_records once). */
  quarantined: number;
  /** Valid records outside the source's client-side filter (e.g. non-fraud audit entries). */
  ignored: number;
  newFraudReportIds: number[];
  durationMs: number;
  /** Lower bound of the listing (incremental sources), null for a full refresh. */
  from: Date | null;
  /** Continued an interrupted run from its stored link. */
  resumed: boolean;
  /** The cursor after this run. */
  cursorAt: Date | null;
  /** What the next run does: continue an incremental pull, resume from the stored link, or start this listing again. */
  next: 'incremental' | 'resume' | 'restart';
  error?: string;
}

export interface SourceRunOptions {
  logger: Logger;
  now: () => Date;
  /** What Graph keeps, so what a first run backfills (default 30 days). */
  backfillDays?: number;
  /** Overrides the source's trailing re-read window. */
  reReadWindowMs?: number;
  leaseMs?: number;
}

const DAY = 86_400_000;
// Answers to a stored resume link meaning "this link is no good any more" (expired skiptoken).
const STALE_LINK_STATUS = new Set([400, 404, 410]);

const later = (a: Date | null, b: Date | null): Date | null => (!a ? b : !b ? a : a >= b ? a : b);

export async function syncSource(store: Store, graph: GraphClient, source: SyncSource<unknown>, options: SourceRunOptions): Promise<SourceSummary> {
  const started = Date.now();
  const { logger } = options;
  const summary: SourceSummary = {
    source: source.name,
    label: source.label,
    outcome: 'ok',
    pages: 0,
    received: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    quarantined: 0,
    ignored: 0,
    newFraudReportIds: [],
    durationMs: 0,
    from: null,
    resumed: false,
    cursorAt: null,
    next: source.mode === 'full' ? 'restart' : 'incremental',
  };
  const finish = () => ({ ...summary, durationMs: Date.now() - started });

  const state = await claimSource(store, source.name, options.leaseMs ?? DEFAULT_LEASE_MS);
  if (isBusy(state)) {
    summary.outcome = 'skipped';
    const minutes = Math.round((options.leaseMs ?? DEFAULT_LEASE_MS) / 60_000);
    summary.error =
      `another sync run has been working on ${source.label} since ${state.busySince?.toISOString() ?? 'recently'} ` +
      `(if that process died, its claim lapses ${minutes} minutes after its last page)`;
    logger.warn(`Sync ${source.label}: skipped, ${summary.error}`);
    return finish();
  }
  summary.cursorAt = state.cursorAt;

  const now = options.now();
  const firstPage = (): string => {
    if (source.mode === 'full') return source.firstPage(null);
    const oldest = new Date(now.getTime() - (options.backfillDays ?? 30) * DAY);
    const window = options.reReadWindowMs ?? source.reReadWindowMs;
    const wanted = state.cursorAt ? new Date(state.cursorAt.getTime() - window) : oldest;
    if (state.cursorAt && state.cursorAt < oldest) {
      logger.warn(
        `Sync ${source.label}: the last completed run reached ${state.cursorAt.toISOString()}, but Graph keeps only ${options.backfillDays ?? 30} days: ` +
          `records from before ${oldest.toISOString()} that were not fetched then are gone`,
      );
    }
    summary.from = wanted < oldest ? oldest : wanted;
    return source.firstPage(summary.from);
  };

  // Everything after the claim runs inside try: whatever fails, the lease is released.
  try {
    let link = await usableResumeLink(store, graph, source, state, logger);
    summary.resumed = link !== null;
    // The newest record time of the whole run, including pages an interrupted run committed.
    let newest: Date | null = summary.resumed ? state.pendingCursorAt : null;
    link ??= firstPage();
    logger.info(
      `Sync ${source.label}: ${summary.resumed ? 'resuming an interrupted run from its stored link' : summary.from ? `reading from ${summary.from.toISOString()}` : 'full refresh'}`,
    );

    for (;;) {
      let page;
      try {
        page = await graph.getPage(link);
      } catch (error) {
        // Graph forgets skiptokens after a while: an unusable stored link means starting afresh
        // from the cursor, which the resume point never moved, so nothing is skipped.
        if (summary.resumed && summary.pages === 0 && error instanceof GraphRequestError && error.status !== null && STALE_LINK_STATUS.has(error.status)) {
          logger.warn(`Sync ${source.label}: the stored resume link no longer works (${error.message}); starting afresh`);
          await discardResumePoint(store, source.name, state.runId);
          summary.resumed = false;
          newest = null;
          link = firstPage();
          continue;
        }
        throw error;
      }
      summary.pages++;
      summary.received += page.value.length;

      const { valid, rejected } = validatePage(page.value, source.schema, source.quarantineSource, page.link);
      const kept = source.keep ? valid.filter((record) => source.keep!(record)) : valid;
      summary.ignored += valid.length - kept.length;
      const written = await source.write(store, kept);
      summary.inserted += written.inserted;
      summary.updated += written.updated;
      summary.unchanged += written.unchanged;
      summary.newFraudReportIds.push(...written.newFraudReportIds);
      await quarantineOnce(store, rejected);
      summary.quarantined += rejected.length;

      if (source.recordTime) {
        for (const record of valid) {
          const at = source.recordTime(record);
          if (!Number.isNaN(at.getTime())) newest = later(newest, at);
        }
      }
      // Checked before it is stored: a link we would refuse must not become the resume point.
      if (page.nextLink) graph.checkLink(page.nextLink);
      await commitPage(store, source.name, state.runId, page.nextLink, newest);
      logger.debug(`Sync ${source.label}: page ${summary.pages}: ${page.value.length} records (${written.inserted} new, ${written.updated} updated, ${rejected.length} quarantined)`);
      if (!page.nextLink) break;
      link = page.nextLink;
    }
    summary.cursorAt = source.mode === 'incremental' ? later(state.cursorAt, newest) : null;
    await completeRun(store, source.name, state.runId, summary.cursorAt, `ok: ${describeCounts(summary, Date.now() - started)}`);
    logger.info(
      `Sync ${source.label}: done, ${describeCounts(summary, Date.now() - started)}` + (summary.newFraudReportIds.length > 0 ? `, ${summary.newFraudReportIds.length} new fraud reports` : ''),
    );
    return finish();
  } catch (error) {
    summary.outcome = 'failed';
    summary.error = describeFailure(error);
    // Pages committed so far stay committed; the stored link (if any page was) is where the next run continues.
    summary.next = summary.pages > 0 || summary.resumed ? 'resume' : source.mode === 'full' ? 'restart' : 'incremental';
    // The message leads: the outcome column is cut at 1,000 characters.
    await failRun(store, source.name, state.runId, `failed: ${summary.error} (${describeCounts(summary, Date.now() - started)})`).catch((stateError: unknown) => {
      logger.error(`Sync ${source.label}: could not record the failure: ${describeFailure(stateError)}`);
    });
    logger.error(`Sync ${source.label}: failed (${describeCounts(summary, Date.now() - started)}): ${summary.error}`);
    return finish();
  }
}

async function usableResumeLink(store: Store, graph: GraphClient, source: SyncSource<unknown>, state: ClaimedState, logger: Logger): Promise<string | null> {
  if (!state.resumeLink) return null;
  try {
    graph.checkLink(state.resumeLink);
    return state.resumeLink;
  } catch (error) {
    // E.g. GRAPH_API_URL changed since the interrupted run: never send the token elsewhere.
    logger.warn(`Sync ${source.label}: not resuming from the stored link (${describeFailure(error)}); starting afresh`);
    await discardResumePoint(store, source.name, state.runId);
    return null;
  }
}

function describeCounts(s: SourceSummary, elapsedMs: number): string {
  return `${s.pages} page${s.pages === 1 ? '' : 's'}, ${s.inserted} new, ${s.updated} updated, ${s.quarantined} quarantined, ${(elapsedMs / 1000).toFixed(1)} s`;
}

function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
