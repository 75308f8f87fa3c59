// The MFA fatigue scan over the store: a push-bombing run of sign-ins becomes one `mfa_fatigue`
// report, later prompts of the same run join it instead of raising a second alert, and the alert
// card says what happened.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fraudReports, fraudReportSources } from '../../db/schema.js';
import { scanMfaFatigue } from '../../src/jobs/mfa-fatigue-scan.js';
import { STORE_CHANGED_CHANNEL } from '../../src/slack/answer-cache.js';
import { ALERT_CHANNEL, okPosts, startAlertRig, type AlertRig } from '../support/alert-rig.js';
import { loadSignins, type SigninSpec } from '../support/graph-records.js';
import { replyText } from '../support/reply-text.js';
import { openTestStore, type TestStore } from '../support/test-store.js';
import { until } from '../support/until.js';
import { VirtualClock } from '../support/virtual-clock.js';

const clock = new VirtualClock();
const policy = { prompts: 5, minutes: 10 };
const minutesAgo = (m: number) => new Date(clock.now() - m * 60_000);
const noResponse = { method: 'Mobile app notification', succeeded: false, detail: 'MFA denied; user did not respond to mobile app notification' };
const declined = { method: 'Mobile app notification', succeeded: false, detail: 'MFA denied; user declined the authentication' };
const bomb = (upn: string, id: string, minute: number, mfa = noResponse): SigninSpec => ({ id, at: minutesAgo(minute), upn, errorCode: 500121, app: 'Azure Portal', mfa });

let store: TestStore;
let rig: AlertRig;

beforeAll(async () => {
  store = await openTestStore();
  rig = await startAlertRig(store, clock);
});
afterAll(async () => {
  await rig?.close();
  await store?.close();
});

const fatigueReports = () => store.db.select().from(fraudReports).where(eq(fraudReports.kind, 'mfa_fatigue'));

describe('MFA fatigue scan', () => {
  it('raises one report for a run of unanswered and declined prompts, not for fewer', async () => {
    await loadSignins(store, [
      ...[30, 29, 28, 27, 26].map((m, i) => bomb('uma@contoso.com', `uma-${i}`, m, i === 4 ? declined : noResponse)),
      ...[30, 29, 28, 27].map((m, i) => bomb('vic@contoso.com', `vic-${i}`, m)),
    ]);
    const first = await scanMfaFatigue(store, clock.date(), policy);
    expect(first.newReportIds).toHaveLength(1);
    const [report] = await fatigueReports();
    expect(report).toMatchObject({ upn: 'uma@contoso.com', reportedAt: minutesAgo(30), mfaMethod: 'Mobile app notification', appDisplayName: 'Azure Portal' });
    expect(report!.dedupeKey).toBe(`mfa_fatigue:uma@contoso.com:${minutesAgo(30).toISOString()}`);
  });

  it('adds later prompts of the same attack to its report', async () => {
    await loadSignins(store, [bomb('uma@contoso.com', 'uma-5', 24), bomb('uma@contoso.com', 'uma-6', 20)]);
    const again = await scanMfaFatigue(store, clock.date(), policy);
    expect(again).toEqual({ newReportIds: [], linked: 2 });
    const [report] = await fatigueReports();
    const sources = await store.db.select().from(fraudReportSources).where(eq(fraudReportSources.fraudReportId, report!.id));
    expect(sources).toHaveLength(7);
    expect(await scanMfaFatigue(store, clock.date(), policy)).toEqual({ newReportIds: [], linked: 0 });
  });

  it('writes nothing when it finds nothing new, so the bots keep the answers they worked out', async () => {
    const heard: string[] = [];
    const unlisten = await store.listen(STORE_CHANGED_CHANNEL, (payload) => heard.push(payload));
    try {
      expect(await scanMfaFatigue(store, clock.date(), policy)).toEqual({ newReportIds: [], linked: 0 });
      // Notifications arrive in commit order: once this marker is heard, a write by the scan would have been too.
      await store.db.execute(sql`select pg_notify(${STORE_CHANGED_CHANNEL}, 'marker')`);
      expect(await until(() => heard.includes('marker'), 5000)).toBe(true);
      expect(heard).toEqual(['marker']);
    } finally {
      await unlisten();
    }
  });

  it('posts the attack as an alert card of its own kind', async () => {
    await rig.dispatcher().runOnce();
    const [post] = okPosts(rig.api, ALERT_CHANNEL);
    const text = replyText(post!.body);
    expect(text).toContain('Possible MFA fatigue attack on uma@contoso.com');
    expect(text).toContain('got 7 push prompts they did not approve within 10 minutes');
    expect(text).toContain('6 unanswered, 1 declined');
    expect(text).toContain('Reported via\n7 push prompts');
    expect(text).toContain('App\nAzure Portal');
    const [row] = await store.rows<{ alert_state: string }>(sql`SELECT alert_state FROM fraud_reports WHERE kind = 'mfa_fatigue'`);
    expect(row!.alert_state).toBe('posted');
  });
});
