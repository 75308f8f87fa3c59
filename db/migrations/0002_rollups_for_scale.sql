CREATE TABLE "signin_ca_hourly" (
	"hour" timestamp with time zone NOT NULL,
	"policy_id" text NOT NULL,
	"result" text NOT NULL,
	"display_name" text NOT NULL,
	"named_at" timestamp with time zone,
	"grant_controls" text[] NOT NULL,
	"session_controls" text[] NOT NULL,
	"applied" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signin_user_sets" (
	"level" text NOT NULL,
	"start" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"chunk" integer NOT NULL,
	"bits" bit(4096) NOT NULL,
	CONSTRAINT "signin_user_sets_pkey" PRIMARY KEY("level","kind","start","key","chunk")
);
--> statement-breakpoint
CREATE TABLE "user_numbers" (
	"user_key" text PRIMARY KEY NOT NULL,
	"num" integer GENERATED ALWAYS AS IDENTITY (sequence name "user_numbers_num_seq" INCREMENT BY 1 MINVALUE 0 MAXVALUE 2147483647 START WITH 0 CACHE 1),
	CONSTRAINT "user_numbers_num_unique" UNIQUE("num")
);
--> statement-breakpoint
ALTER TABLE "signin_hourly" ADD COLUMN "ca_status" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "signin_ca_hourly_hour_idx" ON "signin_ca_hourly" USING btree ("hour");--> statement-breakpoint
CREATE INDEX "signins_mfa_failed_idx" ON "signins" USING btree ("created_at") WHERE "signins"."mfa_required" = 'yes' AND "signins"."mfa_outcome" IN ('denied', 'interrupted');--> statement-breakpoint
-- Backfill for stores created before this migration (a no-op on a new store). signin_hourly gains
-- the CA status dimension, so it is rebuilt; the CA rollup, user numbers and user sets are built
-- from the raw rows once, in the same shapes the writers keep them in from now on.
DELETE FROM "signin_hourly";
--> statement-breakpoint
INSERT INTO "signin_hourly" ("hour", "mfa_required", "mfa_outcome", "mfa_result_code", "mfa_result_detail", "mfa_method", "error_code", "onprem_component", "ca_status", "signins")
SELECT date_trunc('hour', "created_at", 'UTC'), "mfa_required", "mfa_outcome",
       coalesce("mfa_result_code", ''), coalesce("mfa_result_detail", ''), coalesce("mfa_method", ''),
       "error_code", coalesce("onprem_component", ''), lower(coalesce("ca_status", '')), count(*)::int
FROM "signins"
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
INSERT INTO "signin_ca_hourly" ("hour", "policy_id", "result", "display_name", "named_at", "grant_controls", "session_controls", "applied")
SELECT date_trunc('hour', "signin_created_at", 'UTC'), "policy_id", lower("result"),
       coalesce((array_agg("display_name" ORDER BY "signin_created_at" DESC) FILTER (WHERE "display_name" IS NOT NULL))[1], ''),
       max("signin_created_at") FILTER (WHERE "display_name" IS NOT NULL),
       "grant_controls", "session_controls", count(*)::int
FROM "signin_ca_policies"
GROUP BY 1, 2, 3, "grant_controls", "session_controls";
--> statement-breakpoint
INSERT INTO "user_numbers" ("user_key")
SELECT "k" FROM (SELECT DISTINCT coalesce("user_id", "upn") AS "k" FROM "signins") AS "d" WHERE "k" IS NOT NULL ORDER BY "k";
--> statement-breakpoint
INSERT INTO "signin_user_sets" ("level", "start", "kind", "key", "chunk", "bits")
SELECT 'hour', "hour", "kind", "key", "num" / 4096, bit_or(B'1'::bit(4096) >> ("num" % 4096))
FROM (
  SELECT DISTINCT date_trunc('hour', s."created_at", 'UTC') AS "hour", n."num", k."kind", k."key"
  FROM "signins" s
  JOIN "user_numbers" n ON n."user_key" = coalesce(s."user_id", s."upn")
  CROSS JOIN LATERAL (
    SELECT 'all', ''
    UNION ALL SELECT 'challenged', '' WHERE s."mfa_required" = 'yes'
    UNION ALL SELECT 'failed', '' WHERE s."mfa_required" = 'yes' AND s."mfa_outcome" IN ('denied', 'interrupted')
    UNION ALL SELECT 'reason', CASE WHEN coalesce(s."mfa_result_code", 'none') = 'other' THEN 'other:' || coalesce(s."mfa_result_detail", '') ELSE coalesce(s."mfa_result_code", 'none') END
      WHERE s."mfa_required" = 'yes' AND s."mfa_outcome" IN ('denied', 'interrupted')
    UNION ALL SELECT 'method', s."mfa_method" WHERE s."mfa_required" = 'yes' AND coalesce(s."mfa_method", '') <> ''
  ) AS k("kind", "key")
) AS "m"
GROUP BY 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO "signin_user_sets" ("level", "start", "kind", "key", "chunk", "bits")
SELECT 'day', date_trunc('day', "start", 'UTC'), "kind", "key", "chunk", bit_or("bits")
FROM "signin_user_sets" WHERE "level" = 'hour'
GROUP BY 2, 3, 4, 5;
