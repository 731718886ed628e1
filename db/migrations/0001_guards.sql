-- Legal status changes, mirrored from src/domain/status.ts (a test compares the two).
CREATE TABLE "status_transitions" (
  "from_status" "transfer_status" NOT NULL,
  "to_status" "transfer_status" NOT NULL,
  PRIMARY KEY ("from_status", "to_status")
);--> statement-breakpoint
INSERT INTO "status_transitions" ("from_status", "to_status") VALUES
  ('validation_initiated','validation_completed'),
  ('validation_initiated','cancelled'),
  ('validation_completed','pending_submission'),
  ('validation_completed','cancelled'),
  ('pending_submission','submitted'),
  ('pending_submission','cancelled'),
  ('submitted','awaiting_consent'),
  ('submitted','transfer_initiated'),
  ('awaiting_consent','compliance_screening'),
  ('awaiting_consent','cancelled'),
  ('compliance_screening','transfer_initiated'),
  ('compliance_screening','compliance_rejected'),
  ('transfer_initiated','transfer_completed'),
  ('transfer_initiated','transfer_completed_with_failure'),
  ('transfer_completed_with_failure','transfer_completed');--> statement-breakpoint
CREATE FUNCTION "transfers_guard_status"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT EXISTS (
    SELECT 1 FROM status_transitions WHERE from_status = OLD.status AND to_status = NEW.status
  ) THEN
    RAISE EXCEPTION 'illegal status change % -> % for %', OLD.status, NEW.status, OLD.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "transfers_guard_status" BEFORE UPDATE OF "status" ON "transfers"
  FOR EACH ROW EXECUTE FUNCTION "transfers_guard_status"();--> statement-breakpoint
CREATE FUNCTION "history_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'history is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;--> statement-breakpoint
CREATE TRIGGER "history_append_only" BEFORE UPDATE OR DELETE ON "history"
  FOR EACH ROW EXECUTE FUNCTION "history_append_only"();
