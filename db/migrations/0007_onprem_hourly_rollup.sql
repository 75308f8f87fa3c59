CREATE TABLE "signin_onprem_hourly" (
	"hour" timestamp with time zone NOT NULL,
	"component" text NOT NULL,
	"ip_address" text NOT NULL,
	"mfa_outcome" text NOT NULL,
	"signins" integer NOT NULL,
	"newest_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "signin_onprem_hourly_hour_idx" ON "signin_onprem_hourly" USING btree ("hour");--> statement-breakpoint
-- Backfill from the raw sign-ins (no-ops on a new store): the hourly on-premises rollup, and the
-- 'nps' user sets per host, hour and UTC day (bit n of chunk c is user number c * 4096 + n,
-- leftmost first, as src/ingest/user-sets.ts writes them).
INSERT INTO "signin_onprem_hourly" ("hour", "component", "ip_address", "mfa_outcome", "signins", "newest_at")
SELECT date_trunc('hour', "created_at", 'UTC'), "onprem_component", coalesce("ip_address", ''), "mfa_outcome", count(*)::int, max("created_at")
FROM "signins"
WHERE "onprem_component" IS NOT NULL
GROUP BY 1, 2, 3, 4;--> statement-breakpoint
INSERT INTO "signin_user_sets" ("level", "start", "kind", "key", "chunk", "bits")
SELECT l."level", CASE WHEN l."level" = 'hour' THEN m."hour" ELSE date_trunc('day', m."hour", 'UTC') END, 'nps', m."key", m."num" / 4096,
       bit_or(set_bit(repeat('0', 4096)::bit(4096), m."num" % 4096, 1))
FROM (
  SELECT DISTINCT date_trunc('hour', s."created_at", 'UTC') AS "hour", coalesce(s."ip_address", '') AS "key", n."num"
  FROM "signins" s JOIN "user_numbers" n ON n."user_key" = coalesce(s."user_id", s."upn")
  WHERE s."onprem_component" = 'nps'
) AS m
CROSS JOIN (VALUES ('hour'), ('day')) AS l("level")
GROUP BY 1, 2, 3, 4, 5
ON CONFLICT ("level", "kind", "start", "key", "chunk") DO UPDATE SET "bits" = "signin_user_sets"."bits" | excluded."bits";
