// The four Graph sources the report store is filled from (graph-data.md §0, §6, §7): where each is
// listed, how it is validated and written, and which record time its cursor follows.
import type { z } from 'zod';
import type { Store } from '../../db/client.js';
import { graphDateTime, graphQuery } from '../graph/graph-links.js';
import { graphDirectoryAuditSchema, isFraudAudit, type GraphDirectoryAudit } from '../ingest/graph-directory-audit.js';
import { graphRegistrationSchema, type GraphRegistration } from '../ingest/graph-registration.js';
import { graphRiskDetectionSchema, USER_REPORTED_SUSPICIOUS_ACTIVITY, type GraphRiskDetection } from '../ingest/graph-risk-detection.js';
import { graphSignInSchema, type GraphSignIn } from '../ingest/graph-signin.js';
import { ingestDirectoryAudits, ingestRegistrations, ingestRiskDetections, ingestSignins } from '../ingest/ingest-records.js';

export type SyncSourceName = 'signins' | 'registrations' | 'risk_detections' | 'directory_audits';

/** The order runSync pulls them in. */
export const SYNC_SOURCE_NAMES: readonly SyncSourceName[] = ['signins', 'registrations', 'risk_detections', 'directory_audits'];

/** The `source` label of sign-ins written by the sync. */
export const SIGNIN_SOURCE_LABEL = 'graph-beta';

export interface WriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  newFraudReportIds: number[];
}

export interface SyncSource<T> {
  name: SyncSourceName;
  /** For people: "sign-ins". */
  label: string;
  /** `quarantined_records.source`. */
  quarantineSource: string;
  schema: z.ZodType<T>;
  /**
   * 'incremental': filtered on a record time from the cursor minus `reReadWindowMs` (the first run
   * backfills what Graph keeps). 'full': the whole collection every run.
   */
  mode: 'incremental' | 'full';
  /** The record time the cursor follows (incremental sources). */
  recordTime?(record: T): Date;
  /** How far before the cursor every run re-reads, to pick up late corrections and late arrivals. */
  reReadWindowMs: number;
  /** The first page's path; `from` is null for full refreshes. */
  firstPage(from: Date | null): string;
  /** Client-side filter: records outside it are counted as ignored, not stored. */
  keep?(record: T): boolean;
  write(store: Store, records: T[]): Promise<WriteCounts>;
}

const HOUR = 3_600_000;

export const signinSource: SyncSource<GraphSignIn> = {
  name: 'signins',
  label: 'sign-ins',
  quarantineSource: 'graph:signIns',
  schema: graphSignInSchema,
  mode: 'incremental',
  recordTime: (record) => new Date(record.createdDateTime),
  // Microsoft aggregates MFA details into a sign-in for up to 2 hours (graph-data.md §2); the
  // upsert by id applies the corrections.
  reReadWindowMs: 2 * HOUR,
  // Beta: the MFA fields (authenticationRequirement, authenticationDetails…) are beta-only.
  firstPage: (from) => `/beta/auditLogs/signIns?${graphQuery({ $filter: `createdDateTime ge ${graphDateTime(from!)}`, $top: 1000 })}`,
  write: (store, records) => ingestSignins(store, records, SIGNIN_SOURCE_LABEL),
};

export const registrationSource: SyncSource<GraphRegistration> = {
  name: 'registrations',
  label: 'registrations',
  quarantineSource: 'graph:userRegistrationDetails',
  schema: graphRegistrationSchema,
  mode: 'full',
  reReadWindowMs: 0,
  firstPage: () => '/v1.0/reports/authenticationMethods/userRegistrationDetails',
  write: async (store, records) => ({ ...(await ingestRegistrations(store, records, 'graph-v1')), newFraudReportIds: [] }),
};

export const riskDetectionSource: SyncSource<GraphRiskDetection> = {
  name: 'risk_detections',
  label: 'risk detections',
  quarantineSource: 'graph:riskDetections',
  schema: graphRiskDetectionSchema,
  mode: 'incremental',
  recordTime: (record) => new Date(record.detectedDateTime),
  // Risk detections appear up to hours after they are detected (graph-data.md S32: 5 min to 8 h)
  // and change state later (dismissed, remediated); the pull is one cheap filtered query.
  reReadWindowMs: 8 * HOUR,
  firstPage: (from) =>
    `/v1.0/identityProtection/riskDetections?${graphQuery({
      $filter: `riskEventType eq '${USER_REPORTED_SUSPICIOUS_ACTIVITY}' and detectedDateTime ge ${graphDateTime(from!)}`,
      $top: 500,
    })}`,
  keep: (record) => record.riskEventType === USER_REPORTED_SUSPICIOUS_ACTIVITY,
  write: (store, records) => ingestRiskDetections(store, records),
};

export const directoryAuditSource: SyncSource<GraphDirectoryAudit> = {
  name: 'directory_audits',
  label: 'directory audits',
  quarantineSource: 'graph:directoryAudits',
  schema: graphDirectoryAuditSchema,
  mode: 'incremental',
  recordTime: (record) => new Date(record.activityDateTime),
  reReadWindowMs: 2 * HOUR,
  firstPage: (from) => `/v1.0/auditLogs/directoryAudits?${graphQuery({ $filter: `activityDateTime ge ${graphDateTime(from!)}` })}`,
  // Only the MFA fraud entries matter here: "Suspicious activity reported", "Fraud reported - …".
  keep: (record) => isFraudAudit(record.activityDisplayName),
  write: (store, records) => ingestDirectoryAudits(store, records),
};

// Method syntax above keeps the record type bivariant, so each source fits SyncSource<unknown>.
export const SYNC_SOURCES: Readonly<Record<SyncSourceName, SyncSource<unknown>>> = {
  signins: signinSource,
  registrations: registrationSource,
  risk_detections: riskDetectionSource,
  directory_audits: directoryAuditSource,
};
