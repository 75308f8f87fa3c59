// Status of the on-premises hosts now (a snapshot): MFA Servers from the imported Server status
// report (retired 2024-09-30, graph-data.md §5.1), NPS extension and AD FS adapter hosts. An NPS
// or AD FS host is heard from whenever a sign-in comes through it, so its last communication is
// the newer of the stored value and its newest sign-in (for NPS the sign-in's source IP is the
// server, §3.2); NPS addresses seen in sign-ins but missing from the list are shown too.
import { asc, count, desc, sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { mfaServers } from '../../db/schema.js';
import { onpremFacts } from './onprem-facts.js';
import { newestSigninAt } from './signin-facts.js';

/** An NPS / AD FS host with nothing for longer than this is flagged silent. */
export const SILENT_AFTER_MS = 60 * 60_000;
/** How far back sign-ins are read for hosts' newest activity (bounded, so partitions prune). */
export const SIGNIN_LOOKBACK_MS = 7 * 86_400_000;

export type ServerFlag = 'retired' | 'silent' | 'ok';

export interface ServerStatus {
  name: string;
  /** 'mfa_server' | 'nps' | 'adfs' */
  component: string;
  version: string | null;
  state: string | null;
  ipAddress: string | null;
  /** As stored (imported or recorded). */
  storedLastCommunicationAt: Date | null;
  /** The newest sign-in through this host in the lookback, if any. */
  newestSigninAt: Date | null;
  /** The newer of the two: what the flag is judged on. */
  lastCommunicationAt: Date | null;
  /** false for an NPS address seen only in sign-ins. */
  listed: boolean;
  source: string | null;
  flag: ServerFlag;
}

export interface ServerStatusReport {
  now: Date;
  /** Every host, problems first: silent, then working, then retired MFA Servers. */
  servers: ServerStatus[];
  /** The page asked for. */
  rows: ServerStatus[];
  counts: { total: number; mfaServers: number; nps: number; adfs: number; silent: number };
  /** Listed rows per `source`. */
  sources: Array<{ source: string; rows: number }>;
  dataAsOf: Date | null;
}

const FLAG_ORDER: Record<ServerFlag, number> = { silent: 0, ok: 1, retired: 2 };

export async function serverStatusReport(store: Store, query: { now: Date; offset: number; limit: number | null }): Promise<ServerStatusReport> {
  const { now } = query;
  const since = new Date(now.getTime() - SIGNIN_LOOKBACK_MS);
  const [listed, seen, sources, dataAsOf] = await Promise.all([
    store.db.select().from(mfaServers).orderBy(asc(mfaServers.name)),
    // The lookback ends at `now` inclusive.
    onpremFacts(store, { from: since, to: new Date(now.getTime() + 1) }),
    store.db.select({ source: mfaServers.source, rows: count() }).from(mfaServers).groupBy(mfaServers.source).orderBy(desc(count()), asc(mfaServers.source)),
    newestSigninAt(store),
  ]);

  const newestBy = new Map<string, Date>();
  for (const fact of seen) {
    if (!fact.ipAddress) continue;
    const key = `${fact.component}\u0000${fact.ipAddress}`;
    const known = newestBy.get(key);
    if (!known || fact.newestAt > known) newestBy.set(key, fact.newestAt);
  }
  const judge = (component: string, last: Date | null): ServerFlag => {
    if (component === 'mfa_server') return 'retired';
    return last && now.getTime() - last.getTime() <= SILENT_AFTER_MS ? 'ok' : 'silent';
  };
  const servers: ServerStatus[] = listed.map((s) => {
    const newest = s.component === 'mfa_server' || !s.ipAddress ? null : (newestBy.get(`${s.component}\u0000${s.ipAddress}`) ?? null);
    const stored = s.lastCommunicationAt;
    const last = newest && (!stored || newest > stored) ? newest : stored;
    return {
      name: s.name,
      component: s.component,
      version: s.version,
      state: s.state,
      ipAddress: s.ipAddress,
      storedLastCommunicationAt: stored,
      newestSigninAt: newest,
      lastCommunicationAt: last,
      listed: true,
      source: s.source,
      flag: judge(s.component, last),
    };
  });
  const listedNps = new Set(listed.filter((s) => s.component === 'nps' && s.ipAddress).map((s) => s.ipAddress));
  for (const [key, newest] of newestBy) {
    const [component, ipAddress] = key.split('\u0000') as [string, string];
    if (component !== 'nps' || listedNps.has(ipAddress)) continue;
    servers.push({
      name: ipAddress,
      component: 'nps',
      version: null,
      state: null,
      ipAddress,
      storedLastCommunicationAt: null,
      newestSigninAt: newest,
      lastCommunicationAt: newest,
      listed: false,
      source: null,
      flag: judge('nps', newest),
    });
  }
  servers.sort((a, b) => FLAG_ORDER[a.flag] - FLAG_ORDER[b.flag] || a.name.localeCompare(b.name));

  const end = query.limit === null ? undefined : query.offset + query.limit;
  return {
    now,
    servers,
    rows: servers.slice(query.offset, end),
    counts: {
      total: servers.length,
      mfaServers: servers.filter((s) => s.component === 'mfa_server').length,
      nps: servers.filter((s) => s.component === 'nps').length,
      adfs: servers.filter((s) => s.component === 'adfs').length,
      silent: servers.filter((s) => s.flag === 'silent').length,
    },
    sources: sources.map((s) => ({ source: s.source, rows: Number(s.rows) })),
    dataAsOf,
  };
}
