-- The claim a worker holds an outbox row by, apart from due_at: a worker renews its lease by pushing due_at
-- on while the claim stays, and a sole instance hands a dead process's claims back at start (claim set)
-- without bringing retries forward (claim null). Nullable, no default: adding it rewrites nothing.
ALTER TABLE "outbox" ADD COLUMN "claim" timestamp with time zone;
