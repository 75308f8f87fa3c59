// All four sources in one run against the fake Graph, on a real store: what lands where, which
// fraud reports are new, the documented pacing over the whole run, and an idempotent re-run.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphDateTime } from '../../src/graph/graph-links.js';
import { demoDirectoryAudits, demoRegistrationDetails, demoRiskDetections, demoSignins } from '../../src/seed/demo-tenant.js';
import type { SyncSummary } from '../../src/sync/run-sync.js';
import { graphSignin } from '../support/graph-records.js';
import { cursorRow, NOW, sourceOf, startSyncHarness, type SyncHarness } from './sync-harness.js';

const TENANT = { users: 40, days: 10, seed: 11, now: NOW };
const SIGNINS = Array.from(demoSignins(TENANT));
const REGISTRATIONS = demoRegistrationDetails(TENANT);
const RISKS = demoRiskDetections(TENANT);
const AUDITS = demoDirectoryAudits(TENANT);

// A fraud report the way Entra logs it today (graph-data.md §7): a risk detection and an audit
// entry with the same correlation id; the tenant blocks the user on fraud.
const CORRELATION = '6f1a2b3c-0000-4000-8000-00000000f001';
const FRAUD_RISK = {
  id: 'risk-hand-1',
  riskEventType: 'userReportedSuspiciousActivity',
  riskLevel: 'high',
  riskState: 'atRisk',
  source: 'EndUserReported',
  userId: 'user-megan',
  userPrincipalName: 'MeganB@contoso.com',
  correlationId: CORRELATION,
  activityDateTime: '2026-03-04T07:58:00Z',
  detectedDateTime: '2026-03-04T08:05:00Z',
};
const OTHER_RISK = { ...FRAUD_RISK, id: 'risk-hand-2', riskEventType: 'unlikelyTravel', correlationId: null };
const FRAUD_AUDIT = {
  id: 'audit-hand-1',
  category: 'UserManagement',
  correlationId: CORRELATION,
  result: 'success',
  resultReason: 'Successfully reported fraud',
  activityDisplayName: 'Fraud reported - user is blocked for MFA',
  activityDateTime: '2026-03-04T07:58:30Z',
  loggedByService: 'MFA',
  initiatedBy: { user: { id: 'user-megan', userPrincipalName: 'MeganB@contoso.com' }, app: null },
  targetResources: [{ id: 'user-megan', userPrincipalName: 'MeganB@contoso.com', type: 'User' }],
};
// An NPS extension event that only says so through an evolvable enum member.
const NPS_SIGNIN = { ...graphSignin({ id: 'nps-1', at: '2026-03-04T06:00:00Z', upn: 'radius.user@contoso.com', resourceId: 'some-resource' }), tokenIssuerType: 'NPSExtension' };

const isFraudAudit = (activity: string) => activity === 'Suspicious activity reported' || activity.startsWith('Fraud reported');

let h: SyncHarness;
let first: SyncSummary;

beforeAll(async () => {
  h = await startSyncHarness({ pageSize: { signIns: 200, riskDetections: 2, directoryAudits: 4, registrations: 15 } });
  h.graph.load('signIns', [...SIGNINS, NPS_SIGNIN]);
  h.graph.load('registrations', REGISTRATIONS);
  h.graph.load('riskDetections', [...RISKS, FRAUD_RISK, OTHER_RISK]);
  h.graph.load('directoryAudits', [...AUDITS, FRAUD_AUDIT]);
  first = await h.sync();
});
afterAll(async () => {
  await h?.close();
});

