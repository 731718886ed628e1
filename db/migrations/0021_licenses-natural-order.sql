DROP INDEX "licenses_sa_so_idx";--> statement-breakpoint
DROP INDEX "licenses_sa_order_idx";--> statement-breakpoint
CREATE INDEX "licenses_sa_so_idx" ON "licenses" USING btree ("smart_account_id",lower("sales_order") text_pattern_ops,(case when "line" ~ '^[0-9]{1,18}$' then "line"::bigint end),"line");--> statement-breakpoint
CREATE INDEX "licenses_sa_order_idx" ON "licenses" USING btree ("smart_account_id",(case when "sales_order" ~ '^[0-9]{1,18}$' then "sales_order"::bigint end),"sales_order",(case when "line" ~ '^[0-9]{1,18}$' then "line"::bigint end),"line");