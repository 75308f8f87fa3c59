ALTER TABLE "user_signin_bounds" ADD COLUMN "by_upn" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Backfill (a no-op on a new store): users keyed by the UPN of sign-ins without a user id.
UPDATE "user_signin_bounds" SET "by_upn" = true
WHERE "user_key" IN (SELECT "upn" FROM "signins" WHERE "user_id" IS NULL AND "upn" IS NOT NULL);
