-- Runs of 2, 4, 8 and 16 UTC days of the user sets (src/ingest/user-sets.ts keeps them from now
-- on), aligned to multiples of their length from 1970-01-01, built from the stored days.
INSERT INTO "signin_user_sets" ("level", "start", "kind", "key", "chunk", "bits")
SELECT 'days' || r."days", to_timestamp(floor(extract(epoch FROM u."start") / (86400 * r."days")) * 86400 * r."days"),
       u."kind", u."key", u."chunk", bit_or(u."bits")
FROM "signin_user_sets" u CROSS JOIN (VALUES (2), (4), (8), (16)) AS r("days")
WHERE u."level" = 'day'
GROUP BY 1, 2, 3, 4, 5
ON CONFLICT ("level", "kind", "start", "key", "chunk") DO UPDATE SET "bits" = "signin_user_sets"."bits" | excluded."bits";
