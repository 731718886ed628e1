DROP INDEX "transfers_source_idx";--> statement-breakpoint
DROP INDEX "transfers_destination_idx";--> statement-breakpoint
DROP INDEX "transfers_requester_idx";--> statement-breakpoint
CREATE INDEX "consents_user_idx" ON "consents" USING btree ("user_id","transfer_id");--> statement-breakpoint
CREATE INDEX "transfers_source_status_idx" ON "transfers" USING btree ("source_smart_account_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "transfers_destination_status_idx" ON "transfers" USING btree ("destination_smart_account_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "transfers_transferee_idx" ON "transfers" USING btree ("transferee_id","created_at","id");--> statement-breakpoint
CREATE INDEX "transfers_created_idx" ON "transfers" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "transfers_status_created_idx" ON "transfers" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "transfers_source_idx" ON "transfers" USING btree ("source_smart_account_id","created_at","id");--> statement-breakpoint
CREATE INDEX "transfers_destination_idx" ON "transfers" USING btree ("destination_smart_account_id","created_at","id");--> statement-breakpoint
CREATE INDEX "transfers_requester_idx" ON "transfers" USING btree ("requester_id","created_at","id");