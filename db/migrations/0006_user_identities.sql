CREATE TABLE "user_identities" (
	"platform" text NOT NULL,
	"external_id" text NOT NULL,
	"user_id" integer NOT NULL,
	CONSTRAINT "user_identities_platform_external_id_pk" PRIMARY KEY("platform","external_id")
);
--> statement-breakpoint
-- Each person's Slack and Teams ids move to their own rows before the columns go.
INSERT INTO "user_identities" ("platform", "external_id", "user_id")
  SELECT 'slack', "slack_user_id", "id" FROM "users" WHERE "slack_user_id" IS NOT NULL
  UNION ALL
  SELECT 'teams', "teams_user_id", "id" FROM "users" WHERE "teams_user_id" IS NOT NULL;--> statement-breakpoint
DROP INDEX "users_slack_uq";--> statement-breakpoint
DROP INDEX "users_teams_uq";--> statement-breakpoint
ALTER TABLE "user_identities" ADD CONSTRAINT "user_identities_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "user_identities_user_uq" ON "user_identities" USING btree ("platform","user_id");--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "slack_user_id";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "teams_user_id";