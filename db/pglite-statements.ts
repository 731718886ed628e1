import {
  parse,
  protocol,
  type PGlite,
  type QueryOptions,
  type Results,
  type Transaction,
} from '@electric-sql/pglite';
import { onEveryQuerier } from './pglite-queriers.js';
import { PREPARED_PARAMETER_LIMIT } from './prepared.js';

type RowDescription = InstanceType<typeof protocol.messages.RowDescriptionMessage>;
type ParameterDescription = InstanceType<typeof protocol.messages.ParameterDescriptionMessage>;
type Query = (text: string, params?: unknown[], options?: QueryOptions) => Promise<Results>;

/** A statement parsed and planned once, kept in the engine under `name`. */
interface Statement {
  name: string;
  /** The types the engine gave its parameters: each value is sent the way PGlite sends that type. */
  paramTypes: number[];
  /** Its result's columns (none for a statement that returns no rows). */
  rows: RowDescription | undefined;
}

/** A statement is kept once its text has been run this many times (one-off statements never are)… */
const KEEP_AFTER = 2;
/** …and this many at most: past that, statements are run the usual way. */
const MAX_STATEMENTS = 1000;
/** Texts counted before they are kept, at most: a flood of one-off texts cannot grow the process. */
const MAX_COUNTED = 5000;

/** Statements worth keeping: reads and writes (a schema change or a session command never is). */
const KEEPABLE = /^\s*(select|insert|update|delete|with)\b/i;
/** Commands that drop the engine's kept statements: after them, each is parsed again on its next use. */
const FORGETS = /^\s*(discard|deallocate)\b/i;
/**
 * The engine no longer knows the statement (dropped meanwhile), or its result's columns changed with the
 * schema: parsed again.
 */
const PARSE_AGAIN = new Set(['26000', '0A000']);

const installed = new WeakSet<PGlite>();

/**
 * PGlite runs every query as six exchanges with the engine (parse, describe, bind, describe, execute,
 * sync), and so parses and plans it again each time: ≈1.1 ms of CPU for a transfer read with its
 * consents, on the bot's own thread, ≈0.7 ms of it parsing and planning. A PostgreSQL server keeps
 * each connection's statements (db/prepared.ts); here, a query whose text comes back is parsed,
 * described and planned once, kept under a name, and then run in one exchange (bind, execute, sync):
 * the same transfer read in ≈0.4 ms. Results, errors and parameters are PGlite's own (its serializers, parsers and result
 * shape), and so is the locking: a query outside a transaction waits for the transaction in progress, a
 * query inside one runs in it. A query with a file (`blob`), more than `PREPARED_PARAMETER_LIMIT`
 * parameters, or a text that is not a read or a write goes the usual way.
 */
