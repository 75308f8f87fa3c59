// /mfa trend through signed requests: the figures as text (known by construction), the chart
// uploaded to the fake Slack with files.uploadV2 as a PNG of the expected size (to the asker's
// direct message, or with `public` to the channel), upload failures told to the asker, one user's
// trend, and the usual refusals.
import { describe, expect, it } from 'vitest';
import { CHART_SIZE } from '../../src/charts/render-png.js';
import { loadSignins, type SigninSpec } from '../support/graph-records.js';
import { readPngHeader } from '../support/png-header.js';
import { replyText } from '../support/reply-text.js';
import { useReportFixture } from '../support/report-fixture.js';
import { ADMIN, OUTSIDER } from '../support/slack-harness.js';

const NOW = new Date('2026-11-27T12:30:00Z');
const push = (succeeded: boolean, detail: string) => ({ method: 'Mobile app notification', succeeded, detail });
const ok = (id: string, at: string, upn: string): SigninSpec => ({ id, at, upn, mfa: push(true, 'MFA successfully completed') });
const declined = (id: string, at: string, upn: string): SigninSpec => ({ id, at, upn, errorCode: 500121, mfa: push(false, 'MFA denied; user declined the authentication') });

// The last 14 days (2026-11-13 12:30 to 2026-11-27 12:30 UTC, 15 local days): 10 sign-ins, 9
// required MFA: 6 satisfied, 2 denied (the user declined), 1 interrupted.
const SIGNINS: SigninSpec[] = [
  ok('c1', '2026-11-14T10:00:00Z', 'carol@contoso.com'),
  ok('c2', '2026-11-14T10:05:00Z', 'carol@contoso.com'),
  ok('c3', '2026-11-14T10:10:00Z', 'carol@contoso.com'),
  ok('a1', '2026-11-20T10:00:00Z', 'alice@contoso.com'),
  ok('a2', '2026-11-20T11:00:00Z', 'alice@contoso.com'),
  declined('a3', '2026-11-21T09:00:00Z', 'alice@contoso.com'),
  { id: 'n1', at: '2026-11-22T09:00:00Z', upn: 'alice@contoso.com', mfaRequired: false },
  { id: 'b1', at: '2026-11-26T08:00:00Z', upn: 'bob@contoso.com', errorCode: 50074, failureReason: 'Strong Authentication is required.' },
  declined('b2', '2026-11-26T09:00:00Z', 'bob@contoso.com'),
  ok('b3', '2026-11-27T09:00:00Z', 'bob@contoso.com'),
  // Outside the 14 days.
  ok('old', '2026-11-01T09:00:00Z', 'carol@contoso.com'),
];

const fixture = useReportFixture({ now: NOW, load: (store) => loadSignins(store, SIGNINS) });

/**
 * Sends the command; when the reply says a chart follows, waits until its upload is over (done or
 * given up), so no upload runs into the next test. `uploads` are the files it completed.
 */
async function trend(text: string, user = ADMIN) {
  const before = new Set(fixture.harness.api.calls);
  const uploadsBefore = fixture.harness.api.uploads().length;
  const result = await fixture.harness.command(text, { user });
  const replyWords = replyText(result.reply);
  if (/The chart is (sent|posted)/.test(replyWords)) {
    await fixture.harness.api.waitFor(
      (call) => !before.has(call) && ((call.method === 'files.completeUploadExternal' && call.status === 200 && (call.response as { ok?: boolean }).ok === true) || (call.kind === 'respond' && /could not be uploaded/.test(String(call.body.text)))),
    );
  }
  const uploads = fixture.harness.api.uploads().slice(uploadsBefore).filter((f) => f.completed);
  return { ...result, text: replyWords, uploads };
}

