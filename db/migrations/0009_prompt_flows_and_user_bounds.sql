CREATE TABLE "prompt_flows" (
	"flow" text PRIMARY KEY NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signin_prompt_hourly" (
	"hour" timestamp with time zone PRIMARY KEY NOT NULL,
	"flows" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_signin_bounds" (
	"user_key" text PRIMARY KEY NOT NULL,
	"prompted" integer NOT NULL,
	"failed" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "prompt_flows_first_at_idx" ON "prompt_flows" USING btree ("first_at");--> statement-breakpoint
CREATE INDEX "prompt_flows_long_idx" ON "prompt_flows" USING btree ("first_at") WHERE "prompt_flows"."last_at" - "prompt_flows"."first_at" > interval '1 hour';--> statement-breakpoint
CREATE INDEX "user_signin_bounds_prompted_idx" ON "user_signin_bounds" USING btree ("prompted" DESC NULLS LAST,"user_key");--> statement-breakpoint
CREATE INDEX "user_signin_bounds_failed_idx" ON "user_signin_bounds" USING btree ("failed" DESC NULLS LAST,"user_key");--> statement-breakpoint
-- Backfill from the raw sign-ins (no-ops on a new store). The predicates are those of
-- src/reports/signin-predicates.ts, with the no-prompt result codes of src/reports/methods.ts.
CREATE TEMP TABLE "backfill_prompted" AS
SELECT coalesce("correlation_id", "id") AS "flow", "created_at", coalesce("user_id", "upn") AS "who",
       ("mfa_required" = 'yes' AND ("mfa_outcome" IN ('denied', 'interrupted') OR ("mfa_outcome" = 'satisfied' AND NOT coalesce("mfa_result_code", '') IN (
         'satisfied_by_claim', 'satisfied_first_factor_by_claim', 'skipped_remembered_device', 'skipped_location',
         'skipped_registered_device', 'skipped_app_password', 'skipped_broker_logon')))) AS "prompted",
       ("mfa_required" = 'yes' AND "mfa_outcome" IN ('denied', 'interrupted')) AS "failed"
FROM "signins"
WHERE "mfa_required" = 'yes';--> statement-breakpoint
INSERT INTO "prompt_flows" ("flow", "first_at", "last_at")
SELECT "flow", min("created_at"), max("created_at") FROM "backfill_prompted" WHERE "prompted" GROUP BY 1;--> statement-breakpoint
INSERT INTO "signin_prompt_hourly" ("hour", "flows")
SELECT date_trunc('hour', "first_at", 'UTC'), count(*)::int FROM "prompt_flows" GROUP BY 1;--> statement-breakpoint
INSERT INTO "user_signin_bounds" ("user_key", "prompted", "failed")
SELECT "who", count(*) FILTER (WHERE "prompted")::int, count(*) FILTER (WHERE "failed")::int
FROM "backfill_prompted" WHERE "who" IS NOT NULL AND ("prompted" OR "failed") GROUP BY 1;--> statement-breakpoint
DROP TABLE "backfill_prompted";
