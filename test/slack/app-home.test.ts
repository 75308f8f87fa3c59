// The Home tab through signed Events API requests (app_home_opened) into the Bolt HTTP receiver:
// an admin's Home (today's numbers, open fraud alerts with working buttons, on-premises hosts,
// registration coverage; at most 100 blocks however many alerts are open), a non-admin's
// explainer, the Messages tab left alone, and every render audited.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAUD_ACK_ACTION, FRAUD_FALSE_POSITIVE_ACTION, FRAUD_SIGNINS_ACTION } from '../../src/alerts/alert-card.js';
import type { GraphRegistration } from '../../src/ingest/graph-registration.js';
import { ingestRegistrations } from '../../src/ingest/ingest-records.js';
import { writeServers } from '../../src/ingest/write-legacy.js';
import type { SlackCall } from '../../src/simulator/local-slack-api.js';
import { blockActionsBody, eventCallbackBody, postSignedToSlackApp } from '../../src/slack/sign-request.js';
import { recordReport } from '../support/fraud-records.js';
import { loadSignins, type SigninSpec } from '../support/graph-records.js';
import { replyText } from '../support/reply-text.js';
import { ADMIN, buttonsOf, OUTSIDER, SIGNING_SECRET, startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const NOW = new Date('2026-11-27T12:30:00Z');
const push = (succeeded: boolean, detail: string) => ({ method: 'Mobile app notification', succeeded, detail });
// Today (UTC): 5 sign-ins, 4 required MFA: 3 satisfied, 1 denied. Yesterday's do not count.
const SIGNINS: SigninSpec[] = [
  { id: 't1', at: '2026-11-27T08:00:00Z', upn: 'olga@contoso.com', mfa: push(true, 'MFA successfully completed') },
  { id: 't2', at: '2026-11-27T09:00:00Z', upn: 'olga@contoso.com', mfa: push(true, 'MFA successfully completed') },
  { id: 't3', at: '2026-11-27T10:00:00Z', upn: 'sam@contoso.com', mfa: push(true, 'MFA successfully completed') },
  { id: 't4', at: '2026-11-27T11:00:00Z', upn: 'pete@contoso.com', errorCode: 500121, mfa: push(false, 'MFA denied; user declined the authentication') },
  { id: 't5', at: '2026-11-27T11:30:00Z', upn: 'pete@contoso.com', mfaRequired: false },
  { id: 'y1', at: '2026-11-26T11:30:00Z', upn: 'pete@contoso.com', mfa: push(true, 'MFA successfully completed') },
];

const registration = (upn: string, registered: boolean): GraphRegistration =>
  ({ id: `id-${upn}`, userPrincipalName: upn, userType: 'member', isMfaRegistered: registered, isMfaCapable: registered, methodsRegistered: registered ? ['microsoftAuthenticatorPush'] : [], lastUpdatedDateTime: '2026-11-20T08:00:00Z' }) as GraphRegistration;

let store: TestStore;
let harness: Harness;
let alertIds: number[];

beforeAll(async () => {
  store = await openTestStore();
  await loadSignins(store, SIGNINS);
  await ingestRegistrations(store, [registration('olga@contoso.com', true), registration('sam@contoso.com', true), registration('pete@contoso.com', false)], 'graph');
  await writeServers(store, [
    { name: 'NPS-01', component: 'nps', version: '1.2', state: 'Online', ipAddress: '10.0.0.5', lastCommunicationAt: new Date('2026-11-27T12:20:00Z'), source: 'test' },
    { name: 'ADFS-02', component: 'adfs', version: '3.0', state: 'Online', ipAddress: '10.0.0.9', lastCommunicationAt: new Date('2026-11-27T08:00:00Z'), source: 'test' },
  ]);
  // Two open alerts (newest first on the Home tab) and one already acknowledged.
  alertIds = [
    await recordReport(store, { upn: 'pete@contoso.com', at: new Date('2026-11-27T11:00:30Z'), correlationId: 'corr-pete', id: 'pete' }),
    await recordReport(store, { upn: 'sam@contoso.com', at: new Date('2026-11-27T10:30:00Z'), correlationId: 'corr-sam', id: 'sam' }),
    await recordReport(store, { upn: 'olga@contoso.com', at: new Date('2026-11-26T10:30:00Z'), correlationId: 'corr-olga', id: 'olga' }),
  ];
  await store.rows(sql`UPDATE "fraud_reports" SET "status" = 'acknowledged' WHERE "id" = ${alertIds[2]!}`);
  harness = await startHarness({ store, now: () => NOW });
});
afterAll(async () => {
  await harness?.close();
  await store?.close();
});

/** Opens a tab as `user` (a signed app_home_opened event) and returns the views.publish it caused. */
async function openHome(user: string, tab = 'home'): Promise<{ status: number; publish: SlackCall | null }> {
  const before = new Set(harness.api.calls);
  const body = eventCallbackBody({ type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab });
  const result = await postSignedToSlackApp(harness.url, SIGNING_SECRET, body, { contentType: 'application/json' });
  if (tab !== 'home') {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { status: result.status, publish: harness.api.calls.find((c) => !before.has(c) && c.method === 'views.publish') ?? null };
  }
  const publish = await harness.api.waitFor((c) => !before.has(c) && c.method === 'views.publish' && c.body.user_id === user);
  return { status: result.status, publish };
}

const viewOf = (call: SlackCall | null) => call!.body.view as { type: string; blocks: unknown[] };

/** Presses a button on the Home tab (a block_actions payload from a view: no response_url). */
async function pressOnHome(button: { action_id: string; value?: string; block_id?: string }, user = ADMIN) {
  const payload = {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), team_id: harness.api.teamId },
    api_app_id: harness.api.appId,
    token: 'simulated-verification-token',
    team: { id: harness.api.teamId, domain: harness.api.teamDomain },
    container: { type: 'view', view_id: 'V0HOME0001' },
    view: { id: 'V0HOME0001', type: 'home', team_id: harness.api.teamId, blocks: [], callback_id: '', hash: '1.V0HOME0001' },
    trigger_id: `${Date.now()}.trigger`,
    actions: [{ type: 'button', action_id: button.action_id, block_id: button.block_id ?? 'home', value: button.value, action_ts: `${Date.now() / 1000}` }],
  };
  return postSignedToSlackApp(harness.url, SIGNING_SECRET, blockActionsBody(payload));
}

