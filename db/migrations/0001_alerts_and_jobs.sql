CREATE TABLE "job_runs" (
	"job" text NOT NULL,
	"slot" timestamp with time zone NOT NULL,
	"claimed_by" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text NOT NULL,
	"detail" text,
	"attempts" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "job_runs_pkey" PRIMARY KEY("job","slot")
);
--> statement-breakpoint
CREATE TABLE "server_watch" (
	"name" text PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"last_seen_at" timestamp with time zone,
	"changed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dedupe_key" text NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"thread_ts" text,
	"message" jsonb NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"claimed_by" text,
	"claimed_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"post_attempted_at" timestamp with time zone,
	"next_attempt_at" timestamp with time zone,
	"last_error" text,
	"slack_ts" text,
	"posted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "fraud_reports" ADD COLUMN "alert_state" text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE "fraud_reports" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "fraud_reports" ADD COLUMN "claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "fraud_reports" ADD COLUMN "delivery_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "fraud_reports" ADD COLUMN "post_attempted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "fraud_reports" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "fraud_reports" ADD COLUMN "last_delivery_error" text;--> statement-breakpoint
ALTER TABLE "fraud_reports" ADD COLUMN "thread_parent_id" integer;--> statement-breakpoint
ALTER TABLE "fraud_reports" ADD COLUMN "slack_thread_ts" text;--> statement-breakpoint
ALTER TABLE "fraud_reports" ADD COLUMN "escalated_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "slack_outbox_dedupe_key_idx" ON "slack_outbox" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "slack_outbox_pending_idx" ON "slack_outbox" USING btree ("id") WHERE "slack_outbox"."state" = 'pending';--> statement-breakpoint
ALTER TABLE "fraud_reports" ADD CONSTRAINT "fraud_reports_thread_parent_id_fraud_reports_id_fk" FOREIGN KEY ("thread_parent_id") REFERENCES "public"."fraud_reports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fraud_reports_pending_idx" ON "fraud_reports" USING btree ("id") WHERE "fraud_reports"."alert_state" = 'pending';--> statement-breakpoint
CREATE INDEX "signins_push_denials_idx" ON "signins" USING btree ("created_at") WHERE "signins"."mfa_method" = 'Mobile app notification' AND "signins"."mfa_result_code" IN ('denied_user_declined', 'denied_no_response');