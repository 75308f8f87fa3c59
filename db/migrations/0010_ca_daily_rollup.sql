CREATE TABLE "signin_ca_daily" (
	"day" timestamp with time zone NOT NULL,
	"policy_id" text NOT NULL,
	"result" text NOT NULL,
	"display_name" text NOT NULL,
	"named_at" timestamp with time zone,
	"grant_controls" text[] NOT NULL,
	"session_controls" text[] NOT NULL,
	"applied" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "signin_ca_daily_day_idx" ON "signin_ca_daily" USING btree ("day");--> statement-breakpoint
-- Backfill from the hourly rollup (a no-op on a new store), as src/ingest/refresh-hourly-rollup.ts does.
INSERT INTO "signin_ca_daily" ("day", "policy_id", "result", "display_name", "named_at", "grant_controls", "session_controls", "applied")
SELECT date_trunc('day', "hour", 'UTC'), "policy_id", "result",
       coalesce((array_agg("display_name" ORDER BY "named_at" DESC) FILTER (WHERE "display_name" <> ''))[1], ''),
       max("named_at") FILTER (WHERE "display_name" <> ''),
       "grant_controls", "session_controls", sum("applied")::int
FROM "signin_ca_hourly"
GROUP BY 1, 2, 3, "grant_controls", "session_controls";