export function keepStatementsOnPglite(client: PGlite): void {
  if (installed.has(client)) return;
  installed.add(client);
  const kept = new Map<string, Statement>();
  const counted = new Map<string, number>();
  let next = 0;

  const keepable = (text: string, params: unknown[] | undefined, options: QueryOptions | undefined) => {
    if (options?.blob || options?.paramTypes || (params?.length ?? 0) > PREPARED_PARAMETER_LIMIT)
      return false;
    if (kept.has(text)) return true;
    if (kept.size >= MAX_STATEMENTS || !KEEPABLE.test(text)) return false;
    const seen = (counted.get(text) ?? 0) + 1;
    if (counted.size >= MAX_COUNTED) counted.clear();
    counted.set(text, seen);
    return seen >= KEEP_AFTER;
  };

  /** Parses, describes and plans `text` under a name of its own. Under the query lock. */
  const prepare = async (text: string, options: QueryOptions | undefined): Promise<Statement> => {
    const name = `kept_${(next += 1)}`;
    const { messages } = await client.execProtocol(
      concat(
        protocol.serialize.parse({ name, text }),
        protocol.serialize.describe({ type: 'S', name }),
        protocol.serialize.sync(),
      ),
      { syncToFs: false, ...(options?.onNotice ? { onNotice: options.onNotice } : {}) },
    );
    const params = messages.find((m): m is ParameterDescription => m.name === 'parameterDescription');
    const rows = messages.find((m): m is RowDescription => m.name === 'rowDescription');
    const statement = { name, paramTypes: params?.dataTypeIDs ?? [], rows };
    kept.set(text, statement);
    counted.delete(text);
    return statement;
  };

  /** Binds and runs a kept statement in one exchange. Under the query lock. */
  const runKept = async (
    statement: Statement,
    params: unknown[],
    options: QueryOptions | undefined,
    inTransaction: boolean,
  ): Promise<Results> => {
    const values = params.map((param, i) => {
      if (param === null || param === undefined) return null;
      const type = statement.paramTypes[i]!;
      const serialize = options?.serializers?.[type] ?? client.serializers[type];
      // As PGlite sends it: through its serializer (which may give bytes, sent in binary), else as text.
      return serialize ? serialize(param) : (param as { toString(): string }).toString();
    });
    const { messages } = await client.execProtocol(
      concat(
        protocol.serialize.bind({ statement: statement.name, values }),
        protocol.serialize.execute({}),
        protocol.serialize.sync(),
      ),
      {
        // Outside a transaction each statement is durable on its own, as PGlite's own queries are.
        syncToFs: !inTransaction,
        ...(options?.onNotice ? { onNotice: options.onNotice } : {}),
      },
    );
    const described = statement.rows ? [statement.rows, ...messages] : messages;
    return parse.parseResults(described, client.parsers, options)[0]!;
  };

  const run = async (
    text: string,
    params: unknown[],
    options: QueryOptions | undefined,
    inTransaction: boolean,
  ): Promise<Results> =>
    client._runExclusiveQuery(async () => {
      try {
        const statement = kept.get(text) ?? (await prepare(text, options));
        try {
          return await runKept(statement, params, options, inTransaction);
        } catch (err) {
          // Dropped meanwhile, or its columns changed: parsed again, once. Outside a transaction
          // only: inside one the error has ended it, and it is the caller's to hear.
          if (inTransaction || !PARSE_AGAIN.has(errorCode(err) ?? '')) throw err;
          kept.delete(text);
          return await runKept(await prepare(text, options), params, options, inTransaction);
        }
      } catch (err) {
        throw withQuery(err, text, params, options);
      }
    });

  /** A query the usual way; a command that drops the engine's statements empties the list too. */
  const usual = async (original: Query, text: string, params?: unknown[], options?: QueryOptions) => {
    const result = await original(text, params, options);
    if (FORGETS.test(text)) kept.clear();
    return result;
  };

  onEveryQuerier(client, (querier, inTransaction) => {
    const original = querier.query.bind(querier) as Query;
    querier.query = (async (text: string, params?: unknown[], options?: QueryOptions) => {
      if (inTransaction) {
        // Inside a transaction: in it, as long as it is open.
        if ((querier as Transaction).closed) throw new Error('Transaction is closed');
        return keepable(text, params, options)
          ? run(text, params ?? [], options, true)
          : usual(original, text, params, options);
      }
      // Outside: after the transaction in progress, as PGlite's own query (which takes that lock itself).
      return client.ready && keepable(text, params, options)
        ? client._runExclusiveTransaction(() => run(text, params ?? [], options, false))
        : usual(original, text, params, options);
    }) as typeof querier.query;
  });
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null ? (err as { code?: string }).code : undefined;
}

/** What PGlite adds to an error of its queries: the query, its parameters and options. */
function withQuery(err: unknown, text: string, params: unknown[], options: QueryOptions | undefined) {
  if (typeof err === 'object' && err !== null && 'code' in err)
    Object.assign(err, { query: text, params, queryOptions: options });
  return err;
}
