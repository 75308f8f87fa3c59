CREATE TABLE "signin_daily" (
	"day" timestamp with time zone NOT NULL,
	"mfa_required" text NOT NULL,
	"mfa_outcome" text NOT NULL,
	"mfa_result_code" text NOT NULL,
	"mfa_result_detail" text NOT NULL,
	"mfa_method" text NOT NULL,
	"error_code" integer NOT NULL,
	"onprem_component" text NOT NULL,
	"ca_status" text NOT NULL,
	"signins" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "signin_daily_day_idx" ON "signin_daily" USING btree ("day");--> statement-breakpoint
-- Backfill from the hourly rollup (a no-op on a new store).
INSERT INTO "signin_daily" ("day", "mfa_required", "mfa_outcome", "mfa_result_code", "mfa_result_detail", "mfa_method", "error_code", "onprem_component", "ca_status", "signins")
SELECT date_trunc('day', "hour", 'UTC'), "mfa_required", "mfa_outcome", "mfa_result_code", "mfa_result_detail", "mfa_method", "error_code", "onprem_component", "ca_status", sum("signins")::int
FROM "signin_hourly"
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
