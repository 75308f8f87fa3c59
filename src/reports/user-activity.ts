// One user's MFA story for a period: was the user challenged, how did they complete MFA, why
// couldn't they. Their sign-ins (newest first) with the Conditional Access policies that applied,
// their registration, whether they are blocked or have a bypass now, and their fraud reports.
import { and, asc, desc, eq, gt, gte, inArray, lt, max, or, sql, type SQL } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { fraudReports, mfaBlockEvents, mfaBypassEvents, signinCaPolicies, signins, userRegistrations } from '../../db/schema.js';
import type { Period } from '../time/period.js';
import type { ResolvedUser } from './resolve-user.js';
import { newestSigninAt } from './signin-facts.js';

export interface UserActivityQuery {
  user: ResolvedUser;
  period: Period;
  /** The moment "blocked now" and "bypass valid now" are judged at. */
  now: Date;
  offset: number;
  /** null: every sign-in of the period (export). */
  limit: number | null;
}

export interface AppliedPolicy {
  policyId: string;
  name: string | null;
  grantControls: string[];
  sessionControls: string[];
  /** success | failure | reportOnly* | unknown (policies that did not apply are not stored). */
  result: string;
}

export interface UserSignin {
  id: string;
  createdAt: Date;
  /** As logged on this sign-in (a renamed user's older sign-ins carry the old UPN). */
  upn: string | null;
  appDisplayName: string | null;
  city: string | null;
  countryOrRegion: string | null;
  ipAddress: string | null;
  clientAppUsed: string | null;
  errorCode: number;
  failureReason: string | null;
  /** 'yes' | 'no' | 'unknown' */
  mfaRequired: string;
  mfaRequiredReason: string | null;
  mfaOutcome: string;
  mfaResultCode: string | null;
  mfaResultDetail: string | null;
  mfaMethod: string | null;
  /** Scrubbed at ingest. */
  mfaAuthDetail: string | null;
  caStatus: string | null;
  onpremComponent: string | null;
  policies: AppliedPolicy[];
}

export interface UserTotals {
  signins: number;
  mfaRequired: number;
  satisfied: number;
  denied: number;
  interrupted: number;
  /** Required MFA but stopped before it (primary authentication failed) or unknown. */
  otherOutcome: number;
}

export interface UserRegistration {
  upn: string;
  displayName: string | null;
  userType: string;
  isAdmin: boolean;
  isMfaRegistered: boolean;
  isMfaCapable: boolean;
  isPasswordlessCapable: boolean;
  methods: string[];
  defaultMethod: string | null;
  lastUpdatedAt: Date | null;
  syncedAt: Date;
}

export interface BlockEvent {
  action: string;
  reason: string | null;
  actor: string | null;
  occurredAt: Date;
  source: string;
}

export interface BypassEvent {
  seconds: number;
  reason: string | null;
  actor: string | null;
  occurredAt: Date;
  expiresAt: Date;
  source: string;
}

export interface UserFraudReport {
  reportedAt: Date;
  kind: string;
  status: string;
  appDisplayName: string | null;
  ipAddress: string | null;
  city: string | null;
  countryOrRegion: string | null;
  mfaMethod: string | null;
  actedBy: string | null;
}

export interface UserActivityReport {
  user: ResolvedUser;
  period: Period;
  totals: UserTotals;
  /** The page asked for (or all, for the export), newest first. */
  signins: UserSignin[];
  /** The user's newest sign-in in the store, at any time (to explain an empty period). */
  newestSigninAt: Date | null;
  registration: UserRegistration | null;
  /** When registration details were last loaded; null when none are. */
  registrationDataAsOf: Date | null;
  /** The user's latest block or unblock request; blocked now when it is a block. */
  latestBlockEvent: BlockEvent | null;
  /** The bypass valid now that lasts longest, if any. */
  activeBypass: BypassEvent | null;
  /** Newest row of the whole block / bypass history: how old the imported reports are. */
  blockHistoryNewest: Date | null;
  bypassHistoryNewest: Date | null;
  fraudReports: UserFraudReport[];
  /** The newest sign-in in the store: "data as of". */
  dataAsOf: Date | null;
}

const asDate = (value: Date | string | null | undefined): Date | null => (value ? new Date(value) : null);

/** The user's sign-ins: by UPN (lowercase in sign-ins) or, when known, by the stable object id. */
function userSignins(user: ResolvedUser): SQL {
  const byUpn = eq(signins.upn, user.upn);
  return user.userId ? or(byUpn, eq(signins.userId, user.userId))! : byUpn;
}

function inPeriod(period: Period): SQL {
  return and(gte(signins.createdAt, period.from), lt(signins.createdAt, period.to))!;
}

