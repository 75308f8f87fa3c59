// The daily summary job: at SUMMARY_CRON in TZ, yesterday's summary goes to SUMMARY_CHANNEL.
// Its slot is the local day it reports, not the fire time, so whatever fires it (several
// replicas, a second fire the same day, the catch-up after downtime) the day is posted once;
// the outbox dedupe key `daily_summary:<day>` guards the post itself as well.
import type { Store } from '../../db/client.js';
import { enqueuePost } from '../alerts/outbox.js';
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

export interface DailySummaryOptions {
  store: Store;
  channel: string;
  cron: string;
  timeZone: string;
}

export function dailySummaryJob(options: DailySummaryOptions): Job {
  const { store, channel, timeZone } = options;
  const reportedDay = (firedAt: Date) => startOfLocalDay(firedAt, timeZone, -1);

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
      const queued = await enqueuePost(store, { dedupeKey: `daily_summary:${day}`, kind: 'daily_summary', channel, message });
      return queued ? `queued the summary of ${day}${late ? ' (late)' : ''} for ${channel}` : `the summary of ${day} was already queued`;
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
