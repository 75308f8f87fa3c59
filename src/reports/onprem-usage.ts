// Usage of the on-premises MFA components in a period (graph-data.md §5.1, §9): NPS extension and
// AD FS adapter cloud-MFA events are sign-ins (`signins.onprem_component`), counted through the
// rollup; per NPS server means per source IP, since an NPS extension sign-in always shows the NPS
// server's address (§3.2). MFA Server's own activity comes only from its imported Activity Report
// (`onprem_activity`), and stopped on 2024-09-30, so those numbers are historical.
import { asc, count, desc, max, min, sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { onpremActivity } from '../../db/schema.js';
import type { Period } from '../time/period.js';
import type { Provenance } from './block-history.js';
import { distinctUsers, usersIn } from './distinct-users.js';
import { onpremFacts, type OnpremFact } from './onprem-facts.js';
import { compareText } from './top-users.js';
import { newestSigninAt, signinFacts } from './signin-facts.js';

export const ONPREM_COMPONENTS = ['nps', 'adfs'] as const;
const TOP_REASONS = 3;
const TOP_RESULTS = 3;

export interface ComponentUsage {
  component: 'nps' | 'adfs';
  signins: number;
  satisfied: number;
  denied: number;
  interrupted: number;
  /** Stopped before MFA, MFA not required, or unknown. */
  other: number;
  /** The most common reasons for denied or interrupted MFA. */
  topFailures: Array<{ code: string; detail: string | null; signins: number }>;
}

export interface NpsServerUsage {
  /** The NPS server's address (the sign-in's source IP). */
  ipAddress: string | null;
  /** Its name, when the server list knows that address. */
  name: string | null;
  signins: number;
  satisfied: number;
  denied: number;
  interrupted: number;
  users: number;
}

export interface ActivityServer {
  /** 'mfa_server' (or 'nps' / 'adfs' from an imported activity report). */
  component: string;
  server: string | null;
  authentications: number;
  succeeded: number;
  failed: number;
  users: number;
  topResults: Array<{ callResult: string; description: string | null; succeeded: boolean; authentications: number }>;
}

export interface OnpremUsageReport {
  period: Period;
  /** Every sign-in of the period, for the on-premises share. */
  allSignins: number;
  components: ComponentUsage[];
  npsServers: NpsServerUsage[];
  activity: ActivityServer[];
  /** The imported activity report as a whole (any time). */
  activityProvenance: Provenance;
  /** Whether any NPS / AD FS sign-in is in the store at all. */
  anyOnpremSignins: boolean;
  dataAsOf: Date | null;
}

export async function onpremUsageReport(store: Store, period: Period): Promise<OnpremUsageReport> {
  const from = period.from.toISOString();
  const to = period.to.toISOString();
  const [facts, hostFacts, npsUsers, npsNames, activity, results, provenance, sources, anyOnprem, dataAsOf] = await Promise.all([
    signinFacts(store, period),
    onpremFacts(store, period),
    distinctUsers(store, period, ['nps']),
    store.rows<{ ip_address: string; name: string }>(sql`
      SELECT "ip_address", min("name") AS "name" FROM "mfa_servers" WHERE "component" = 'nps' AND "ip_address" IS NOT NULL GROUP BY 1`),
    store.rows<{ component: string; server: string | null; authentications: number; succeeded: number; users: number }>(sql`
      SELECT "component", "server", count(*)::int AS "authentications",
             count(*) FILTER (WHERE ${succeededSql()})::int AS "succeeded",
             count(DISTINCT lower("upn"))::int AS "users"
      FROM "onprem_activity"
      WHERE "occurred_at" >= ${from}::timestamptz AND "occurred_at" < ${to}::timestamptz
      GROUP BY 1, 2
      ORDER BY count(*) DESC, "component", "server"`),
    store.rows<{ component: string; server: string | null; call_result: string; description: string | null; succeeded: boolean; authentications: number }>(sql`
      SELECT "component", "server", coalesce("call_result", 'UNKNOWN') AS "call_result",
             mode() WITHIN GROUP (ORDER BY "detail") AS "description",
             bool_or(${succeededSql()}) AS "succeeded", count(*)::int AS "authentications"
      FROM "onprem_activity"
      WHERE "occurred_at" >= ${from}::timestamptz AND "occurred_at" < ${to}::timestamptz
      GROUP BY 1, 2, 3
      ORDER BY count(*) DESC, 3`),
    store.db.select({ rows: count(), oldest: min(onpremActivity.occurredAt), newest: max(onpremActivity.occurredAt) }).from(onpremActivity),
    store.db
      .select({ source: onpremActivity.source, rows: count() })
      .from(onpremActivity)
      .groupBy(onpremActivity.source)
      .orderBy(desc(count()), asc(onpremActivity.source)),
    // The rollup is small: no scan of every sign-in ever stored.
    store.rows<{ any: boolean }>(sql`SELECT EXISTS (SELECT 1 FROM "signin_hourly" WHERE "onprem_component" <> '') AS "any"`),
    newestSigninAt(store),
  ]);

  const components: ComponentUsage[] = ONPREM_COMPONENTS.map((component) => ({
    component,
    signins: 0,
    satisfied: 0,
    denied: 0,
    interrupted: 0,
    other: 0,
    topFailures: [],
  }));
  const reasons = new Map<string, Map<string, { code: string; detail: string | null; signins: number }>>();
  let allSignins = 0;
  for (const fact of facts) {
    allSignins += fact.signins;
    const usage = components.find((c) => c.component === fact.onpremComponent);
    if (!usage) continue;
    usage.signins += fact.signins;
    if (fact.mfaOutcome === 'satisfied') usage.satisfied += fact.signins;
    else if (fact.mfaOutcome === 'denied') usage.denied += fact.signins;
    else if (fact.mfaOutcome === 'interrupted') usage.interrupted += fact.signins;
    else usage.other += fact.signins;
    if (fact.mfaOutcome === 'denied' || fact.mfaOutcome === 'interrupted') {
      const code = fact.mfaResultCode || 'none';
      const detail = code === 'other' ? fact.mfaResultDetail || null : null;
      const byKey = reasons.get(usage.component) ?? new Map();
      const key = `${code}\u0000${detail ?? ''}`;
      const reason = byKey.get(key) ?? { code, detail, signins: 0 };
      reason.signins += fact.signins;
      byKey.set(key, reason);
      reasons.set(usage.component, byKey);
    }
  }
  for (const usage of components) {
    usage.topFailures = [...(reasons.get(usage.component)?.values() ?? [])]
      .sort((a, b) => b.signins - a.signins || a.code.localeCompare(b.code))
      .slice(0, TOP_REASONS);
  }

  const span = provenance[0];
  return {
    period,
    allSignins,
    components,
    npsServers: npsServerUsage(hostFacts, npsUsers, new Map(npsNames.map((n) => [n.ip_address, n.name]))),
    activity: activity.map((a) => ({
      component: a.component,
      server: a.server,
      authentications: Number(a.authentications),
      succeeded: Number(a.succeeded),
      failed: Number(a.authentications) - Number(a.succeeded),
      users: Number(a.users),
      topResults: results
        .filter((r) => r.component === a.component && r.server === a.server)
        .slice(0, TOP_RESULTS)
        .map((r) => ({ callResult: r.call_result, description: r.description, succeeded: Boolean(r.succeeded), authentications: Number(r.authentications) })),
    })),
    activityProvenance: {
      rows: Number(span?.rows ?? 0),
      sources: sources.map((s) => ({ source: s.source, rows: Number(s.rows) })),
      oldest: span?.oldest ? new Date(span.oldest) : null,
      newest: span?.newest ? new Date(span.newest) : null,
    },
    anyOnpremSignins: Boolean(anyOnprem[0]?.any),
    dataAsOf,
  };
}

/** Per NPS host (source address), most sign-ins first. */
function npsServerUsage(facts: readonly OnpremFact[], users: Map<string, number>, names: Map<string, string>): NpsServerUsage[] {
  const byHost = new Map<string, NpsServerUsage>();
  for (const fact of facts) {
    if (fact.component !== 'nps') continue;
    const ipAddress = fact.ipAddress || null;
    let host = byHost.get(fact.ipAddress);
    if (!host) {
      host = { ipAddress, name: (ipAddress && names.get(ipAddress)) || null, signins: 0, satisfied: 0, denied: 0, interrupted: 0, users: usersIn(users, 'nps', fact.ipAddress) };
      byHost.set(fact.ipAddress, host);
    }
    host.signins += fact.signins;
    if (fact.mfaOutcome === 'satisfied') host.satisfied += fact.signins;
    else if (fact.mfaOutcome === 'denied') host.denied += fact.signins;
    else if (fact.mfaOutcome === 'interrupted') host.interrupted += fact.signins;
  }
  return [...byHost.values()].sort((a, b) => b.signins - a.signins || compareText(a.ipAddress, b.ipAddress));
}

/** A Call Result counts as a success as imported; without that flag, by its SUCCESS_ prefix. */
function succeededSql() {
  return sql`coalesce("succeeded", left("call_result", 8) = 'SUCCESS_')`;
}
