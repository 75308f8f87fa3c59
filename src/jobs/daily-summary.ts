// The daily summary job: at SUMMARY_CRON in TZ, yesterday's summary goes to SUMMARY_CHANNEL.
// Its slot is the local day it reports, not the fire time, so whatever fires it (several
// replicas, a second fire the same day, the catch-up after downtime) the day is posted once;
// the outbox dedupe key `daily_summary:<day>` guards the post itself as well.
//
// With an uploader, the chart of the 14 days up to the day reported (outcomes per day and the top
// failure reasons) follows the summary into the channel: the job waits a little for the summary to
// be posted, then uploads the chart. The chart goes with the run that queued the summary, so it is
// uploaded at most once; an upload failure is logged and recorded in the run's outcome, and never
// touches the summary text (queued exactly once before the chart is drawn).
import type { Logger } from '@slack/bolt';
import { eq } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { slackOutbox } from '../../db/schema.js';
import { enqueuePost } from '../alerts/outbox.js';
import { trendChartFile } from '../charts/trend-chart-file.js';
import { trendReport } from '../reports/trend.js';
import type { FileUploader } from '../slack/file-uploader.js';
import { summaryReport } from '../reports/summary.js';
import { parsePeriod } from '../time/period.js';
import { formatLocalDate, startOfLocalDay } from '../time/zoned.js';
import { firstFireOnLocalDay } from './cron-slots.js';
import { dailyChanges } from './daily-changes.js';
import { dailySummaryView } from './daily-summary-view.js';
import type { Job } from './job-runner.js';
import { firstSlot, MAX_SLOT_ATTEMPTS, slotsSince } from './job-runs.js';

export const DAILY_SUMMARY_JOB = 'daily-summary';
/** How far back a restarted bot posts summaries it missed. */
export const CATCH_UP_DAYS = 7;
const LEASE_MS = 10 * 60_000;
/** The chart shows this many local days, up to and including the day reported. */
export const SUMMARY_CHART_DAYS = 14;

export interface DailySummaryOptions {
  store: Store;
  channel: string;
  cron: string;
  timeZone: string;
  /** Uploads the chart; without it the summary goes out as text only. */
  uploadChart?: FileUploader;
  logger?: Logger;
  /** How long to wait for the summary to be posted before the chart goes anyway (default 20 s). */
  chartWaitMs?: number;
}

/** Resolves once the outbox row is posted, or after `waitMs` (the chart then goes anyway). */
async function summaryPosted(store: Store, dedupeKey: string, waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const [row] = await store.db.select({ state: slackOutbox.state }).from(slackOutbox).where(eq(slackOutbox.dedupeKey, dedupeKey));
    if (row?.state === 'posted') return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(250, Math.max(0, deadline - Date.now()))));
  }
}

export function dailySummaryJob(options: DailySummaryOptions): Job {
  const { store, channel, timeZone } = options;
  const reportedDay = (firedAt: Date) => startOfLocalDay(firedAt, timeZone, -1);

  /** Draws and uploads the chart; says what happened (never throws). */
  async function postChart(firedAt: Date, day: string, dedupeKey: string): Promise<string> {
    const first = formatLocalDate(startOfLocalDay(firedAt, timeZone, -SUMMARY_CHART_DAYS), timeZone);
    try {
      const period = parsePeriod(`${first}..${day}`, firedAt, timeZone);
      const file = await trendChartFile(await trendReport(store, period, timeZone), timeZone);
      const posted = await summaryPosted(store, dedupeKey, options.chartWaitMs ?? 20_000);
      if (!posted) options.logger?.warn(`The daily summary of ${day} is not posted yet; uploading its chart to ${channel} anyway`);
      await options.uploadChart!(channel, file, `MFA outcomes per day, ${first} to ${day} (${timeZone}), with the daily summary of ${day}`);
      return `uploaded the chart ${file.filename}`;
    } catch (error) {
      const why = (error as { data?: { error?: string } } | null)?.data?.error ?? (error instanceof Error ? error.message : String(error));
      options.logger?.error(`The chart of the daily summary of ${day} was not uploaded to ${channel} (${why}); the summary text is not affected`, error);
      return `the chart was not uploaded (${why})`;
    }
  }

  return {
    name: DAILY_SUMMARY_JOB,
    cron: options.cron,
    leaseMs: LEASE_MS,
    slotOf: reportedDay,

    async run({ firedAt, late }) {
      const period = parsePeriod('yesterday', firedAt, timeZone);
      const day = formatLocalDate(period.from, timeZone);
      const previousPeriod = parsePeriod(formatLocalDate(startOfLocalDay(firedAt, timeZone, -2), timeZone), firedAt, timeZone);
      const [report, previous, changes] = await Promise.all([summaryReport(store, period), summaryReport(store, previousPeriod), dailyChanges(store, period)]);
      const message = dailySummaryView({ report, previous, changes, timeZone, day, lateSince: late ? firedAt : null });
      const dedupeKey = `daily_summary:${day}`;
      const queued = await enqueuePost(store, { dedupeKey, kind: 'daily_summary', channel, message });
      if (!queued) return `the summary of ${day} was already queued`;
      const done = `queued the summary of ${day}${late ? ' (late)' : ''} for ${channel}`;
      if (!options.uploadChart) return done;
      return `${done}; ${await postChart(firedAt, day, dedupeKey)}`;
    },

    async missedFires(now) {
      // The summary of day D is due at the first fire on day D+1.
      const due: Array<{ firedAt: Date; day: Date }> = [];
      for (let back = CATCH_UP_DAYS; back >= 1; back -= 1) {
        const firedAt = firstFireOnLocalDay(options.cron, timeZone, startOfLocalDay(now, timeZone, 1 - back));
        if (firedAt && firedAt <= now) due.push({ firedAt, day: reportedDay(firedAt) });
      }
      if (due.length === 0) return [];
      const records = new Map((await slotsSince(store, DAILY_SUMMARY_JOB, due[0]!.day)).map((r) => [r.slot.getTime(), r]));
      // Days before the bot first posted a summary were not missed; a first start posts only the latest.
      const first = await firstSlot(store, DAILY_SUMMARY_JOB);
      const candidates = first ? due.filter(({ day }) => day >= first) : due.slice(-1);
      return candidates
        .filter(({ day }) => {
          const record = records.get(day.getTime());
          if (!record) return true;
          if (record.status === 'failed') return record.attempts < MAX_SLOT_ATTEMPTS;
          return record.status === 'running' && record.startedAt.getTime() < now.getTime() - LEASE_MS;
        })
        .map(({ firedAt }) => firedAt);
    },
  };
}
