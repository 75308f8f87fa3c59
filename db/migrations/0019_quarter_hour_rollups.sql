-- The quarter-hour tier of the sign-in rollups and user sets (db/schema.ts: signin_quarterly,
-- signin_quarter_user_sets), partitioned by day like signins (drizzle-kit cannot express
-- PARTITION BY), with partitions for the days already stored, filled from the stored sign-ins.
CREATE TABLE "signin_quarter_user_sets" (
	"start" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"chunk" integer NOT NULL,
	"bits" bit(4096) NOT NULL,
	CONSTRAINT "signin_quarter_user_sets_pkey" PRIMARY KEY("kind","start","key","chunk")
) PARTITION BY RANGE ("start");
--> statement-breakpoint
CREATE TABLE "signin_quarterly" (
	"quarter" timestamp with time zone NOT NULL,
	"mfa_required" text NOT NULL,
	"mfa_outcome" text NOT NULL,
	"mfa_result_code" text NOT NULL,
	"mfa_result_detail" text NOT NULL,
	"mfa_method" text NOT NULL,
	"error_code" integer NOT NULL,
	"onprem_component" text NOT NULL,
	"ca_status" text NOT NULL,
	"signins" integer NOT NULL
) PARTITION BY RANGE ("quarter");
--> statement-breakpoint
CREATE INDEX "signin_quarterly_quarter_idx" ON "signin_quarterly" USING btree ("quarter");
--> statement-breakpoint
DO $$
DECLARE
  day_suffix text;
  day_start timestamptz;
  quarter_table text;
BEGIN
  FOR day_suffix IN
    SELECT substring(c.relname FROM '^signins_p(\d{8})$') FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname = 'signins' AND c.relname ~ '^signins_p\d{8}$'
  LOOP
    day_start := to_timestamp(day_suffix, 'YYYYMMDD')::date::timestamp AT TIME ZONE 'UTC';
    FOREACH quarter_table IN ARRAY ARRAY['signin_quarterly', 'signin_quarter_user_sets'] LOOP
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
        quarter_table || '_p' || day_suffix, quarter_table, day_start, day_start + interval '1 day');
    END LOOP;
  END LOOP;
END
$$;
--> statement-breakpoint
INSERT INTO "signin_quarterly" ("quarter", "mfa_required", "mfa_outcome", "mfa_result_code", "mfa_result_detail", "mfa_method", "error_code", "onprem_component", "ca_status", "signins")
SELECT date_bin('15 minutes', "created_at", TIMESTAMPTZ '2000-01-01 00:00:00+00'), "mfa_required", "mfa_outcome",
       coalesce("mfa_result_code", ''), coalesce("mfa_result_detail", ''), coalesce("mfa_method", ''),
       "error_code", coalesce("onprem_component", ''), lower(coalesce("ca_status", '')), count(*)::int
FROM "signins"
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
-- The sets a sign-in puts its user in, as setsOf (src/ingest/user-sets.ts) has them; each user's
-- bit is a one shifted to its place in its chunk's 4,096, OR-ed together.
INSERT INTO "signin_quarter_user_sets" ("start", "kind", "key", "chunk", "bits")
SELECT "start", "kind", "key", "num" / 4096, bit_or(B'1'::bit(4096) >> ("num" % 4096))
FROM (
  SELECT date_bin('15 minutes', s."created_at", TIMESTAMPTZ '2000-01-01 00:00:00+00') AS "start",
         coalesce(s."user_num", n."num") AS "num", s."mfa_required", s."mfa_outcome", s."mfa_result_code",
         s."mfa_result_detail", s."mfa_method", s."onprem_component", s."ip_address"
  FROM "signins" s LEFT JOIN "user_numbers" n ON n."user_key" = coalesce(s."user_id", s."upn")
) AS e
CROSS JOIN LATERAL (
  SELECT 'all' AS "kind", '' AS "key"
  UNION ALL SELECT 'nps', coalesce(e."ip_address", '') WHERE e."onprem_component" = 'nps'
  UNION ALL SELECT 'challenged', '' WHERE e."mfa_required" = 'yes'
  UNION ALL SELECT 'failed', '' WHERE e."mfa_required" = 'yes' AND e."mfa_outcome" IN ('denied', 'interrupted')
  UNION ALL SELECT 'reason', CASE WHEN coalesce(nullif(e."mfa_result_code", ''), 'none') = 'other' THEN 'other:' || coalesce(e."mfa_result_detail", '')
                                  ELSE coalesce(nullif(e."mfa_result_code", ''), 'none') END
    WHERE e."mfa_required" = 'yes' AND e."mfa_outcome" IN ('denied', 'interrupted')
  UNION ALL SELECT 'method', e."mfa_method" WHERE e."mfa_required" = 'yes' AND coalesce(e."mfa_method", '') <> ''
) AS m
WHERE e."num" IS NOT NULL
GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
CREATE TRIGGER mfa_bot_store_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "signin_quarterly" FOR EACH STATEMENT EXECUTE FUNCTION mfa_bot_store_changed();
--> statement-breakpoint
CREATE TRIGGER mfa_bot_store_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "signin_quarter_user_sets" FOR EACH STATEMENT EXECUTE FUNCTION mfa_bot_store_changed();
