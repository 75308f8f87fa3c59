// Loads the synthetic demo tenant into a store through the same ingest path real Graph data
// takes. Deterministic and idempotent: a second run finds everything already there.
import type { Store } from '../../db/client.js';
import type { GraphDirectoryAudit } from '../ingest/graph-directory-audit.js';
import type { GraphRegistration } from '../ingest/graph-registration.js';
import type { GraphRiskDetection } from '../ingest/graph-risk-detection.js';
import type { GraphSignIn } from '../ingest/graph-signin.js';
import { ingestDirectoryAudits, ingestRegistrations, ingestRiskDetections, ingestSignins } from '../ingest/ingest-records.js';
import { refreshHourlyRollup } from '../ingest/refresh-hourly-rollup.js';
import { contentKey, writeBlockEvents, writeBypassEvents, writeOnpremActivity, writeServers } from '../ingest/write-legacy.js';
import {
  demoBlockEvents,
  demoBypassEvents,
  demoDirectoryAudits,
  demoOnpremActivity,
  demoRegistrationDetails,
  demoRiskDetections,
  demoServers,
  demoSignins,
  type DemoTenantOptions,
} from './demo-tenant.js';

const SOURCE = 'seed';
const BATCH = 5_000;

export interface SeedSummary {
  users: number;
  signins: { inserted: number; updated: number; unchanged: number };
  fraudReports: number;
  riskDetections: number;
  directoryAudits: number;
  blockEvents: number;
  bypassEvents: number;
  servers: number;
  onpremActivity: number;
}

export type SeedProgress = (phase: string, done: number) => void;

export async function seedDemoTenant(store: Store, options: DemoTenantOptions, progress: SeedProgress = () => {}): Promise<SeedSummary> {
  const registrations = demoRegistrationDetails(options) as unknown as GraphRegistration[];
  await ingestRegistrations(store, registrations, SOURCE);
  progress('users', registrations.length);

  const signins = { inserted: 0, updated: 0, unchanged: 0 };
  let fraudReports = 0;
  let first: Date | null = null;
  let last: Date | null = null;
  let batch: GraphSignIn[] = [];
  // The next batch is generated while the previous one is written (one batch in flight).
  let writing: Promise<void> = Promise.resolve();
  const write = async (records: GraphSignIn[]) => {
    // Rollups are rebuilt once at the end: cheaper than per batch for a bulk load.
    const result = await ingestSignins(store, records, SOURCE, { rollup: 'deferred' });
    signins.inserted += result.inserted;
    signins.updated += result.updated;
    signins.unchanged += result.unchanged;
    fraudReports += result.newFraudReportIds.length;
    progress('sign-ins', signins.inserted + signins.updated + signins.unchanged);
  };
  const flush = async () => {
    await writing;
    if (batch.length === 0) return;
    writing = write(batch);
    writing.catch(() => {}); // awaited at the next flush; not unhandled meanwhile
    batch = [];
  };
  for (const record of demoSignins(options)) {
    const signin = record as unknown as GraphSignIn;
    const at = new Date(signin.createdDateTime);
    if (!first || at < first) first = at;
    if (!last || at > last) last = at;
    batch.push(signin);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  await writing;
  if (first && last) {
    const [from, to] = [first, last];
    await store.db.transaction((tx) => refreshHourlyRollup(tx, from, to));
  }

  const risk = await ingestRiskDetections(store, demoRiskDetections(options) as unknown as GraphRiskDetection[]);
  const audits = await ingestDirectoryAudits(store, demoDirectoryAudits(options) as unknown as GraphDirectoryAudit[]);
  fraudReports += risk.newFraudReportIds.length + audits.newFraudReportIds.length;
  progress('fraud reports', fraudReports);

  const blocks = await writeBlockEvents(
    store,
    demoBlockEvents(options).map((e) => ({ ...e, dedupeKey: contentKey('block', e.upn, e.action, e.occurredAt), source: SOURCE })),
  );
  const bypasses = await writeBypassEvents(
    store,
    demoBypassEvents(options).map((e) => ({
      ...e,
      expiresAt: new Date(e.occurredAt.getTime() + e.seconds * 1000),
      dedupeKey: contentKey('bypass', e.upn, e.seconds, e.occurredAt),
      source: SOURCE,
    })),
  );
  const servers = await writeServers(store, demoServers(options).map((s) => ({ ...s, source: SOURCE })));
  const activity = await writeOnpremActivity(
    store,
    demoOnpremActivity(options).map((a) => ({ ...a, dedupeKey: contentKey('onprem', a.server, a.upn, a.callResult, a.occurredAt), source: SOURCE })),
  );

  return {
    users: registrations.length,
    signins,
    fraudReports,
    riskDetections: risk.inserted,
    directoryAudits: audits.inserted,
    blockEvents: blocks.inserted,
    bypassEvents: bypasses.inserted,
    servers: servers.inserted,
    onpremActivity: activity.inserted,
  };
}
