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
 * runs about twenty-five queries, so that doubled most of the time a decision spent in the driver.
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
export interface Preparable<R> {
  execute(values?: Record<string, unknown>): Promise<R>;
  prepare(name: string): Prepared<R>;
}

/** A prepared query: drizzle's, holding the connection (`client`) it runs on. */
interface Prepared<R> {
  execute(values?: Record<string, unknown>): Promise<R>;
}

/** A query built once, run on the pool or a transaction of any database of the same driver. */
export interface BuiltOnce<V extends Record<string, unknown>, R> {
  /** The query on `q`'s connection: the pool, or the transaction's own. */
  on(q: Q): (values: V) => Promise<R>;
}

const clientOf = (holder: unknown): unknown =>
  typeof holder === 'object' && holder !== null ? (holder as { client?: unknown }).client : undefined;

/**
 * A query written with placeholders (`sql.placeholder`), built once. Building a query costs drizzle more
 * CPU than sending it costs the driver (a select by id on the server: ≈240 µs built each time, ≈90 µs
 * prepared), and a decision runs about twenty-five, most of them reads. The query is built and prepared
 * at its first use on each driver, kept without its connection, and run on the connection of each pool
 * or transaction it is used on (drizzle's prepared queries run on their `client`, the pool's or the
 * transaction's, as the session that prepares them gives it). Where a session has no such connection
 * to give, the query is built at each use, as any other query. Defined once, at a module's top level.
 */
export function builtOnce<V extends Record<string, unknown>, R>(
  name: string,
  build: (q: Q) => Preparable<R>,
): BuiltOnce<V, R> {
  /** Per driver (its session's class): the prepared query, without a connection. */
  const unbound = new Map<unknown, Prepared<R>>();
  return {
    on(q) {
      const session = (q as unknown as { session?: object }).session;
      const client = clientOf(session);
      if (!session || client === undefined) return (values) => build(q).execute(values);
      let bound: Prepared<R> | undefined;
      return (values) => {
        if (!bound) {
          let template = unbound.get(session.constructor);
          if (!template) {
            const prepared = build(q).prepare(name);
            if (clientOf(prepared) === undefined) return build(q).execute(values);
            // Its own connection left out: a database closed since is not kept alive through it.
            template = Object.assign(Object.create(Object.getPrototypeOf(prepared) as object) as object, {
              ...prepared,
              client: undefined,
            });
            unbound.set(session.constructor, template);
          }
          // The session's connection, and its logger (which refuses unsafe parameters) and cache.
          const { logger, cache } = session as { logger?: unknown; cache?: unknown };
          bound = Object.assign(Object.create(template) as object, {
            client,
            ...(logger !== undefined ? { logger } : {}),
            ...(cache !== undefined ? { cache } : {}),
          }) as unknown as Prepared<R>;
        }
        return bound.execute(values);
      };
    },
  };
}
