-- History is append-only (0001_guards refuses UPDATE and DELETE row by row). TRUNCATE fires no row
-- triggers, so a statement-level trigger refuses it too — also when it arrives by cascade, as
-- `TRUNCATE users CASCADE` would reach history through history.actor_id.
-- The function raises before it could return, so it serves row and statement triggers alike.
CREATE TRIGGER "history_no_truncate" BEFORE TRUNCATE ON "history"
  FOR EACH STATEMENT EXECUTE FUNCTION "history_append_only"();
