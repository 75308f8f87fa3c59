// SIGTERM to the real bot process (HTTP mode, built as `npm start` builds it): it stops listening at
// once, finishes the work in flight (a request still being answered, a chart being uploaded after
// its reply, an alert being posted), closes the store and exits 0 within 10 s. The local Slack
// holds each of those calls until the signal has been sent, so "in flight" is certain, not timed.
import http from 'node:http';
import net from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fraudReports, jobRuns } from '../../db/schema.js';
import { ALERT_CHANNEL, BENCH_ADMIN, startBot, type RunningBot } from '../../bench/bot-process.js';
import { DAILY_SUMMARY_JOB } from '../../src/jobs/daily-summary.js';
import { LocalSlackApi } from '../../src/simulator/local-slack-api.js';
import { FORM_CONTENT_TYPE, signSlackRequest, slashCommandBody } from '../../src/slack/sign-request.js';
import { recordReport } from '../support/fraud-records.js';
import { cliStore, type CliStore } from '../support/store-url.js';
import { openBotLog, type BotLog } from '../support/bot-log.js';

const GROUP = 'S0MFAADMINS';
const GROUP_MEMBER = 'U0GROUPMEMBER';

let target: CliStore;
let api: LocalSlackApi;
let log: BotLog;
let bot: RunningBot | undefined;

beforeAll(async () => {
  target = await cliStore();
  api = new LocalSlackApi({ groups: { [GROUP]: [GROUP_MEMBER] } });
  await api.start();
  log = openBotLog('mfa-sigterm-');
});

afterAll(async () => {
  if (bot) await bot.stop();
  await api?.stop();
  await log?.close();
  await target?.dispose();
});

/**
 * A signed /mfa request on a connection of its own that closes after the answer (no keep-alive):
 * an idle connection held open by the client would keep the server, and the process, up anyway.
 */
function ask(text: string, userId: string): Promise<{ status: number; json: { text?: string } }> {
  const body = slashCommandBody({ text, userId, responseUrl: api.responseUrl(), channelId: 'C0ADMINS', channelName: 'mfa-admins' });
  const headers = { 'content-type': FORM_CONTENT_TYPE, ...signSlackRequest(bot!.signingSecret, body) };
  return new Promise((resolve, reject) => {
    const request = http.request(bot!.eventsUrl, { method: 'POST', headers, agent: false }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, json: text ? (JSON.parse(text) as { text?: string }) : {} }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

function portRefuses(url: string): Promise<boolean> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

async function refusedWithin(url: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await portRefuses(url)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('SIGTERM', () => {
  it('refuses new connections, finishes the request, upload and alert post in flight, closes the store and exits 0 within 10 s', { timeout: 120_000 }, async () => {
    const seeded = await target.open();
    const alertId = await recordReport(seeded, { upn: 'sigterm@contoso.com', at: new Date(Date.now() - 60_000), correlationId: 'corr-sigterm', id: 'sigterm' });
    await seeded.close();

    const alertPost = api.holdNext('chat.postMessage');
    const chartUpload = api.holdNext('files.getUploadURLExternal');
    const groupLookup = api.holdNext('usergroups.users.list');
    bot = await startBot(target.env, log.stream, { api, env: { MFA_ADMIN_GROUP: GROUP } });

    // The dispatcher's first pass posts the alert: held.
    await alertPost.arrived;
    // A chart is uploaded after its reply has gone out (in the ack or through the response_url): held.
    const trend = ask('trend 7d', BENCH_ADMIN);
    await chartUpload.arrived;
    // A request not yet acknowledged: its group check is held.
    const summary = ask('summary 7d', GROUP_MEMBER);
    await groupLookup.arrived;

    const signalled = Date.now();
    bot.process.child.kill('SIGTERM');
    const exit = bot.process.exited.then((code) => ({ code, ms: Date.now() - signalled }));
    expect(await refusedWithin(bot.eventsUrl, 3000)).toBe(true);

    alertPost.release();
    groupLookup.release();
    // The request in flight is answered over its open connection.
    const answered = await summary;
    expect(answered.status).toBe(200);
    expect(answered.json.text).toMatch(/summary/i);
    // Its HTTP exchange is over, but the upload after the trend reply is not: the bot waits for it.
    let exited = false;
    void exit.then(() => (exited = true));
    await new Promise((r) => setTimeout(r, 1000));
    expect(exited).toBe(false);
    chartUpload.release();

    const { code, ms } = await exit;
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    bot = undefined;
    expect((await trend).status).toBe(200);
    // The upload went on to completion after the signal.
    const completed = api.calls.filter((c) => c.method === 'files.completeUploadExternal');
    expect(completed.map((c) => c.response)).toEqual([expect.objectContaining({ ok: true })]);
    // The alert was posted once, and its ts recorded before the store closed.
    const posts = api.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.channel).toBe(ALERT_CHANNEL);
    const ts = (posts[0]!.response as { ts: string }).ts;
    const after = await target.open();
    try {
      const [row] = await after.db.select().from(fraudReports).where(eq(fraudReports.id, alertId));
      expect(row).toMatchObject({ alertState: 'posted', slackTs: ts });
    } finally {
      await after.close();
    }
    expect(log.text()).toMatch(/SIGTERM: stopping/);
  });

  it('stops gracefully when the signal comes during start-up, while the missed daily summary is caught up', { timeout: 120_000 }, async () => {
    // The first start posts yesterday's summary, then uploads its chart: held.
    const chartUpload = api.holdNext('files.getUploadURLExternal');
    bot = await startBot(target.env, log.stream, { api, env: { SUMMARY_CHANNEL: 'C0SUMMARIES' } });
    await chartUpload.arrived;
    bot.process.child.kill('SIGTERM');
    chartUpload.release();
    expect(await bot.process.exited).toBe(0);
    bot = undefined;

    const after = await target.open();
    try {
      const runs = await after.db.select().from(jobRuns).where(eq(jobRuns.job, DAILY_SUMMARY_JOB));
      expect(runs.map((r) => [r.status, r.detail])).toEqual([['ok', expect.stringMatching(/uploaded the chart/)]]);
    } finally {
      await after.close();
    }
  });
});
