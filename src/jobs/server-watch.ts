// Server watch: an on-premises MFA host (MFA Server, NPS extension, AD FS adapter) that has been
// silent longer than SERVER_SILENT_MINUTES gets one post to FRAUD_ALERT_CHANNEL, and one when it
// is heard from again. `server_watch` remembers what was last said about each host; changing it
// and queueing the post share a transaction, so each change is posted once across replicas.
import { sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import { enqueueInTx } from '../alerts/outbox.js';
import { formatLocalDateTime } from '../time/zoned.js';
import { escapeMrkdwn, reply, section } from '../views/blocks.js';
import { plural } from '../views/format.js';
import type { Job } from './job-runner.js';

export const SERVER_WATCH_JOB = 'server-watch';

export interface WatchSettings {
  channel: string;
  silentMinutes: number;
  timeZone: string;
}

export interface ServerWatchOptions extends WatchSettings {
  store: Store;
  /** Default every five minutes. */
  cron?: string;
}

const COMPONENT_NAMES: Record<string, string> = { mfa_server: 'MFA Server', nps: 'NPS extension', adfs: 'AD FS adapter' };
/** Hosts in these states were taken out of service on purpose. */
const RETIRED = /retired|decommission|removed|disabled/i;
/** Activity older than this does not change a host's last sign of life enough to matter. */
const ACTIVITY_LOOKBACK_MS = 7 * 86_400_000;

interface Host {
  name: string;
  component: string;
  state: string | null;
  last_seen: string | Date | null;
  watch_state: string | null;
  watch_since: string | Date | null;
}

export interface WatchResult {
  silent: string[];
  back: string[];
}

export async function watchServers(store: Store, now: Date, options: WatchSettings): Promise<WatchResult> {
  const hosts = await store.rows<Host>(sql`
    SELECT s."name", s."component", s."state",
           greatest(s."last_communication_at", a."last") AS "last_seen",
           w."state" AS "watch_state", w."last_seen_at" AS "watch_since"
    FROM "mfa_servers" s
    LEFT JOIN (SELECT "server", max("occurred_at") AS "last" FROM "onprem_activity"
               WHERE "occurred_at" >= ${new Date(now.getTime() - ACTIVITY_LOOKBACK_MS).toISOString()}::timestamptz AND "server" IS NOT NULL
               GROUP BY "server") a ON a."server" = s."name"
    LEFT JOIN "server_watch" w ON w."name" = s."name"
    ORDER BY s."name"`);
  const result: WatchResult = { silent: [], back: [] };
  const limitMs = options.silentMinutes * 60_000;
  for (const host of hosts) {
    if (!host.last_seen || RETIRED.test(host.state ?? '')) continue;
    const lastSeen = new Date(host.last_seen);
    const silent = now.getTime() - lastSeen.getTime() > limitMs;
    if (silent && host.watch_state !== 'silent' && (await markSilent(store, host, lastSeen, now, options))) result.silent.push(host.name);
    if (!silent && host.watch_state === 'silent' && (await markBack(store, host, lastSeen, now, options))) result.back.push(host.name);
  }
  return result;
}

const describeHost = (host: Host) => `*${escapeMrkdwn(host.name)}* (${COMPONENT_NAMES[host.component] ?? escapeMrkdwn(host.component)})`;

async function markSilent(store: Store, host: Host, lastSeen: Date, now: Date, options: WatchSettings): Promise<boolean> {
  const since = `${formatLocalDateTime(lastSeen, options.timeZone)} (${options.timeZone})`;
  const text =
    `:warning: On-premises MFA host ${describeHost(host)} has been silent since ${since}, more than ${plural(options.silentMinutes, 'minute')}. ` +
    'Sign-ins that depend on it may be failing: check the server and its MFA service.';
  return store.db.transaction(async (tx) => {
    const changed = (await tx.execute(sql`
      INSERT INTO "server_watch" ("name", "state", "last_seen_at", "changed_at")
      VALUES (${host.name}, 'silent', ${lastSeen.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)
      ON CONFLICT ("name") DO UPDATE SET "state" = 'silent', "last_seen_at" = excluded."last_seen_at", "changed_at" = excluded."changed_at"
      WHERE "server_watch"."state" <> 'silent'
      RETURNING "name"`)) as unknown;
    if (rowCount(changed) === 0) return false;
    await enqueueInTx(tx, {
      dedupeKey: `server_silent:${host.name}:${lastSeen.toISOString()}`,
      kind: 'server_silent',
      channel: options.channel,
      message: reply(`MFA host ${host.name} silent since ${since}`, [section(text)]),
    });
    return true;
  });
}

async function markBack(store: Store, host: Host, lastSeen: Date, now: Date, options: WatchSettings): Promise<boolean> {
  const silentSince = host.watch_since ? new Date(host.watch_since) : null;
  const was = silentSince ? ` after being silent since ${formatLocalDateTime(silentSince, options.timeZone)}` : '';
  const text = `:white_check_mark: On-premises MFA host ${describeHost(host)} is reporting again (last heard from ${formatLocalDateTime(lastSeen, options.timeZone)} ${options.timeZone})${was}.`;
  return store.db.transaction(async (tx) => {
    const changed = (await tx.execute(sql`
      UPDATE "server_watch" SET "state" = 'ok', "last_seen_at" = ${lastSeen.toISOString()}::timestamptz, "changed_at" = ${now.toISOString()}::timestamptz
      WHERE "name" = ${host.name} AND "state" = 'silent'
      RETURNING "name"`)) as unknown;
    if (rowCount(changed) === 0) return false;
    await enqueueInTx(tx, {
      dedupeKey: `server_back:${host.name}:${silentSince?.toISOString() ?? 'unknown'}`,
      kind: 'server_back',
      channel: options.channel,
      message: reply(`MFA host ${host.name} is reporting again`, [section(text)]),
    });
    return true;
  });
}

function rowCount(result: unknown): number {
  return (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? [])).length;
}

export function serverWatchJob(options: ServerWatchOptions): Job {
  return {
    name: SERVER_WATCH_JOB,
    cron: options.cron ?? '*/5 * * * *',
    async run({ now }) {
      const { silent, back } = await watchServers(options.store, now, options);
      if (silent.length === 0 && back.length === 0) return 'no change';
      return [silent.length > 0 ? `silent: ${silent.join(', ')}` : '', back.length > 0 ? `back: ${back.join(', ')}` : ''].filter(Boolean).join('; ');
    },
  };
}
