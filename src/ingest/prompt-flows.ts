// Keeps `prompt_flows` and `signin_prompt_hourly` in step with the sign-ins (see db/schema.ts),
// inside the sign-in writer's transaction: a flow's first and last prompted record widen as new
// records arrive, and each hour counts the flows whose first prompted record falls in it. A flow
// whose stored records changed (a late correction can make a record stop being a prompt) is
// recounted from the raw rows.
import { sql } from 'drizzle-orm';
import type { BulkTransaction } from '../../db/client.js';
import { FLOW, PROMPTED } from '../reports/signin-predicates.js';

/**
 * Widens the flows of the batch's written records (the writer's temporary `written_signins`),
 * then recounts `changedFlows`.
 */
export async function keepPromptFlows(tx: BulkTransaction, changedFlows: readonly string[]): Promise<void> {
  // Every sub-statement sees prompt_flows as it was, so `before` holds each flow's old first
  // record; an hour gains a flow when it starts there and loses it when it now starts earlier.
  await tx.db.execute(sql`
    WITH batch AS (
      SELECT ${FLOW} AS "flow", min("created_at") AS "first_at", max("created_at") AS "last_at"
      FROM "written_signins"
      WHERE ${PROMPTED}
      GROUP BY 1),
    before AS (SELECT p."flow", p."first_at" FROM "prompt_flows" p JOIN batch b USING ("flow")),
    widened AS (
      INSERT INTO "prompt_flows" ("flow", "first_at", "last_at") SELECT "flow", "first_at", "last_at" FROM batch
      ON CONFLICT ("flow") DO UPDATE SET "first_at" = least("prompt_flows"."first_at", excluded."first_at"),
                                         "last_at" = greatest("prompt_flows"."last_at", excluded."last_at")
      RETURNING 1),
    moves AS (
      SELECT date_trunc('hour', b."first_at", 'UTC') AS "hour", 1 AS "n" FROM batch b LEFT JOIN before o USING ("flow")
      WHERE o."flow" IS NULL OR b."first_at" < o."first_at"
      UNION ALL
      SELECT date_trunc('hour', o."first_at", 'UTC'), -1 FROM batch b JOIN before o USING ("flow")
      WHERE b."first_at" < o."first_at")
    INSERT INTO "signin_prompt_hourly" ("hour", "flows")
    SELECT "hour", sum("n")::int FROM moves GROUP BY 1
    ON CONFLICT ("hour") DO UPDATE SET "flows" = "signin_prompt_hourly"."flows" + excluded."flows"`);
  if (changedFlows.length > 0) await recountPromptFlows(tx, changedFlows);
}

/** Replaces the rows of `flows` with what the raw sign-ins say now. */
async function recountPromptFlows(tx: BulkTransaction, flows: readonly string[]): Promise<void> {
  const list = sql.param([...flows]);
  const gone = await tx.rows<{ hour: string | Date }>(sql`
    DELETE FROM "prompt_flows" WHERE "flow" = ANY(${list}::text[]) RETURNING date_trunc('hour', "first_at", 'UTC') AS "hour"`);
  // A flow is its correlation ID, or the sign-in's own ID when it has none.
  const fresh = await tx.rows<{ hour: string | Date }>(sql`
    INSERT INTO "prompt_flows" ("flow", "first_at", "last_at")
    SELECT ${FLOW}, min("created_at"), max("created_at") FROM "signins"
    WHERE ("correlation_id" = ANY(${list}::text[]) OR ("correlation_id" IS NULL AND "id" = ANY(${list}::text[]))) AND ${PROMPTED}
    GROUP BY 1
    RETURNING date_trunc('hour', "first_at", 'UTC') AS "hour"`);
  const delta = new Map<string, number>();
  const add = (hour: string | Date, n: number) => {
    const key = new Date(hour).toISOString();
    delta.set(key, (delta.get(key) ?? 0) + n);
  };
  for (const row of gone) add(row.hour, -1);
  for (const row of fresh) add(row.hour, 1);
  const changed = [...delta].filter(([, n]) => n !== 0);
  if (changed.length === 0) return;
  await tx.db.execute(sql`
    INSERT INTO "signin_prompt_hourly" ("hour", "flows")
    SELECT "hour", "n" FROM unnest(${sql.param(changed.map(([hour]) => hour))}::text[]::timestamptz[], ${sql.param(changed.map(([, n]) => String(n)))}::text[]::int[]) AS d("hour", "n")
    ON CONFLICT ("hour") DO UPDATE SET "flows" = "signin_prompt_hourly"."flows" + excluded."flows"`);
}
