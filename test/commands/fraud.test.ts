// /mfa fraud through signed requests. Fraud records go through the production ingest path (risk
// detections, directory audits, sign-ins), so they are linked into reports exactly as a sync would
// link them; handled and posted alerts are written as rows, as the alert dispatcher would leave them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fraudReports } from '../../db/schema.js';
import type { GraphDirectoryAudit } from '../../src/ingest/graph-directory-audit.js';
import type { GraphRiskDetection } from '../../src/ingest/graph-risk-detection.js';
import { graphSignInSchema } from '../../src/ingest/graph-signin.js';
import { ingestDirectoryAudits, ingestRiskDetections, ingestSignins } from '../../src/ingest/ingest-records.js';
import { graphSignin } from '../support/graph-records.js';
import { replyText } from '../support/reply-text.js';
import { buttonsOf, startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const NOW = new Date('2026-11-27T12:30:00Z');
const ago = (hours: number, minutes = 0) => new Date(NOW.getTime() - hours * 3_600_000 + minutes * 60_000);
const iso = (d: Date) => d.toISOString();

// bob: one incident seen three ways (risk detection, audit entry, denied sign-in), one correlation id.
// carol: an audit entry only. dave: ten days ago (outside 7d, inside 30d).
const RISK: GraphRiskDetection[] = [
  {
    id: 'risk-bob',
    riskEventType: 'userReportedSuspiciousActivity',
    riskLevel: 'high',
    riskState: 'atRisk',
    source: 'EndUserReported',
    userId: 'id-bob@contoso.com',
    userPrincipalName: 'Bob@contoso.com',
    ipAddress: '198.51.100.7',
    location: { city: 'Lagos', countryOrRegion: 'NG' },
    correlationId: 'corr-bob',
    activityDateTime: iso(ago(26)),
    detectedDateTime: iso(ago(26, 30)),
  },
  // Not a fraud report: never becomes an alert.
  {
    id: 'risk-other',
    riskEventType: 'unfamiliarFeatures',
    userPrincipalName: 'zoe@contoso.com',
    detectedDateTime: iso(ago(3)),
  },
];
const audit = (id: string, activity: string, upn: string, at: Date, correlationId: string | null): GraphDirectoryAudit => ({
  id,
  activityDisplayName: activity,
  activityDateTime: iso(at),
  category: 'UserManagement',
  result: 'success',
  correlationId,
  initiatedBy: { user: { id: `id-${upn}`, userPrincipalName: upn } },
  targetResources: [{ id: `id-${upn}`, userPrincipalName: upn, type: 'User' }],
});
const AUDITS: GraphDirectoryAudit[] = [
  audit('audit-bob', 'Fraud reported - user is blocked for MFA', 'bob@contoso.com', ago(26, 2), 'corr-bob'),
  audit('audit-carol', 'Suspicious activity reported', 'carol@contoso.com', ago(50), null),
  audit('audit-dave', 'Fraud reported - no action taken', 'dave@contoso.com', ago(240), null),
];
const SIGNINS = [
  graphSignin({
    id: 'signin-bob',
    at: ago(26),
    upn: 'bob@contoso.com',
    errorCode: 500121,
    correlationId: 'corr-bob',
    mfa: { method: 'Mobile app notification', succeeded: false, detail: 'MFA denied; Phone App Reported Fraud' },
  }),
  // An ordinary denial: no alert.
  graphSignin({
    id: 'signin-declined',
    at: ago(20),
    upn: 'zoe@contoso.com',
    errorCode: 500121,
    mfa: { method: 'Mobile app notification', succeeded: false, detail: 'MFA denied; user declined the authentication' },
  }),
].map((record) => graphSignInSchema.parse(record));

let store: TestStore;
let harness: Harness;
beforeAll(async () => {
  store = await openTestStore();
  await ingestRiskDetections(store, RISK);
  await ingestDirectoryAudits(store, AUDITS);
  await ingestSignins(store, SIGNINS, 'graph-beta');
  // Alerts the dispatcher and the buttons have already dealt with.
  await store.db.insert(fraudReports).values([
    {
      dedupeKey: 'user_reported:erin@contoso.com:corr-erin',
      upn: 'erin@contoso.com',
      reportedAt: ago(5),
      ipAddress: '203.0.113.44',
      city: 'Berlin',
      countryOrRegion: 'DE',
      appDisplayName: 'Microsoft Teams',
      mfaMethod: 'Phone call (Authentication phone)',
      status: 'acknowledged',
      actedBy: 'UADMIN0001',
      actedAt: ago(4),
      slackChannel: 'C0FRAUD01',
      slackTs: '1764240000.000100',
      postedAt: ago(5, 1),
      alertState: 'posted',
    },
    {
      dedupeKey: 'mfa_fatigue:frank@contoso.com:2026-11-26',
      kind: 'mfa_fatigue',
      upn: 'frank@contoso.com',
      reportedAt: ago(30),
      status: 'escalated',
      actedBy: 'secops@contoso.com',
      actedAt: ago(29),
      // The alert channel was missing when the dispatcher tried.
      lastDeliveryError: 'channel_not_found',
    },
    {
      dedupeKey: 'user_reported:gina@contoso.com:corr-gina',
      upn: 'gina@contoso.com',
      reportedAt: ago(70),
      status: 'false_positive',
      actedBy: 'UADMIN0002',
      actedAt: ago(69),
      slackChannel: 'C0FRAUD01',
      postedAt: ago(70, 1),
      alertState: 'posted',
    },
  ]);
  harness = await startHarness({ store, now: () => NOW });
});
afterAll(async () => {
  await harness?.close();
  await store?.close();
});

describe('/mfa fraud', () => {
  it('links the three records of one incident into one alert', async () => {
    const rows = await store.db.select().from(fraudReports);
    expect(rows.filter((r) => r.upn === 'bob@contoso.com')).toHaveLength(1);
    expect(rows).toHaveLength(6);
  });

  it('counts alerts, users and statuses first, then lists the alerts newest first', async () => {
    const { reply } = await harness.command('fraud');
    const text = replyText(reply);
    expect(text).toContain('Fraud alerts: the last 7 days');
    expect(text).toContain('5 fraud alerts from 5 users; 2 (40%) not handled yet.');
    expect(text).toContain('Treat as a possible compromise');
    expect(text).toContain('New\n2 (40%)');
    expect(text).toContain('Acknowledged\n1 (20%)');
    expect(text).toContain('False positive\n1 (20%)');
    expect(text).toContain('Escalated\n1 (20%)');
    expect(text).toContain('Not delivered to Slack yet\n3 (60%)');
    expect(text).toContain('MFA fatigue: 1 (20%) of these alerts are MFA fatigue alerts');
    expect(text).toContain('for 1 user; the rest are user-reported.');

    const heads = text.split('\n').filter((l) => /^\S+@contoso\.com · /.test(l));
    expect(heads).toEqual([
      'erin@contoso.com · 2026-11-27 07:30 (UTC) · Acknowledged',
      'bob@contoso.com · 2026-11-26 10:30 (UTC) · New',
      'frank@contoso.com · 2026-11-26 06:30 (UTC) · MFA fatigue · Escalated',
      'carol@contoso.com · 2026-11-25 10:30 (UTC) · New',
      'gina@contoso.com · 2026-11-24 14:30 (UTC) · False positive',
    ]);
    expect(text).toContain(
      [
        'bob@contoso.com · 2026-11-26 10:30 (UTC) · New',
        'Where: 198.51.100.7, Lagos, NG · App: Office 365 Exchange Online · Method: Mobile app notification',
        'Records: risk detection (user reported suspicious activity), denied sign-in, audit entry “Fraud reported - user is blocked for MFA”',
        'Handled: not yet · Slack: not delivered yet',
      ].join('\n'),
    );
    expect(text).toContain('Handled: acknowledged by <@UADMIN0001> on 2026-11-27 08:30 · Slack: posted to <#C0FRAUD01> at 2026-11-27 07:31');
    expect(text).toContain('Handled: escalated by secops@contoso.com on 2026-11-26 07:30 · Slack: not delivered yet (last attempt: channel_not_found)');
    expect(text).toContain('Where: unknown · App: unknown · Method: unknown\nRecords: audit entry “Suspicious activity reported”');
    expect(text).toContain('Showing 1–5 of 5');
    expect(text).toContain('Period: 2026-11-20 12:30 to 2026-11-27 12:30 (UTC)');
    // The freshest fraud source in the store: the unrelated risk detection three hours ago.
    expect(text).toContain('Data as of 2026-11-27 09:30 (UTC)');
    expect(buttonsOf(reply).map((b) => b.text)).toEqual(['Export CSV']);
  });

  it('widens with the period', async () => {
    const text = replyText((await harness.command('fraud 30d')).reply);
    expect(text).toContain('6 fraud alerts from 6 users; 3 (50%) not handled yet.');
    expect(text).toContain('dave@contoso.com · 2026-11-17 12:30 (UTC) · New');
  });

  it('says where the newest alert is when the period has none', async () => {
    const text = replyText((await harness.command('fraud 2026-01-01..2026-01-31')).reply);
    expect(text).toContain('No fraud alerts in this period. The newest in the store is from 2026-11-27 07:30 (UTC), erin@contoso.com; 6 alerts in all');
  });

  it('exports every alert of the period with its records', async () => {
    const { reply } = await harness.command('fraud 7d');
    const { response } = await harness.press(buttonsOf(reply).find((b) => b.text === 'Export CSV')!);
    expect(response!.text).toBe('Sent mfa-fraud-alerts.csv (5 rows) to you in a direct message.');
    const upload = harness.api.uploads().find((u) => u.filename === 'mfa-fraud-alerts.csv')!;
    const csv = upload.bytes.toString('utf8').trim().split('\r\n');
    expect(csv[0]).toBe(
      'reported_at,kind,upn,ip_address,city,country,app,method,status,acted_by,acted_at,slack_channel,posted_at,delivered,correlation_id,records',
    );
    expect(csv).toHaveLength(6);
    expect(csv[2]).toBe(
      '2026-11-26T10:30:00.000Z,user_reported,bob@contoso.com,198.51.100.7,Lagos,NG,Office 365 Exchange Online,Mobile app notification,New,,,,,false,corr-bob,' +
        'risk detection (user reported suspicious activity) [risk-bob]; denied sign-in [signin-bob]; audit entry “Fraud reported - user is blocked for MFA” [audit-bob]',
    );
    expect(csv[1]).toContain(',Acknowledged,UADMIN0001,2026-11-27T08:30:00.000Z,C0FRAUD01,2026-11-27T07:31:00.000Z,true,');
  });
});

describe('/mfa fraud bad input', () => {
  it('names a bad period with an example', async () => {
    const text = replyText((await harness.command('fraud fortnight')).reply);
    expect(text).toContain('"fortnight" is not a period I understand');
    expect(text).toContain('Usage: `/mfa fraud [period]`, e.g. `/mfa fraud 7d`');
  });

  it('refuses extra words and SQL without touching data', async () => {
    expect(replyText((await harness.command('fraud 7d bob')).reply)).toContain('fraud takes one period at most');
    const text = replyText((await harness.command(`fraud "'; delete from fraud_reports; --"`)).reply);
    expect(text).toContain('is not a period I understand');
    expect(await store.db.select().from(fraudReports)).toHaveLength(6);
  });
});

describe('/mfa fraud on an empty store', () => {
  it('says what is missing and how to load it', async () => {
    const empty = await openTestStore();
    const h = await startHarness({ store: empty, now: () => NOW });
    try {
      const text = replyText((await h.command('fraud')).reply);
      expect(text).toContain('No fraud alerts in the store yet');
      expect(text).toContain('`npm run sync`');
      expect(text).toContain('`npm run import -- FILE`');
      expect(text).toContain('Period: 2026-11-20 12:30 to 2026-11-27 12:30 (UTC)');
    } finally {
      await h.close();
      await empty.close();
    }
  });
});