async function totalsFor(store: Store, where: SQL): Promise<UserTotals> {
  const required = sql`${signins.mfaRequired} = 'yes'`;
  const [row] = await store.db
    .select({
      signins: sql<number>`count(*)`.mapWith(Number),
      mfaRequired: sql<number>`count(*) filter (where ${required})`.mapWith(Number),
      satisfied: sql<number>`count(*) filter (where ${required} and ${signins.mfaOutcome} = 'satisfied')`.mapWith(Number),
      denied: sql<number>`count(*) filter (where ${required} and ${signins.mfaOutcome} = 'denied')`.mapWith(Number),
      interrupted: sql<number>`count(*) filter (where ${required} and ${signins.mfaOutcome} = 'interrupted')`.mapWith(Number),
    })
    .from(signins)
    .where(where);
  const t = { signins: 0, mfaRequired: 0, satisfied: 0, denied: 0, interrupted: 0, ...row };
  return { ...t, otherOutcome: t.mfaRequired - t.satisfied - t.denied - t.interrupted };
}

/** The policies of the listed sign-ins (all of the user's sign-ins in the period when `ids` is null). */
async function policiesFor(store: Store, user: ResolvedUser, period: Period, ids: string[] | null): Promise<Map<string, AppliedPolicy[]>> {
  const byKey = new Map<string, AppliedPolicy[]>();
  if (ids !== null && ids.length === 0) return byKey;
  const rows = await store.db
    .select({
      signinId: signinCaPolicies.signinId,
      signinCreatedAt: signinCaPolicies.signinCreatedAt,
      policyId: signinCaPolicies.policyId,
      name: signinCaPolicies.displayName,
      grantControls: signinCaPolicies.grantControls,
      sessionControls: signinCaPolicies.sessionControls,
      result: signinCaPolicies.result,
    })
    .from(signinCaPolicies)
    .innerJoin(signins, and(eq(signins.id, signinCaPolicies.signinId), eq(signins.createdAt, signinCaPolicies.signinCreatedAt)))
    .where(
      and(
        // Both sides bounded by the period, so both prune to its partitions.
        gte(signinCaPolicies.signinCreatedAt, period.from),
        lt(signinCaPolicies.signinCreatedAt, period.to),
        inPeriod(period),
        userSignins(user),
        ids === null ? undefined : inArray(signinCaPolicies.signinId, ids),
      ),
    )
    .orderBy(sql`${signinCaPolicies.displayName} COLLATE "C"`, asc(signinCaPolicies.policyId));
  for (const row of rows) {
    const key = `${row.signinId}\u0000${row.signinCreatedAt.toISOString()}`;
    const list = byKey.get(key) ?? [];
    list.push({ policyId: row.policyId, name: row.name, grantControls: row.grantControls, sessionControls: row.sessionControls, result: row.result });
    byKey.set(key, list);
  }
  return byKey;
}

async function signinPage(store: Store, query: UserActivityQuery): Promise<UserSignin[]> {
  const base = store.db
    .select({
      id: signins.id,
      createdAt: signins.createdAt,
      upn: signins.upn,
      appDisplayName: signins.appDisplayName,
      city: signins.city,
      countryOrRegion: signins.countryOrRegion,
      ipAddress: signins.ipAddress,
      clientAppUsed: signins.clientAppUsed,
      errorCode: signins.errorCode,
      failureReason: signins.failureReason,
      mfaRequired: signins.mfaRequired,
      mfaRequiredReason: signins.mfaRequiredReason,
      mfaOutcome: signins.mfaOutcome,
      mfaResultCode: signins.mfaResultCode,
      mfaResultDetail: signins.mfaResultDetail,
      mfaMethod: signins.mfaMethod,
      mfaAuthDetail: signins.mfaAuthDetail,
      caStatus: signins.caStatus,
      onpremComponent: signins.onpremComponent,
    })
    .from(signins)
    .where(and(inPeriod(query.period), userSignins(query.user)))
    .orderBy(desc(signins.createdAt), asc(signins.id))
    .offset(query.offset);
  const rows = query.limit === null ? await base : await base.limit(query.limit);
  const policies = await policiesFor(store, query.user, query.period, query.limit === null ? null : rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, policies: policies.get(`${r.id}\u0000${r.createdAt.toISOString()}`) ?? [] }));
}

async function newestOfUser(store: Store, user: ResolvedUser): Promise<Date | null> {
  const [row] = await store.db.select({ newest: max(signins.createdAt) }).from(signins).where(userSignins(user));
  return asDate(row?.newest);
}

