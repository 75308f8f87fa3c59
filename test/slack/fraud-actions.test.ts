// The buttons of a posted fraud alert card, pressed through signed block_actions requests into
// the real Bolt app: the card is redrawn in place, the press is recorded and audited, the thread
// hears about it, and only admins may press.
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fraudReports, queryAudit } from '../../db/schema.js';
import { createAlertDispatcher } from '../../src/alerts/alert-dispatcher.js';
import { FRAUD_ACK_ACTION, FRAUD_FALSE_POSITIVE_ACTION, FRAUD_SIGNINS_ACTION } from '../../src/alerts/alert-card.js';
import { createSlackPoster } from '../../src/alerts/slack-poster.js';
import { dedupeKeyOf, okPosts } from '../support/alert-rig.js';
import { ingest } from '../support/fraud-records.js';
import { replyText } from '../support/reply-text.js';
import { ADMIN, OUTSIDER, buttonsOf, startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';
import { VirtualClock } from '../support/virtual-clock.js';

const CHANNEL = 'C0FRAUDACT';
const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const incident = { upn: 'nina@contoso.com', at: new Date(NOW.getTime() - 10 * 60_000), correlationId: 'corr-nina', id: 'nina' };

let store: TestStore;
let harness: Harness;
let reportId: number;
let cardTs: string;

beforeAll(async () => {
  store = await openTestStore();
  harness = await startHarness({ store, now: () => NOW });
  reportId = (await ingest.signin(store, incident)).newFraudReportIds[0]!;
  await ingest.risk(store, incident);
  const dispatcher = createAlertDispatcher({
    store,
    poster: createSlackPoster({ token: 'xoxb-test-token', slackApiUrl: harness.api.apiUrl, clock: { now: () => Date.now(), sleep: async () => {} }, logger: harness.slack.app.logger }),
    logger: harness.slack.app.logger,
    instanceId: 'actions-test',
    alertChannel: CHANNEL,
    timeZone: 'UTC',
    threadWindowMs: 86_400_000,
    maxAgeMs: 72 * 3_600_000,
    escalation: { minutes: 30, mention: undefined },
  });
  await dispatcher.runOnce();
  const [report] = await store.db.select().from(fraudReports).where(eq(fraudReports.id, reportId));
  cardTs = report!.slackTs!;
});

afterAll(async () => {
  await harness?.close();
  await store?.close();
});

const card = () => harness.api.messages(CHANNEL).find((m) => m.ts === cardTs) as { blocks?: unknown[]; text?: string };
const threadReplies = () => harness.api.messages(CHANNEL).filter((m) => m.thread_ts === cardTs && m.ts !== cardTs);
const row = async () => (await store.db.select().from(fraudReports).where(eq(fraudReports.id, reportId)))[0]!;
const lastAudit = async () => (await store.db.select().from(queryAudit).orderBy(desc(queryAudit.id)).limit(1))[0]!;

/** Presses a card button and waits until the app has redrawn the card and written the thread. */
async function pressOnCard(actionId: string, user = ADMIN) {
  const updatesBefore = harness.api.callsTo('chat.update').length;
  const button = buttonsOf(card()).find((b) => b.action_id === actionId);
  expect(button, `button ${actionId} on the card`).toBeDefined();
  const result = await harness.press(button!, { user, channel: CHANNEL, messageTs: cardTs, awaitResponse: false });
  expect(result.status).toBe(200);
  await harness.api.waitFor((call) => call.method === 'chat.update' && harness.api.callsTo('chat.update').length > updatesBefore, 5000);
}

describe('fraud alert buttons', () => {
  it('posted the card with the three buttons', () => {
    expect(okPosts(harness.api, CHANNEL).map(dedupeKeyOf)).toHaveLength(1);
    const text = replyText(card());
    expect(text).toContain('Fraud reported by nina@contoso.com');
    expect(text).toContain('App\nOffice 365 Exchange Online');
    expect(text).toContain('Method\nMobile app notification');
    expect(text).toContain('Denied: the user reported the prompt as fraud');
    expect(buttonsOf(card()).map((b) => b.text)).toEqual(['Acknowledge', 'False positive', 'Show sign-ins']);
  });

  it('refuses a non-admin and changes nothing', async () => {
    const button = buttonsOf(card()).find((b) => b.action_id === FRAUD_ACK_ACTION)!;
    const { response } = await harness.press(button, { user: OUTSIDER, channel: CHANNEL, messageTs: cardTs });
    expect(response?.text).toContain('Only MFA administrators can act on fraud alerts.');
    expect(response?.response_type).toBe('ephemeral');
    expect(await row()).toMatchObject({ status: 'new', actedBy: null, actedAt: null });
    expect(harness.api.callsTo('chat.update')).toHaveLength(0);
    expect(await lastAudit()).toMatchObject({ actor: OUTSIDER, allowed: false, outcome: 'refused', commandText: `[fraud alert #${reportId}: acknowledge]` });
  });

  it('shows the user\'s recent sign-ins to the admin who pressed', async () => {
    const button = buttonsOf(card()).find((b) => b.action_id === FRAUD_SIGNINS_ACTION)!;
    const { response } = await harness.press(button, { channel: CHANNEL, messageTs: cardTs });
    expect(response?.response_type).toBe('ephemeral');
    const text = replyText(response);
    expect(text).toContain('Recent sign-ins of nina@contoso.com');
    expect(text).toContain('Office 365 Exchange Online · Denied: the user reported the prompt as fraud · Mobile app notification · 203.0.113.10 (Seattle, US)');
    expect(await lastAudit()).toMatchObject({ actor: ADMIN, allowed: true, outcome: 'answered', rowCount: 1 });
  });

  it('acknowledges: records who and when, redraws the card in place, replies in the thread', async () => {
    await pressOnCard(FRAUD_ACK_ACTION);
    expect(await row()).toMatchObject({ status: 'acknowledged', actedBy: ADMIN, actedAt: NOW });
    const text = replyText(card());
    expect(text).toContain(`Acknowledged by <@${ADMIN}> at ${NOW.toISOString().slice(0, 16).replace('T', ' ')} (UTC)`);
    expect(buttonsOf(card()).map((b) => b.text)).toEqual(['False positive', 'Show sign-ins']);
    await harness.api.waitFor((call) => call.method === 'chat.postMessage' && call.body.thread_ts === cardTs, 5000);
    expect(threadReplies().map((m) => m.text)).toEqual([`<@${ADMIN}> acknowledged this alert (#${reportId}, nina@contoso.com) at ${NOW.toISOString().slice(0, 16).replace('T', ' ')} (UTC).`]);
    expect(await lastAudit()).toMatchObject({ actor: ADMIN, allowed: true, outcome: 'answered', commandText: `[fraud alert #${reportId}: acknowledge]` });
  });

  it('can then mark it a false positive, which is final', async () => {
    await pressOnCard(FRAUD_FALSE_POSITIVE_ACTION);
    expect(await row()).toMatchObject({ status: 'false_positive', actedBy: ADMIN });
    expect(replyText(card())).toContain(`Marked a false positive by <@${ADMIN}>`);
    expect(buttonsOf(card()).map((b) => b.text)).toEqual(['Show sign-ins']);
    await harness.api.waitFor(() => threadReplies().length === 2, 5000);
    expect(threadReplies()[1]!.text).toContain('marked this alert a false positive');
  });
});

describe('an escalated alert', () => {
  it('can be acknowledged from its re-post in the thread; both copies are redrawn', async () => {
    const clock = new VirtualClock(NOW.getTime());
    const omar = { upn: 'omar@contoso.com', at: new Date(NOW.getTime() - 5 * 60_000), correlationId: 'corr-omar', id: 'omar' };
    const id = (await ingest.risk(store, omar)).newFraudReportIds[0]!;
    const dispatcher = createAlertDispatcher({
      store,
      poster: createSlackPoster({ token: 'xoxb-test-token', slackApiUrl: harness.api.apiUrl, clock, logger: harness.slack.app.logger }),
      logger: harness.slack.app.logger,
      instanceId: 'escalation-test',
      alertChannel: CHANNEL,
      timeZone: 'UTC',
      threadWindowMs: 86_400_000,
      maxAgeMs: 72 * 3_600_000,
      escalation: { minutes: 30, mention: 'U0ONCALL01' },
      clock,
    });
    await dispatcher.runOnce();
    clock.advance(31 * 60_000);
    expect(await dispatcher.escalateDue()).toBe(1);
    await dispatcher.runOnce();

    const [alert] = await store.db.select().from(fraudReports).where(eq(fraudReports.id, id));
    const repost = harness.api.messages(CHANNEL).find((m) => m.thread_ts === alert!.slackTs && m.ts !== alert!.slackTs) as { ts: string; blocks?: unknown[] };
    expect(replyText(repost)).toContain('<@U0ONCALL01> Nobody has acknowledged this alert within 30 minutes');
    expect(alert!.status).toBe('escalated');

    const button = buttonsOf(repost).find((b) => b.action_id === FRAUD_ACK_ACTION)!;
    const updates = harness.api.callsTo('chat.update').length;
    await harness.press(button, { channel: CHANNEL, messageTs: repost.ts, awaitResponse: false });
    await harness.api.waitFor(() => harness.api.callsTo('chat.update').length >= updates + 2, 5000);

    const [after] = await store.db.select().from(fraudReports).where(eq(fraudReports.id, id));
    expect(after).toMatchObject({ status: 'acknowledged', actedBy: ADMIN });
    for (const ts of [alert!.slackTs!, repost.ts]) {
      const message = harness.api.messages(CHANNEL).find((m) => m.ts === ts) as { blocks?: unknown[] };
      expect(replyText(message)).toContain(`Acknowledged by <@${ADMIN}>`);
      expect(replyText(message)).not.toContain('Nobody has acknowledged');
    }
  });
});
