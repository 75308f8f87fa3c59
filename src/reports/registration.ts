// Who is registered for MFA and who is not (Graph userRegistrationDetails), with coverage.
import { and, asc, count, desc, eq, max, sql, type SQL } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { userRegistrations } from '../../db/schema.js';

export interface RegistrationQuery {
  registered: boolean;
  /** Guests are left out unless asked for. */
  includeGuests: boolean;
  offset: number;
  /** null: every row (export). */
  limit: number | null;
}

export interface RegistrationUser {
  upn: string;
  displayName: string | null;
  userType: string;
  isAdmin: boolean;
  isMfaRegistered: boolean;
  isMfaCapable: boolean;
  methods: string[];
  defaultMethod: string | null;
  lastUpdatedAt: Date | null;
}

export interface RegistrationReport {
  /** Users in scope (members, or everyone with --all). */
  users: number;
  registered: number;
  capable: number;
  /** Rows matching the question (registered or not), before paging. */
  total: number;
  rows: RegistrationUser[];
  /** When the registration details were last loaded. */
  dataAsOf: Date | null;
}

export async function registrationReport(store: Store, query: RegistrationQuery): Promise<RegistrationReport> {
  const scope: SQL | undefined = query.includeGuests ? undefined : eq(userRegistrations.userType, 'member');
  const matching = and(scope, eq(userRegistrations.isMfaRegistered, query.registered));
  const [totals] = await store.db
    .select({
      users: count(),
      registered: sql<number>`count(*) filter (where ${userRegistrations.isMfaRegistered})`.mapWith(Number),
      capable: sql<number>`count(*) filter (where ${userRegistrations.isMfaCapable})`.mapWith(Number),
      dataAsOf: max(userRegistrations.syncedAt),
    })
    .from(userRegistrations)
    .where(scope);
  const base = store.db
    .select()
    .from(userRegistrations)
    .where(matching)
    // Admins first: an unregistered admin is the most urgent line of the report.
    .orderBy(desc(userRegistrations.isAdmin), asc(sql`lower(${userRegistrations.upn})`))
    .offset(query.offset);
  const rows = query.limit === null ? await base : await base.limit(query.limit);
  const users = Number(totals?.users ?? 0);
  const registered = Number(totals?.registered ?? 0);
  return {
    users,
    registered,
    capable: Number(totals?.capable ?? 0),
    total: query.registered ? registered : users - registered,
    rows: rows.map((r) => ({
      upn: r.upn,
      displayName: r.displayName,
      userType: r.userType,
      isAdmin: r.isAdmin,
      isMfaRegistered: r.isMfaRegistered,
      isMfaCapable: r.isMfaCapable,
      methods: r.methodsRegistered,
      defaultMethod: r.defaultMethod,
      lastUpdatedAt: r.lastUpdatedAt,
    })),
    dataAsOf: totals?.dataAsOf ? new Date(totals.dataAsOf) : null,
  };
}
