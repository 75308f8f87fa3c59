// Graph riskDetection record → `risk_detections` row. userReportedSuspiciousActivity is the
// successor of the MFA fraud alert (graph-data.md §7).
import { z } from 'zod';
import type { riskDetections } from '../../db/schema.js';

export type RiskDetectionRow = typeof riskDetections.$inferInsert;

export const USER_REPORTED_SUSPICIOUS_ACTIVITY = 'userReportedSuspiciousActivity';

const isoDate = z.string().refine((value) => !Number.isNaN(Date.parse(value)), { message: 'expected an ISO 8601 date-time' });

export const graphRiskDetectionSchema = z.looseObject({
  id: z.string().min(1),
  riskEventType: z.string().min(1),
  riskLevel: z.string().nullish(),
  riskState: z.string().nullish(),
  source: z.string().nullish(),
  userId: z.string().nullish(),
  userPrincipalName: z.string().nullish(),
  ipAddress: z.string().nullish(),
  location: z.looseObject({ city: z.string().nullish(), countryOrRegion: z.string().nullish() }).nullish(),
  correlationId: z.string().nullish(),
  requestId: z.string().nullish(),
  activityDateTime: isoDate.nullish(),
  detectedDateTime: isoDate,
});

export type GraphRiskDetection = z.output<typeof graphRiskDetectionSchema>;

export function normaliseRiskDetection(record: GraphRiskDetection): RiskDetectionRow {
  return {
    id: record.id,
    riskEventType: record.riskEventType,
    riskLevel: record.riskLevel ?? null,
    riskState: record.riskState ?? null,
    source: record.source ?? null,
    userId: record.userId ?? null,
    upn: record.userPrincipalName?.toLowerCase() ?? null,
    ipAddress: record.ipAddress ?? null,
    city: record.location?.city ?? null,
    countryOrRegion: record.location?.countryOrRegion ?? null,
    correlationId: record.correlationId ?? null,
    requestId: record.requestId ?? null,
    activityAt: record.activityDateTime ? new Date(record.activityDateTime) : null,
    detectedAt: new Date(record.detectedDateTime),
    raw: record,
  };
}
