// The Graph app registration from the configuration, and the clients built from it, so the CLI
// and the bot's scheduler construct them the same way.
import type { Logger } from '@slack/bolt';
import type { Store } from '../../db/client.js';
import type { Config } from '../config.js';
import { createGraphClient, type GraphClient, type GraphClientOptions } from '../graph/graph-client.js';
import { createTokenClient } from '../graph/token-client.js';
import { runSync, type SyncOptions, type SyncSummary } from './run-sync.js';

export type GraphConfig = Pick<Config, 'GRAPH_TENANT_ID' | 'GRAPH_CLIENT_ID' | 'GRAPH_CLIENT_SECRET' | 'GRAPH_API_URL' | 'GRAPH_LOGIN_URL'>;

const REQUIRED = ['GRAPH_TENANT_ID', 'GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET'] as const;

/** The GRAPH_* variables a sync needs that are not set. */
export function missingGraphSettings(config: GraphConfig): string[] {
  return REQUIRED.filter((name) => !config[name]);
}

export class GraphNotConfiguredError extends Error {
  constructor(readonly missing: string[]) {
    super(
      `Microsoft Graph is not configured: set ${missing.join(', ')} (the app registration's tenant ID, client ID and client secret; ` +
        'it needs the AuditLog.Read.All, Directory.Read.All and IdentityRiskEvent.Read.All application permissions).',
    );
    this.name = 'GraphNotConfiguredError';
  }
}

export function createConfiguredGraphClient(config: GraphConfig, logger: Logger, overrides: Partial<Omit<GraphClientOptions, 'apiUrl' | 'tokens' | 'logger'>> = {}): GraphClient {
  const missing = missingGraphSettings(config);
  if (missing.length > 0) throw new GraphNotConfiguredError(missing);
  const tokens = createTokenClient({
    loginUrl: config.GRAPH_LOGIN_URL,
    tenantId: config.GRAPH_TENANT_ID!,
    clientId: config.GRAPH_CLIENT_ID!,
    clientSecret: config.GRAPH_CLIENT_SECRET!,
    clock: overrides.clock,
    fetch: overrides.fetch,
  });
  return createGraphClient({ ...overrides, apiUrl: config.GRAPH_API_URL, tokens, logger });
}

/** One sync with the configured app registration: the scheduler's entry point. */
export async function runConfiguredSync(store: Store, config: GraphConfig, logger: Logger, options: Omit<SyncOptions, 'logger'> = {}): Promise<SyncSummary> {
  return runSync(store, createConfiguredGraphClient(config, logger), { ...options, logger });
}
