// Opens every connection of the report pool and has each plan a statement over all the day
// partitions before the first question. A connection's first plan over them loads the
// descriptors of every partition and index (35-50 ms at 30 days, against 3-7 ms once loaded), and
// after a start the first questions, all new, would each pay it on a new connection at once: the
// load run's first seconds after a start answered in over a second.
import { sql } from 'drizzle-orm';
import type { Store } from '../../db/client.js';
import type { Logger } from '@slack/bolt';
import { FAILED, PROMPTED } from '../reports/signin-predicates.js';

/** Touches each day-partitioned table's partitions and their indexes, partial ones included; EXPLAIN runs nothing. */
const WARM_UP = sql`
  EXPLAIN SELECT 1 FROM "signins" WHERE "user_id" = '' AND (${FAILED} OR ${PROMPTED})
  UNION ALL SELECT 1 FROM "signin_ca_policies" WHERE "policy_id" = ''
  UNION ALL SELECT 1 FROM "signin_quarterly" WHERE "quarter" IS NULL
  UNION ALL SELECT 1 FROM "signin_quarter_user_sets" WHERE "kind" = ''`;

export async function warmReportConnections(store: Store, logger: Logger): Promise<number> {
  if (store.kind !== 'postgres') return 0;
  const started = performance.now();
  // As many at once as the pool holds: postgres.js opens a new connection for each while none is idle.
  const warmed = await Promise.allSettled(Array.from({ length: store.maxConnections }, () => store.rows(WARM_UP)));
  const failed = warmed.filter((w) => w.status === 'rejected');
  if (failed.length > 0) {
    // Nothing is lost: a cold connection only answers its first question more slowly.
    logger.warn(`Could not warm ${failed.length} of ${warmed.length} report connections: ${String((failed[0] as PromiseRejectedResult).reason)}`);
  } else {
    logger.info(`Warmed ${warmed.length} report connections in ${Math.round(performance.now() - started)} ms`);
  }
  return warmed.length - failed.length;
}
