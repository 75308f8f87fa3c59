// Validated Graph records into the store: the one path that sync, import and the demo seed share.
// Fraud signals found on the way are linked into fraud reports in the same call.
import type { Store } from '../../db/client.js';
import { upsertRows, type UpsertCounts } from '../../db/upsert.js';
import { directoryAudits, riskDetections, userRegistrations } from '../../db/schema.js';
import { recordFraudSignals, type FraudSignal } from '../fraud/record-fraud-signals.js';
import { isBlockingFraudAudit, isFraudAudit, normaliseDirectoryAudit, type GraphDirectoryAudit } from './graph-directory-audit.js';
import { normaliseRegistration, type GraphRegistration } from './graph-registration.js';
import { normaliseRiskDetection, USER_REPORTED_SUSPICIOUS_ACTIVITY, type GraphRiskDetection } from './graph-risk-detection.js';
import type { GraphSignIn } from './graph-signin.js';
import { prepareSignin, type PreparedSignin } from './prepare-signin.js';
import { writeBlockEvents } from './write-legacy.js';
import { writeSignins, type WriteOptions, type WriteResult } from './write-signins.js';

export interface IngestResult extends UpsertCounts {
  newFraudReportIds: number[];
}

export async function ingestSignins(store: Store, records: ReadonlyArray<GraphSignIn>, source: string, options: WriteOptions = {}): Promise<IngestResult> {
  return ingestPreparedSignins(store, records.map((record) => prepareSignin(record, source)), options);
}

/** As ingestSignins, for sign-ins already validated and prepared (an import prepares them off the main thread). */
export async function ingestPreparedSignins(store: Store, batch: ReadonlyArray<PreparedSignin>, options: WriteOptions = {}): Promise<IngestResult> {
  const written: WriteResult = await writeSignins(store, batch, options);
  const signals: FraudSignal[] = batch.flatMap(({ fraud }) => (fraud ? [{ ...fraud, at: new Date(fraud.at) }] : []));
  const fraud = await recordFraudSignals(store, signals);
  return { ...written, newFraudReportIds: fraud.newReportIds };
}

export async function ingestRiskDetections(store: Store, records: ReadonlyArray<GraphRiskDetection>): Promise<IngestResult> {
  const rows = records.map(normaliseRiskDetection);
  const counts = await upsertRows(store.db, riskDetections, rows, { key: ['id'], update: 'changed', ignore: ['ingested_at'] });
  const signals: FraudSignal[] = rows
    .filter((row) => row.riskEventType === USER_REPORTED_SUSPICIOUS_ACTIVITY && row.upn)
    .map((row) => ({
      sourceKind: 'risk_detection',
      sourceId: row.id,
      upn: row.upn!,
      userId: row.userId ?? null,
      at: row.activityAt ?? row.detectedAt,
      correlationId: row.correlationId ?? null,
      ipAddress: row.ipAddress ?? null,
      city: row.city ?? null,
      countryOrRegion: row.countryOrRegion ?? null,
    }));
  const fraud = await recordFraudSignals(store, signals);
  return { ...counts, newFraudReportIds: fraud.newReportIds };
}

export async function ingestDirectoryAudits(store: Store, records: ReadonlyArray<GraphDirectoryAudit>): Promise<IngestResult> {
  const rows = records.map(normaliseDirectoryAudit);
  const counts = await upsertRows(store.db, directoryAudits, rows, { key: ['id'], update: 'changed', ignore: ['ingested_at'] });
  const fraudRows = rows.filter((row) => isFraudAudit(row.activity) && row.targetUpn);
  const fraud = await recordFraudSignals(
    store,
    fraudRows.map((row) => ({
      sourceKind: 'directory_audit',
      sourceId: row.id,
      upn: row.targetUpn!,
      userId: row.targetUserId ?? null,
      at: row.at,
      correlationId: row.correlationId ?? null,
    })),
  );
  // Entra blocks the user when the tenant is set to block on fraud: that is block history too.
  await writeBlockEvents(
    store,
    fraudRows
      .filter((row) => isBlockingFraudAudit(row.activity))
      .map((row) => ({
        dedupeKey: `audit:${row.id}`,
        upn: row.targetUpn!,
        action: 'block' as const,
        reason: 'Fraud reported by the user (automatic block)',
        actor: row.initiatorUpn ?? 'Microsoft Entra ID',
        occurredAt: row.at,
        source: 'graph-audit',
      })),
  );
  return { ...counts, newFraudReportIds: fraud.newReportIds };
}

export async function ingestRegistrations(store: Store, records: ReadonlyArray<GraphRegistration>, source: string): Promise<UpsertCounts> {
  const rows = records.map((record) => normaliseRegistration(record, source));
  return upsertRows(store.db, userRegistrations, rows, { key: ['user_id'], update: 'changed', ignore: ['synced_at', 'source'] });
}
