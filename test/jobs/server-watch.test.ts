// Server watch: a host silent longer than SERVER_SILENT_MINUTES is posted once, and once more
// when it is heard from again; retired hosts and hosts never heard from are left alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOnpremActivity, writeServers } from '../../src/ingest/write-legacy.js';
import { watchServers } from '../../src/jobs/server-watch.js';
import { dedupeKeyOf, okPosts, startAlertRig, type AlertRig } from '../support/alert-rig.js';
import { replyText } from '../support/reply-text.js';
import { openTestStore, type TestStore } from '../support/test-store.js';
import { VirtualClock } from '../support/virtual-clock.js';

const CHANNEL = 'C0WATCH001';
const clock = new VirtualClock(Date.parse('2026-11-27T10:00:00Z'));
const ago = (minutes: number) => new Date(clock.now() - minutes * 60_000);
const options = { channel: CHANNEL, silentMinutes: 60, timeZone: 'UTC' };

let store: TestStore;
let rig: AlertRig;

beforeAll(async () => {
  store = await openTestStore();
  rig = await startAlertRig(store, clock);
  await writeServers(store, [
    { name: 'NPS-01', component: 'nps', state: 'Online', lastCommunicationAt: ago(2), source: 'test' },
    { name: 'NPS-02', component: 'nps', state: 'Online', lastCommunicationAt: ago(3 * 60 + 41), source: 'test' },
    { name: 'MFA-OLD', component: 'mfa_server', state: 'Retired', lastCommunicationAt: ago(400 * 24 * 60), source: 'test' },
    { name: 'ADFS-NEW', component: 'adfs', state: 'Online', lastCommunicationAt: null, source: 'test' },
    // Silent by its status row, but its activity report shows it working a minute ago.
    { name: 'MFA-01', component: 'mfa_server', state: 'Online', lastCommunicationAt: ago(5 * 60), source: 'test' },
  ]);
  await writeOnpremActivity(store, [{ dedupeKey: 'a1', occurredAt: ago(1), component: 'mfa_server', server: 'MFA-01', upn: 'x@contoso.com', callResult: 'SUCCESS_NO_PIN', succeeded: true, source: 'test' }]);
});

afterAll(async () => {
  await rig?.close();
  await store?.close();
});

describe('server watch', () => {
  it('posts a host that went silent once', async () => {
    expect(await watchServers(store, clock.date(), options)).toEqual({ silent: ['NPS-02'], back: [] });
    expect(await watchServers(store, clock.date(), options)).toEqual({ silent: [], back: [] });
    await rig.dispatcher().runOnce();
    const posts = okPosts(rig.api, CHANNEL);
    expect(posts.map(dedupeKeyOf)).toEqual([`server_silent:NPS-02:${ago(3 * 60 + 41).toISOString()}`]);
    expect(replyText(posts[0]!.body)).toBe(
      ':warning: On-premises MFA host NPS-02 (NPS extension) has been silent since 2026-11-27 06:19 (UTC), more than 60 minutes. Sign-ins that depend on it may be failing: check the server and its MFA service.',
    );
  });

  it('posts once when the host is heard from again', async () => {
    clock.advance(30 * 60_000);
    await writeServers(store, [{ name: 'NPS-02', component: 'nps', state: 'Online', lastCommunicationAt: ago(1), source: 'test' }]);
    expect(await watchServers(store, clock.date(), options)).toEqual({ silent: [], back: ['NPS-02'] });
    expect(await watchServers(store, clock.date(), options)).toEqual({ silent: [], back: [] });
    await rig.dispatcher().runOnce();
    const posts = okPosts(rig.api, CHANNEL);
    expect(posts).toHaveLength(2);
    expect(replyText(posts[1]!.body)).toBe(
      ':white_check_mark: On-premises MFA host NPS-02 (NPS extension) is reporting again (last heard from 2026-11-27 10:29 UTC) after being silent since 2026-11-27 06:19.',
    );
  });
});
