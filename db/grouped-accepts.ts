import { sql } from 'drizzle-orm';
import type { NewWorkItem, WorkRepository } from '../src/app/ports/work.js';
import { grouped } from '../src/app/grouped-write.js';
import { rowsOf, type Q } from './client.js';

type Accept = WorkRepository['accept'];

interface Waiting {
  item: NewWorkItem;
  now: Date;
  lease: Parameters<Accept>[2];
}

/**
 * Requests recorded before their ack, grouped (`grouped`): while one INSERT runs, the requests that arrive
 * meanwhile wait for the next, which records them all in one statement (one round trip, one commit).
 * Nobody waits on a timer: a request alone goes at once, as it would without grouping. Each caller still
 * gets its own answer only once its row is committed. If a grouped statement fails (one request's text
 * the database refuses, say), each of its requests is recorded on its own, so one bad request fails only
 * itself.
 */
export function groupedAccept(q: Q, single: Accept): Accept {
  const alone = (w: Waiting) => single(w.item, w.now, w.lease);
  const accept = grouped<Waiting, number | null>(async (group) => {
    if (group.length === 1) return [alone(group[0]!)];
    let ids: Map<string, number>;
    try {
      ids = await insertGroup(q, group);
    } catch {
      // One after the other, each caller answered as soon as its own row is.
      let previous: Promise<unknown> = Promise.resolve();
      return group.map((w) => {
        const own = previous.then(() => alone(w));
        previous = own.catch(() => undefined);
        return own;
      });
    }
    // The same request twice in one group: the first is recorded, the second is its replay.
    const answered = new Set<string>();
    return group.map((w) => {
      const key = w.item.requestKey;
      const id = answered.has(key) ? undefined : ids.get(key);
      answered.add(key);
      return Promise.resolve(id ?? null);
    });
  });
  return (item, now, lease) => accept({ item, now, lease });
}

/** One INSERT for the group, the rows as one JSON parameter; answers the id of each request recorded now. */
async function insertGroup(q: Q, group: readonly Waiting[]): Promise<Map<string, number>> {
  const json = JSON.stringify(
    group.map(({ item, now, lease }) => ({
      request_key: item.requestKey,
      surface: item.surface,
      kind: item.kind,
      payload: item.payload,
      received_at: now.toISOString(),
      lease_until: lease.leaseUntil?.toISOString() ?? null,
      attempts: lease.leaseUntil ? 1 : 0,
      done_at: lease.doneAt?.toISOString() ?? null,
    })),
  );
  const result = await q.execute(sql`
    insert into work_items (request_key, surface, kind, payload, received_at, lease_until, attempts, done_at)
    select e->>'request_key', e->>'surface', e->>'kind', e->'payload', (e->>'received_at')::timestamptz,
           (e->>'lease_until')::timestamptz, (e->>'attempts')::integer, (e->>'done_at')::timestamptz
    from jsonb_array_elements(${json}::jsonb) with ordinality as x(e, n)
    order by n
    on conflict (request_key) do nothing
    returning id, request_key`);
  return new Map(
    rowsOf<{ id: number | string; request_key: string }>(result).map((row) => [
      row.request_key,
      Number(row.id),
    ]),
  );
}
