// The demo tenant through the real ingest path: every outcome category lands, each fraud incident
// becomes one report with its three source records, and a second run adds nothing.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrubPhoneNumbers } from '../../src/ingest/scrub.js';
import { demoRiskDetections } from '../../src/seed/demo-tenant.js';
import { seedDemoTenant, type SeedSummary } from '../../src/seed/seed-store.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const TENANT = { users: 120, days: 14, seed: 9, now: new Date('2026-11-27T10:00:00Z') };
let store: TestStore;
let first: SeedSummary;

beforeAll(async () => {
  store = await openTestStore();
  first = await seedDemoTenant(store, TENANT);
});
afterAll(async () => {
  await store?.close();
});

describe('seedDemoTenant', () => {
  it('produces every MFA outcome, on-premises events and registration gaps', async () => {
    const outcomes = await store.rows<{ mfa_outcome: string }>(sql`select distinct mfa_outcome from signins order by 1`);
    expect(outcomes.map((o) => o.mfa_outcome)).toEqual(expect.arrayContaining(['denied', 'interrupted', 'not_required', 'satisfied']));
    const [onprem] = await store.rows<{ nps: number; adfs: number }>(
      sql`select count(*) filter (where onprem_component = 'nps')::int as nps, count(*) filter (where onprem_component = 'adfs')::int as adfs from signins`,
    );
    expect(onprem!.nps).toBeGreaterThan(0);
    expect(onprem!.adfs).toBeGreaterThan(0);
    const [reg] = await store.rows<{ unregistered: number; guests: number }>(
      sql`select count(*) filter (where not is_mfa_registered)::int as unregistered, count(*) filter (where user_type = 'guest')::int as guests from user_registrations`,
    );
    expect(reg!.unregistered).toBeGreaterThan(0);
    expect(reg!.guests).toBeGreaterThan(0);
  });

  it('makes one fraud report per incident, linked to its risk detection, audit entry and sign-in', async () => {
    const incidents = demoRiskDetections(TENANT).filter((d) => d.riskEventType === 'userReportedSuspiciousActivity').length;
    expect(incidents).toBeGreaterThan(0);
    const reports = await store.rows<{ id: number; kinds: string[] }>(sql`
      select r.id, array_agg(distinct s.source_kind order by s.source_kind) as kinds
      from fraud_reports r join fraud_report_sources s on s.fraud_report_id = r.id group by r.id`);
    expect(reports).toHaveLength(incidents);
    expect(first.fraudReports).toBe(incidents);
    for (const report of reports) expect(report.kinds).toEqual(['directory_audit', 'risk_detection', 'signin']);
  });

  it('phone numbers are stored scrubbed only', async () => {
    // The generator writes some numbers unscrubbed ("+1 425 555 0164"), as a careless export would.
    const details = await store.rows<{ detail: string }>(sql`
      select distinct mfa_auth_detail as detail from signins where mfa_auth_detail is not null
      union select distinct s->>'methodDetail' from signins, jsonb_array_elements(auth_steps) s where s->>'methodDetail' is not null`);
    expect(details.some((d) => d.detail.startsWith('+X XXXXXXXX'))).toBe(true);
    for (const { detail } of details) {
      expect(detail).not.toMatch(/\+\d/);
      expect(scrubPhoneNumbers(detail)).toBe(detail);
    }
  });

  it('adds nothing the second time', async () => {
    const second = await seedDemoTenant(store, TENANT);
    expect(second.signins).toEqual({ inserted: 0, updated: 0, unchanged: first.signins.inserted });
    expect(second).toMatchObject({ fraudReports: 0, riskDetections: 0, directoryAudits: 0, blockEvents: 0, bypassEvents: 0, servers: 0, onpremActivity: 0 });
  });
});