describe('/mfa trend', () => {
  it('answers with the figures as text and says the chart goes to a direct message', async () => {
    const { text, reply } = await trend('trend');
    expect(reply!.response_type).toBe('ephemeral');
    expect(text).toContain('MFA outcomes: the last 14 days');
    expect(text).toContain('9 sign-ins required MFA. 6 (66.7%) satisfied, 2 (22.2%) denied, 1 (11.1%) interrupted.');
    expect(text).toContain('• Sat 2026-11-14: 3 satisfied · 0 denied · 0 interrupted');
    expect(text).toContain('• Fri 2026-11-20: 2 satisfied · 0 denied · 0 interrupted');
    expect(text).toContain('• Sat 2026-11-21: 0 satisfied · 1 denied · 0 interrupted');
    expect(text).toContain('• Sun 2026-11-22: none');
    expect(text).toContain('• Thu 2026-11-26: 0 satisfied · 1 denied · 1 interrupted');
    expect(text).toContain('• Fri 2026-11-27: 1 satisfied · 0 denied · 0 interrupted');
    expect(text).toMatch(/1\. Denied: the user declined the prompt: 2 sign-ins \(66\.7% of failures\)/);
    expect(text).toContain('The chart is sent to you in a direct message');
    expect(text).toContain('Period: 2026-11-13 12:30 to 2026-11-27 12:30 (UTC)');
    expect(text).toContain('Data as of 2026-11-27 09:00 (UTC)');
  });

  it('uploads the chart with files.uploadV2 to the asker\'s direct message, as a PNG of the expected size', async () => {
    const [file, ...more] = (await trend('trend 14d')).uploads;
    expect(more).toHaveLength(0);
    expect(fixture.harness.api.callsTo('files.getUploadURLExternal').at(-1)!.body).toMatchObject({ filename: 'mfa-trend-15d-to-2026-11-27.png' });
    expect(fixture.harness.api.callsTo('conversations.open').at(-1)!.body).toMatchObject({ users: ADMIN });
    expect(file!.channelId).toMatch(/^D/);
    expect(file!.filename).toBe('mfa-trend-15d-to-2026-11-27.png');
    expect(file!.title).toBe('MFA outcomes: the last 14 days');
    expect(file!.initialComment).toBe('`/mfa trend 14d`');
    expect(file!.altText).toContain('6 satisfied, 2 denied, 1 interrupted');
    expect(file!.length).toBe(file!.bytes.length);
    expect(readPngHeader(file!.bytes)).toMatchObject({ width: CHART_SIZE.width, height: CHART_SIZE.height });
  });

  it('posts the chart in the channel with `public`', async () => {
    const { reply, text, uploads } = await trend('trend 7d public');
    expect(reply!.response_type).toBe('in_channel');
    expect(text).toContain('The chart is posted in this channel.');
    expect(text).toContain('4 sign-ins required MFA. 1 (25%) satisfied, 2 (50%) denied, 1 (25%) interrupted.');
    const [file] = uploads;
    expect(file!.channelId).toBe('C0SIMADMIN');
    expect(readPngHeader(file!.bytes)).toMatchObject({ width: 1200, height: 1000 });
  });

  it('sends the chart to the direct message when the bot may not post files in the channel, and says so', async () => {
    fixture.harness.api.failNext('files.completeUploadExternal', { error: 'not_in_channel' });
    const said = fixture.harness.api.waitFor((call) => call.kind === 'respond' && String(call.body.text ?? '').includes('may not post files in this channel'));
    const [file] = (await trend('trend 7d public')).uploads;
    expect(file!.channelId).toMatch(/^D/);
    expect((await said).body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  });

  it('keeps the figures and tells the asker when the chart cannot be uploaded', async () => {
    fixture.harness.api.failNext('files.getUploadURLExternal', { error: 'invalid_arguments' });
    const said = fixture.harness.api.waitFor((call) => call.kind === 'respond' && String(call.body.text ?? '').includes('could not be uploaded'));
    const { text, uploads } = await trend('trend 7d');
    expect(text).toContain('4 sign-ins required MFA.');
    expect(uploads).toHaveLength(0);
    expect(String((await said).body.text)).toBe(':warning: The chart could not be uploaded (invalid_arguments); the figures above are complete.');
    expect(fixture.harness.logLines.some((line) => line.includes('Could not upload mfa-trend-8d-to-2026-11-27.png'))).toBe(true);
  });

  it("shows one user's trend and uploads their chart", async () => {
    const { text, uploads } = await trend('trend bob@contoso.com 14d');
    expect(text).toContain('MFA outcomes of bob: the last 14 days');
    expect(text).toContain('bob (bob@contoso.com): 3 sign-ins required MFA. 1 (33.3%) satisfied, 1 (33.3%) denied, 1 (33.3%) interrupted.');
    expect(text).toContain('• Thu 2026-11-26: 0 satisfied · 1 denied · 1 interrupted');
    expect(text).not.toContain('2026-11-20: 2 satisfied');
    const [file] = uploads;
    expect(file!.filename).toBe('mfa-trend-bob-contoso-com-15d-to-2026-11-27.png');
    expect(readPngHeader(file!.bytes)).toMatchObject({ width: 1200, height: 1000 });
  });

  it('says when a period has no MFA outcomes, and still draws the empty chart', async () => {
    const { text, uploads } = await trend('trend 2026-11-02..2026-11-05');
    expect(text).toContain('MFA outcomes: 2026-11-02 to 2026-11-05');
    expect(text).toContain('no sign-ins in this period.');
    const [file] = uploads;
    expect(readPngHeader(file!.bytes)).toMatchObject({ width: 1200, height: 1000 });
  });

  it('names a bad period, an unknown user and too many arguments, without a chart', async () => {
    const before = fixture.harness.api.uploads().length;
    expect((await trend('trend 2026-02-30')).text).toContain('2026-02-30 is not a calendar date');
    expect((await trend('trend nobody@contoso.com')).text).toContain('No user matches `nobody@contoso.com`');
    expect((await trend('trend 7d 30d')).text).toContain('trend takes one period at most');
    expect((await trend('trend alice bob')).text).toContain('trend takes one user');
    expect(fixture.harness.api.uploads().length).toBe(before);
  });

  it('refuses a non-admin and uploads nothing', async () => {
    const before = fixture.harness.api.uploads().length;
    const { text } = await trend('trend', OUTSIDER);
    expect(text).toContain('Sorry, /mfa answers only MFA administrators.');
    expect(text).not.toContain('satisfied');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fixture.harness.api.uploads().length).toBe(before);
  });

  it('is listed in /mfa help', async () => {
    const { text } = await trend('help');
    expect(text).toContain('`/mfa trend [period] [user]`');
    expect((await trend('help trend')).text).toContain('/mfa trend 14d alice@contoso.com');
  });
});
