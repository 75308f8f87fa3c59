// The records an import writes, one type per store table, and the check that turns a parsed JSON
// (or CSV-built) Graph record into one: the same zod schemas the Graph sync uses, so an imported
// record is accepted or refused exactly as a synced one would be. A sign-in leaves the check
// prepared for the store (prepare-signin.ts): that work happens wherever the check runs, which for
// NDJSON is a worker thread.
import type { z } from 'zod';
import { graphDirectoryAuditSchema, type GraphDirectoryAudit } from '../ingest/graph-directory-audit.js';
import { graphRegistrationSchema, type GraphRegistration } from '../ingest/graph-registration.js';
import { graphRiskDetectionSchema, type GraphRiskDetection } from '../ingest/graph-risk-detection.js';
import { graphSignInSchema, type GraphSignIn } from '../ingest/graph-signin.js';
import { isPlainGraphSignIn } from '../ingest/graph-signin-fast-check.js';
import { prepareSignin, type PreparedSignin } from '../ingest/prepare-signin.js';
import type { BlockEventRow, BypassEventRow, OnpremActivityRow, ServerRow } from '../ingest/write-legacy.js';
import { isPlainRecord, type GraphRecordKind } from './record-kind.js';

/** `signins.source` / `user_registrations.source` values an import writes. */
export type ImportSource = 'import:graph-beta' | 'import:graph-v1' | 'import:portal-json' | 'import:portal-csv';

/** Legacy MFA Server rows carry this source. */
export const MFA_SERVER_CSV_SOURCE = 'import:mfa-server-csv';

export type ImportRecord =
  | { kind: 'signin'; source: ImportSource; signin: PreparedSignin }
  | { kind: 'registration'; source: ImportSource; record: GraphRegistration }
  | { kind: 'risk_detection'; record: GraphRiskDetection }
  | { kind: 'directory_audit'; record: GraphDirectoryAudit }
  | { kind: 'block_event'; row: BlockEventRow }
  | { kind: 'bypass_event'; row: BypassEventRow }
  | { kind: 'server'; row: ServerRow }
  | { kind: 'onprem_activity'; row: OnpremActivityRow };

export type ImportKind = ImportRecord['kind'];

export type Checked = { ok: true; value: ImportRecord } | { ok: false; reason: string };

const SCHEMAS = {
  signin: graphSignInSchema,
  registration: graphRegistrationSchema,
  risk_detection: graphRiskDetectionSchema,
  directory_audit: graphDirectoryAuditSchema,
} satisfies Record<GraphRecordKind, z.ZodType>;

const KIND_WORDS: Record<GraphRecordKind, string> = {
  signin: 'sign-in',
  registration: 'registration',
  risk_detection: 'risk detection',
  directory_audit: 'directory audit',
};

/** Validates a Graph-shaped record of a known kind; the reason names each field at fault. */
export function checkGraphRecord(kind: GraphRecordKind, record: unknown, source: ImportSource): Checked {
  // Most sign-ins of an export are plainly valid: those skip zod, which is a third of an import's CPU time.
  if (kind === 'signin' && isPlainRecord(record) && isPlainGraphSignIn(record)) {
    return { ok: true, value: { kind, source, signin: prepareSignin(record, source) } };
  }
  const parsed = SCHEMAS[kind].safeParse(record);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`);
    return { ok: false, reason: `invalid ${KIND_WORDS[kind]}: ${problems.join('; ')}` };
  }
  switch (kind) {
    case 'signin':
      return { ok: true, value: { kind, source, signin: prepareSignin(parsed.data as GraphSignIn, source) } };
    case 'registration':
      return { ok: true, value: { kind, source, record: parsed.data as GraphRegistration } };
    case 'risk_detection':
      return { ok: true, value: { kind, record: parsed.data as GraphRiskDetection } };
    case 'directory_audit':
      return { ok: true, value: { kind, record: parsed.data as GraphDirectoryAudit } };
  }
}

/** What a summary calls the records of each kind (and source). */
export function kindLabel(record: ImportRecord): string {
  switch (record.kind) {
    case 'signin':
      return {
        'import:graph-beta': 'sign-ins (Graph beta)',
        'import:graph-v1': 'sign-ins (Graph v1.0)',
        'import:portal-json': 'sign-ins (portal JSON)',
        'import:portal-csv': 'sign-ins (portal CSV)',
      }[record.source];
    case 'registration':
      return 'registrations (userRegistrationDetails)';
    case 'risk_detection':
      return 'risk detections';
    case 'directory_audit':
      return 'directory audits';
    case 'block_event':
      return 'MFA Server block/unblock events';
    case 'bypass_event':
      return 'MFA Server one-time bypasses';
    case 'server':
      return 'MFA Servers (status)';
    case 'onprem_activity':
      return 'MFA Server activity rows';
  }
}
