// Graph-shaped fraud records: the three records one user report produces (a risk detection, an
// audit entry, a denied sign-in: graph-data.md §7), written through the real ingest path.
import type { Store } from '../../db/client.js';
import { graphDirectoryAuditSchema } from '../../src/ingest/graph-directory-audit.js';
import { graphRiskDetectionSchema } from '../../src/ingest/graph-risk-detection.js';
import { graphSignInSchema } from '../../src/ingest/graph-signin.js';
import { ingestDirectoryAudits, ingestRiskDetections, ingestSignins } from '../../src/ingest/ingest-records.js';
import { recordFraudSignals } from '../../src/fraud/record-fraud-signals.js';
import { graphSignin } from './graph-records.js';

export interface FraudIncident {
  upn: string;
  at: Date;
  correlationId: string;
  /** Suffix for the records' ids. */
  id: string;
}

export function riskDetection(incident: FraudIncident) {
  return graphRiskDetectionSchema.parse({
    id: `risk-${incident.id}`,
    riskEventType: 'userReportedSuspiciousActivity',
    riskLevel: 'high',
    riskState: 'atRisk',
    source: 'EndUserReported',
    userId: `id-${incident.upn}`,
    userPrincipalName: incident.upn,
    ipAddress: '198.51.100.23',
    location: { city: 'Lagos', countryOrRegion: 'NG' },
    correlationId: incident.correlationId,
    activityDateTime: incident.at.toISOString(),
    detectedDateTime: new Date(incident.at.getTime() + 60_000).toISOString(),
  });
}

export function fraudAudit(incident: FraudIncident, activity = 'Fraud reported - user is blocked for MFA') {
  return graphDirectoryAuditSchema.parse({
    id: `audit-${incident.id}`,
    activityDisplayName: activity,
    activityDateTime: new Date(incident.at.getTime() + 30_000).toISOString(),
    category: 'UserManagement',
    result: 'success',
    correlationId: incident.correlationId,
    initiatedBy: { user: { id: `id-${incident.upn}`, userPrincipalName: incident.upn } },
    targetResources: [{ id: `id-${incident.upn}`, userPrincipalName: incident.upn, type: 'User' }],
  });
}

export function deniedSignin(incident: FraudIncident) {
  return graphSignInSchema.parse(
    graphSignin({
      id: `signin-${incident.id}`,
      at: incident.at,
      upn: incident.upn,
      errorCode: 500121,
      app: 'Office 365 Exchange Online',
      correlationId: incident.correlationId,
      mfa: { method: 'Mobile app notification', succeeded: false, detail: 'MFA denied; Phone App Reported Fraud' },
    }),
  );
}

/** A fraud report made directly from one signal (fast, for volume tests). */
export async function recordReport(store: Store, incident: FraudIncident): Promise<number> {
  const { newReportIds } = await recordFraudSignals(store, [
    { sourceKind: 'risk_detection', sourceId: `risk-${incident.id}`, upn: incident.upn, userId: `id-${incident.upn}`, at: incident.at, correlationId: incident.correlationId, ipAddress: '198.51.100.23', city: 'Lagos', countryOrRegion: 'NG' },
  ]);
  return newReportIds[0]!;
}

export const ingest = {
  risk: (store: Store, incident: FraudIncident) => ingestRiskDetections(store, [riskDetection(incident)]),
  audit: (store: Store, incident: FraudIncident) => ingestDirectoryAudits(store, [fraudAudit(incident)]),
  signin: (store: Store, incident: FraudIncident) => ingestSignins(store, [deniedSignin(incident)], 'graph-beta'),
};
