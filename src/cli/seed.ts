// npm run seed -- --users N --days D [--seed S]: the synthetic demo tenant, into the configured store.
import { parseArgs } from 'node:util';
import { LogLevel } from '@slack/bolt';
import { z } from 'zod';
import { loadConfig, loadDotEnv } from '../config.js';
import { createLogger } from '../logger.js';
import { openConfiguredStore } from '../runtime/open-configured-store.js';
import { seedDemoTenant } from '../seed/seed-store.js';
import { exitOnError } from './exit-on-error.js';

const USAGE = 'Usage: npm run seed -- --users N --days D [--seed S]   e.g. npm run seed -- --users 2000 --days 30';

const optionsSchema = z.object({
  users: z.coerce.number().int().min(1, { message: '--users must be at least 1' }).max(1_000_000, { message: '--users is at most 1,000,000' }).default(200),
  days: z.coerce.number().int().min(1, { message: '--days must be at least 1' }).max(400, { message: '--days is at most 400' }).default(30),
  seed: z.coerce.number().int({ message: '--seed must be a whole number' }).default(42),
});

async function main(): Promise<void> {
  let parsed;
  try {
    const { values } = parseArgs({ options: { users: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' } } });
    parsed = optionsSchema.safeParse(values);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (!parsed.success) {
    process.stderr.write(`${parsed.error.issues.map((i) => i.message).join('; ')}\n${USAGE}\n`);
    process.exit(2);
  }
  loadDotEnv();
  const config = loadConfig();
  const logger = createLogger({ level: LogLevel.INFO });
  const store = await openConfiguredStore(config, logger);
  try {
    const started = Date.now();
    const summary = await seedDemoTenant(store, { ...parsed.data, now: new Date() }, (phase, done) => {
      if (process.stderr.isTTY) process.stderr.write(`\r${phase}: ${done.toLocaleString('en-US')}   `);
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    const s = summary.signins;
    process.stdout.write(
      `Seeded the demo tenant (seed ${parsed.data.seed}) in ${((Date.now() - started) / 1000).toFixed(1)} s:\n` +
        `  users: ${summary.users}\n` +
        `  sign-ins: ${s.inserted} new, ${s.updated} updated, ${s.unchanged} already present\n` +
        `  fraud reports: ${summary.fraudReports} new (risk detections ${summary.riskDetections}, audit entries ${summary.directoryAudits})\n` +
        `  block events: ${summary.blockEvents}, bypasses: ${summary.bypassEvents}, servers: ${summary.servers}, MFA Server activity: ${summary.onpremActivity} new\n`,
    );
  } finally {
    await store.close();
  }
}

main().catch(exitOnError);
