DROP INDEX "user_identities_user_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "user_identities_user_uq" ON "user_identities" USING btree ("user_id","platform");