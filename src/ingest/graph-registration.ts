// Graph userRegistrationDetails record → `user_registrations` row (who is registered for MFA).
import { z } from 'zod';
import type { userRegistrations } from '../../db/schema.js';

export type RegistrationRow = typeof userRegistrations.$inferInsert;

export const graphRegistrationSchema = z.looseObject({
  id: z.string().min(1),
  userPrincipalName: z.string().min(1),
  userDisplayName: z.string().nullish(),
  userType: z.string().nullish(),
  isAdmin: z.boolean().nullish(),
  isMfaRegistered: z.boolean(),
  isMfaCapable: z.boolean().nullish(),
  isPasswordlessCapable: z.boolean().nullish(),
  methodsRegistered: z.array(z.string()).nullish(),
  /** Beta only. */
  defaultMfaMethod: z.string().nullish(),
  userPreferredMethodForSecondaryAuthentication: z.string().nullish(),
  lastUpdatedDateTime: z.string().nullish(),
});

export type GraphRegistration = z.output<typeof graphRegistrationSchema>;

const NO_METHOD = new Set(['', 'none', 'unknownfuturevalue']);

export function normaliseRegistration(record: GraphRegistration, source: string): RegistrationRow {
  // v1.0 has no defaultMfaMethod; the user's preferred secondary method is the nearest thing.
  const preferred = record.defaultMfaMethod ?? record.userPreferredMethodForSecondaryAuthentication ?? null;
  const lastUpdated = record.lastUpdatedDateTime ? new Date(record.lastUpdatedDateTime) : null;
  return {
    userId: record.id,
    upn: record.userPrincipalName,
    displayName: record.userDisplayName ?? null,
    userType: (record.userType ?? 'member').toLowerCase() === 'guest' ? 'guest' : 'member',
    isAdmin: record.isAdmin ?? false,
    isMfaRegistered: record.isMfaRegistered,
    isMfaCapable: record.isMfaCapable ?? false,
    isPasswordlessCapable: record.isPasswordlessCapable ?? false,
    methodsRegistered: record.methodsRegistered ?? [],
    defaultMethod: preferred && !NO_METHOD.has(preferred.toLowerCase()) ? preferred : null,
    lastUpdatedAt: lastUpdated && !Number.isNaN(lastUpdated.getTime()) ? lastUpdated : null,
    source,
  };
}
