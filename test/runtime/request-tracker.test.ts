// The request tracker sees a /mfa request until its listener is done, past the acknowledgement:
// the chart uploaded after the reply keeps it in flight, and drain() waits for it, or says it
// could not within its time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackRequests } from '../../src/runtime/request-tracker.js';
import { startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

let store: TestStore;
let h: Harness;
beforeAll(async () => {
  store = await openTestStore();
  h = await startHarness({ store });
});
afterAll(async () => {
  await h?.close();
  await store?.close();
});

describe('trackRequests', () => {
  it('keeps a request in flight until its upload after the reply is done; drain waits for it or gives up at its limit', async () => {
    const requests = trackRequests(h.slack.app);
    const upload = h.api.holdNext('files.getUploadURLExternal');
    const reply = await h.command('trend 7d');
    expect(reply.status).toBe(200);
    expect(reply.reply?.text).toMatch(/^MFA outcomes: the last 7 days/);
    await upload.arrived;
    expect(requests.inFlight).toBe(1);
    expect(await requests.drain(50)).toBe(false);

    upload.release();
    expect(await requests.drain(10_000)).toBe(true);
    expect(requests.inFlight).toBe(0);
    expect(h.api.calls.filter((c) => c.method === 'files.completeUploadExternal').map((c) => c.response)).toEqual([expect.objectContaining({ ok: true })]);
  });
});
