DROP INDEX "licenses_sa_so_idx";--> statement-breakpoint
CREATE INDEX "devices_sa_order_idx" ON "devices" USING btree ("smart_account_id","serial_number");--> statement-breakpoint
CREATE INDEX "licenses_sa_order_idx" ON "licenses" USING btree ("smart_account_id","sales_order","line");--> statement-breakpoint
CREATE INDEX "licenses_description_trgm_idx" ON "licenses" USING gin (lower("description") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "licenses_sa_so_idx" ON "licenses" USING btree ("smart_account_id",lower("sales_order") text_pattern_ops,"line");