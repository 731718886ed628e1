DROP INDEX "consents_role_uq";--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "transferor_id" integer;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_transferor_id_users_id_fk" FOREIGN KEY ("transferor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "consents_role_user_uq" ON "consents" USING btree ("transfer_id","role","user_id");