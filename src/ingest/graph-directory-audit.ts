// Graph directoryAudit record → `directory_audits` row, and what an MFA audit entry means:
// a fraud report, and for "Fraud reported - user is blocked for MFA" also a block.
import { z } from 'zod';
import type { directoryAudits } from '../../db/schema.js';

export type DirectoryAuditRow = typeof directoryAudits.$inferInsert;

const identity = z.looseObject({ id: z.string().nullish(), userPrincipalName: z.string().nullish() }).nullish();

export const graphDirectoryAuditSchema = z.looseObject({
  id: z.string().min(1),
  activityDisplayName: z.string().min(1),
  activityDateTime: z.string().refine((value) => !Number.isNaN(Date.parse(value)), { message: 'expected an ISO 8601 date-time' }),
  category: z.string().nullish(),
  result: z.string().nullish(),
  resultReason: z.string().nullish(),
  correlationId: z.string().nullish(),
  initiatedBy: z.looseObject({ user: identity, app: z.looseObject({ displayName: z.string().nullish() }).nullish() }).nullish(),
  targetResources: z.array(z.looseObject({ id: z.string().nullish(), userPrincipalName: z.string().nullish(), type: z.string().nullish() })).nullish(),
});

export type GraphDirectoryAudit = z.output<typeof graphDirectoryAuditSchema>;

export function isFraudAudit(activity: string): boolean {
  const a = activity.trim().toLowerCase();
  return a === 'suspicious activity reported' || a.startsWith('fraud reported');
}

export function isBlockingFraudAudit(activity: string): boolean {
  return activity.trim().toLowerCase() === 'fraud reported - user is blocked for mfa';
}

export function normaliseDirectoryAudit(record: GraphDirectoryAudit): DirectoryAuditRow {
  const target = record.targetResources?.find((t) => (t.type ?? 'User').toLowerCase() === 'user') ?? record.targetResources?.[0];
  return {
    id: record.id,
    activity: record.activityDisplayName,
    category: record.category ?? null,
    result: record.result ?? null,
    resultReason: record.resultReason ?? null,
    at: new Date(record.activityDateTime),
    initiatorUpn: record.initiatedBy?.user?.userPrincipalName?.toLowerCase() ?? record.initiatedBy?.app?.displayName ?? null,
    targetUserId: target?.id ?? null,
    targetUpn: target?.userPrincipalName?.toLowerCase() ?? null,
    correlationId: record.correlationId ?? null,
    raw: record,
  };
}
