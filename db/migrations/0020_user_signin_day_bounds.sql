-- Per-user bounds per UTC day (db/schema.ts: user_signin_day_bounds), for the rankings' bounds
-- in a period; the rankings count their few candidates in full, so the partial index of prompted
-- sign-ins by user (a third of all rows) is read by nothing any more.
CREATE TABLE "user_signin_day_bounds" (
	"user_key" text NOT NULL,
	"day" timestamp with time zone NOT NULL,
	"prompted" integer NOT NULL,
	"failed" integer NOT NULL,
	CONSTRAINT "user_signin_day_bounds_user_key_day_pk" PRIMARY KEY("user_key","day")
);
--> statement-breakpoint
DROP INDEX "signins_prompted_user_idx";--> statement-breakpoint
CREATE INDEX "user_signin_day_bounds_day_idx" ON "user_signin_day_bounds" USING btree ("day");--> statement-breakpoint
CREATE TRIGGER mfa_bot_store_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "user_signin_day_bounds" FOR EACH STATEMENT EXECUTE FUNCTION mfa_bot_store_changed();
--> statement-breakpoint
-- Backfill from the raw sign-ins (a no-op on a new store), with the predicates of
-- src/reports/signin-predicates.ts (PROMPTED, FAILED) as text.
INSERT INTO "user_signin_day_bounds" ("user_key", "day", "prompted", "failed")
SELECT coalesce("user_id", "upn"), date_trunc('day', "created_at" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
       count(*) FILTER (WHERE "prompted")::int, count(*) FILTER (WHERE "failed")::int
FROM (
  SELECT "user_id", "upn", "created_at",
         ("mfa_required" = 'yes' AND ("mfa_outcome" IN ('denied', 'interrupted') OR ("mfa_outcome" = 'satisfied' AND NOT coalesce("mfa_result_code", '') IN (
           'satisfied_by_claim', 'satisfied_first_factor_by_claim', 'skipped_remembered_device', 'skipped_location',
           'skipped_registered_device', 'skipped_app_password', 'skipped_broker_logon')))) AS "prompted",
         ("mfa_required" = 'yes' AND "mfa_outcome" IN ('denied', 'interrupted')) AS "failed"
  FROM "signins") AS s
WHERE coalesce("user_id", "upn") IS NOT NULL AND ("prompted" OR "failed")
GROUP BY 1, 2;
