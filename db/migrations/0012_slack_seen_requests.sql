CREATE TABLE "slack_seen_requests" (
	"signature" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "slack_seen_requests_expires_at_idx" ON "slack_seen_requests" USING btree ("expires_at");