async function count(table: string): Promise<number> {
  const [row] = await h.store.rows<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(table)}`);
  return row!.n;
}

describe('runSync', () => {
  it('pulls every source and stores each record once', async () => {
    expect(first.ok).toBe(true);
    expect(first.sources.map((s) => [s.source, s.outcome])).toEqual([
      ['signins', 'ok'],
      ['registrations', 'ok'],
      ['risk_detections', 'ok'],
      ['directory_audits', 'ok'],
    ]);
    expect(sourceOf(first, 'signins')).toMatchObject({ inserted: SIGNINS.length + 1, pages: Math.ceil((SIGNINS.length + 1) / 200) });
    expect(sourceOf(first, 'registrations')).toMatchObject({ inserted: 40, pages: 3, from: null });
    expect(await count('signins')).toBe(SIGNINS.length + 1);
    expect(await count('user_registrations')).toBe(40);
  });

  it('asks Identity Protection only for user-reported suspicious activity', async () => {
    const reported = RISKS.filter((r) => r.riskEventType === 'userReportedSuspiciousActivity').length + 1;
    expect(sourceOf(first, 'risk_detections')).toMatchObject({ inserted: reported, received: reported, pages: Math.ceil(reported / 2) });
    // 30 days back from when the source started (the virtual clock moved while earlier sources were paced).
    const from = sourceOf(first, 'risk_detections').from!;
    expect(NOW.getTime() - 30 * 86_400_000 - from.getTime()).toBeLessThanOrEqual(0);
    expect(h.graph.graphRequests('riskDetections')[0]!.filter).toBe(`riskEventType eq 'userReportedSuspiciousActivity' and detectedDateTime ge ${graphDateTime(from)}`);
    expect(h.graph.graphRequests('riskDetections')[0]!.top).toBe(500);
    const rows = await h.store.rows<{ id: string }>(sql`select id from risk_detections where risk_event_type <> 'userReportedSuspiciousActivity'`);
    expect(rows).toEqual([]);
  });

  it('keeps only the fraud audit entries, counting the rest as ignored', async () => {
    const fraud = AUDITS.filter((a) => isFraudAudit(a.activityDisplayName)).length + 1;
    expect(sourceOf(first, 'directory_audits')).toMatchObject({ inserted: fraud, ignored: AUDITS.length + 1 - fraud });
    expect(h.graph.graphRequests('directoryAudits')[0]!.filter).toBe(`activityDateTime ge ${graphDateTime(sourceOf(first, 'directory_audits').from!)}`);
    expect(await count('directory_audits')).toBe(fraud);
  });

  it('returns the fraud reports it created, one per incident, and records the automatic block', async () => {
    const ids = await h.store.rows<{ id: number }>(sql`select id from fraud_reports order by id`);
    expect(first.newFraudReportIds.sort((a, b) => a - b)).toEqual(ids.map((r) => r.id));
    expect(first.newFraudReportIds.length).toBeGreaterThan(1);
    const megan = await h.store.rows<{ id: number }>(sql`select id from fraud_reports where upn = 'meganb@contoso.com'`);
    expect(megan).toHaveLength(1);
    const [block] = await h.store.rows<{ action: string }>(sql`select action from mfa_block_events where dedupe_key = 'audit:audit-hand-1'`);
    expect(block?.action).toBe('block');
  });

  it('sends the Prefer header, so NPS extension sign-ins are recognised', async () => {
    const [row] = await h.store.rows<{ onprem_component: string; token_issuer_type: string }>(sql`select onprem_component, token_issuer_type from signins where id = 'nps-1'`);
    expect(row).toEqual({ onprem_component: 'nps', token_issuer_type: 'NPSExtension' });
  });

  it('paces the whole run within the documented limits (real policy, virtual clock)', () => {
    const reporting = h.graph.requests.filter((r) => r.collection === 'signIns' || r.collection === 'registrations' || r.collection === 'directoryAudits').map((r) => r.at);
    expect(reporting.length).toBeGreaterThan(5);
    for (let i = 5; i < reporting.length; i++) expect(reporting[i]! - reporting[i - 5]!).toBeGreaterThanOrEqual(10_000);
    const risk = h.graph.graphRequests('riskDetections').map((r) => r.at);
    expect(risk.length).toBeGreaterThan(1);
    for (let i = 1; i < risk.length; i++) expect(risk[i]! - risk[i - 1]!).toBeGreaterThanOrEqual(1_000);
  });

  it('records each source in sync_cursors', async () => {
    expect(await cursorRow(h.store, 'signins')).toMatchObject({ last_run_outcome: expect.stringMatching(/^ok: /), resume_link: null });
    expect((await cursorRow(h.store, 'risk_detections'))!.cursor_at).toEqual(new Date(FRAUD_RISK.detectedDateTime));
    expect(await cursorRow(h.store, 'registrations')).toMatchObject({ last_run_outcome: expect.stringMatching(/^ok: /), cursor_at: null });
  });

  it('changes nothing on a second run and reports no new fraud', async () => {
    const before = await Promise.all(['signins', 'user_registrations', 'risk_detections', 'directory_audits', 'fraud_reports', 'mfa_block_events'].map(count));
    const again = await h.sync();
    expect(again.ok).toBe(true);
    expect(again.newFraudReportIds).toEqual([]);
    for (const s of again.sources) expect([s.source, s.inserted, s.updated]).toEqual([s.source, 0, 0]);
    const after = await Promise.all(['signins', 'user_registrations', 'risk_detections', 'directory_audits', 'fraud_reports', 'mfa_block_events'].map(count));
    expect(after).toEqual(before);
  });

  it('carries on with the other sources when one fails', async () => {
    h.graph.fail({ collection: 'riskDetections', status: 403, code: 'Forbidden', message: 'Insufficient privileges.' });
    const summary = await h.sync();
    expect(summary.ok).toBe(false);
    expect(summary.sources.map((s) => s.outcome)).toEqual(['ok', 'ok', 'failed', 'ok']);
    expect(sourceOf(summary, 'risk_detections').error).toContain('IdentityRiskEvent.Read.All');
    expect((await cursorRow(h.store, 'risk_detections'))!.last_run_outcome).toMatch(/^failed: /);
  });
});
