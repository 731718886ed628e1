-- As 0014, with one change: the question about earlier messages is asked once per message, as a subquery
-- of its own (`offset 0` keeps PostgreSQL from turning it into a join), so it always goes through
-- outbox_pending_transfer_idx with the message's transfer and id as its bounds. As a join, when the
-- statistics count no rows on many pages (an outbox that was busy, then emptied and analyzed), the planner
-- found reading the whole of an index for each message as cheap as looking up its transfer, and chose it:
-- 75,050 rows read for a claim of 25 from 3,000 waiting (test/db/outbox-claim.test.ts).
CREATE OR REPLACE FUNCTION outbox_claimable(due_by timestamptz, batch integer) RETURNS SETOF bigint
LANGUAGE sql VOLATILE ROWS 25
SET enable_sort = off
SET enable_incremental_sort = off
SET enable_hashjoin = off
SET enable_mergejoin = off
SET enable_seqscan = off
AS $$
  select o.id from outbox o
  where o.state = 'pending' and o.due_at <= due_by
    and not exists (
      select 1 from outbox earlier
      where earlier.state = 'pending'
        and (earlier.payload->>'transferId') = (o.payload->>'transferId')
        and earlier.id < o.id
        and earlier.recipient_user_id is not distinct from o.recipient_user_id
        and earlier.recipient_channel is not distinct from o.recipient_channel
      offset 0)
  order by o.due_at, o.id
  limit batch
  for update skip locked
$$;
