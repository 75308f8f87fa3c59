// Opens the report store the configuration selects, saying which one at start-up: a silent
// fallback to the embedded store would be a nasty surprise in production.
import type { Logger } from '@slack/bolt';
import { openStore, type Store } from '../../db/client.js';
import type { Config } from '../config.js';

export async function openConfiguredStore(config: Pick<Config, 'DATABASE_URL' | 'PGLITE_DIR'>, logger: Logger): Promise<Store> {
  const store = await openStore({ databaseUrl: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR });
  logger.info(`Report store: ${store.description}`);
  return store;
}
