-- The claim's question about earlier messages (is one to the same recipient about the same transfer still
-- pending?) answered by outbox_pending_transfer_idx whatever the statistics say. Asked as a join (0014), or
-- as a subquery that could also use the primary key or outbox_due_order_idx, the planner picked by its
-- estimates, which a sweep makes wrong: with the statistics of an outbox busy, then emptied, it read
-- every pending message for each one (75,050 rows for a claim of 25 from 3,000); with statistics gathered
-- on fewer messages, every earlier message through the primary key (2,275). Now the question is a
-- subquery of its own (`offset 0` keeps it from becoming a join), compares `earlier.id + 0`, which the
-- primary key cannot answer, and names the pending rows as the transfer index's condition does, which
-- outbox_due_order_idx's condition (`state = 'pending'`) cannot be proved from: the transfer index is the
-- only one left to it (test/db/outbox-claim.test.ts, in each of those states). The estimate of a question
-- asked for each message is high enough that the server compiled the claim (JIT, 10 ms of a 12 ms claim
-- after a sweep): it is interpreted, as a claim of 25 rows should be.
DROP INDEX "outbox_pending_transfer_idx";--> statement-breakpoint
CREATE INDEX "outbox_pending_transfer_idx" ON "outbox" USING btree (("payload"->>'transferId'),"recipient_user_id","id") WHERE "outbox"."state" <> 'sent' and "outbox"."state" <> 'dead';--> statement-breakpoint
CREATE OR REPLACE FUNCTION outbox_claimable(due_by timestamptz, batch integer) RETURNS SETOF bigint
LANGUAGE sql VOLATILE ROWS 25
SET enable_sort = off
SET enable_incremental_sort = off
SET enable_hashjoin = off
SET enable_mergejoin = off
SET enable_seqscan = off
SET jit = off
AS $$
  select o.id from outbox o
  where o.state = 'pending' and o.due_at <= due_by
    and not exists (
      select 1 from outbox earlier
      where earlier.state <> 'sent' and earlier.state <> 'dead'
        and (earlier.payload->>'transferId') = (o.payload->>'transferId')
        and earlier.id + 0 < o.id
        and earlier.recipient_user_id is not distinct from o.recipient_user_id
        and earlier.recipient_channel is not distinct from o.recipient_channel
      offset 0)
  order by o.due_at, o.id
  limit batch
  for update skip locked
$$;