async function registrationOf(store: Store, user: ResolvedUser): Promise<UserRegistration | null> {
  const byUpn = sql`lower(${userRegistrations.upn}) = ${user.upn}`;
  const [row] = user.userId
    ? await store.db
        .select()
        .from(userRegistrations)
        .where(or(eq(userRegistrations.userId, user.userId), byUpn))
        // The object id is the reliable key; a renamed user's old UPN may belong to someone else now.
        .orderBy(sql`(${userRegistrations.userId} = ${user.userId}) DESC`)
        .limit(1)
    : await store.db.select().from(userRegistrations).where(byUpn).limit(1);
  if (!row) return null;
  return {
    upn: row.upn,
    displayName: row.displayName,
    userType: row.userType,
    isAdmin: row.isAdmin,
    isMfaRegistered: row.isMfaRegistered,
    isMfaCapable: row.isMfaCapable,
    isPasswordlessCapable: row.isPasswordlessCapable,
    methods: row.methodsRegistered,
    defaultMethod: row.defaultMethod,
    lastUpdatedAt: row.lastUpdatedAt,
    syncedAt: row.syncedAt,
  };
}

async function latestBlock(store: Store, user: ResolvedUser): Promise<BlockEvent | null> {
  const [row] = await store.db
    .select({ action: mfaBlockEvents.action, reason: mfaBlockEvents.reason, actor: mfaBlockEvents.actor, occurredAt: mfaBlockEvents.occurredAt, source: mfaBlockEvents.source })
    .from(mfaBlockEvents)
    .where(sql`lower(${mfaBlockEvents.upn}) = ${user.upn}`)
    .orderBy(desc(mfaBlockEvents.occurredAt), desc(mfaBlockEvents.id))
    .limit(1);
  return row ?? null;
}

async function activeBypass(store: Store, user: ResolvedUser, now: Date): Promise<BypassEvent | null> {
  const [row] = await store.db
    .select({
      seconds: mfaBypassEvents.seconds,
      reason: mfaBypassEvents.reason,
      actor: mfaBypassEvents.actor,
      occurredAt: mfaBypassEvents.occurredAt,
      expiresAt: mfaBypassEvents.expiresAt,
      source: mfaBypassEvents.source,
    })
    .from(mfaBypassEvents)
    .where(and(sql`lower(${mfaBypassEvents.upn}) = ${user.upn}`, gt(mfaBypassEvents.expiresAt, now)))
    .orderBy(desc(mfaBypassEvents.expiresAt))
    .limit(1);
  return row ?? null;
}

/** How fresh the tables behind the snapshot parts are. */
async function freshness(store: Store): Promise<{ block: Date | null; bypass: Date | null; registrations: Date | null }> {
  const [[block], [bypass], [registrations]] = await Promise.all([
    store.db.select({ newest: max(mfaBlockEvents.occurredAt) }).from(mfaBlockEvents),
    store.db.select({ newest: max(mfaBypassEvents.occurredAt) }).from(mfaBypassEvents),
    store.db.select({ newest: max(userRegistrations.syncedAt) }).from(userRegistrations),
  ]);
  return { block: asDate(block?.newest), bypass: asDate(bypass?.newest), registrations: asDate(registrations?.newest) };
}

async function fraudOf(store: Store, user: ResolvedUser, period: Period): Promise<UserFraudReport[]> {
  return store.db
    .select({
      reportedAt: fraudReports.reportedAt,
      kind: fraudReports.kind,
      status: fraudReports.status,
      appDisplayName: fraudReports.appDisplayName,
      ipAddress: fraudReports.ipAddress,
      city: fraudReports.city,
      countryOrRegion: fraudReports.countryOrRegion,
      mfaMethod: fraudReports.mfaMethod,
      actedBy: fraudReports.actedBy,
    })
    .from(fraudReports)
    .where(and(sql`lower(${fraudReports.upn}) = ${user.upn}`, gte(fraudReports.reportedAt, period.from), lt(fraudReports.reportedAt, period.to)))
    .orderBy(desc(fraudReports.reportedAt));
}

export async function userActivityReport(store: Store, query: UserActivityQuery): Promise<UserActivityReport> {
  const where = and(inPeriod(query.period), userSignins(query.user))!;
  const [totals, page, newest, registration, block, bypass, history, fraud, dataAsOf] = await Promise.all([
    totalsFor(store, where),
    signinPage(store, query),
    newestOfUser(store, query.user),
    registrationOf(store, query.user),
    latestBlock(store, query.user),
    activeBypass(store, query.user, query.now),
    freshness(store),
    fraudOf(store, query.user, query.period),
    newestSigninAt(store),
  ]);
  return {
    user: query.user,
    period: query.period,
    totals,
    signins: page,
    newestSigninAt: newest,
    registration,
    registrationDataAsOf: history.registrations,
    latestBlockEvent: block,
    activeBypass: bypass,
    blockHistoryNewest: history.block,
    bypassHistoryNewest: history.bypass,
    fraudReports: fraud,
    dataAsOf,
  };
}
