import { Placeholder, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { OutboxEntry } from '../src/app/ports/outbox.js';
import type { NewHistory } from '../src/app/ports/transfers.js';
import type { Q } from './client.js';

/**
 * Many rows in one statement with one parameter: the rows travel as a JSON array and the server
 * unpacks them (`jsonb_array_elements`), in the order given. Building a VALUES list instead costs a parameter per column per
 * row — five times slower to build, send and parse for the thousands of rows a sweep or a large
 * transfer writes. The repositories use these for large writes and a VALUES list for a few rows; history
 * rows always come this way (one statement, its text the same whatever the count).
 */

/** Rows per statement: keeps one JSON document (and the server's memory for it) modest. */
const ROWS = 5000;

async function inSlices<T>(rows: readonly T[], write: (slice: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS) await write(rows.slice(i, i + ROWS));
}

/** Messages in the caller's transaction; a dedupe key seen before is skipped. */
export async function enqueueMany(q: Q, now: Date, entries: readonly OutboxEntry[]): Promise<void> {
  await inSlices(entries, async (slice) => {
    const json = JSON.stringify(
      slice.map((e) => ({
        dedupe_key: e.dedupeKey,
        due_at: (e.dueAt ?? now).toISOString(),
        recipient_user_id: e.recipientUserId ?? null,
        recipient_channel: e.recipientChannel ?? null,
        payload: e.payload,
      })),
    );
    await q.execute(sql`
      insert into outbox (dedupe_key, created_at, due_at, recipient_user_id, recipient_channel, payload)
      select e->>'dedupe_key', ${now.toISOString()}::timestamptz, (e->>'due_at')::timestamptz,
             (e->>'recipient_user_id')::integer, e->>'recipient_channel', e->'payload'
      from jsonb_array_elements(${json}::jsonb) with ordinality as x(e, n)
      order by n
      on conflict (dedupe_key) do nothing`);
  });
}

/** History rows in the caller's transaction, in the order given (one or thousands). */
export async function appendHistoryMany(q: Q, rows: readonly NewHistory[]): Promise<void> {
  await inSlices(rows, async (slice) => {
    const json = JSON.stringify(
      slice.map((h) => ({
        transfer_id: h.transferId ?? null,
        at: h.at.toISOString(),
        actor_id: h.actorId ?? null,
        actor: h.actor,
        surface: h.surface,
        action: h.action,
        from_status: h.fromStatus ?? null,
        to_status: h.toStatus ?? null,
        reason: h.reason ?? null,
        details: h.details ?? null,
      })),
    );
    await q.execute(sql`
      insert into history (transfer_id, at, actor_id, actor, surface, action, from_status, to_status, reason, details)
      select e->>'transfer_id', (e->>'at')::timestamptz, (e->>'actor_id')::integer, e->>'actor', e->>'surface',
             e->>'action', (e->>'from_status')::transfer_status, (e->>'to_status')::transfer_status, e->>'reason',
             nullif(e->'details', 'null'::jsonb)
      from jsonb_array_elements(${json}::jsonb) with ordinality as x(e, n)
      order by n`);
  });
}

/** A list of ids as `anyOf` reads it from a placeholder: one JSON array, each id once. */
export function idList(ids: Iterable<string | number>): string {
  return JSON.stringify([...new Set(ids)]);
}

/**
 * `column = any(values)` with the list as one JSON parameter. An `IN ($1, … $5000)` list costs the
 * query builder, the driver and the server a parameter each; this costs them one, and the server still
 * looks the values up through the column's index.
 * Whole numbers are read as bigint, which serves `serial` and `bigserial` columns alike. In a query built
 * once (`builtOnce`), `values` is a placeholder, given the list as `idList` writes it.
 */
export function anyOf(
  column: AnyPgColumn,
  values: readonly (string | number)[] | Placeholder,
  type: 'integer' | 'text',
): SQL {
  const list = values instanceof Placeholder ? values : JSON.stringify(values);
  return type === 'integer'
    ? sql`${column} = any(array(select jsonb_array_elements_text(${list}::jsonb)::bigint))`
    : sql`${column} = any(array(select jsonb_array_elements_text(${list}::jsonb)))`;
}
