ALTER TABLE "user_identities" ADD COLUMN "locale" text;--> statement-breakpoint
ALTER TABLE "user_identities" ADD COLUMN "locale_at" timestamp with time zone;--> statement-breakpoint
-- A Teams person's language was kept only in their conversation reference: it becomes their identity's.
UPDATE "user_identities" SET "locale" = c."reference"->>'locale', "locale_at" = c."updated_at"
  FROM "conversation_refs" c
  WHERE "user_identities"."platform" = 'teams' AND "user_identities"."external_id" = c."teams_user_id"
    AND c."reference"->>'locale' IS NOT NULL;
