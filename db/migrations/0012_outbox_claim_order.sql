DROP INDEX "outbox_due_idx";--> statement-breakpoint
DROP INDEX "outbox_pending_order_idx";--> statement-breakpoint
CREATE INDEX "outbox_due_order_idx" ON "outbox" USING btree ("due_at","id") WHERE "outbox"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_pending_transfer_idx" ON "outbox" USING btree (("payload"->>'transferId'),"recipient_user_id","id") WHERE "outbox"."state" = 'pending';