describe('the App Home tab', () => {
  it("publishes an admin's Home with today's numbers, open alerts, hosts and registration coverage", async () => {
    const { status, publish } = await openHome(ADMIN);
    expect(status).toBe(200);
    const view = viewOf(publish);
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = replyText(view);
    expect(text).toContain('Today in MFA (UTC)');
    expect(text).toContain('5 sign-ins today; 4 (80%) required MFA.');
    expect(text).toContain('Satisfied\n3 (75%)');
    expect(text).toContain('Denied\n1 (25%)');
    expect(text).toContain('Interrupted\n0 (0%)');
    expect(text).toContain('Users who could not complete MFA\n1 of 3 challenged');
    expect(text).toContain('Open fraud alerts: 2');
    expect(text).toMatch(/Fraud reported by pete@contoso\.com at 2026-11-27 11:00[\s\S]*Fraud reported by sam@contoso\.com at 2026-11-27 10:30/);
    expect(text).not.toContain('olga@contoso.com at 2026-11-26');
    expect(text).toContain('2 hosts: 1 NPS, 1 AD FS, 0 MFA Servers · :warning: 1 silent');
    expect(text).toContain('ADFS-02');
    expect(text).toContain('2 (66.7%) of 3 members registered for MFA; 1 not registered');
    expect(text).toContain('Refreshed 2026-11-27 12:30 (UTC)');

    const buttons = buttonsOf(view);
    expect(buttons.filter((b) => b.value === String(alertIds[0])).map((b) => b.action_id)).toEqual([FRAUD_ACK_ACTION, FRAUD_FALSE_POSITIVE_ACTION, FRAUD_SIGNINS_ACTION]);
    expect(buttons.filter((b) => b.value === String(alertIds[1]))).toHaveLength(3);
  });

  it('acts on an alert from the Home tab exactly as on its card, and redraws the Home tab', async () => {
    const { publish } = await openHome(ADMIN);
    const ack = buttonsOf(viewOf(publish)).find((b) => b.action_id === FRAUD_ACK_ACTION && b.value === String(alertIds[1]))!;
    const before = new Set(harness.api.calls);
    const pressed = await pressOnHome(ack);
    expect(pressed.status).toBe(200);
    const redrawn = await harness.api.waitFor((c) => !before.has(c) && c.method === 'views.publish' && c.body.user_id === ADMIN);
    const [row] = await store.rows<{ status: string; acted_by: string }>(sql`SELECT "status", "acted_by" FROM "fraud_reports" WHERE "id" = ${alertIds[1]!}`);
    expect(row).toEqual({ status: 'acknowledged', acted_by: ADMIN });
    const text = replyText(viewOf(redrawn));
    expect(text).toContain('Open fraud alerts: 1');
    expect(text).not.toContain('Fraud reported by sam@contoso.com');

    // Show sign-ins answers in a modal: a Home tab has no response_url.
    const opened = harness.api.waitFor((c) => !before.has(c) && c.method === 'views.open');
    const show = buttonsOf(viewOf(redrawn)).find((b) => b.action_id === FRAUD_SIGNINS_ACTION)!;
    await pressOnHome(show);
    const modal = (await opened).body.view as { type: string; blocks: unknown[] };
    expect(modal.type).toBe('modal');
    expect(replyText(modal)).toContain('pete@contoso.com');
  });

  it('keeps an admin Home within 100 blocks however many alerts are open, and counts the rest', async () => {
    for (let i = 0; i < 60; i += 1) {
      await recordReport(store, { upn: `user${i}@contoso.com`, at: new Date(Date.parse('2026-11-27T06:00:00Z') + i * 60_000), correlationId: `corr-many-${i}`, id: `many-${i}` });
    }
    const view = viewOf((await openHome(ADMIN)).publish);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = replyText(view);
    expect(text).toContain('Open fraud alerts: 61');
    expect(text).toContain('…and 41 more open alerts: `/mfa fraud 30d` lists them all.');
    expect(buttonsOf(view).filter((b) => b.action_id === FRAUD_ACK_ACTION)).toHaveLength(20);
    // The hosts and registration still show below the alerts.
    expect(text).toContain('Registration coverage');
  });

  it('shows a non-admin what the bot is and whom to ask, with no data', async () => {
    const view = viewOf((await openHome(OUTSIDER)).publish);
    const text = replyText(view);
    expect(text).toContain('mfa-bot');
    expect(text).toContain('I answer Entra ID administrators’ questions about multi-factor authentication');
    expect(text).toContain(`Ask <@${ADMIN}> if you need an answer, or to be added as an MFA administrator.`);
    expect(text).not.toMatch(/sign-ins today|Open fraud alerts|pete@contoso\.com/);
    expect(buttonsOf(view)).toHaveLength(0);
  });

  it('leaves the Messages tab alone', async () => {
    expect((await openHome(ADMIN, 'messages')).publish).toBeNull();
  });

  it('audits every Home render like a query', async () => {
    const rows = await store.rows<{ actor: string; allowed: boolean; outcome: string; row_count: number | null }>(
      sql`SELECT "actor", "allowed", "outcome", "row_count" FROM "query_audit" WHERE "command_text" = '[app home]' ORDER BY "id"`,
    );
    expect(rows.filter((r) => r.actor === ADMIN).every((r) => r.allowed && r.outcome === 'answered' && r.row_count === 5)).toBe(true);
    expect(rows.filter((r) => r.actor === ADMIN).length).toBeGreaterThanOrEqual(4);
    expect(rows.filter((r) => r.actor === OUTSIDER)).toEqual([{ actor: OUTSIDER, allowed: false, outcome: 'refused', row_count: null }]);
  });
});
