CREATE TABLE "refusal_counts" (
	"key" text PRIMARY KEY NOT NULL,
	"transfer_id" text,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"request_key" text NOT NULL,
	"surface" text NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "work_items_request_uq" ON "work_items" USING btree ("request_key");--> statement-breakpoint
CREATE INDEX "work_items_open_idx" ON "work_items" USING btree ("surface","lease_until") WHERE "work_items"."done_at" is null;--> statement-breakpoint
CREATE INDEX "work_items_received_idx" ON "work_items" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "outbox_pending_order_idx" ON "outbox" USING btree ("recipient_user_id",("payload"->>'transferId'),"id") WHERE "outbox"."state" = 'pending';