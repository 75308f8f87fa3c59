// Adds the batch's written sign-ins (the writer's temporary `written_signins`) to
// `user_signin_bounds` (see db/schema.ts), inside the sign-in writer's transaction. A rewritten sign-in is added again without taking its old version
// out: the counts only ever grow, so they stay upper bounds of every period's true counts.
import { sql } from 'drizzle-orm';
import type { BulkTransaction } from '../../db/client.js';
import { FAILED, PROMPTED, WHO } from '../reports/signin-predicates.js';

export async function addUserSigninBounds(tx: BulkTransaction): Promise<void> {
  await tx.db.execute(sql`
    INSERT INTO "user_signin_bounds" ("user_key", "prompted", "failed", "by_upn")
    SELECT ${WHO}, count(*) FILTER (WHERE ${PROMPTED})::int, count(*) FILTER (WHERE ${FAILED})::int, bool_or("user_id" IS NULL)
    FROM "written_signins"
    WHERE ${WHO} IS NOT NULL AND (${PROMPTED} OR ${FAILED})
    GROUP BY 1
    ON CONFLICT ("user_key") DO UPDATE SET "prompted" = "user_signin_bounds"."prompted" + excluded."prompted",
                                           "failed" = "user_signin_bounds"."failed" + excluded."failed",
                                           "by_upn" = "user_signin_bounds"."by_upn" OR excluded."by_upn"`);
}
