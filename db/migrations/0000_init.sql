CREATE TYPE "public"."asset_kind" AS ENUM('license', 'device');--> statement-breakpoint
CREATE TYPE "public"."consent_role" AS ENUM('transferee', 'transferor');--> statement-breakpoint
CREATE TYPE "public"."decision" AS ENUM('approved', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."item_result" AS ENUM('pending', 'transferred', 'failed', 'excluded');--> statement-breakpoint
CREATE TYPE "public"."license_type" AS ENUM('smart', 'classic', 'subscription');--> statement-breakpoint
CREATE TYPE "public"."outbox_state" AS ENUM('pending', 'sent', 'dead');--> statement-breakpoint
CREATE TYPE "public"."purchase_model" AS ENUM('standard', 'enterprise_agreement');--> statement-breakpoint
CREATE TYPE "public"."device_registration" AS ENUM('direct', 'cslu', 'ssm_onprem');--> statement-breakpoint
CREATE TYPE "public"."transfer_status" AS ENUM('validation_initiated', 'validation_completed', 'pending_submission', 'submitted', 'awaiting_consent', 'compliance_screening', 'compliance_rejected', 'transfer_initiated', 'transfer_completed', 'transfer_completed_with_failure', 'cancelled');--> statement-breakpoint
CREATE TABLE "cards" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"transfer_id" text NOT NULL,
	"decision" text NOT NULL,
	"platform" text NOT NULL,
	"recipient_user_id" integer,
	"location" jsonb NOT NULL,
	"posted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consents" (
	"id" serial PRIMARY KEY NOT NULL,
	"transfer_id" text NOT NULL,
	"role" "consent_role" NOT NULL,
	"user_id" integer NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"decision" "decision",
	"decided_by_id" integer,
	"decided_at" timestamp with time zone,
	"reason" text,
	"reminders_sent" integer DEFAULT 0 NOT NULL,
	"last_reminded_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "conversation_refs" (
	"teams_user_id" text PRIMARY KEY NOT NULL,
	"reference" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" serial PRIMARY KEY NOT NULL,
	"smart_account_id" integer NOT NULL,
	"virtual_account_id" integer NOT NULL,
	"serial_number" text NOT NULL,
	"pid" text NOT NULL,
	"host_id" text,
	"uuid" text,
	"license_type" "license_type",
	"pnp_status" text,
	"sales_order" text,
	"registration" "device_registration" DEFAULT 'direct' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"transfer_id" text,
	"at" timestamp with time zone NOT NULL,
	"actor_id" integer,
	"actor" text NOT NULL,
	"surface" text NOT NULL,
	"action" text NOT NULL,
	"from_status" "transfer_status",
	"to_status" "transfer_status",
	"reason" text,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "job_claims" (
	"key" text PRIMARY KEY NOT NULL,
	"claimed_at" timestamp with time zone NOT NULL,
	"claimed_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "legal_entities" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"country" text,
	"address" text,
	"parent_id" text
);
--> statement-breakpoint
CREATE TABLE "licenses" (
	"id" serial PRIMARY KEY NOT NULL,
	"smart_account_id" integer NOT NULL,
	"virtual_account_id" integer NOT NULL,
	"sales_order" text NOT NULL,
	"line" text NOT NULL,
	"pid" text NOT NULL,
	"description" text,
	"quantity" integer NOT NULL,
	"license_type" "license_type" NOT NULL,
	"web_order" text,
	"subscription_id" text,
	"pak" text,
	"purchase_model" "purchase_model" DEFAULT 'standard' NOT NULL,
	"pending_upgrade" boolean DEFAULT false NOT NULL,
	"in_use" integer DEFAULT 0 NOT NULL,
	"reserved" boolean DEFAULT false NOT NULL,
	"minor_lines" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dedupe_key" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"recipient_user_id" integer,
	"recipient_channel" text,
	"payload" jsonb NOT NULL,
	"state" "outbox_state" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"delivered_to" jsonb
);
--> statement-breakpoint
CREATE TABLE "role_grants" (
	"user_id" integer NOT NULL,
	"smart_account_id" integer NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "role_grants_user_id_smart_account_id_pk" PRIMARY KEY("user_id","smart_account_id")
);
--> statement-breakpoint
CREATE TABLE "smart_accounts" (
	"id" serial PRIMARY KEY NOT NULL,
	"domain" text NOT NULL,
	"name" text NOT NULL,
	"legal_entity_id" text
);
--> statement-breakpoint
CREATE TABLE "transfer_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"transfer_id" text NOT NULL,
	"kind" "asset_kind" NOT NULL,
	"license_id" integer,
	"device_id" integer,
	"asset_key" text NOT NULL,
	"ref" text NOT NULL,
	"pid" text,
	"quantity" integer,
	"description" text,
	"result" "item_result" DEFAULT 'pending' NOT NULL,
	"reason" jsonb,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"open" boolean DEFAULT true NOT NULL,
	"moved_at" timestamp with time zone,
	CONSTRAINT "transfer_items_kind_ck" CHECK (("transfer_items"."kind" = 'license') = ("transfer_items"."license_id" is not null) and ("transfer_items"."kind" = 'device') = ("transfer_items"."device_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "transfers" (
	"id" text PRIMARY KEY NOT NULL,
	"status" "transfer_status" NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"requester_id" integer NOT NULL,
	"source_smart_account_id" integer NOT NULL,
	"source_virtual_account_id" integer,
	"destination_smart_account_id" integer NOT NULL,
	"destination_virtual_account_id" integer NOT NULL,
	"same_company_answer" boolean NOT NULL,
	"same_legal_entity" boolean NOT NULL,
	"requested_by_partner" boolean DEFAULT false NOT NULL,
	"transferee_id" integer,
	"justification" text,
	"transferee_legal_name" text,
	"transferee_address" text,
	"terms_accepted_at" timestamp with time zone,
	"surface" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"screened_by_id" integer,
	"screened_at" timestamp with time zone,
	"screening_reason" text,
	"cancel_reason" jsonb
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"locale" text,
	"time_zone" text,
	"legal_entity_id" text,
	"slack_user_id" text,
	"teams_user_id" text,
	"global_roles" text[] DEFAULT '{}'::text[] NOT NULL,
	"current_smart_account_id" integer
);
--> statement-breakpoint
CREATE TABLE "virtual_accounts" (
	"id" serial PRIMARY KEY NOT NULL,
	"smart_account_id" integer NOT NULL,
	"name" text NOT NULL,
	"on_prem" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cards" ADD CONSTRAINT "cards_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cards" ADD CONSTRAINT "cards_recipient_user_id_users_id_fk" FOREIGN KEY ("recipient_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_decided_by_id_users_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_smart_account_id_smart_accounts_id_fk" FOREIGN KEY ("smart_account_id") REFERENCES "public"."smart_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_virtual_account_id_virtual_accounts_id_fk" FOREIGN KEY ("virtual_account_id") REFERENCES "public"."virtual_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "history" ADD CONSTRAINT "history_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "licenses" ADD CONSTRAINT "licenses_smart_account_id_smart_accounts_id_fk" FOREIGN KEY ("smart_account_id") REFERENCES "public"."smart_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "licenses" ADD CONSTRAINT "licenses_virtual_account_id_virtual_accounts_id_fk" FOREIGN KEY ("virtual_account_id") REFERENCES "public"."virtual_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_recipient_user_id_users_id_fk" FOREIGN KEY ("recipient_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_grants" ADD CONSTRAINT "role_grants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_grants" ADD CONSTRAINT "role_grants_smart_account_id_smart_accounts_id_fk" FOREIGN KEY ("smart_account_id") REFERENCES "public"."smart_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "smart_accounts" ADD CONSTRAINT "smart_accounts_legal_entity_id_legal_entities_id_fk" FOREIGN KEY ("legal_entity_id") REFERENCES "public"."legal_entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_items" ADD CONSTRAINT "transfer_items_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_items" ADD CONSTRAINT "transfer_items_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "public"."licenses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_items" ADD CONSTRAINT "transfer_items_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_requester_id_users_id_fk" FOREIGN KEY ("requester_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_source_smart_account_id_smart_accounts_id_fk" FOREIGN KEY ("source_smart_account_id") REFERENCES "public"."smart_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_source_virtual_account_id_virtual_accounts_id_fk" FOREIGN KEY ("source_virtual_account_id") REFERENCES "public"."virtual_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_destination_smart_account_id_smart_accounts_id_fk" FOREIGN KEY ("destination_smart_account_id") REFERENCES "public"."smart_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_destination_virtual_account_id_virtual_accounts_id_fk" FOREIGN KEY ("destination_virtual_account_id") REFERENCES "public"."virtual_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_transferee_id_users_id_fk" FOREIGN KEY ("transferee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_screened_by_id_users_id_fk" FOREIGN KEY ("screened_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_legal_entity_id_legal_entities_id_fk" FOREIGN KEY ("legal_entity_id") REFERENCES "public"."legal_entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_current_smart_account_id_smart_accounts_id_fk" FOREIGN KEY ("current_smart_account_id") REFERENCES "public"."smart_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "virtual_accounts" ADD CONSTRAINT "virtual_accounts_smart_account_id_smart_accounts_id_fk" FOREIGN KEY ("smart_account_id") REFERENCES "public"."smart_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cards_transfer_idx" ON "cards" USING btree ("transfer_id","decision");--> statement-breakpoint
CREATE UNIQUE INDEX "consents_role_uq" ON "consents" USING btree ("transfer_id","role");--> statement-breakpoint
CREATE INDEX "consents_pending_idx" ON "consents" USING btree ("requested_at") WHERE "consents"."decision" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "devices_serial_uq" ON "devices" USING btree (upper("serial_number"));--> statement-breakpoint
CREATE INDEX "devices_sa_serial_idx" ON "devices" USING btree ("smart_account_id",upper("serial_number") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "devices_sa_pid_idx" ON "devices" USING btree ("smart_account_id",lower("pid") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "devices_sa_host_idx" ON "devices" USING btree ("smart_account_id",lower("host_id") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "devices_sa_uuid_idx" ON "devices" USING btree ("smart_account_id",lower("uuid") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "history_transfer_idx" ON "history" USING btree ("transfer_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "licenses_line_uq" ON "licenses" USING btree ("sales_order","line");--> statement-breakpoint
CREATE INDEX "licenses_sa_so_idx" ON "licenses" USING btree ("smart_account_id",lower("sales_order") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "licenses_sa_wo_idx" ON "licenses" USING btree ("smart_account_id",lower("web_order") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "licenses_sa_sub_idx" ON "licenses" USING btree ("smart_account_id",lower("subscription_id") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "licenses_sa_pak_idx" ON "licenses" USING btree ("smart_account_id",lower("pak") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "licenses_sa_pid_idx" ON "licenses" USING btree ("smart_account_id",lower("pid") text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_dedupe_uq" ON "outbox" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("due_at") WHERE "outbox"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "role_grants_sa_idx" ON "role_grants" USING btree ("smart_account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "smart_accounts_domain_uq" ON "smart_accounts" USING btree (lower("domain"));--> statement-breakpoint
CREATE INDEX "smart_accounts_name_idx" ON "smart_accounts" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "transfer_items_one_open_uq" ON "transfer_items" USING btree ("asset_key") WHERE "transfer_items"."open";--> statement-breakpoint
CREATE INDEX "transfer_items_transfer_idx" ON "transfer_items" USING btree ("transfer_id");--> statement-breakpoint
CREATE INDEX "transfers_source_idx" ON "transfers" USING btree ("source_smart_account_id","created_at");--> statement-breakpoint
CREATE INDEX "transfers_destination_idx" ON "transfers" USING btree ("destination_smart_account_id","created_at");--> statement-breakpoint
CREATE INDEX "transfers_requester_idx" ON "transfers" USING btree ("requester_id");--> statement-breakpoint
CREATE INDEX "transfers_status_idx" ON "transfers" USING btree ("status","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_uq" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "users_slack_uq" ON "users" USING btree ("slack_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_teams_uq" ON "users" USING btree ("teams_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "virtual_accounts_name_uq" ON "virtual_accounts" USING btree ("smart_account_id",lower("name"));