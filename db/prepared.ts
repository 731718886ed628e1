import { PgTransaction } from 'drizzle-orm/pg-core';
import type { PostgresJsSession } from 'drizzle-orm/postgres-js/session';
import type { Q } from './client.js';

/**
 * Queries with more parameters than this (bulk inserts, long id lists) are sent unprepared: their text
 * changes with their size, so each would be one more statement kept by the connection.
 */
export const PREPARED_PARAMETER_LIMIT = 64;

type Session = typeof PostgresJsSession;
const installed = new WeakSet<Session>();

/**
 * Queries on a PostgreSQL server are prepared once per connection and then executed by name. drizzle
 * asks postgres.js for a prepared statement only when a query is given a name; otherwise postgres.js
 * sends each query's text and first waits for the server to describe its parameters — two round trips
 * and two writes to the socket per query, and a parse and a plan on the server every time. A decision
 * runs about thirty queries, so that doubled most of the time a decision spent in the driver.
 *
 * Prepared statements are kept per connection (pool connections are replaced every 30–60 min, which
 * bounds them) and survive a migration: postgres.js prepares again when the server says a statement's
 * plan no longer fits. Behind a pooler in transaction mode, statements need the pooler's support for
 * them (PgBouncer 1.21+ `max_prepared_statements`).
 */
export function prepareOnServer(session: Session): void {
  if (installed.has(session)) return;
  installed.add(session);
  // Called below with the session it belongs to.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const prepareQuery = session.prototype.prepareQuery;
  session.prototype.prepareQuery = function (this: InstanceType<Session>, query, fields, name, ...rest) {
    // postgres.js names statements itself: drizzle only checks that a name was given.
    const prepared = name ?? (query.params.length <= PREPARED_PARAMETER_LIMIT ? '' : undefined);
    return prepareQuery.call(this, query, fields, prepared, ...rest);
  } as typeof prepareQuery;
}

/** A drizzle query builder: run as it is, or prepared once and run with its placeholders' values. */
interface Preparable<R> {
  execute(values?: Record<string, unknown>): Promise<R>;
  prepare(name: string): { execute(values?: Record<string, unknown>): Promise<R> };
}

/**
 * A query written with placeholders (`sql.placeholder`), built once. Building a query costs drizzle more
 * CPU than sending it costs the driver (a select by id on the server: ≈240 µs built each time, ≈90 µs
 * prepared), and a decision runs about thirty, most of them reads. On the pool the query is built and
 * prepared at its first use, then only run with its values; in a transaction, whose statements must go
 * through the transaction's own connection, it is built again at each use, as any other query.
 */
export function builtOnce<V extends Record<string, unknown>, R>(
  q: Q,
  name: string,
  build: () => Preparable<R>,
): (values: V) => Promise<R> {
  if (q instanceof PgTransaction) return (values) => build().execute(values);
  let prepared: ReturnType<Preparable<R>['prepare']> | undefined;
  return (values) => (prepared ??= build().prepare(name)).execute(values);
}
