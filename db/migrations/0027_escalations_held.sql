-- An escalation is held until the reminder window of the admin it is for (its due_at, later than when it
-- was written), and only matters while the consent it is about is still open (`whileOpen` in its payload).
-- Until it is due, it holds back no message written after it to the same person about the same transfer:
-- otherwise a status message sent on a Saturday would wait behind it until Monday morning. Once due, or once
-- a worker has tried it, it keeps its place as any message does. Otherwise as 0015.
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
        and not ((earlier.payload->>'whileOpen') is not null and earlier.attempts = 0
                 and earlier.claim is null and earlier.due_at > o.due_at)
      offset 0)
  order by o.due_at, o.id
  limit batch
  for update skip locked
$$;
