// Alert latency: fraud records committed through the real ingest path (a Graph sign-in denied with
// "Phone App Reported Fraud", as sync or import writes it) -> the bot's chat.postMessage seen by
// the LocalSlackApi. One record every `intervalMs` (below Slack's 1 post/s per channel pace, which
// the bot keeps: src/alerts/channel-pacer.ts), each for a different user without an earlier report,
// so each is its own top-level post, not a thread reply.
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import type { Store } from '../db/client.js';
import type { SlackCall } from '../src/simulator/local-slack-api.js';
import { graphSignInSchema, type GraphSignIn } from '../src/ingest/graph-signin.js';
import { ingestSignins } from '../src/ingest/ingest-records.js';
import { ALERT_CHANNEL, type RunningBot } from './bot-process.js';
import { distribution, type Distribution } from './percentiles.js';

export interface AlertLatency extends Distribution {
  alerts: number;
  intervalMs: number;
  posted: number;
  missing: number;
  threadReplies: number;
  otherPosts: number;
  seedBacklogPosted: number;
  waitedForBacklogSeconds: number;
  realUsers: number;
}

interface Target {
  upn: string;
  userId: string | null;
  displayName: string | null;
}

function fraudSignin(target: Target, id: string, at: Date): GraphSignIn {
  const when = at.toISOString();
  return graphSignInSchema.parse({
    id,
    createdDateTime: when,
    userId: target.userId ?? `bench-${id}`,
    userPrincipalName: target.upn,
    userDisplayName: target.displayName ?? target.upn.split('@')[0],
    appDisplayName: 'Office 365 Exchange Online',
    appId: '00000002-0000-0ff1-ce00-000000000000',
    resourceId: '00000002-0000-0ff1-ce00-000000000000',
    ipAddress: '198.51.100.23',
    location: { city: 'Lagos', state: null, countryOrRegion: 'NG', geoCoordinates: {} },
    clientAppUsed: 'Browser',
    isInteractive: true,
    correlationId: `corr-${id}`,
    conditionalAccessStatus: 'success',
    authenticationRequirement: 'multiFactorAuthentication',
    authenticationDetails: [
      { authenticationStepDateTime: when, authenticationMethod: 'Password', authenticationMethodDetail: 'Password in the cloud', succeeded: true, authenticationStepResultDetail: 'Correct password', authenticationStepRequirement: 'Primary authentication' },
      { authenticationStepDateTime: when, authenticationMethod: 'Mobile app notification', authenticationMethodDetail: null, succeeded: false, authenticationStepResultDetail: 'MFA denied; Phone App Reported Fraud', authenticationStepRequirement: 'Multi-factor authentication' },
    ],
    tokenIssuerType: 'AzureAD',
    status: { errorCode: 500121, failureReason: 'Authentication failed during strong authentication request.', additionalDetails: 'MFA denied; Phone App Reported Fraud' },
    appliedConditionalAccessPolicies: [],
  });
}

async function pendingAlerts(store: Store): Promise<number> {
  const [row] = await store.rows<{ n: string }>(sql`SELECT count(*) AS "n" FROM "fraud_reports" WHERE "alert_state" = 'pending'`);
  return Number(row?.n ?? 0);
}

/** Waits until the bot has posted (or given up on) every alert already in the store. */
async function drainBacklog(store: Store, bot: RunningBot, onProgress: (line: string) => void): Promise<{ posted: number; seconds: number }> {
  const before = bot.api.posts(ALERT_CHANNEL).length;
  const started = performance.now();
  let pending = await pendingAlerts(store);
  const deadline = started + (pending * 1500 + 30_000);
  if (pending > 0) onProgress(`  waiting for ${pending} pending seed alerts to be posted first (1 post/s per channel)`);
  while (pending > 0 && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    pending = await pendingAlerts(store);
  }
  if (pending > 0) throw new Error(`${pending} alerts still pending after ${Math.round((performance.now() - started) / 1000)} s; see the bot log`);
  return { posted: bot.api.posts(ALERT_CHANNEL).length - before, seconds: (performance.now() - started) / 1000 };
}

export async function runAlertLatency(
  store: Store,
  bot: RunningBot,
  options: { alerts: number; intervalMs: number; stamp: string },
  onProgress: (line: string) => void,
): Promise<AlertLatency> {
  const backlog = await drainBacklog(store, bot, onProgress);

  // Users with no fraud report at all, so no alert becomes a reply in an earlier alert's thread.
  const real = await store.rows<{ upn: string; user_id: string; display_name: string | null }>(sql`
    SELECT r."upn", r."user_id", r."display_name" FROM "user_registrations" r
    WHERE NOT EXISTS (SELECT 1 FROM "fraud_reports" f WHERE lower(f."upn") = lower(r."upn"))
    ORDER BY r."user_id" LIMIT ${options.alerts}`);
  const targets: Target[] = real.map((r) => ({ upn: r.upn.toLowerCase(), userId: r.user_id, displayName: r.display_name }));
  for (let i = targets.length; i < options.alerts; i++) targets.push({ upn: `bench-alert-${options.stamp}-${i}@contoso.com`, userId: null, displayName: null });

  const committedAt = new Map<string, number>();
  const postedAt = new Map<string, number>();
  let threadReplies = 0;
  let otherPosts = 0;
  const onCall = (call: SlackCall) => {
    if (call.method !== 'chat.postMessage' || call.body.channel !== ALERT_CHANNEL) return;
    const at = performance.now();
    const metadata = call.body.metadata as { event_payload?: { dedupe_key?: string } } | undefined;
    const key = metadata?.event_payload?.dedupe_key;
    const upn = key?.startsWith('user_reported:') ? key.slice('user_reported:'.length).split(':')[0] : undefined;
    if (!upn || !key?.includes(`corr-bench-fraud-${options.stamp}-`)) {
      otherPosts += 1;
      return;
    }
    if (call.body.thread_ts) threadReplies += 1;
    if (!postedAt.has(upn)) postedAt.set(upn, at);
  };
  bot.api.on('call', onCall);
  try {
    const start = performance.now();
    for (let i = 0; i < targets.length; i++) {
      const due = start + i * options.intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const target = targets[i]!;
      // Reported half a minute ago: recent, well inside FRAUD_ALERT_MAX_AGE_HOURS.
      const record = fraudSignin(target, `bench-fraud-${options.stamp}-${i}`, new Date(Date.now() - 30_000));
      const result = await ingestSignins(store, [record], 'graph-beta');
      committedAt.set(target.upn, performance.now());
      if (result.newFraudReportIds.length !== 1) throw new Error(`Fraud record ${i} made ${result.newFraudReportIds.length} new reports, expected 1`);
      if ((i + 1) % 100 === 0) onProgress(`  ${i + 1} of ${targets.length} fraud records committed`);
    }
    const deadline = performance.now() + 30_000;
    while (postedAt.size < targets.length && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  } finally {
    bot.api.off('call', onCall);
  }
  const latencies = [...committedAt].flatMap(([upn, committed]) => {
    const posted = postedAt.get(upn);
    // A post seen before the commit call returned counts as 0 ms (the commit had happened).
    return posted === undefined ? [] : [Math.max(0, posted - committed)];
  });
  return {
    ...distribution(latencies),
    alerts: targets.length,
    intervalMs: options.intervalMs,
    posted: latencies.length,
    missing: targets.length - latencies.length,
    threadReplies,
    otherPosts,
    seedBacklogPosted: backlog.posted,
    waitedForBacklogSeconds: backlog.seconds,
    realUsers: real.length,
  };
}
