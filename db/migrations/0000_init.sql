-- Hand-edited after drizzle-kit generate: signins and signin_ca_policies are range-partitioned
-- by day (db/partitions.ts creates the partitions); drizzle-kit cannot express PARTITION BY.
CREATE TABLE "directory_audits" (
	"id" text PRIMARY KEY NOT NULL,
	"activity" text NOT NULL,
	"category" text,
	"result" text,
	"result_reason" text,
	"at" timestamp with time zone NOT NULL,
	"initiator_upn" text,
	"target_user_id" text,
	"target_upn" text,
	"correlation_id" text,
	"raw" jsonb NOT NULL,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fraud_report_sources" (
	"fraud_report_id" integer NOT NULL,
	"source_kind" text NOT NULL,
	"source_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "fraud_report_sources_pkey" PRIMARY KEY("source_kind","source_id")
);
--> statement-breakpoint
CREATE TABLE "fraud_reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"dedupe_key" text NOT NULL,
	"kind" text DEFAULT 'user_reported' NOT NULL,
	"user_id" text,
	"upn" text NOT NULL,
	"reported_at" timestamp with time zone NOT NULL,
	"correlation_id" text,
	"ip_address" text,
	"city" text,
	"country_or_region" text,
	"app_display_name" text,
	"mfa_method" text,
	"status" text DEFAULT 'new' NOT NULL,
	"acted_by" text,
	"acted_at" timestamp with time zone,
	"slack_channel" text,
	"slack_ts" text,
	"posted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mfa_block_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dedupe_key" text NOT NULL,
	"upn" text NOT NULL,
	"action" text NOT NULL,
	"reason" text,
	"actor" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mfa_bypass_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dedupe_key" text NOT NULL,
	"upn" text NOT NULL,
	"seconds" integer NOT NULL,
	"reason" text,
	"actor" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"replication_group" text,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mfa_servers" (
	"name" text PRIMARY KEY NOT NULL,
	"component" text NOT NULL,
	"version" text,
	"state" text,
	"ip_address" text,
	"last_communication_at" timestamp with time zone,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "onprem_activity" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dedupe_key" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"component" text NOT NULL,
	"server" text,
	"upn" text,
	"call_result" text,
	"succeeded" boolean,
	"detail" text,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quarantined_records" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"locator" text,
	"reason" text NOT NULL,
	"raw" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "query_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"team_id" text,
	"channel_id" text,
	"command_text" text NOT NULL,
	"subcommand" text,
	"allowed" boolean NOT NULL,
	"outcome" text NOT NULL,
	"row_count" integer,
	"duration_ms" integer
);
--> statement-breakpoint
CREATE TABLE "risk_detections" (
	"id" text PRIMARY KEY NOT NULL,
	"risk_event_type" text NOT NULL,
	"risk_level" text,
	"risk_state" text,
	"source" text,
	"user_id" text,
	"upn" text,
	"ip_address" text,
	"city" text,
	"country_or_region" text,
	"correlation_id" text,
	"request_id" text,
	"activity_at" timestamp with time zone,
	"detected_at" timestamp with time zone NOT NULL,
	"raw" jsonb NOT NULL,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signin_ca_policies" (
	"signin_id" text NOT NULL,
	"signin_created_at" timestamp with time zone NOT NULL,
	"policy_id" text NOT NULL,
	"display_name" text,
	"grant_controls" text[] DEFAULT '{}'::text[] NOT NULL,
	"session_controls" text[] DEFAULT '{}'::text[] NOT NULL,
	"result" text NOT NULL,
	CONSTRAINT "signin_ca_policies_pkey" PRIMARY KEY("signin_id","signin_created_at","policy_id")
) PARTITION BY RANGE ("signin_created_at");
--> statement-breakpoint
CREATE TABLE "signin_hourly" (
	"hour" timestamp with time zone NOT NULL,
	"mfa_required" text NOT NULL,
	"mfa_outcome" text NOT NULL,
	"mfa_result_code" text NOT NULL,
	"mfa_result_detail" text NOT NULL,
	"mfa_method" text NOT NULL,
	"error_code" integer NOT NULL,
	"onprem_component" text NOT NULL,
	"signins" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signins" (
	"id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"user_id" text,
	"upn" text,
	"user_display_name" text,
	"app_display_name" text,
	"app_id" text,
	"resource_id" text,
	"resource_display_name" text,
	"ip_address" text,
	"city" text,
	"country_or_region" text,
	"client_app_used" text,
	"is_interactive" boolean,
	"error_code" integer DEFAULT 0 NOT NULL,
	"failure_reason" text,
	"additional_details" text,
	"mfa_required" text NOT NULL,
	"mfa_required_reason" text,
	"mfa_outcome" text NOT NULL,
	"mfa_result_code" text,
	"mfa_result_detail" text,
	"mfa_method" text,
	"mfa_method_raw" text,
	"mfa_auth_detail" text,
	"auth_steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"ca_status" text,
	"token_issuer_type" text,
	"onprem_component" text,
	"correlation_id" text,
	"source" text NOT NULL,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "signins_pkey" PRIMARY KEY("id","created_at")
) PARTITION BY RANGE ("created_at");
--> statement-breakpoint
CREATE TABLE "sync_cursors" (
	"source" text PRIMARY KEY NOT NULL,
	"cursor_at" timestamp with time zone,
	"resume_link" text,
	"last_run_at" timestamp with time zone,
	"last_run_outcome" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_registrations" (
	"user_id" text PRIMARY KEY NOT NULL,
	"upn" text NOT NULL,
	"display_name" text,
	"user_type" text DEFAULT 'member' NOT NULL,
	"is_admin" boolean DEFAULT false NOT NULL,
	"is_mfa_registered" boolean NOT NULL,
	"is_mfa_capable" boolean NOT NULL,
	"is_passwordless_capable" boolean DEFAULT false NOT NULL,
	"methods_registered" text[] DEFAULT '{}'::text[] NOT NULL,
	"default_method" text,
	"last_updated_at" timestamp with time zone,
	"source" text NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "fraud_report_sources" ADD CONSTRAINT "fraud_report_sources_fraud_report_id_fraud_reports_id_fk" FOREIGN KEY ("fraud_report_id") REFERENCES "public"."fraud_reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "directory_audits_at_idx" ON "directory_audits" USING btree ("at");--> statement-breakpoint
CREATE INDEX "fraud_report_sources_report_idx" ON "fraud_report_sources" USING btree ("fraud_report_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fraud_reports_dedupe_key_idx" ON "fraud_reports" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "fraud_reports_reported_at_idx" ON "fraud_reports" USING btree ("reported_at");--> statement-breakpoint
CREATE INDEX "fraud_reports_upn_idx" ON "fraud_reports" USING btree ("upn");--> statement-breakpoint
CREATE UNIQUE INDEX "mfa_block_events_dedupe_key_idx" ON "mfa_block_events" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "mfa_block_events_upn_idx" ON "mfa_block_events" USING btree ("upn","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "mfa_bypass_events_dedupe_key_idx" ON "mfa_bypass_events" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "mfa_bypass_events_upn_idx" ON "mfa_bypass_events" USING btree ("upn","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "onprem_activity_dedupe_key_idx" ON "onprem_activity" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "onprem_activity_occurred_at_idx" ON "onprem_activity" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "quarantined_records_at_idx" ON "quarantined_records" USING btree ("at");--> statement-breakpoint
CREATE INDEX "query_audit_at_idx" ON "query_audit" USING btree ("at");--> statement-breakpoint
CREATE INDEX "query_audit_actor_idx" ON "query_audit" USING btree ("actor","at");--> statement-breakpoint
CREATE INDEX "risk_detections_detected_at_idx" ON "risk_detections" USING btree ("detected_at");--> statement-breakpoint
CREATE INDEX "signin_ca_policies_created_at_idx" ON "signin_ca_policies" USING btree ("signin_created_at");--> statement-breakpoint
CREATE INDEX "signin_hourly_hour_idx" ON "signin_hourly" USING btree ("hour");--> statement-breakpoint
CREATE INDEX "signins_created_at_idx" ON "signins" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "signins_user_id_created_at_idx" ON "signins" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "signins_upn_created_at_idx" ON "signins" USING btree ("upn","created_at");--> statement-breakpoint
CREATE INDEX "signins_correlation_id_idx" ON "signins" USING btree ("correlation_id");--> statement-breakpoint
CREATE INDEX "user_registrations_upn_idx" ON "user_registrations" USING btree (lower("upn"));