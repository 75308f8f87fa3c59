// The daily summary carries its chart: the 14 days up to the day reported, uploaded with
// files.uploadV2 to SUMMARY_CHANNEL after the summary is posted, once per day; an upload failure is
// logged and recorded in the run, and the summary text is posted exactly once regardless.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAILY_SUMMARY_JOB, dailySummaryJob } from '../../src/jobs/daily-summary.js';
import { createJobRunner, type JobRunner } from '../../src/jobs/job-runner.js';
import { createFileUploader } from '../../src/slack/file-uploader.js';
import { dedupeKeyOf, okPosts, startAlertRig, type AlertRig } from '../support/alert-rig.js';
import { loadSignins, type SigninSpec } from '../support/graph-records.js';
import { readPngHeader } from '../support/png-header.js';
import { openTestStore, type TestStore } from '../support/test-store.js';
import { VirtualClock } from '../support/virtual-clock.js';

const TZ = 'Europe/Berlin';
const SUMMARY_CHANNEL = 'C0SUMMARY1';
// 08:00 in Berlin (UTC+1 in November).
const FIRE_26 = new Date('2026-11-26T07:00:00Z');
const FIRE_27 = new Date('2026-11-27T07:00:00Z');

const push = (succeeded: boolean, detail: string) => ({ method: 'Mobile app notification', succeeded, detail });
const SIGNINS: SigninSpec[] = [
  { id: 's1', at: '2026-11-20T09:00:00Z', upn: 'olga@contoso.com', mfa: push(true, 'MFA successfully completed') },
  { id: 's2', at: '2026-11-25T09:00:00Z', upn: 'olga@contoso.com', mfa: push(true, 'MFA successfully completed') },
  { id: 'd1', at: '2026-11-25T10:00:00Z', upn: 'pete@contoso.com', errorCode: 500121, mfa: push(false, 'MFA denied; user declined the authentication') },
  { id: 's3', at: '2026-11-26T10:00:00Z', upn: 'olga@contoso.com', mfa: push(true, 'MFA successfully completed') },
];

let store: TestStore;
let rig: AlertRig;
const clock = new VirtualClock(FIRE_26.getTime());

function runner(): JobRunner {
  const jobs = createJobRunner({ store, logger: rig.logger, timeZone: TZ, instanceId: 'chart-test', clock });
  const uploadChart = createFileUploader({ token: 'xoxb-test-token', slackApiUrl: rig.api.apiUrl, logger: rig.logger });
  jobs.add(dailySummaryJob({ store, channel: SUMMARY_CHANNEL, cron: '0 8 * * *', timeZone: TZ, uploadChart, logger: rig.logger, chartWaitMs: 10_000 }));
  return jobs;
}

/** Runs the slot while a dispatcher delivers what it queues, as the running bot does. */
async function runSlotWithDispatcher(firedAt: Date) {
  const dispatcher = rig.dispatcher();
  let finished = false;
  const run = runner()
    .runSlot(DAILY_SUMMARY_JOB, firedAt)
    .finally(() => (finished = true));
  while (!finished) {
    await dispatcher.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return run;
}

const completedUploads = () => rig.api.uploads().filter((f) => f.completed);
const runDetail = async (slotDay: string) =>
  (await store.rows<{ detail: string }>(sql`SELECT "detail" FROM "job_runs" WHERE "job" = 'daily-summary' AND "slot" = ${slotDay}::timestamptz`))[0]?.detail;

beforeAll(async () => {
  store = await openTestStore();
  rig = await startAlertRig(store, clock);
  await loadSignins(store, SIGNINS);
});
afterAll(async () => {
  await rig?.close();
  await store?.close();
});

describe('the daily summary chart', () => {
  it('is uploaded to SUMMARY_CHANNEL after the summary is posted, as a PNG of the expected size', async () => {
    const outcome = await runSlotWithDispatcher(FIRE_26);
    expect(outcome).toMatchObject({ ran: true, status: 'ok' });

    expect(okPosts(rig.api, SUMMARY_CHANNEL).map(dedupeKeyOf)).toEqual(['daily_summary:2026-11-25']);
    const [chart, ...more] = completedUploads();
    expect(more).toHaveLength(0);
    expect(chart!.channelId).toBe(SUMMARY_CHANNEL);
    expect(chart!.filename).toBe('mfa-trend-14d-to-2026-11-25.png');
    expect(chart!.title).toBe('MFA outcomes: 2026-11-12 to 2026-11-25');
    expect(chart!.initialComment).toBe('MFA outcomes per day, 2026-11-12 to 2026-11-25 (Europe/Berlin), with the daily summary of 2026-11-25');
    expect(chart!.altText).toContain('2 satisfied, 1 denied, 0 interrupted');
    expect(readPngHeader(chart!.bytes)).toMatchObject({ width: 1200, height: 1000 });

    // The chart follows the summary into the channel.
    const calls = rig.api.calls;
    const postedAt = calls.findIndex((c) => c.method === 'chat.postMessage' && c.body.channel === SUMMARY_CHANNEL);
    const uploadedAt = calls.findIndex((c) => c.method === 'files.completeUploadExternal');
    expect(postedAt).toBeGreaterThanOrEqual(0);
    expect(uploadedAt).toBeGreaterThan(postedAt);
    expect(await runDetail('2026-11-24T23:00:00Z')).toBe(`queued the summary of 2026-11-25 for ${SUMMARY_CHANNEL}; uploaded the chart mfa-trend-14d-to-2026-11-25.png`);
  });

  it('is not uploaded again by a second fire for the same day', async () => {
    expect((await runner().runSlot(DAILY_SUMMARY_JOB, new Date('2026-11-26T19:00:00Z'))).ran).toBe(false);
    await rig.dispatcher().runOnce();
    expect(completedUploads()).toHaveLength(1);
    expect(okPosts(rig.api, SUMMARY_CHANNEL)).toHaveLength(1);
  });

  it('is logged as not uploaded when Slack refuses it, and the summary is still posted once', async () => {
    clock.advance(FIRE_27.getTime() - clock.now());
    rig.api.failNext('files.getUploadURLExternal', { error: 'invalid_auth' });
    const outcome = await runSlotWithDispatcher(FIRE_27);
    expect(outcome).toMatchObject({ ran: true, status: 'ok' });
    expect(okPosts(rig.api, SUMMARY_CHANNEL).map(dedupeKeyOf)).toEqual(['daily_summary:2026-11-25', 'daily_summary:2026-11-26']);
    expect(completedUploads()).toHaveLength(1);
    expect(await runDetail('2026-11-25T23:00:00Z')).toBe(`queued the summary of 2026-11-26 for ${SUMMARY_CHANNEL}; the chart was not uploaded (invalid_auth)`);
    expect(rig.logLines.some((line) => line.includes('The chart of the daily summary of 2026-11-26 was not uploaded to C0SUMMARY1 (invalid_auth); the summary text is not affected'))).toBe(true);
  });
});
