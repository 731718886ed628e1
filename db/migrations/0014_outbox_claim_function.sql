-- The messages a delivery worker may take now, in the order they came due, at most `batch`, locked for the
-- claim's statement (see outboxRepository.claimDue). A message waits while an earlier one to the same
-- recipient about the same transfer is still pending. The planner settings make it walk outbox_due_order_idx
-- and ask outbox_pending_transfer_idx about each message, stopping at the batch, whatever its statistics
-- say: with too few rows estimated it read, asked about and sorted every message due (150 s a claim at
-- 100,000 waiting). They hold for this function's body alone.
CREATE FUNCTION outbox_claimable(due_by timestamptz, batch integer) RETURNS SETOF bigint
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
        and earlier.recipient_channel is not distinct from o.recipient_channel)
  order by o.due_at, o.id
  limit batch
  for update skip locked
$$;
